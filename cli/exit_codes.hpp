#pragma once

// The documented exit codes of every cairn command (README "Exit codes").

namespace cairn::cli {

enum exit_code : int {
    exit_ok = 0,        ///< success
    exit_no_match = 1,  ///< a search or lookup found nothing
    exit_usage = 2,     ///< bad command line
    exit_input = 3,     ///< an input file could not be read
    exit_archive = 4,   ///< the archive could not be opened or is damaged
    exit_internal = 70, ///< a bug: please report it (EX_SOFTWARE)
};

} // namespace cairn::cli
