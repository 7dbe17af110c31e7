// cairn-bench: parse throughput of libmime over a folder of messages.
//
//     cairn-bench parse DIR [--repeat N] [--headers]
//
// Memory-maps every regular file under DIR (recursive, sorted by path), parses
// it with cairn::mime::parse, writes every leaf part's transfer-decoded body to
// a counting sink (decode_body) and every text/* leaf's UTF-8 text to another
// (decode_text). This is the same work bench/peers/gmime_bench.c asks of GMime.
// With --headers it also decodes Subject, From, To, Cc and Date of every
// message, which GMime does on its own while constructing a message.
//
// Prints exactly one line on stdout, the same as gmime-bench:
//     files=N bytes=B seconds=S MBps=X msgs_per_s=Y
// seconds is the wall time of the parse loop only (listing DIR is excluded);
// with --repeat N it is the median of N passes (the best is on stderr, with a
// tally of the work done so the two programs can be checked against each other).

#include <mime/address.hpp>
#include <mime/body.hpp>
#include <mime/date.hpp>
#include <mime/encoded_word.hpp>
#include <mime/message.hpp>
#include <mime/sink.hpp>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace {

namespace fs = std::filesystem;
namespace mime = cairn::mime;

struct work_done {
    std::uint64_t leaves = 0;
    std::uint64_t text_leaves = 0;
    std::uint64_t decoded_bytes = 0; // transfer-decoded content of every leaf
    std::uint64_t text_bytes = 0;    // UTF-8 output of every text leaf
    std::uint64_t header_bytes = 0;  // decoded header output (--headers only)
};

struct corpus {
    std::vector<std::string> paths;
    std::uint64_t bytes = 0;
};

corpus list_files(const fs::path& dir) {
    corpus c;
    std::error_code ec;
    for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        if (it->is_regular_file(ec)) {
            c.paths.push_back(it->path().string());
            c.bytes += it->file_size(ec);
        }
    }
    if (ec) {
        std::fprintf(stderr, "cairn-bench: %s: %s\n", dir.c_str(), ec.message().c_str());
        std::exit(1);
    }
    std::sort(c.paths.begin(), c.paths.end());
    return c;
}

// A read-only POSIX mapping of one file. An empty file maps to an empty span.
class mapped_file {
public:
    explicit mapped_file(const std::string& path) {
        int fd = ::open(path.c_str(), O_RDONLY);
        if (fd < 0) {
            std::perror(path.c_str());
            return;
        }

        struct stat st {};

        if (::fstat(fd, &st) == 0 && st.st_size > 0) {
            size_ = static_cast<std::size_t>(st.st_size);
            void* p = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd, 0);
            if (p == MAP_FAILED) {
                std::perror(path.c_str());
                size_ = 0;
            } else {
                data_ = static_cast<const char*>(p);
            }
        }
        ::close(fd);
    }

    ~mapped_file() {
        if (data_ != nullptr) {
            ::munmap(const_cast<char*>(data_), size_);
        }
    }

    mapped_file(const mapped_file&) = delete;
    mapped_file& operator=(const mapped_file&) = delete;

    [[nodiscard]] std::span<const char> bytes() const noexcept {
        return {data_, data_ ? size_ : 0};
    }

private:
    const char* data_ = nullptr;
    std::size_t size_ = 0;
};

void decode_headers(const mime::message& msg, work_done& work) {
    const mime::part& root = msg.root();
    if (auto subject = msg.header(root, "subject")) {
        work.header_bytes += mime::decode_header_text(*subject).size();
    }
    for (std::string_view name : {"from", "to", "cc"}) {
        for (std::string_view value : msg.headers(root, name)) {
            for (const mime::mailbox& m : mime::parse_address_list(value)) {
                work.header_bytes += m.name.size() + m.address.size();
            }
        }
    }
    if (auto date = msg.header(root, "date")) {
        work.header_bytes += mime::parse_date(*date).has_value() ? 1 : 0;
    }
}

void parse_one(const std::string& path, bool headers, work_done& work) {
    mapped_file file(path);
    const mime::message msg = mime::parse(file.bytes());
    for (const mime::part& p : msg.parts()) {
        if (p.kind != mime::part_kind::leaf) {
            continue;
        }
        ++work.leaves;
        mime::counting_sink decoded;
        mime::decode_body(msg, p, decoded);
        work.decoded_bytes += decoded.count;
        if (p.type.is("text")) {
            ++work.text_leaves;
            mime::counting_sink text;
            mime::decode_text(msg, p, text);
            work.text_bytes += text.count;
        }
    }
    if (headers) {
        decode_headers(msg, work);
    }
}

int usage() {
    std::fprintf(stderr, "usage: cairn-bench parse DIR [--repeat N] [--headers]\n");
    return 2;
}

} // namespace

int main(int argc, char** argv) {
    std::string dir;
    int repeat = 1;
    bool headers = false;
    for (int i = 1; i < argc; ++i) {
        std::string_view arg = argv[i];
        if (arg == "--repeat" && i + 1 < argc) {
            repeat = std::atoi(argv[++i]);
        } else if (arg == "--headers") {
            headers = true;
        } else if (arg == "parse" && i + 1 < argc) {
            dir = argv[++i];
        } else {
            return usage();
        }
    }
    if (dir.empty() || repeat < 1) {
        return usage();
    }

    const corpus files = list_files(dir);
    std::vector<double> times;
    work_done work;
    for (int r = 0; r < repeat; ++r) {
        work_done pass;
        const auto start = std::chrono::steady_clock::now();
        for (const std::string& path : files.paths) {
            parse_one(path, headers, pass);
        }
        times.push_back(
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
        work = pass;
    }
    std::sort(times.begin(), times.end());
    const double seconds = times[times.size() / 2];

    std::printf("files=%zu bytes=%llu seconds=%.3f MBps=%.1f msgs_per_s=%.0f\n", files.paths.size(),
                static_cast<unsigned long long>(files.bytes), seconds,
                static_cast<double>(files.bytes) / 1e6 / seconds,
                static_cast<double>(files.paths.size()) / seconds);
    std::fprintf(stderr,
                 "cairn-bench: leaves=%llu text_leaves=%llu decoded_bytes=%llu text_bytes=%llu "
                 "header_bytes=%llu best_seconds=%.3f runs=%d\n",
                 static_cast<unsigned long long>(work.leaves),
                 static_cast<unsigned long long>(work.text_leaves),
                 static_cast<unsigned long long>(work.decoded_bytes),
                 static_cast<unsigned long long>(work.text_bytes),
                 static_cast<unsigned long long>(work.header_bytes), times.front(), repeat);
    return 0;
}
