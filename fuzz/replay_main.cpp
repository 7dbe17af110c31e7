// A main() for the fuzz targets when libFuzzer is not used (g++ builds, ctest):
// runs LLVMFuzzerTestOneInput over every file named on the command line, and
// every regular file below each directory named (recursive, sorted), as
// simdjson's fuzz/main.cpp and fmt's test/fuzzing/main.cc do.
//
// Each input is copied into a heap buffer of exactly its size, so AddressSanitizer
// catches a read one past the end as it would under libFuzzer. If an input
// crashes or fails a check, its path is printed before the process dies.
//
//     parse_fuzzer tests/data samples crash-123      # exit 0: every input ran

#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

namespace fs = std::filesystem;

// The input being run, for the signal handler (which may only call write()).
char current_path[4096];

extern "C" void on_fatal_signal(int sig) {
    static const char prefix[] = "\nreplay: crashed on input: ";
    (void)!::write(2, prefix, sizeof prefix - 1);
    (void)!::write(2, current_path, std::strlen(current_path));
    (void)!::write(2, "\n", 1);
    std::signal(sig, SIG_DFL);
    std::raise(sig);
}

bool collect(const fs::path& path, std::vector<fs::path>& out) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
        std::vector<fs::path> found;
        for (fs::recursive_directory_iterator it(path, ec), end; !ec && it != end;
             it.increment(ec)) {
            if (it->is_regular_file(ec)) {
                found.push_back(it->path());
            }
        }
        std::sort(found.begin(), found.end());
        out.insert(out.end(), found.begin(), found.end());
        return !ec;
    }
    if (fs::is_regular_file(path, ec)) {
        out.push_back(path);
        return true;
    }
    return false;
}

bool run_one(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return false;
    }
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    // Exactly sized (an empty input gets a zero-length allocation, not a null pointer).
    const auto buffer = std::make_unique<std::uint8_t[]>(bytes.size());
    std::memcpy(buffer.get(), bytes.data(), bytes.size());
    std::snprintf(current_path, sizeof current_path, "%s", path.c_str());
    LLVMFuzzerTestOneInput(buffer.get(), bytes.size());
    return true;
}

} // namespace

int main(int argc, char** argv) {
    for (int sig : {SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL}) {
        std::signal(sig, on_fatal_signal);
    }
    std::vector<fs::path> inputs;
    for (int i = 1; i < argc; ++i) {
        if (!collect(argv[i], inputs)) {
            std::fprintf(stderr, "replay: cannot read %s\n", argv[i]);
            return 1;
        }
    }
    std::size_t ran = 0;
    for (const fs::path& path : inputs) {
        if (!run_one(path)) {
            std::fprintf(stderr, "replay: cannot read %s\n", path.c_str());
            return 1;
        }
        ++ran;
    }
    std::printf("replay: %zu inputs ran without a failure\n", ran);
    return 0;
}
