// HTML → plain text: one forward pass over the bytes, no DOM, no recursion.
// This file is the tokenizer; character references are decoded in
// html_entities.cpp, tag layout and output rules are in html_layout.*.
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

#include "html_chars.hpp"
#include "html_entities.hpp"
#include "html_layout.hpp"

#include <mime/html_text.hpp>

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

namespace cairn::mime {
namespace {

using namespace html;

bool iequals_prefix(std::string_view text, std::size_t at, std::string_view lower) {
    if (text.size() - at < lower.size())
        return false;
    for (std::size_t i = 0; i < lower.size(); ++i) {
        if (to_lower(text[at + i]) != lower[i])
            return false;
    }
    return true;
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
        std::array<char, 4> buf{};
        const html::char_ref ref = html::decode_char_ref(in_, pos_, buf);
        if (ref.end == 0) {
            ++pos_;
            emit("&"); // not a reference: kept as written
            return;
        }
        pos_ = ref.end;
        emit_decoded(ref.value);
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