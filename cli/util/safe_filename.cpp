#include "util/safe_filename.hpp"

namespace cairn::cli {
namespace {

// Most file systems allow 255 bytes per name; keep room for " (NNN)".
constexpr std::size_t max_name_bytes = 200;

} // namespace

std::string safe_filename(std::string_view name, std::string_view fallback) {
    // Only the last path component counts, whichever separator the sender used.
    if (const auto slash = name.find_last_of("/\\"); slash != std::string_view::npos) {
        name.remove_prefix(slash + 1);
    }
    std::string out;
    for (char c : name) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte == 0x7f || c == ':' || c == '*' || c == '?' || c == '"' ||
            c == '<' || c == '>' || c == '|') {
            out.push_back('_');
        } else {
            out.push_back(c);
        }
    }
    // No hidden files, no "." or "..", no leading or trailing spaces.
    while (!out.empty() && (out.front() == '.' || out.front() == ' ')) {
        out.erase(0, 1);
    }
    while (!out.empty() && (out.back() == ' ' || out.back() == '.')) {
        out.pop_back();
    }
    if (out.size() > max_name_bytes) {
        // Cut on a UTF-8 boundary, keeping the extension when it is short.
        const auto dot = out.rfind('.');
        const std::string ext =
            dot != std::string::npos && out.size() - dot <= 16 ? out.substr(dot) : std::string();
        std::size_t cut = max_name_bytes - ext.size();
        while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) {
            --cut;
        }
        out = out.substr(0, cut) + ext;
    }
    return out.empty() ? std::string(fallback) : out;
}

std::string numbered_filename(std::string_view name, int n) {
    const auto dot = name.rfind('.');
    const std::string suffix = " (" + std::to_string(n) + ")";
    if (dot == std::string_view::npos || dot == 0) {
        return std::string(name) + suffix;
    }
    return std::string(name.substr(0, dot)) + suffix + std::string(name.substr(dot));
}

} // namespace cairn::cli
