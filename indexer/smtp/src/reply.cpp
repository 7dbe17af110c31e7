// Reply formatting and checking (RFC 5321 §4.2, RFC 3463, RFC 2034).

#include <smtp/reply.hpp>

#include <cassert>

namespace cairn::smtp {

namespace {

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

// A reply line's code: three digits, first in 2..5 (RFC 5321 §4.2.1 uses only
// 2yz..5yz; 1yz is not used by SMTP), second in 0..5.
bool has_code(std::string_view line) {
    return line.size() >= 3 && line[0] >= '2' && line[0] <= '5' && line[1] >= '0' &&
           line[1] <= '5' && is_digit(line[2]);
}

// Appends `text` with every control character turned into a space, stopping
// at `room` octets: the application's text must never split or add a line.
void append_clean(std::string& out, std::string_view text, std::size_t room) {
    for (std::size_t i = 0; i < text.size() && i < room; ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        out.push_back(c < 0x20 || c == 0x7f ? ' ' : text[i]);
    }
}

void append_line(std::string& out, int code, char separator, std::string_view status,
                 std::string_view text) {
    const std::size_t start = out.size();
    out += std::to_string(code);
    out.push_back(separator);
    // Room for status, a space and the text, leaving two octets for CRLF.
    const std::size_t budget = max_reply_line - 4 - 2;
    append_clean(out, status, budget);
    if (!status.empty() && !text.empty()) {
        out.push_back(' ');
    }
    const std::size_t used = out.size() - start - 4;
    append_clean(out, text, used < budget ? budget - used : 0);
    if (separator == ' ' && status.empty() && text.empty()) {
        out.pop_back(); // "250\r\n": a bare code is a valid final line
    }
    out += "\r\n";
}

} // namespace

void append_reply(std::string& out, int code, std::string_view status,
                  std::span<const std::string_view> lines) {
    assert(code >= 200 && code <= 599 && "an SMTP reply code is 2xx..5xx; check the caller");
    if (lines.empty()) {
        append_line(out, code, ' ', status, {});
        return;
    }
    for (std::size_t i = 0; i < lines.size(); ++i) {
        append_line(out, code, i + 1 < lines.size() ? '-' : ' ', status, lines[i]);
    }
}

void append_reply(std::string& out, int code, std::string_view status, std::string_view text) {
    const std::string_view lines[] = {text};
    append_reply(out, code, status, lines);
}

std::string_view default_status(int code) {
    switch (code / 100) {
    case 2:
        return "2.0.0";
    case 4:
        return "4.0.0";
    case 5:
        return "5.0.0";
    default:
        return {};
    }
}

bool well_formed_replies(std::string_view out) {
    int open_code = 0; // code of a multi-line reply still waiting for its last line
    std::size_t pos = 0;
    while (pos < out.size()) {
        const std::size_t end = out.find("\r\n", pos);
        if (end == std::string_view::npos || end + 2 - pos > max_reply_line) {
            return false;
        }
        const std::string_view line = out.substr(pos, end - pos);
        if (!has_code(line) || (line.size() > 3 && line[3] != ' ' && line[3] != '-')) {
            return false;
        }
        for (const char c : line) {
            if (c == '\r' || c == '\n' || c == '\0') {
                return false;
            }
        }
        const int code = std::stoi(std::string(line.substr(0, 3)));
        if (open_code != 0 && code != open_code) {
            return false;
        }
        open_code = line.size() > 3 && line[3] == '-' ? code : 0;
        pos = end + 2;
    }
    return open_code == 0;
}

std::vector<int> reply_codes(std::string_view out) {
    std::vector<int> codes;
    std::size_t pos = 0;
    while (pos < out.size()) {
        const std::size_t end = out.find("\r\n", pos);
        if (end == std::string_view::npos) {
            break;
        }
        const std::string_view line = out.substr(pos, end - pos);
        if (has_code(line) && (line.size() == 3 || line[3] == ' ')) {
            codes.push_back(std::stoi(std::string(line.substr(0, 3))));
        }
        pos = end + 2;
    }
    return codes;
}

} // namespace cairn::smtp
