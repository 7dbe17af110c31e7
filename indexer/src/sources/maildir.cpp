// Maildir file-name and folder conventions.

#include "sources/maildir.hpp"

#include <algorithm>
#include <system_error>

namespace cairn::index::sources_detail {

bool is_maildir(const std::filesystem::path& dir) {
    std::error_code ec;
    return std::filesystem::is_directory(std::filesystem::symlink_status(dir / "cur", ec)) &&
           std::filesystem::is_directory(std::filesystem::symlink_status(dir / "new", ec));
}

std::string maildir_flags(std::string_view file_name) {
    // The info part follows the last separator; a unique name itself never
    // holds ':' (maildir spec: "unique names … ':' is reserved").
    std::size_t info = std::string_view::npos;
    for (const std::string_view marker : {":2,", ";2,"}) {
        const std::size_t at = file_name.rfind(marker);
        if (at != std::string_view::npos && (info == std::string_view::npos || at > info)) {
            info = at;
        }
    }
    if (info == std::string_view::npos) {
        return {};
    }
    std::string flags;
    for (const char c : file_name.substr(info + 3)) {
        if (c >= 'A' && c <= 'Z' && flags.find(c) == std::string::npos) {
            flags += c;
        }
    }
    std::sort(flags.begin(), flags.end());
    return flags;
}

std::string maildirpp_folder(std::string_view dir_name) {
    if (!dir_name.empty() && dir_name.front() == '.') {
        dir_name.remove_prefix(1);
    }
    std::string folder(dir_name);
    std::replace(folder.begin(), folder.end(), '.', '/');
    return folder;
}

} // namespace cairn::index::sources_detail
