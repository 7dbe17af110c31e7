// segment_store's reader side: read one record back (verified), and scan all
// records in order. Reads use pread(2) on per-segment descriptors rather than
// memory maps: the active segment grows while it is read, and a map would have
// to be redone on every growth, while pread sees the new bytes as they land.
#include "store/segment_scanner.hpp"
#include "store/store_impl.hpp"

#include <indexer/store.hpp>

#include <fcntl.h>

#include <algorithm>
#include <array>
#include <vector>

namespace cairn::index {
namespace {

using store_detail::posix_file;

// Frames are read in pieces of this size: bounded memory for any message.
constexpr std::uint64_t read_chunk = 256 * 1024;

[[noreturn]] void damaged(const std::string& what, const location& where,
                          const std::filesystem::path& path,
                          const std::optional<content_hash>& hash) {
    throw io_error(what + " at offset " + std::to_string(where.offset), path, {}, hash);
}

} // namespace

const posix_file& segment_store::impl::reader(std::uint32_t number) const {
    const std::lock_guard guard(mutex);
    const auto found = readers.find(number);
    if (found != readers.end()) {
        return found->second;
    }
    // std::map never moves its nodes, so the reference outlives the lock.
    return readers.emplace(number, posix_file::open(segment_path(dir, number), O_RDONLY))
        .first->second;
}

content_hash segment_store::read_to(const location& where, mime::sink_ref sink) const {
    const posix_file& file = impl_->reader(where.segment);
    const auto& path = file.path();
    // One pread for the header and the first piece of the frame: most messages
    // are far smaller than a chunk, so a read is usually a single system call.
    std::vector<char> buffer(static_cast<std::size_t>(
        header_size + std::min<std::uint64_t>(where.stored_length, read_chunk)));
    const std::size_t first = file.read_at(buffer.data(), buffer.size(), where.offset);
    if (first < header_size) {
        damaged("no complete record header", where, path, std::nullopt);
    }
    store_detail::record_header header;
    const auto status = store_detail::decode_header(buffer.data(), header);
    if (status != store_detail::header_status::ok) {
        damaged(store_detail::describe(status), where, path, std::nullopt);
    }
    if (header.raw_length != where.raw_length || header.stored_length != where.stored_length) {
        damaged("record lengths differ from the catalog's location", where, path, header.hash);
    }

    content_hasher hasher;
    store_detail::frame_decoder decoder;
    std::uint64_t produced = 0;
    const auto emit = [&](std::string_view piece) {
        produced += piece.size();
        if (produced > header.raw_length) {
            // Stop a damaged frame before it fills memory.
            damaged("zstd frame decodes to more than the record's length", where, path,
                    header.hash);
        }
        hasher.update(piece);
        sink.write(piece);
    };
    std::uint32_t crc = 0;
    const auto consume = [&](std::string_view piece) {
        crc = store_detail::crc32(crc, piece);
        if (!decoder.feed(piece, emit)) {
            damaged(std::string("damaged zstd frame (") + decoder.error() + ")", where, path,
                    header.hash);
        }
    };
    std::uint64_t done = first - header_size;
    consume(std::string_view(buffer.data() + header_size, static_cast<std::size_t>(done)));
    const std::uint64_t frame_offset = where.offset + header_size;
    while (done < header.stored_length) {
        const auto want = static_cast<std::size_t>(
            std::min<std::uint64_t>(buffer.size(), header.stored_length - done));
        if (file.read_at(buffer.data(), want, frame_offset + done) != want) {
            damaged("segment ends inside the record", where, path, header.hash);
        }
        consume(std::string_view(buffer.data(), want));
        done += want;
    }
    if (crc != header.frame_crc) {
        damaged("frame checksum mismatch", where, path, header.hash);
    }
    if (!decoder.complete() || produced != header.raw_length) {
        damaged("zstd frame ends early", where, path, header.hash);
    }
    if (hasher.finish() != header.hash) {
        damaged("SHA-256 of the stored message does not match", where, path, header.hash);
    }
    return header.hash;
}

std::string segment_store::read(const location& where) const {
    std::string message;
    // The location's length may be wrong (read_to checks it); cap the guess.
    message.reserve(static_cast<std::size_t>(std::min<std::uint64_t>(where.raw_length, 1U << 28)));
    mime::string_sink sink{message};
    read_to(where, sink);
    return message;
}

std::uint64_t segment_store::for_each(const std::function<void(const stored_record&)>& visit,
                                      store_position from) const {
    // Snapshot the in-process writer's end first: anything it appends after
    // this point lies beyond it and is left alone, half-written or not.
    const auto writer = impl_->writer_end();
    const auto segments = store_detail::list_segments(impl_->dir);
    std::uint64_t visited = 0;
    for (std::size_t i = 0; i < segments.size(); ++i) {
        const std::uint32_t number = segments[i];
        if (number < from.segment) {
            continue;
        }
        if (writer && number > writer->segment) {
            break;
        }
        const posix_file& file = impl_->reader(number);
        const bool at_writer = writer && number == writer->segment;
        const bool last = at_writer || i + 1 == segments.size();
        const std::uint64_t end = at_writer ? writer->offset : file.size();
        store_detail::segment_scanner scanner(file, end, number == from.segment ? from.offset : 0);
        while (!scanner.at_end()) {
            const auto record = scanner.current();
            if (!record.ok()) {
                if (last) {
                    break; // an append in flight, or a tail the next open() drops
                }
                const char* why = record.truncated ? "segment ends inside a record"
                                                   : store_detail::describe(record.status);
                throw io_error(std::string(why) + " at offset " + std::to_string(scanner.offset()),
                               file.path());
            }
            visit({location{number, scanner.offset(), record.header.raw_length,
                            record.header.stored_length},
                   record.header.hash, record.header.kind});
            ++visited;
            scanner.next(record);
        }
    }
    return visited;
}

} // namespace cairn::index
