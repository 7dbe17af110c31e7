// The MIME scanner state machine. See scanner.hpp for the contract.
//
// The input is processed a line at a time. A line is only ever looked at when it
// is complete (or when it is long enough that it cannot be a delimiter), so the
// result never depends on where chunks were split. The line break before a
// delimiter belongs to the delimiter (RFC 2046 §5.1.1), so the break that ends a
// body line is held back ("pending") until the next line shows it is not a
// delimiter; it is then emitted from static storage, which is why a caller never
// has to keep old chunks alive.

#include "dash_line.hpp"
#include "part_stack.hpp"

#include <mime/charset.hpp>
#include <mime/content_type.hpp>
#include <mime/decoders.hpp>
#include <mime/scanner.hpp>

#include <cstring>
#include <optional>

namespace cairn::mime {
namespace {

constexpr std::string_view crlf = "\r\n";

bool is_wsp(char c) noexcept {
    return c == ' ' || c == '\t';
}

// A header field name (RFC 5322 §3.6.8: printable ASCII except colon), optionally
// followed by whitespace before the colon (obs-optional, §4.5). Returns the name
// length, or npos when the line does not start a field.
std::size_t field_name_length(std::string_view line) noexcept {
    std::size_t i = 0;
    while (i < line.size()) {
        const auto c = static_cast<unsigned char>(line[i]);
        if (c == ':' || c <= 32 || c >= 127) {
            break;
        }
        ++i;
    }
    const std::size_t name_end = i;
    while (i < line.size() && is_wsp(line[i])) {
        ++i;
    }
    if (name_end == 0 || i == line.size() || line[i] != ':') {
        return std::string_view::npos;
    }
    return name_end;
}

// Is `content` (a line without its break) a delimiter for `boundary`?
// `--boundary`, then optionally `--`, then only transport padding (RFC 2046 §5.1.1).
bool matches_delimiter(std::string_view content, std::string_view boundary, bool& is_close) {
    if (content.size() < 2 + boundary.size() ||
        content.compare(2, boundary.size(), boundary) != 0) {
        return false;
    }
    std::string_view rest = content.substr(2 + boundary.size());
    is_close = rest.starts_with("--");
    if (is_close) {
        rest.remove_prefix(2);
    }
    for (char c : rest) {
        if (!is_wsp(c)) {
            return false;
        }
    }
    return true;
}

} // namespace

struct scanner::state {
    state(scan_handler& h, parse_options o)
        : handler(h)
        , options(o) {}

    scan_handler& handler;
    parse_options options;
    part_stack parts;

    std::uint64_t base = 0; // stream offset of the current chunk's first byte
    bool finished = false;
    bool at_line_start = true; // body modes: the next byte starts a line
    std::uint64_t header_begin = 0;
    std::uint32_t fields_in_block = 0;
    std::uint32_t parts_begun = 0;
    bool too_many_reported = false;
    // The line break held back after the last body line: 0, 1 ("\n" or "\r") or
    // 2 ("\r\n") bytes. After a close delimiter it is the delimiter line's own
    // break, which belongs to whatever delimiter may follow and is never content.
    std::size_t pending_eol = 0;
    std::uint64_t pending_eol_offset = 0;
    bool pending_eol_is_delimiters = false;
    // Lines end with LF (CRLF or bare LF), or with CR alone in old Macintosh mail;
    // decided once from the message's first line break (see decide_line_breaks).
    bool line_breaks_decided = false;
    char eol = '\n';

    const char* find_eol(const char* data, std::size_t from, std::size_t size) const {
        return static_cast<const char*>(std::memchr(data + from, eol, size - from));
    }

    // Where the content of a line ends, given where the line ends (just past its break).
    std::size_t content_end_of(std::string_view in, std::size_t line_begin,
                               std::size_t line_end) const {
        std::size_t end = line_end - 1;
        if (eol == '\n' && end > line_begin && in[end - 1] == '\r') {
            --end;
        }
        return end;
    }

    // Decides the line-break style and skips a UTF-8 byte order mark. Returns the
    // bytes to skip, or npos when more input is needed to decide. Looks only at
    // the first max_header_bytes, so the decision never depends on chunking.
    std::size_t decide_line_breaks(std::string_view in, bool eof) {
        static constexpr std::string_view bom = "\xEF\xBB\xBF";
        if (in.size() < bom.size() && !eof && bom.starts_with(in)) {
            return std::string_view::npos;
        }
        const std::size_t skip = in.starts_with(bom) ? bom.size() : 0;
        const std::string_view window = in.substr(0, options.max_header_bytes);
        const std::size_t lf = window.find('\n');
        // Only a CR before the first LF matters; searching further would read
        // the whole of every LF-only message once more.
        const std::size_t cr = window.substr(0, lf).find('\r');
        if (cr < lf) {
            if (cr + 1 == in.size() && !eof) {
                return std::string_view::npos;
            }
            eol = cr + 1 < in.size() && in[cr + 1] == '\n' ? '\n' : '\r';
        } else if (lf == std::string_view::npos && !eof && in.size() <= options.max_header_bytes) {
            return std::string_view::npos;
        }
        line_breaks_decided = true;
        return skip;
    }

    // --- events ---
    void begin_part(std::uint64_t offset) {
        const std::uint32_t depth = parts.empty() ? 0 : parts.top().depth + 1;
        const bool digest_child = !parts.empty() && parts.top().digest;
        parts.push(depth, digest_child);
        ++parts_begun;
        header_begin = offset;
        fields_in_block = 0;
        pending_eol = 0;
        handler.on_part_begin(offset, depth);
    }

    void end_part(std::uint64_t body_end) {
        open_part& p = parts.top();
        if (p.kind == part_kind::multipart && !p.closed) {
            handler.on_defect(p.delimiter_seen ? defect::close_boundary_not_found
                                               : defect::start_boundary_not_found,
                              body_end);
        }
        handler.on_part_end(part_tail{body_end, body_end, p.delimiter_seen, p.closed});
        parts.pop();
    }

    void emit(std::string_view bytes, std::uint64_t offset) {
        if (!bytes.empty()) {
            handler.on_body(bytes, offset, parts.top().role());
        }
    }

    void flush_pending_eol() {
        if (pending_eol != 0 && !pending_eol_is_delimiters) {
            emit(eol == '\r' ? std::string_view("\r") : crlf.substr(2 - pending_eol),
                 pending_eol_offset);
        }
        pending_eol = 0;
        pending_eol_is_delimiters = false;
    }

    void hold_eol(std::size_t length, std::uint64_t offset, bool is_delimiters = false) {
        pending_eol = length;
        pending_eol_offset = offset;
        pending_eol_is_delimiters = is_delimiters;
    }

    // --- headers ---
    void end_headers(std::uint64_t header_end, std::uint64_t body_begin) {
        open_part& p = parts.top();
        part_head head = classify(p);
        head.header_begin = header_begin;
        head.header_end = header_end;
        head.body_begin = body_begin;
        p.in_headers = false;
        if (p.kind == part_kind::multipart) {
            parts.boundary_opened();
        }
        handler.on_headers_end(head);
        at_line_start = true;
        pending_eol = 0;
        if (p.kind == part_kind::message) {
            begin_part(body_begin);
        }
    }

    // Decides the part's effective media type and whether the scanner descends
    // into it. RFC 2045 §5.2: no Content-Type means text/plain (message/rfc822 in
    // a digest); an invalid one means text/plain.
    part_head classify(open_part& p) {
        part_head head;
        std::optional<media_type> declared;
        if (p.has_content_type) {
            declared = parse_media_type(p.content_type);
        }
        if (declared) {
            head.type = *declared;
        } else {
            head.type_defaulted = true;
            head.type = p.digest_child && !p.has_content_type ? media_type{"message", "rfc822"}
                                                              : media_type{"text", "plain"};
        }
        const media_type& t = head.type;
        const bool is_multipart = t.is("multipart");
        const bool is_message =
            t.is("message", "rfc822") || t.is("message", "global") || t.is("message", "news");
        p.kind = part_kind::leaf;
        if (!is_multipart && !is_message) {
            return head;
        }
        if (p.depth >= options.max_depth) {
            handler.on_defect(defect::nesting_too_deep, header_begin);
        } else if (parts_begun >= options.max_parts) {
            report_too_many_parts(header_begin);
        } else if (is_multipart) {
            auto boundary = find_parameter(p.content_type, "boundary");
            if (!boundary || boundary->empty() || boundary->size() > 200) {
                handler.on_defect(defect::no_boundary_in_multipart, header_begin);
            } else {
                p.boundary = std::move(*boundary);
                p.kind = part_kind::multipart;
                p.digest = t.is("multipart", "digest");
            }
        } else {
            const auto encoding = parse_transfer_encoding(p.transfer_encoding);
            if (encoding == transfer_encoding::base64 ||
                encoding == transfer_encoding::quoted_printable) {
                handler.on_defect(defect::message_rfc822_encoded, header_begin);
            } else {
                p.kind = part_kind::message;
            }
        }
        head.kind = p.kind;
        return head;
    }

    void report_too_many_parts(std::uint64_t offset) {
        if (!too_many_reported) {
            too_many_reported = true;
            handler.on_defect(defect::too_many_parts, offset);
        }
    }

    void on_field(std::string_view name, std::string_view value, std::uint64_t offset) {
        ++fields_in_block;
        open_part& p = parts.top();
        if (!p.has_content_type && iequals(name, "content-type")) {
            p.has_content_type = true;
            p.content_type = value;
        } else if (!p.has_transfer_encoding && iequals(name, "content-transfer-encoding")) {
            p.has_transfer_encoding = true;
            p.transfer_encoding = value;
        }
        if (!is_ascii(value) && !is_valid_utf8(value)) {
            handler.on_defect(defect::header_8bit, offset);
        }
        handler.on_header(name, value, offset);
    }

    // Returns false when more input is needed.
    bool step_headers(std::string_view in, std::size_t& pos, bool eof);

    // --- bodies ---
    // Index (from the top of the stack) of the multipart whose delimiter `content` is.
    bool find_delimiter(std::string_view content, std::size_t& index, bool& is_close) const {
        if (content.size() < 2 || content[0] != '-' || content[1] != '-' ||
            content.size() + 2 > kmax_delimiter_line || parts.active_boundaries() == 0) {
            return false;
        }
        for (std::size_t i = parts.size(); i-- > 0;) {
            const open_part& p = parts.at(i);
            if (p.boundary_active() && matches_delimiter(content, p.boundary, is_close)) {
                index = i;
                return true;
            }
        }
        return false;
    }

    // A delimiter line of the multipart at `index` starts at `line_begin`; the line
    // (with its break) ends at `line_end`.
    void on_delimiter(std::size_t index, bool is_close, std::uint64_t line_begin,
                      std::uint64_t content_end, std::uint64_t line_end) {
        const std::uint64_t body_end = line_begin - pending_eol;
        pending_eol = 0;
        pending_eol_is_delimiters = false;
        while (parts.size() > index + 1) {
            end_part(body_end);
        }
        open_part& multipart = parts.top();
        multipart.delimiter_seen = true;
        if (is_close) {
            multipart.closed = true;
            multipart.phase = open_part::stage::epilogue;
            parts.boundary_closed();
            at_line_start = true;
            // RFC 2046 §5.1.1: this line's break precedes whatever comes next; if
            // that is an outer delimiter, the break is part of it, not epilogue.
            hold_eol(line_end - content_end, content_end, true);
            return;
        }
        multipart.phase = open_part::stage::children;
        begin_part(line_end);
    }

    // A complete body line: content plus `eol_length` break bytes.
    void body_line(std::string_view content, std::size_t eol_length, std::uint64_t offset) {
        std::size_t index = 0;
        bool is_close = false;
        if (find_delimiter(content, index, is_close)) {
            if (is_close || parts_begun < options.max_parts) {
                on_delimiter(index, is_close, offset, offset + content.size(),
                             offset + content.size() + eol_length);
                return;
            }
            report_too_many_parts(offset);
        }
        flush_pending_eol();
        emit(content, offset);
        hold_eol(eol_length, offset + content.size());
    }

    // Only a line that starts with '-' can be a delimiter: the complete lines
    // from `pos` (at a line start, not a '-') up to the next such line go to
    // the handler as one run, their last break held as body_line holds it.
    // Returns false when no line break follows `pos` in the input.
    bool emit_plain_lines(std::string_view in, std::size_t& pos) {
        const char* data = in.data();
        const char* last = detail::find_dash_line(data + pos, data + in.size(), eol);
        if (last == nullptr) {
            last = static_cast<const char*>(::memrchr(data + pos, eol, in.size() - pos));
            if (last == nullptr) {
                return false;
            }
        }
        const auto line_end = static_cast<std::size_t>(last - data) + 1;
        const std::size_t content_end = content_end_of(in, pos, line_end);
        flush_pending_eol();
        emit(in.substr(pos, content_end - pos), base + pos);
        hold_eol(line_end - content_end, base + content_end);
        pos = line_end;
        return true;
    }

    bool step_body(std::string_view in, std::size_t& pos, bool eof);

    // With LF line breaks, a CR at the end of a chunk may be the first half of CRLF.
    bool holds_cr(std::string_view rest) const { return eol == '\n' && rest.ends_with('\r'); }

    // The root, or the root of an encapsulated message (where an mbox envelope
    // line may stand before the header fields).
    bool is_message_root() const {
        return parts.size() == 1 || parts.at(parts.size() - 2).kind == part_kind::message;
    }

    void finish_all(std::uint64_t end) {
        // A header block open at EOF ends there; an empty message/rfc822 body
        // still gets its (empty) child, as in Python's email package.
        while (!parts.empty() && parts.top().in_headers) {
            end_headers(end, end);
        }
        flush_pending_eol();
        while (!parts.empty()) {
            end_part(end);
        }
        finished = true;
    }
};

bool scanner::state::step_headers(std::string_view in, std::size_t& pos, bool eof) {
    const auto block_limit = header_begin + options.max_header_bytes;
    const auto* data = in.data();
    const auto too_long = [&](std::size_t field_begin) {
        handler.on_defect(defect::header_too_long, base + field_begin);
        end_headers(base + field_begin, base + field_begin);
        pos = field_begin;
        return true;
    };
    while (true) {
        if (pos == in.size()) {
            if (eof) {
                end_headers(base + pos, base + pos);
                return true;
            }
            return false;
        }
        // The first line of the field.
        const char* nl = find_eol(data, pos, in.size());
        if (nl == nullptr && !eof) {
            return base + in.size() > block_limit ? too_long(pos) : false;
        }
        const std::size_t line_end =
            nl != nullptr ? static_cast<std::size_t>(nl - data) + 1 : in.size();
        // A line that ends past the limit is too long even when its end is in
        // the buffer: a chunked caller may not get to see that end.
        if (base + line_end > block_limit) {
            return too_long(pos);
        }
        const std::string_view content =
            in.substr(pos, (nl != nullptr ? content_end_of(in, pos, line_end) : line_end) - pos);
        if (content.empty() && nl != nullptr) { // the blank line: RFC 5322 §2.1
            end_headers(base + pos, base + line_end);
            pos = line_end;
            return true;
        }
        std::size_t index = 0;
        bool is_close = false;
        if (find_delimiter(content, index, is_close)) {
            // A part with no blank line before the next delimiter: empty body.
            end_headers(base + pos, base + pos);
            return true;
        }
        if (is_wsp(content.empty() ? '\0' : content.front())) {
            handler.on_defect(defect::first_header_line_is_continuation, base + pos);
            pos = line_end;
            continue;
        }
        const std::size_t name_length = field_name_length(content);
        if (name_length == std::string_view::npos) {
            if (base + pos == header_begin && is_message_root() &&
                (content.starts_with("From ") || content.starts_with(">From "))) {
                pos = line_end; // an mbox envelope line (possibly quoted) before a message
                continue;
            }
            if (fields_in_block > 0 && nl != nullptr) {
                // A junk line between fields (a long header wrapped without
                // indentation) is skipped when a field follows it; otherwise it
                // is the start of a body that lacks its blank line (as Python does).
                const char* next = find_eol(data, line_end, in.size());
                if (next == nullptr && !eof) {
                    return base + in.size() > block_limit ? too_long(pos) : false;
                }
                const std::size_t next_end =
                    next != nullptr ? static_cast<std::size_t>(next - data) + 1 : in.size();
                if (base + next_end > block_limit) {
                    return too_long(pos);
                }
                const std::string_view next_line = in.substr(line_end, next_end - line_end);
                if (!next_line.empty() && !is_wsp(next_line.front()) &&
                    field_name_length(next_line) != std::string_view::npos) {
                    handler.on_defect(defect::header_without_colon, base + pos);
                    pos = line_end;
                    continue;
                }
            }
            handler.on_defect(defect::missing_header_body_separator, base + pos);
            end_headers(base + pos, base + pos);
            return true;
        }
        // Continuation lines: any that start with a space or tab (RFC 5322 §2.2.3).
        std::size_t field_end = line_end;
        while (true) {
            if (field_end == in.size()) {
                if (!eof) {
                    return base + field_end > block_limit ? too_long(pos) : false;
                }
                break;
            }
            if (!is_wsp(in[field_end])) {
                break;
            }
            const char* next = find_eol(data, field_end, in.size());
            if (next == nullptr && !eof) {
                return base + in.size() > block_limit ? too_long(pos) : false;
            }
            field_end = next != nullptr ? static_cast<std::size_t>(next - data) + 1 : in.size();
        }
        if (base + field_end > block_limit) {
            return too_long(pos);
        }
        const bool has_break = field_end > pos && in[field_end - 1] == eol;
        const std::string_view value =
            in.substr(pos, (has_break ? content_end_of(in, pos, field_end) : field_end) - pos);
        const std::size_t colon = value.find(':', name_length);
        on_field(value.substr(0, name_length), value.substr(colon + 1), base + pos);
        pos = field_end;
    }
}

bool scanner::state::step_body(std::string_view in, std::size_t& pos, bool eof) {
    const auto* data = in.data();
    while (pos < in.size()) {
        if (parts.top().in_headers) {
            return true; // a delimiter opened a new part
        }
        if (parts.active_boundaries() == 0) {
            // No delimiter can follow: everything left is this part's body.
            flush_pending_eol();
            emit(in.substr(pos), base + pos);
            pos = in.size();
            at_line_start = false;
            return true;
        }
        if (at_line_start && data[pos] != '-' && emit_plain_lines(in, pos)) {
            continue;
        }
        const char* nl = find_eol(data, pos, in.size());
        if (nl != nullptr || eof) {
            const std::size_t line_end =
                nl != nullptr ? static_cast<std::size_t>(nl - data) + 1 : in.size();
            const std::size_t content_end =
                nl != nullptr ? content_end_of(in, pos, line_end) : line_end;
            const std::string_view content = in.substr(pos, content_end - pos);
            if (at_line_start) {
                body_line(content, line_end - content_end, base + pos);
            } else { // the tail of a line too long to be a delimiter
                emit(content, base + pos);
                hold_eol(line_end - content_end, base + content_end);
            }
            at_line_start = true;
            pos = line_end;
            continue;
        }
        // An incomplete line. Hold it back only while it could still be a delimiter.
        const std::string_view rest = in.substr(pos);
        if (at_line_start) {
            // Measured without a trailing CR, exactly as find_delimiter measures
            // the complete line, so the decision cannot depend on the split.
            const std::size_t length = rest.size() - (holds_cr(rest) ? 1 : 0);
            const bool may_be_delimiter =
                (rest.size() < 2 ? rest == "-" : rest.starts_with("--")) &&
                length + 2 <= kmax_delimiter_line;
            if (may_be_delimiter) {
                return false;
            }
            flush_pending_eol();
            at_line_start = false;
        }
        // Keep a trailing CR back: with the next LF it is the line break, which a
        // following delimiter would own.
        const std::size_t keep = holds_cr(rest) ? 1 : 0;
        emit(rest.substr(0, rest.size() - keep), base + pos);
        pos = in.size() - keep;
        return false;
    }
    return true;
}

scanner::scanner(scan_handler& handler, parse_options options)
    : state_(std::make_unique<state>(handler, options)) {}

scanner::~scanner() = default;
scanner::scanner(scanner&&) noexcept = default;
scanner& scanner::operator=(scanner&&) noexcept = default;

std::size_t scanner::feed(std::span<const char> bytes, bool eof) {
    state& s = *state_;
    if (s.finished) {
        return bytes.size();
    }
    const std::string_view in(bytes.data(), bytes.size());
    std::size_t pos = 0;
    if (!s.line_breaks_decided) {
        pos = s.decide_line_breaks(in, eof);
        if (pos == std::string_view::npos) {
            return 0;
        }
        s.begin_part(s.base + pos);
    }
    // Each step either makes progress or reports that it needs more input; a
    // header block still open when everything is consumed is closed by finish_all.
    while (pos < in.size()) {
        const bool progressed =
            s.parts.top().in_headers ? s.step_headers(in, pos, eof) : s.step_body(in, pos, eof);
        if (!progressed) {
            break;
        }
    }
    if (eof) {
        s.finish_all(s.base + in.size());
        pos = in.size();
    }
    s.base += pos;
    return pos;
}

void scanner::finish(std::span<const char> remaining) {
    feed(remaining, true);
}

bool scanner::done() const noexcept {
    return state_->finished;
}

} // namespace cairn::mime
