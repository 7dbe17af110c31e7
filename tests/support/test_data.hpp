#pragma once
// Paths and file helpers shared by the test suites.

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace cairn::test {

/// The project's source folder (tests read tests/data and samples from it).
[[nodiscard]] std::filesystem::path source_dir();

/// ../shared/corpora beside the checkout, or an empty path when it is absent
/// (the project must pass its own tests without it).
[[nodiscard]] std::filesystem::path shared_corpora_dir();

/// The whole file as bytes; throws std::runtime_error when it cannot be read.
[[nodiscard]] std::string read_file(const std::filesystem::path& path);

/// Every regular file below `dir`, sorted.
[[nodiscard]] std::vector<std::filesystem::path> files_under(const std::filesystem::path& dir);

/// The same text with every line end made CRLF (bare LF → CRLF) or LF (CRLF → LF).
[[nodiscard]] std::string to_crlf(std::string_view text);
[[nodiscard]] std::string to_lf(std::string_view text);

} // namespace cairn::test
