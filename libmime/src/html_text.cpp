// HTML → plain text: one forward pass over the bytes, no DOM, no recursion.
//
// The tokenizer follows the WHATWG HTML tokenizer where it matters for the text
// a reader sees (comments, raw-text elements, character references, quoted
// attribute values) and is deliberately simpler elsewhere. Every scan moves
// forward; where a search can fail (an unterminated quote, tag or CDATA
// section) the failure is remembered so later searches do not repeat it, which
// keeps the whole pass linear even on hostile input.
//
// Choices a reader of the output should know about:
//  * <li> starts a line prefixed with "- "; <td>/<th> are separated by a tab.
//  * &nbsp; and a literal U+00A0 are plain spaces (they collapse like spaces).
//  * <head> content is dropped up to </head> or <body>; when neither exists the
//    document is treated as having no head, so a broken document is not lost.
//  * <script>, <style>, <title>, <template>, <iframe>, <noembed>, <noframes>
//    and Outlook's <xml> islands are skipped up to their end tag.
//  * A tag still open at the end of input is kept as text: HTML that ends in
//    "a <b" is more often prose than markup.

#include <mime/html_text.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace cairn::mime {
namespace {

struct named_ref {
    std::string_view name; // without the ';'
    std::string_view value;
    bool legacy; // also recognised without ';' (HTML 4 era names)
};

constexpr named_ref named_refs[] = {
#include "html_entities.inc"
};

static_assert(std::is_sorted(std::begin(named_refs), std::end(named_refs),
                             [](const named_ref& a, const named_ref& b) {
                                 return a.name < b.name;
                             }),
              "html_entities.inc must be sorted; regenerate it with scripts/gen_html_entities.py");

// The longest legacy name ("middot", "frac34", …) bounds the prefix search.
constexpr std::size_t max_legacy_length = [] {
    std::size_t n = 0;
    for (const auto& ref : named_refs) {
        if (ref.legacy)
            n = std::max(n, ref.name.size());
    }
    return n;
}();

// Longer than any name in the table ("CounterClockwiseContourIntegral" is 31).
constexpr std::size_t max_name_length = 32;

const named_ref* find_named(std::string_view name, bool need_legacy) {
    const auto* it =
        std::lower_bound(std::begin(named_refs), std::end(named_refs), name,
                         [](const named_ref& r, std::string_view n) { return r.name < n; });
    if (it == std::end(named_refs) || it->name != name || (need_legacy && !it->legacy))
        return nullptr;
    return it;
}

// WHATWG "numeric character reference end state": browsers read &#128;–&#159;
// as windows-1252, because that is what such pages meant.
constexpr std::array<char32_t, 32> windows_1252_c1 = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};

std::string_view encode_utf8(char32_t cp, std::array<char, 4>& buf) {
    if (cp < 0x80) {
        buf[0] = static_cast<char>(cp);
        return {buf.data(), 1};
    }
    if (cp < 0x800) {
        buf[0] = static_cast<char>(0xC0 | (cp >> 6));
        buf[1] = static_cast<char>(0x80 | (cp & 0x3F));
        return {buf.data(), 2};
    }
    if (cp < 0x10000) {
        buf[0] = static_cast<char>(0xE0 | (cp >> 12));
        buf[1] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        buf[2] = static_cast<char>(0x80 | (cp & 0x3F));
        return {buf.data(), 3};
    }
    buf[0] = static_cast<char>(0xF0 | (cp >> 18));
    buf[1] = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    buf[2] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    buf[3] = static_cast<char>(0x80 | (cp & 0x3F));
    return {buf.data(), 4};
}

bool is_alpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool is_alnum(char c) {
    return is_alpha(c) || (c >= '0' && c <= '9');
}

// HTML's ASCII whitespace (tokenizer §13.2.5); U+00A0 is handled separately.
bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

char to_lower(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool iequals_prefix(std::string_view text, std::size_t at, std::string_view lower) {
    if (text.size() - at < lower.size())
        return false;
    for (std::size_t i = 0; i < lower.size(); ++i) {
        if (to_lower(text[at + i]) != lower[i])
            return false;
    }
    return true;
}

/// Applies the output rules: collapsed separators, no trailing blanks on a line,
/// at most one blank line in a row, nothing blank at either end.
class text_writer {
public:
    explicit text_writer(std::string& out)
        : out_(out)
        , base_(out.size()) {}

    void text(std::string_view s) {
        if (at_line_start()) {
            if (bullet_)
                out_.append("- ");
            bullet_ = false;
        } else if (pending_ != 0) {
            out_.push_back(pending_);
        }
        pending_ = 0;
        out_.append(s);
    }

    /// A separator to write before the next text on this line; a tab (between
    /// cells) wins over a space.
    void separator(char sep) {
        if (!at_line_start() && (pending_ == 0 || sep == '\t'))
            pending_ = sep;
    }

    /// "- " before the next text, once it is written (an empty <li> leaves nothing).
    void bullet() { bullet_ = true; }

    /// Ends the current line unless it is empty (block elements).
    void line_break() {
        if (!at_line_start())
            newline();
        pending_ = 0;
    }

    /// Leaves one blank line (p, h1–h6, blockquote, pre).
    void paragraph_break() {
        line_break();
        newline();
    }

    /// Ends the current line even when it is empty (<br>, a newline in <pre>).
    void newline() {
        pending_ = 0;
        while (out_.size() > base_ && (out_.back() == ' ' || out_.back() == '\t'))
            out_.pop_back();
        if (out_.size() == base_)
            return;
        if (out_.size() - base_ >= 2 && out_[out_.size() - 2] == '\n' && out_.back() == '\n')
            return;
        out_.push_back('\n');
    }

    void finish() {
        while (out_.size() > base_ && is_space(out_.back()))
            out_.pop_back();
    }

private:
    [[nodiscard]] bool at_line_start() const { return out_.size() == base_ || out_.back() == '\n'; }

    std::string& out_;
    std::size_t base_;
    char pending_ = 0;
    bool bullet_ = false;
};

enum class tag_kind : std::uint8_t { block, paragraph, br, cell, li, pre, raw, head, body };

struct tag_rule {
    std::string_view name;
    tag_kind kind;
};

// Sorted by name. Tags not listed (a, span, font, o:p, img …) only separate
// nothing: they are inline.
constexpr tag_rule tag_rules[] = {
    {"address", tag_kind::block},  {"article", tag_kind::block},
    {"aside", tag_kind::block},    {"blockquote", tag_kind::paragraph},
    {"body", tag_kind::body},      {"br", tag_kind::br},
    {"caption", tag_kind::block},  {"center", tag_kind::block},
    {"dd", tag_kind::block},       {"details", tag_kind::block},
    {"dialog", tag_kind::block},   {"div", tag_kind::block},
    {"dl", tag_kind::block},       {"dt", tag_kind::block},
    {"fieldset", tag_kind::block}, {"figcaption", tag_kind::block},
    {"figure", tag_kind::block},   {"footer", tag_kind::block},
    {"form", tag_kind::block},     {"h1", tag_kind::paragraph},
    {"h2", tag_kind::paragraph},   {"h3", tag_kind::paragraph},
    {"h4", tag_kind::paragraph},   {"h5", tag_kind::paragraph},
    {"h6", tag_kind::paragraph},   {"head", tag_kind::head},
    {"header", tag_kind::block},   {"hr", tag_kind::block},
    {"iframe", tag_kind::raw},     {"legend", tag_kind::block},
    {"li", tag_kind::li},          {"listing", tag_kind::pre},
    {"main", tag_kind::block},     {"nav", tag_kind::block},
    {"noembed", tag_kind::raw},    {"noframes", tag_kind::raw},
    {"ol", tag_kind::block},       {"p", tag_kind::paragraph},
    {"pre", tag_kind::pre},        {"script", tag_kind::raw},
    {"section", tag_kind::block},  {"style", tag_kind::raw},
    {"summary", tag_kind::block},  {"table", tag_kind::block},
    {"td", tag_kind::cell},        {"template", tag_kind::raw},
    {"th", tag_kind::cell},        {"title", tag_kind::raw},
    {"tr", tag_kind::block},       {"ul", tag_kind::block},
    {"xml", tag_kind::raw},
};

static_assert(std::is_sorted(std::begin(tag_rules), std::end(tag_rules),
                             [](const tag_rule& a, const tag_rule& b) { return a.name < b.name; }));

const tag_rule* find_tag(std::string_view lower_name) {
    const auto* it =
        std::lower_bound(std::begin(tag_rules), std::end(tag_rules), lower_name,
                         [](const tag_rule& r, std::string_view n) { return r.name < n; });
    return (it != std::end(tag_rules) && it->name == lower_name) ? it : nullptr;
}

class html_scanner {
public:
    html_scanner(std::string_view in, std::string& out)
        : in_(in)
        , w_(out) {}

    void run() {
        while (pos_ < in_.size()) {
            const char c = in_[pos_];
            if (c == '<') {
                on_lt();
            } else if (c == '&') {
                on_amp();
            } else if (is_space(c)) {
                // CRLF is one line end: the CR is dropped, the LF counts.
                if (!(c == '\r' && pos_ + 1 < in_.size() && in_[pos_ + 1] == '\n'))
                    whitespace(c);
                ++pos_;
            } else if (c == '\xC2' && pos_ + 1 < in_.size() && in_[pos_ + 1] == '\xA0') {
                pos_ += 2;
                whitespace(' '); // U+00A0 NO-BREAK SPACE
            } else if (c == '\0') {
                ++pos_; // WHATWG: a NUL in text is dropped
            } else {
                const std::size_t start = pos_;
                while (++pos_ < in_.size() && !is_special(in_[pos_])) {
                }
                emit(in_.substr(start, pos_ - start));
            }
        }
        w_.finish();
    }

private:
    static bool is_special(char c) {
        return c == '<' || c == '&' || is_space(c) || c == '\xC2' || c == '\0';
    }

    void emit(std::string_view s) {
        if (!in_head_)
            w_.text(s);
    }

    // Whitespace collapses to one separator, except inside <pre>.
    void whitespace(char c) {
        if (in_head_)
            return;
        if (pre_depth_ == 0)
            w_.separator(' ');
        else if (c == '\n' || c == '\r')
            w_.newline();
        else
            w_.text(c == '\t' ? "\t" : " ");
    }

    void on_lt() {
        const std::size_t next = pos_ + 1;
        const char d = next < in_.size() ? in_[next] : '\0';
        if (!tags_unterminated_ && d == '!') {
            markup_declaration();
        } else if (!tags_unterminated_ &&
                   (d == '?' || (d == '/' && next + 1 < in_.size() && !is_alpha(in_[next + 1])))) {
            skip_bogus_comment(); // <?xml ...?>, </ 3>, </>
        } else if (!tags_unterminated_ && (is_alpha(d) || d == '/')) {
            tag(d == '/');
        } else {
            literal_lt();
        }
    }

    void literal_lt() {
        ++pos_;
        emit("<");
    }

    void skip_bogus_comment() {
        const auto close = in_.find('>', pos_);
        if (close == std::string_view::npos) {
            tags_unterminated_ = true;
            literal_lt();
        } else {
            pos_ = close + 1;
        }
    }

    void markup_declaration() {
        const std::string_view rest = in_.substr(pos_);
        if (rest.starts_with("<!--")) {
            skip_comment();
        } else if (rest.starts_with("<![CDATA[") && !cdata_unterminated_) {
            const auto end = in_.find("]]>", pos_ + 9);
            if (end != std::string_view::npos) {
                pos_ = end + 3;
                return;
            }
            cdata_unterminated_ = true;
            skip_bogus_comment();
        } else {
            skip_bogus_comment(); // <!DOCTYPE …>, <![if !mso]>, <![endif]>
        }
    }

    // WHATWG comment states: "<!-->" and "<!--->" are empty comments, "--!>"
    // also closes, and an unterminated comment runs to the end of input. Outlook's
    // conditional comments <!--[if mso]>…<![endif]--> are ordinary comments here.
    void skip_comment() {
        std::size_t p = pos_ + 4;
        if (in_.substr(p).starts_with(">")) {
            pos_ = p + 1;
            return;
        }
        if (in_.substr(p).starts_with("->")) {
            pos_ = p + 2;
            return;
        }
        for (;;) {
            const auto dashes = in_.find("--", p);
            if (dashes == std::string_view::npos) {
                pos_ = in_.size();
                return;
            }
            const std::string_view after = in_.substr(dashes + 2);
            if (after.starts_with(">")) {
                pos_ = dashes + 3;
                return;
            }
            if (after.starts_with("!>")) {
                pos_ = dashes + 4;
                return;
            }
            p = dashes + 1;
        }
    }

    void tag(bool end_tag) {
        std::size_t p = pos_ + (end_tag ? 2 : 1);
        const std::size_t name_start = p;
        while (p < in_.size() && !is_space(in_[p]) && in_[p] != '/' && in_[p] != '>')
            ++p;
        const std::size_t name_end = p;
        const std::size_t close = find_tag_end(p);
        if (close == std::string_view::npos) {
            tags_unterminated_ = true;
            literal_lt();
            return;
        }
        pos_ = close + 1;

        std::array<char, 12> lower{};
        const std::size_t len = name_end - name_start;
        if (len > lower.size())
            return; // longer than any tag we act on
        for (std::size_t i = 0; i < len; ++i)
            lower[i] = to_lower(in_[name_start + i]);
        if (const tag_rule* rule = find_tag({lower.data(), len}))
            end_tag ? on_end_tag(rule->kind) : on_start_tag(*rule);
    }

    // A '>' inside a quoted attribute value does not close the tag
    // (<a title="a>b">). A quote that never closes is treated as an ordinary
    // character, so the tag ends at the next '>'.
    std::size_t find_tag_end(std::size_t p) {
        while (p < in_.size()) {
            const char c = in_[p];
            if (c == '>')
                return p;
            if (c != '=') {
                ++p;
                continue;
            }
            ++p;
            while (p < in_.size() && is_space(in_[p]))
                ++p;
            if (p >= in_.size() || (in_[p] != '"' && in_[p] != '\''))
                continue;
            bool& missing = in_[p] == '"' ? double_quote_missing_ : single_quote_missing_;
            const auto close = missing ? std::string_view::npos : in_.find(in_[p], p + 1);
            if (close == std::string_view::npos) {
                missing = true;
                ++p;
            } else {
                p = close + 1;
            }
        }
        return std::string_view::npos;
    }

    // The break a tag makes is the same for its start and end tag: </p> without
    // <p> still ends a paragraph, and browsers read </br> as <br>.
    void layout(tag_kind kind) {
        if (kind == tag_kind::block || kind == tag_kind::li)
            w_.line_break();
        else if (kind == tag_kind::paragraph || kind == tag_kind::pre)
            w_.paragraph_break();
        else if (kind == tag_kind::br)
            w_.newline();
    }

    void on_start_tag(const tag_rule& rule) {
        layout(rule.kind);
        switch (rule.kind) {
        case tag_kind::cell:
            w_.separator('\t');
            break;
        case tag_kind::li:
            w_.bullet();
            break;
        case tag_kind::pre:
            ++pre_depth_;
            // WHATWG "in body": a newline right after <pre> is not content.
            if (in_.substr(pos_).starts_with("\r\n"))
                pos_ += 2;
            else if (in_.substr(pos_).starts_with("\n"))
                ++pos_;
            break;
        case tag_kind::raw:
            skip_raw_text(rule.name);
            break;
        case tag_kind::head:
            enter_head();
            break;
        case tag_kind::body:
            in_head_ = false;
            break;
        default:
            break;
        }
    }

    void on_end_tag(tag_kind kind) {
        layout(kind);
        if (kind == tag_kind::pre && pre_depth_ > 0)
            --pre_depth_;
        else if (kind == tag_kind::head)
            in_head_ = false;
    }

    // True when `at` starts the tag name `lower` ("head" must not match "header").
    [[nodiscard]] bool tag_name_at(std::size_t at, std::string_view lower) const {
        const std::size_t after = at + lower.size();
        return iequals_prefix(in_, at, lower) && (after == in_.size() || is_space(in_[after]) ||
                                                  in_[after] == '/' || in_[after] == '>');
    }

    // Raw text (script, style …): nothing inside is markup, so "</div>" in a
    // script string does not matter; only "</name" followed by a delimiter ends it.
    void skip_raw_text(std::string_view lower_name) {
        std::size_t p = pos_;
        for (;;) {
            const auto lt = in_.find("</", p);
            if (lt == std::string_view::npos) {
                pos_ = in_.size();
                return;
            }
            if (tag_name_at(lt + 2, lower_name)) {
                pos_ = lt; // the end tag itself is read by the main loop
                return;
            }
            p = lt + 2;
        }
    }

    // Head text is dropped only when the head visibly ends; one scan, once.
    void enter_head() {
        if (head_seen_)
            return;
        head_seen_ = true;
        for (auto lt = in_.find('<', pos_); lt != std::string_view::npos;
             lt = in_.find('<', lt + 1)) {
            if (tag_name_at(lt + 1, "/head") || tag_name_at(lt + 1, "body")) {
                in_head_ = true;
                return;
            }
        }
    }

    void on_amp() {
        const std::size_t start = pos_ + 1;
        if (start < in_.size() && in_[start] == '#') {
            numeric_reference();
            return;
        }
        std::size_t end = start;
        while (end < in_.size() && end - start < max_name_length && is_alnum(in_[end]))
            ++end;
        const std::string_view name = in_.substr(start, end - start);
        if (end < in_.size() && in_[end] == ';') {
            if (const named_ref* ref = find_named(name, false)) {
                pos_ = end + 1;
                emit_decoded(ref->value);
                return;
            }
        }
        // WHATWG: the longest legacy name that prefixes the run matches without
        // ';' ("&copy2024" → "©2024", "&amp" → "&").
        for (std::size_t len = std::min(name.size(), max_legacy_length); len >= 2; --len) {
            if (const named_ref* ref = find_named(name.substr(0, len), true)) {
                pos_ = start + len;
                emit_decoded(ref->value);
                return;
            }
        }
        ++pos_;
        emit("&"); // unknown: kept as written
    }

    void numeric_reference() {
        std::size_t p = pos_ + 2;
        const bool hex = p < in_.size() && (in_[p] == 'x' || in_[p] == 'X');
        if (hex)
            ++p;
        const std::size_t digits_start = p;
        char32_t cp = 0;
        for (; p < in_.size(); ++p) {
            const char c = to_lower(in_[p]);
            unsigned digit = 0;
            if (c >= '0' && c <= '9')
                digit = static_cast<unsigned>(c - '0');
            else if (hex && c >= 'a' && c <= 'f')
                digit = static_cast<unsigned>(c - 'a' + 10);
            else
                break;
            // Saturate just past the Unicode range so long inputs cannot overflow.
            cp = std::min<char32_t>(cp * (hex ? 16 : 10) + digit, 0x110000);
        }
        if (p == digits_start) {
            ++pos_;
            emit("&"); // "&#" or "&#x" with no digits is text
            return;
        }
        if (p < in_.size() && in_[p] == ';')
            ++p;
        pos_ = p;
        if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            cp = 0xFFFD;
        else if (cp >= 0x80 && cp <= 0x9F)
            cp = windows_1252_c1[cp - 0x80];
        std::array<char, 4> buf{};
        emit_decoded(encode_utf8(cp, buf));
    }

    // A reference that decodes to whitespace (&#10;, &Tab;, &nbsp;) behaves as
    // whitespace; &nbsp; becomes a plain space.
    void emit_decoded(std::string_view value) {
        if (value == "\xC2\xA0")
            whitespace(' ');
        else if (value.size() == 1 && is_space(value[0]))
            whitespace(value[0]);
        else
            emit(value);
    }

    std::string_view in_;
    text_writer w_;
    std::size_t pos_ = 0;
    int pre_depth_ = 0;
    bool in_head_ = false;
    bool head_seen_ = false;
    // Searches that failed once fail for every later start, so they are not repeated.
    bool tags_unterminated_ = false;
    bool cdata_unterminated_ = false;
    bool double_quote_missing_ = false;
    bool single_quote_missing_ = false;
};

} // namespace

void html_to_text(std::string_view html, std::string& out) {
    out.reserve(out.size() + html.size());
    html_scanner(html, out).run();
}

std::string html_to_text(std::string_view html) {
    std::string out;
    html_to_text(html, out);
    return out;
}

} // namespace cairn::mime
