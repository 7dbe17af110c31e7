#pragma once
// A small output buffer for the transfer decoders.
//
// Decoders produce output a few bytes at a time; calling the type-erased sink for
// each would cost an indirect call per byte. They write here instead, and the sink
// sees one write per 4 KiB (or one write for a long literal run, without a copy).
// The caller must call flush() before returning: there is no flush in the
// destructor, so that a throwing sink never throws from a destructor.

#include <mime/sink.hpp>

#include <cstddef>
#include <cstring>
#include <string_view>

namespace cairn::mime::detail {

class chunk_writer {
public:
    /// Runs at least this long bypass the buffer (after a flush keeps order).
    static constexpr std::size_t direct_threshold = 512;
    static constexpr std::size_t capacity = 4096;

    explicit chunk_writer(sink_ref out) noexcept
        : out_(out) {}

    chunk_writer(const chunk_writer&) = delete;
    chunk_writer& operator=(const chunk_writer&) = delete;

    void put(char c) {
        if (size_ == capacity) {
            flush();
        }
        data_[size_++] = c;
    }

    void append(std::string_view bytes) {
        if (bytes.size() >= direct_threshold) {
            flush();
            out_.write(bytes);
            return;
        }
        if (bytes.size() > capacity - size_) {
            flush();
        }
        std::memcpy(data_ + size_, bytes.data(), bytes.size());
        size_ += bytes.size();
    }

    /// Makes the writer a byte_sink, so a sink_ref can point at it.
    void write(std::string_view bytes) { append(bytes); }

    /// Free space at the end of the buffer; flushes first when less than `at_least`
    /// bytes are free. Fill it, then commit() what was written.
    [[nodiscard]] char* room(std::size_t at_least, std::size_t& available) {
        if (capacity - size_ < at_least) {
            flush();
        }
        available = capacity - size_;
        return data_ + size_;
    }

    void commit(std::size_t written) noexcept { size_ += written; }

    void flush() {
        if (size_ != 0) {
            out_.write(std::string_view(data_, size_));
            size_ = 0;
        }
    }

private:
    sink_ref out_;
    std::size_t size_ = 0;
    char data_[capacity];
};

} // namespace cairn::mime::detail
