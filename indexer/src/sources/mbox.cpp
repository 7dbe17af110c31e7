// split_mbox: one mbox held in memory (usually a mapped file) → its messages.
//
// The format is "mboxo"/"mboxrd" as described in RFC 4155 and in qmail's
// mbox(5): each message is preceded by a postmark line `From sender date`, and
// writers quote body lines that begin `From ` (mboxrd: any run of `>` before
// `From `) with one more `>`.
//
// Where does a message start? RFC 4155 §2 says a postmark follows a blank line
// (or starts the file). Real files break that rule both ways:
//   * writers that forgot the blank line (MimeKit's simple.mbox.txt: the
//     postmark comes straight after the last body line), and
//   * bodies with an unquoted `From ` line (mboxo writers that quote nothing).
// The rule here: a line that starts with `From ` separates messages when it is
// at the start of the file, OR the line before it is blank, OR the line after
// it is a header field (`Name: value`). The third clause is the leniency: a
// postmark without its blank line is still recognised because a header block
// follows it, while `From Russia with love` in the middle of a paragraph (no
// blank line before, prose after) stays in the body. A blank line before a
// `From ` line is trusted even without a header after it, as every mbox reader
// does (mutt, Thunderbird, MimeKit: unmunged.mbox.txt has four messages).
//
// Content-Length (mboxcl/mboxcl2, Solaris and old Netscape) is honoured only
// when it is consistent: the body that starts after the header block's blank
// line and has exactly that length must end at the end of the file or right
// before a postmark (its blank line allowed). Then `From ` lines inside that
// body cannot split it. A Content-Length that lands anywhere else is a lie
// (rewritten bodies, MimeKit's content-length.mbox.txt) and is ignored.
//
// Where does a message end? The line break right before the next postmark is
// the separator's, not the message's; with a blank line before the postmark
// that blank line is the one dropped (MimeKit's endOffset: `…--\n\nFrom ` ends
// the message after `--\n`, `…--\nFrom ` ends it after `--`). At the end of
// the file a final blank line is the writer's separator and is dropped, as
// Python's mailbox does; a last line's own line break is kept.

#include "sources/mail_sniff.hpp"

#include <indexer/sources.hpp>

#include <charconv>
#include <optional>
#include <string>

namespace cairn::index {
namespace {

using sources_detail::first_line;
using sources_detail::is_blank_line;
using sources_detail::is_from_line;
using sources_detail::is_header_field_line;

constexpr std::size_t npos = std::string_view::npos;

/// Where a message ends and the next postmark starts (npos: end of file).
struct message_span {
    std::size_t end = 0;
    std::size_t next_postmark = npos;
};

bool ascii_iequals(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) {
        return false;
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
        const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; };
        if (lower(a[i]) != lower(b[i])) {
            return false;
        }
    }
    return true;
}

bool only_line_space(std::string_view text) noexcept {
    return text.find_first_not_of(" \t\r\n") == npos;
}

class splitter {
public:
    explicit splitter(std::string_view mbox)
        : mbox_(mbox) {}

    /// Start of the line after the one at `line_start` (mbox_.size() at the end).
    [[nodiscard]] std::size_t next_line(std::size_t line_start) const noexcept {
        const std::size_t eol = mbox_.find('\n', line_start);
        return eol == npos ? mbox_.size() : eol + 1;
    }

    /// Is the `From ` line at `pos` (a line start) a postmark? See the rule above.
    [[nodiscard]] bool is_postmark(std::size_t pos, std::size_t file_start) const noexcept {
        if (!is_from_line(mbox_.substr(pos, 5))) {
            return false;
        }
        if (pos == file_start) {
            return true;
        }
        std::size_t k = pos - 1; // the '\n' ending the previous line
        if (k > 0 && mbox_[k - 1] == '\r') {
            --k;
        }
        if (k == 0 || mbox_[k - 1] == '\n') {
            return true; // the previous line is blank
        }
        return is_header_field_line(first_line(mbox_.substr(next_line(pos))));
    }

    /// The first postmark at a line start at or after `from` (a line start, not
    /// the file's first line).
    [[nodiscard]] std::size_t find_postmark(std::size_t from, std::size_t file_start) const {
        for (std::size_t hit = mbox_.find("\nFrom ", from - 1); hit != npos;
             hit = mbox_.find("\nFrom ", hit + 1)) {
            if (is_postmark(hit + 1, file_start)) {
                return hit + 1;
            }
        }
        return npos;
    }

    /// The message end for a postmark at `postmark` (npos: end of file): drop
    /// the line break before it (LF or CRLF), never going below `start`. At the
    /// end of the file only a blank line's break is the writer's (every mbox
    /// writer ends each message with one); a last line's own break is kept.
    [[nodiscard]] message_span span_before(std::size_t postmark, std::size_t start) const {
        const bool at_eof = postmark == npos;
        std::size_t end = at_eof ? mbox_.size() : postmark;
        const std::size_t after_break = drop_line_break(end, start);
        if (!at_eof || (after_break > start && mbox_[after_break - 1] == '\n')) {
            end = after_break;
        }
        return {end, postmark};
    }

    /// The span Content-Length gives the message starting at `start`, when it is
    /// consistent (see the file comment); nullopt otherwise.
    [[nodiscard]] std::optional<message_span> content_length_span(std::size_t start,
                                                                  std::size_t file_start) const {
        std::optional<std::uint64_t> length;
        std::size_t pos = start;
        while (true) {
            if (pos >= mbox_.size()) {
                return std::nullopt; // headers only: nothing to measure
            }
            const std::string_view line = first_line(mbox_.substr(pos));
            if (is_blank_line(line)) {
                break;
            }
            if (pos != start && is_postmark(pos, file_start)) {
                return std::nullopt; // next message before any body
            }
            const std::size_t colon = line.find(':');
            if (colon != npos && ascii_iequals(trim(line.substr(0, colon)), "content-length")) {
                const std::string_view value = trim(line.substr(colon + 1));
                std::uint64_t parsed = 0;
                const auto [end, ec] =
                    std::from_chars(value.data(), value.data() + value.size(), parsed);
                if (ec != std::errc{} || end != value.data() + value.size()) {
                    return std::nullopt; // unreadable: do not guess
                }
                length = parsed;
            }
            pos = next_line(pos);
        }
        if (!length) {
            return std::nullopt;
        }
        const std::size_t body = next_line(pos);
        if (*length > mbox_.size() - body) {
            return std::nullopt;
        }
        const std::size_t end = body + *length;
        const std::string_view rest = mbox_.substr(end);
        if (only_line_space_breaks(rest)) {
            return message_span{end, npos};
        }
        // The postmark may follow directly (the length counted the line break),
        // or after the separator's line break, or after it and a blank line.
        for (const std::string_view lead : {"", "\n", "\r\n", "\n\n", "\r\n\r\n"}) {
            const bool splits_crlf = lead.substr(0, 1) == "\n" && mbox_[end - 1] == '\r';
            if (rest.substr(0, lead.size()) == lead && !splits_crlf &&
                is_from_line(rest.substr(lead.size(), 5)) &&
                (end + lead.size() == 0 || mbox_[end + lead.size() - 1] == '\n')) {
                return message_span{end, end + lead.size()};
            }
        }
        return std::nullopt;
    }

private:
    /// `end` with the LF or CRLF before it removed, never going below `start`.
    [[nodiscard]] std::size_t drop_line_break(std::size_t end, std::size_t start) const noexcept {
        if (end > start && mbox_[end - 1] == '\n') {
            --end;
            if (end > start && mbox_[end - 1] == '\r') {
                --end;
            }
        }
        return end;
    }

    static std::string_view trim(std::string_view text) noexcept {
        const std::size_t first = text.find_first_not_of(" \t\r");
        if (first == npos) {
            return {};
        }
        return text.substr(first, text.find_last_not_of(" \t\r") - first + 1);
    }

    /// Only line breaks left (a writer's trailing blank line) or nothing.
    static bool only_line_space_breaks(std::string_view rest) noexcept {
        return rest.find_first_not_of("\r\n") == npos && rest.size() <= 4;
    }

    std::string_view mbox_;
};

/// Does the message hold a quoted postmark (`>From `, `>>From ` … at a line start)?
bool has_quoted_from(std::string_view message) noexcept {
    for (std::size_t hit = message.find(">From "); hit != npos;
         hit = message.find(">From ", hit + 1)) {
        std::size_t k = hit;
        while (k > 0 && message[k - 1] == '>') {
            --k;
        }
        if (k == 0 || message[k - 1] == '\n') {
            return true;
        }
    }
    return false;
}

/// Copies `message` into `out` with one `>` removed from every `>+From ` line
/// (mboxrd; for mboxo, whose writers quote only `From `, this is the same).
void unquote_into(std::string_view message, std::string& out) {
    out.clear();
    out.reserve(message.size());
    std::size_t pos = 0;
    while (pos < message.size()) {
        const std::size_t eol = message.find('\n', pos);
        const std::size_t next = eol == npos ? message.size() : eol + 1;
        const std::string_view line = message.substr(pos, next - pos);
        const std::size_t arrows = line.find_first_not_of('>');
        const bool quoted = arrows != 0 && arrows != npos && line.substr(arrows, 5) == "From ";
        out.append(quoted ? line.substr(1) : line);
        pos = next;
    }
}

} // namespace

void split_mbox(
    std::string_view mbox,
    const std::function<void(std::string_view message, std::uint64_t offset)>& on_message) {
    const splitter split(mbox);
    const std::size_t file_start = mbox.size() - sources_detail::skip_bom(mbox).size();
    std::string unquoted; // reused: bounded by the largest quoted message

    const auto emit = [&](std::size_t start, std::size_t end) {
        const std::string_view message = mbox.substr(start, end - start);
        if (only_line_space(message)) {
            return; // a postmark with nothing after it (an interrupted append)
        }
        if (!has_quoted_from(message)) {
            on_message(message, start);
            return;
        }
        unquote_into(message, unquoted);
        on_message(unquoted, start);
    };

    std::size_t postmark = split.is_postmark(file_start, file_start)
                               ? file_start
                               : split.find_postmark(split.next_line(file_start), file_start);
    // Text before the first postmark is not thrown away: it is reported as a
    // message when it is more than blank lines (no path loses a message).
    if (postmark != file_start) {
        const message_span preamble = split.span_before(postmark, file_start);
        emit(file_start, preamble.end);
    }
    while (postmark != npos) {
        const std::size_t start = split.next_line(postmark);
        message_span span;
        if (auto counted = split.content_length_span(start, file_start)) {
            span = *counted;
        } else {
            span = split.span_before(
                start < mbox.size() ? split.find_postmark(start, file_start) : npos, start);
        }
        emit(start, span.end);
        postmark = span.next_postmark;
    }
}

} // namespace cairn::index
