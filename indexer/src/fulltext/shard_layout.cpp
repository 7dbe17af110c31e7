#include "fulltext/shard_layout.hpp"

#include "store/posix_file.hpp"

#include <indexer/error.hpp>

#include <fcntl.h>

#include <fstream>
#include <string>

namespace cairn::index::detail {
namespace {

namespace fs = std::filesystem;

constexpr const char* stub_name = "XAPIANDB";
constexpr std::string_view stub_backend = "glass ";

/// Whether `path` exists; a failure to look (EACCES, EIO) is an error, not
/// "absent", which would make a new index over an existing one.
bool present(const fs::path& path) {
    std::error_code ec;
    const bool found = fs::exists(path, ec);
    if (ec) {
        throw io_error("cannot look for the full-text index", path, ec);
    }
    return found;
}

} // namespace

std::optional<std::vector<fs::path>> read_shards(const fs::path& dir) {
    if (present(dir / "iamglass")) {
        return std::vector<fs::path>{dir};
    }
    if (!present(dir / stub_name)) {
        return std::nullopt;
    }
    std::ifstream stub(dir / stub_name);
    if (!stub) {
        throw io_error("cannot read the full-text index's stub file", dir / stub_name);
    }
    std::vector<fs::path> shards;
    for (std::string line; std::getline(stub, line);) {
        const std::string_view name = line.starts_with(stub_backend)
                                          ? std::string_view(line).substr(stub_backend.size())
                                          : std::string_view();
        if (name.empty() || name.find('/') != name.npos) {
            throw io_error("unexpected line in the full-text index's stub file: " + line,
                           dir / stub_name);
        }
        shards.push_back(dir / name);
    }
    if (shards.empty()) {
        throw io_error("the full-text index's stub file names no shard", dir / stub_name);
    }
    return shards;
}

std::vector<fs::path> new_shards(const fs::path& dir, unsigned count) {
    std::vector<fs::path> shards;
    for (unsigned i = 0; i < count; ++i) {
        shards.push_back(dir / std::to_string(i));
    }
    return shards;
}

void write_stub(const fs::path& dir, unsigned count) {
    std::string text;
    for (unsigned i = 0; i < count; ++i) {
        text.append(stub_backend).append(std::to_string(i)).append("\n");
    }
    fs::path temporary = dir / stub_name;
    temporary += ".tmp";
    {
        // The content must be on disk before the rename makes it the stub.
        const auto file = store_detail::posix_file::open(temporary, O_WRONLY | O_CREAT | O_TRUNC);
        file.write_at(text.data(), text.size(), 0);
        file.datasync();
    }
    std::error_code ec;
    fs::rename(temporary, dir / stub_name, ec);
    if (ec) {
        throw io_error("cannot write the full-text index's stub file", dir / stub_name, ec);
    }
    store_detail::sync_directory(dir);
}

} // namespace cairn::index::detail
