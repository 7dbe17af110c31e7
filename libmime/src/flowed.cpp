// format=flowed (RFC 3676) unwrapping in one forward pass with one line of
// lookahead.
//
// Choices beyond the RFC text, so the output is predictable:
//  * Output lines of depth > 0 start with '>' repeated depth times and one
//    space ("> text", ">> text"); an empty quoted line is just the markers.
//  * A soft break is only honoured when the next line has the same quote depth
//    and is not the signature separator; otherwise the flowed line is treated
//    as fixed (§4.5 "improperly flowed"). The signature separator starts a new
//    paragraph, so "text \n-- " never becomes "text -- ".
//  * A paragraph that ends on a soft break (last line of the text, or before a
//    depth change) loses its trailing spaces; so does a paragraph whose last
//    line is empty. Only the separator "-- " keeps its trailing space.
//  * A line is flowed when it ends in SP after unstuffing, so "> " (a quoted
//    blank line written with the customary space) stays a blank line.
//  * The output ends with '\n' exactly when the input ended with a line end.

#include <mime/flowed.hpp>

#include <cstddef>
#include <string>
#include <string_view>

namespace cairn::mime {
namespace {

struct flowed_line {
    std::size_t depth = 0;
    std::string_view content; // quote markers and the stuffed space removed
    bool flowed = false;      // ends in SP and is not the signature separator
    bool signature = false;   // "-- " (§4.3)
};

// §4.5: the quote depth is the number of '>' at the start of the line; §4.4:
// one space after them is stuffing and is removed.
flowed_line parse_line(std::string_view raw) {
    flowed_line line;
    while (line.depth < raw.size() && raw[line.depth] == '>')
        ++line.depth;
    line.content = raw.substr(line.depth);
    if (line.content.starts_with(' '))
        line.content.remove_prefix(1);
    line.signature = line.content == "-- ";
    line.flowed = !line.signature && line.content.ends_with(' ');
    return line;
}

/// Splits text into lines at LF, dropping a CR before it (CRLF input).
class line_reader {
public:
    explicit line_reader(std::string_view text)
        : text_(text) {}

    [[nodiscard]] bool next(std::string_view& line) {
        if (pos_ >= text_.size())
            return false;
        auto lf = text_.find('\n', pos_);
        ended_with_eol_ = lf != std::string_view::npos;
        if (!ended_with_eol_)
            lf = text_.size();
        line = text_.substr(pos_, lf - pos_);
        if (line.ends_with('\r'))
            line.remove_suffix(1);
        pos_ = lf + 1;
        return true;
    }

    [[nodiscard]] bool ended_with_eol() const { return ended_with_eol_; }

private:
    std::string_view text_;
    std::size_t pos_ = 0;
    bool ended_with_eol_ = false;
};

void end_paragraph(std::string& out, std::size_t paragraph_start, bool signature) {
    if (!signature) {
        while (out.size() > paragraph_start && out.back() == ' ')
            out.pop_back();
    }
    out.push_back('\n');
}

} // namespace

std::string unwrap_flowed(std::string_view text, bool delsp) {
    std::string out;
    out.reserve(text.size());
    line_reader reader(text);
    std::string_view raw;
    if (!reader.next(raw))
        return out;

    flowed_line line = parse_line(raw);
    bool in_paragraph = false;
    std::size_t paragraph_start = 0; // where the text after the quote prefix begins
    for (;;) {
        if (!in_paragraph) {
            out.append(line.depth, '>');
            if (line.depth > 0)
                out.push_back(' ');
            paragraph_start = out.size();
            in_paragraph = true;
        }
        std::string_view next_raw;
        const bool has_next = reader.next(next_raw);
        const flowed_line next = has_next ? parse_line(next_raw) : flowed_line{};
        const bool joins = line.flowed && has_next && next.depth == line.depth && !next.signature;

        std::string_view content = line.content;
        // §4.2/§4.5: with DelSp=yes the soft-break space is not part of the text.
        if (joins && delsp)
            content.remove_suffix(1);
        out.append(content);
        if (!joins) {
            end_paragraph(out, paragraph_start, line.signature);
            // An empty quoted line is just its markers, without the space.
            if (line.depth > 0 && out.size() == paragraph_start + 1)
                out.erase(out.size() - 2, 1);
            in_paragraph = false;
        }
        if (!has_next)
            break;
        line = next;
    }
    if (!reader.ended_with_eol() && !out.empty())
        out.pop_back();
    return out;
}

} // namespace cairn::mime
