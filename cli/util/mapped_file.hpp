#pragma once
// A read-only view of a whole file: memory-mapped when it is a regular file,
// read into memory otherwise (a pipe, standard input).

#include <filesystem>
#include <string>
#include <string_view>

namespace cairn::cli {

class mapped_file {
public:
    /// Maps `path` ("-" reads standard input). Throws std::system_error with the
    /// path in its message when the file cannot be opened or read.
    explicit mapped_file(const std::filesystem::path& path);
    ~mapped_file();
    mapped_file(const mapped_file&) = delete;
    mapped_file& operator=(const mapped_file&) = delete;

    [[nodiscard]] std::string_view bytes() const noexcept { return view_; }

private:
    void* map_ = nullptr;
    std::size_t map_size_ = 0;
    std::string buffer_; // when the input could not be mapped
    std::string_view view_;
};

} // namespace cairn::cli
