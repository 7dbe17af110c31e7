// One file → messages: stat, ask want_file, map, sniff, then one message or
// an mbox split.

#include "sources/mail_file.hpp"

#include "sources/mail_sniff.hpp"
#include "sources/mapped_file.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <system_error>

namespace cairn::index::sources_detail {
namespace {

void skip(const source_callbacks& callbacks, const std::string& path, std::string_view reason) {
    if (callbacks.on_skipped) {
        callbacks.on_skipped(path, std::string(reason));
    }
}

} // namespace

void read_mail_file(const std::filesystem::path& path, envelope base,
                    const source_callbacks& callbacks) {
    base.path = path.string();

    struct stat facts {};

    if (::lstat(path.c_str(), &facts) != 0) {
        skip(callbacks, base.path, std::generic_category().message(errno));
        return;
    }
    if (!S_ISREG(facts.st_mode)) {
        skip(callbacks, base.path, "not a regular file");
        return;
    }
    base.mtime = facts.st_mtim.tv_sec;
    base.file_size = static_cast<std::uint64_t>(facts.st_size);
    if (callbacks.want_file && !callbacks.want_file(base.path, base.mtime, base.file_size)) {
        return;
    }

    mapped_file file;
    if (const std::string error = file.open(path); !error.empty()) {
        skip(callbacks, base.path, error);
        // An empty file was read completely: it is done until it changes.
        if (error == empty_file_reason && callbacks.on_file_done) {
            callbacks.on_file_done(base.path, base.mtime, base.file_size);
        }
        return;
    }
    const std::string_view bytes = file.bytes();
    const sniff_verdict verdict = sniff_mail(bytes);
    if (const std::string_view reason = skip_reason(verdict); !reason.empty()) {
        skip(callbacks, base.path, reason);
    } else if (verdict == sniff_verdict::mbox && base.kind == source_kind::file) {
        base.kind = source_kind::mbox;
        split_mbox(bytes, [&](std::string_view message, std::uint64_t offset) {
            base.offset = offset;
            if (callbacks.on_message) {
                callbacks.on_message(source_message{message, base});
            }
            file.release_before(offset);
        });
    } else if (callbacks.on_message) {
        callbacks.on_message(source_message{bytes, base});
    }
    if (callbacks.on_file_done) {
        callbacks.on_file_done(base.path, base.mtime, base.file_size);
    }
}

} // namespace cairn::index::sources_detail
