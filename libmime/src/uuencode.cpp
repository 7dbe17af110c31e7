// uuencode_decoder and find_uuencode_blocks: the pre-MIME encoding of files in
// mail and Usenet posts (POSIX uuencode, "historical algorithm").
//
// A block is `begin MODE NAME`, data lines, a zero-length line (` or space), then
// `end`. Each data line starts with a length character (32 + byte count, ` for
// 0) followed by groups of four characters, each 32 + a sextet (` also for 0).
// Mail damages this: transports strip trailing spaces (which are zero sextets),
// add CRs, and drop the `end` line; all are tolerated.

#include "chunk_writer.hpp"

#include <mime/decoders.hpp>

#include <algorithm>
#include <optional>

namespace cairn::mime {

namespace {

/// Lines longer than this are not uuencode (a data line is at most 1 + 84 +
/// checksum characters); only their start is kept, which also bounds pending_.
constexpr std::size_t max_line = 1024;

std::string_view trim_line_end(std::string_view line) noexcept {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) {
        line.remove_suffix(1);
    }
    return line;
}

struct begin_line {
    std::string_view mode;
    std::string_view filename;
};

/// `begin MODE NAME` with an octal MODE, as Python's uu.decode checks it.
std::optional<begin_line> parse_begin_line(std::string_view line) noexcept {
    line = trim_line_end(line);
    constexpr std::string_view keyword = "begin ";
    if (!line.starts_with(keyword)) {
        return std::nullopt;
    }
    line.remove_prefix(keyword.size());
    const auto mode_end = std::min(line.find(' '), line.size());
    const auto mode = line.substr(0, mode_end);
    if (mode.empty() || mode.size() > 4 ||
        !std::all_of(mode.begin(), mode.end(), [](char c) { return c >= '0' && c <= '7'; })) {
        return std::nullopt;
    }
    auto name = line.substr(mode_end);
    while (!name.empty() && name.front() == ' ') {
        name.remove_prefix(1);
    }
    return begin_line{mode, name};
}

bool is_uu_char(char c) noexcept {
    return c >= ' ' && c <= '`';
}

unsigned sextet(char c) noexcept {
    return static_cast<unsigned>(static_cast<unsigned char>(c) - ' ') & 63U;
}

/// Plausible first data line after a `begin` found in prose: uuencode characters
/// and no longer than its length character allows (plus a checksum character).
bool looks_like_data_line(std::string_view line) noexcept {
    line = trim_line_end(line);
    if (line.empty() || !std::all_of(line.begin(), line.end(), is_uu_char)) {
        return line == "end";
    }
    const std::size_t count = sextet(line.front());
    return line.size() - 1 <= (count + 2) / 3 * 4 + 1;
}

/// The line starting at `at` (without its LF) and the offset after it.
std::pair<std::string_view, std::size_t> line_at(std::string_view text, std::size_t at) noexcept {
    const auto lf = text.find('\n', at);
    if (lf == std::string_view::npos) {
        return {text.substr(at), text.size()};
    }
    return {text.substr(at, lf - at), lf + 1};
}

} // namespace

void uuencode_decoder::line(std::string_view text, sink_ref out) {
    if (stage_ == stage::before_begin) {
        if (parse_begin_line(text)) {
            stage_ = stage::data;
        }
        return;
    }
    if (stage_ == stage::ended) {
        return;
    }
    if (!text.empty() && text.back() == '\r') {
        text.remove_suffix(1);
    }
    const auto trimmed = trim_line_end(text);
    if (trimmed == "end") {
        stage_ = stage::ended;
        return;
    }
    if (trimmed.empty()) {
        return; // blank lines between data lines carry nothing
    }
    const std::size_t count = sextet(text.front());
    auto data = text.substr(1);
    const std::size_t needed = (count + 2) / 3 * 4;
    if (data.size() < needed) {
        // Usually trailing spaces eaten by a transport; decode what is left.
        defects_.add(defect::invalid_uuencode);
    }
    data = data.substr(0, std::min(needed, data.size()));
    if (!std::all_of(data.begin(), data.end(), is_uu_char) || !is_uu_char(text.front())) {
        defects_.add(defect::invalid_uuencode);
    }
    const std::size_t bytes = std::min(count, data.size() * 6 / 8);
    char decoded[64 + 3];
    std::size_t written = 0;
    for (std::size_t i = 0; i < data.size(); i += 4) {
        std::uint32_t bits = 0;
        for (std::size_t k = 0; k < 4; ++k) {
            bits = (bits << 6) | (i + k < data.size() ? sextet(data[i + k]) : 0U);
        }
        decoded[written++] = static_cast<char>(bits >> 16);
        decoded[written++] = static_cast<char>(bits >> 8);
        decoded[written++] = static_cast<char>(bits);
    }
    out.write(std::string_view(decoded, std::min(bytes, written)));
}

void uuencode_decoder::step(std::string_view in, sink_ref out) {
    if (stage_ == stage::ended) {
        return;
    }
    detail::chunk_writer writer(out);
    while (!in.empty()) {
        const auto lf = in.find('\n');
        const auto piece = in.substr(0, lf);
        if (pending_.size() < max_line) {
            pending_.append(piece.substr(0, max_line - pending_.size()));
        }
        if (lf == std::string_view::npos) {
            break;
        }
        in.remove_prefix(lf + 1);
        line(pending_, writer);
        pending_.clear();
    }
    writer.flush();
}

void uuencode_decoder::finish(sink_ref out) {
    if (!pending_.empty()) {
        line(pending_, out);
        pending_.clear();
    }
    if (stage_ == stage::before_begin) {
        defects_.add(defect::invalid_uuencode); // no `begin` line: nothing decoded
    }
}

std::vector<uuencode_block> find_uuencode_blocks(std::string_view text) {
    std::vector<uuencode_block> blocks;
    std::size_t at = 0;
    while (at < text.size()) {
        const auto [line, next] = line_at(text, at);
        const auto begin = parse_begin_line(line);
        if (!begin || !looks_like_data_line(line_at(text, next).first)) {
            at = next;
            continue;
        }
        uuencode_block block{begin->filename, begin->mode, at, text.size()};
        for (at = next; at < text.size();) {
            const auto [data_line, after] = line_at(text, at);
            at = after;
            if (trim_line_end(data_line) == "end") {
                block.end = after;
                break;
            }
        }
        blocks.push_back(block);
    }
    return blocks;
}

} // namespace cairn::mime
