#pragma once
// Turning an attachment's name (chosen by whoever sent the mail) into a file
// name that is safe to create: no directories, no traversal, no control
// characters, no hidden or device-like names, bounded length.

#include <string>
#include <string_view>

namespace cairn::cli {

/// A safe base name for `name` (UTF-8); `fallback` when nothing usable is left.
[[nodiscard]] std::string safe_filename(std::string_view name, std::string_view fallback);

/// The n-th alternative of a name: "report.pdf" → "report (2).pdf" for n = 2.
[[nodiscard]] std::string numbered_filename(std::string_view name, int n);

} // namespace cairn::cli
