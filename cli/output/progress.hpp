#pragma once
// Progress of long work on stderr: a self-rewriting line when stderr is a
// terminal (count, rate, ETA from bytes), nothing otherwise (the command prints
// a plain summary line at the end instead).

#include <indexer/archive.hpp>

#include <cstdint>

namespace cairn::cli {

class progress_line {
public:
    /// `total_bytes` is the size of the input, for the ETA (0 when unknown).
    explicit progress_line(std::uint64_t total_bytes);
    ~progress_line();
    void update(const index::index_progress& p);

private:
    bool enabled_;
    std::uint64_t total_bytes_;
    bool drawn_ = false;
};

} // namespace cairn::cli
