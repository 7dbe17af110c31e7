// walk_sources: a path → every message below it, in a stable order.
//
// Order and scope: folders are read in byte order of their names (so two runs,
// or two machines, see the same sequence), recursion does not follow symbolic
// links (no cycles, nothing outside the root), and hidden entries are skipped
// (.git, .DS_Store, editor backups) except Maildir++ subfolders (.Sent, .Lists.x),
// which are maildirs whose names start with a dot. A maildir's new/ is read
// before cur/ and tmp/ never (its files are still being written, per the maildir
// spec); files at a maildir's top level are the mail server's bookkeeping
// (dovecot-uidlist, maildirfolder, …) and are passed over silently.

#include "sources/mail_file.hpp"
#include "sources/maildir.hpp"

#include <indexer/error.hpp>
#include <indexer/sources.hpp>

#include <algorithm>
#include <system_error>
#include <vector>

namespace cairn::index {
namespace {

namespace fs = std::filesystem;
using sources_detail::is_maildir;
using sources_detail::maildir_flags;
using sources_detail::maildirpp_folder;
using sources_detail::read_mail_file;

struct entry {
    std::string name;
    fs::path path;
    fs::file_type type = fs::file_type::unknown; ///< without following symlinks
};

std::string join_folder(const std::string& parent, const std::string& name) {
    return parent.empty() ? name : parent + "/" + name;
}

bool is_hidden(const std::string& name) {
    return !name.empty() && name.front() == '.';
}

class walker {
public:
    explicit walker(const source_callbacks& callbacks)
        : callbacks_(callbacks) {}

    /// Every entry of `dir` sorted by name; on failure reports `dir` as skipped.
    [[nodiscard]] std::vector<entry> list(const fs::path& dir) const {
        std::vector<entry> entries;
        std::error_code ec;
        fs::directory_iterator it(dir, ec);
        for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
            std::error_code type_ec;
            entries.push_back(
                {it->path().filename().string(), it->path(), it->symlink_status(type_ec).type()});
        }
        if (ec) {
            skipped(dir, ec.message());
        }
        std::sort(entries.begin(), entries.end(),
                  [](const entry& a, const entry& b) { return a.name < b.name; });
        return entries;
    }

    /// A plain folder: files are single messages or mboxes in `folder`.
    void walk_directory(const fs::path& dir, const std::string& folder) const {
        for (const entry& e : list(dir)) {
            if (is_hidden(e.name)) {
                if (e.type == fs::file_type::directory && is_maildir(e.path)) {
                    walk_maildir(e.path, join_folder(folder, maildirpp_folder(e.name)));
                }
                continue;
            }
            visit(e, folder);
        }
    }

    /// A maildir: new/ then cur/, then its Maildir++ subfolders and any plain
    /// subfolders (some layouts nest maildirs as ordinary folders).
    void walk_maildir(const fs::path& dir, const std::string& folder) const {
        for (const char* sub : {"new", "cur"}) {
            const bool has_flags = std::string_view(sub) == "cur";
            for (const entry& e : list(dir / sub)) {
                if (is_hidden(e.name)) {
                    continue;
                }
                if (e.type != fs::file_type::regular) {
                    skipped(e.path, reason_for(e.type));
                    continue;
                }
                envelope base;
                base.kind = source_kind::maildir;
                base.folder = folder;
                // new/ entries have not been seen by a client: no info part yet.
                base.flags = has_flags ? maildir_flags(e.name) : std::string();
                read_mail_file(e.path, std::move(base), callbacks_);
            }
        }
        for (const entry& e : list(dir)) {
            if (e.type != fs::file_type::directory || e.name == "cur" || e.name == "new" ||
                e.name == "tmp") {
                continue;
            }
            if (is_hidden(e.name)) {
                if (is_maildir(e.path)) {
                    walk_maildir(e.path, join_folder(folder, maildirpp_folder(e.name)));
                }
                continue;
            }
            visit(e, folder);
        }
    }

    /// One non-hidden entry of a plain folder whose files belong to `folder`.
    void visit(const entry& e, const std::string& folder) const {
        switch (e.type) {
        case fs::file_type::directory:
            if (is_maildir(e.path)) {
                walk_maildir(e.path, join_folder(folder, e.name));
            } else {
                walk_directory(e.path, join_folder(folder, e.name));
            }
            return;
        case fs::file_type::regular: {
            envelope base;
            base.kind = source_kind::file;
            base.folder = folder;
            read_mail_file(e.path, std::move(base), callbacks_);
            return;
        }
        default:
            skipped(e.path, reason_for(e.type));
            return;
        }
    }

private:
    static std::string reason_for(fs::file_type type) {
        return type == fs::file_type::symlink ? "symbolic link (not followed)"
                                              : "not a regular file";
    }

    void skipped(const fs::path& path, const std::string& reason) const {
        if (callbacks_.on_skipped) {
            callbacks_.on_skipped(path.string(), reason);
        }
    }

    const source_callbacks& callbacks_;
};

} // namespace

void walk_sources(const std::filesystem::path& root, const source_callbacks& callbacks) {
    // The root is the one path the user named: it is followed if it is a
    // symbolic link, and its absence is an error rather than a skip.
    std::error_code ec;
    const fs::path canonical = fs::canonical(root, ec);
    if (ec) {
        throw io_error("cannot index", root, ec);
    }
    const walker walk(callbacks);
    const fs::file_status status = fs::status(canonical, ec);
    if (fs::is_directory(status)) {
        if (sources_detail::is_maildir(canonical)) {
            walk.walk_maildir(canonical, "");
        } else {
            walk.walk_directory(canonical, "");
        }
        return;
    }
    envelope base;
    base.kind = source_kind::file;
    read_mail_file(canonical, std::move(base), callbacks);
}

} // namespace cairn::index
