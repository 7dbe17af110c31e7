#pragma once
// One zstd frame per message: compression for the writer, streaming
// decompression for readers.

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace cairn::index::store_detail {

/// Owns a zstd compression context, reused across messages. One thread at a time.
class frame_compressor {
public:
    explicit frame_compressor(int level);
    ~frame_compressor();
    frame_compressor(frame_compressor&& other) noexcept;
    frame_compressor& operator=(frame_compressor&& other) noexcept;
    frame_compressor(const frame_compressor&) = delete;
    frame_compressor& operator=(const frame_compressor&) = delete;

    /// Appends exactly one zstd frame holding `raw` to `out`; returns its size.
    /// Throws io_error (no path) when zstd fails, which means memory ran out.
    std::size_t compress(std::string_view raw, std::string& out);

private:
    void* context_ = nullptr; // ZSTD_CCtx*
    int level_;
};

/// Streams one zstd frame through a per-thread decompression context.
/// Construct one per frame, on the thread that reads it, and do not start
/// another frame_decoder on the same thread (e.g. from inside `emit`) until
/// this one is done: they would share the context.
class frame_decoder {
public:
    frame_decoder();

    /// Decompresses all of `input` (the next piece of the frame), passing the
    /// output to `emit` in pieces of at most 64 KiB. Returns false when the
    /// frame is corrupt or has bytes after its end; error() says why.
    [[nodiscard]] bool feed(std::string_view input,
                            const std::function<void(std::string_view)>& emit);

    /// True once the frame's end has been decoded.
    [[nodiscard]] bool complete() const noexcept { return complete_; }

    [[nodiscard]] const char* error() const noexcept { return error_; }

private:
    void* context_; // ZSTD_DCtx*, thread-local, owned by the thread
    char* output_;  // thread-local output buffer
    bool complete_ = false;
    const char* error_ = "";
};

} // namespace cairn::index::store_detail
