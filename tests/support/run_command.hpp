#pragma once
// Running the cairn binary from tests: arguments without a shell, stdout and
// the exit status captured.

#include <string>
#include <vector>

namespace cairn::test {

struct command_result {
    int status = -1; ///< exit code, or 128 + signal
    std::string out; ///< standard output
    std::string err; ///< standard error
};

/// Runs `program` with `args` (no shell) and waits for it.
[[nodiscard]] command_result run_command(const std::string& program,
                                         const std::vector<std::string>& args);

} // namespace cairn::test
