#include "catalog/wal_coalescing_vfs.hpp"

#include <cstddef>
#include <cstdint>
#include <new>
#include <vector>

namespace cairn::index::catalog_detail {

namespace {

constexpr sqlite3_int64 log_header_size = 32;
constexpr int frame_header_size = 24;
/// A longer run (a bulk import's large transaction) goes out in pieces of at
/// most this: the unix VFS passes a write's length to pwrite masked to 17 bits
/// (os_unix.c, seekAndWriteFd), and fails a write of exactly 128 KiB as a full
/// disk. 31 frames of 4 KiB pages fit.
constexpr std::size_t max_gathered = 0x1ffff;

/// The log's writes not yet passed on: contiguous, starting at `offset`.
struct gathered_writes {
    std::vector<unsigned char> bytes; ///< capacity max_gathered from the open on
    sqlite3_int64 offset = 0;
    bool commit_frame_pending = false; ///< the last write was a commit frame's header
};

/// Our sqlite3_file; the underlying VFS's file lives right behind it.
struct shim_file {
    sqlite3_file base; // first: SQLite sees this
    sqlite3_file* real;
    gathered_writes* log; ///< the -wal file only
    shim_file* wal;       ///< a database file: its open log, if any
    shim_file* database;  ///< a log: its database file
    int failed;           ///< a flush nobody could be told of failed: the log's calls fail
};

constexpr std::size_t real_offset = (sizeof(shim_file) + 15) / 16 * 16;

shim_file& shim(sqlite3_file* file) {
    return *reinterpret_cast<shim_file*>(file);
}

const sqlite3_io_methods& real(const shim_file& f) {
    return *f.real->pMethods;
}

int flush(shim_file& f) {
    gathered_writes& w = *f.log;
    if (w.bytes.empty()) {
        return SQLITE_OK;
    }
    const int rc =
        real(f).xWrite(f.real, w.bytes.data(), static_cast<int>(w.bytes.size()), w.offset);
    w.bytes.clear();
    w.commit_frame_pending = false;
    return rc;
}

/// Before any call on the log other than a write: the file must hold what
/// SQLite has written.
int settle(shim_file& f) {
    if (f.log == nullptr) {
        return SQLITE_OK;
    }
    if (f.failed != SQLITE_OK) {
        return f.failed;
    }
    return flush(f);
}

/// From the database file's barrier and locks, which return no error for it.
void settle_log_of(shim_file& database) {
    if (shim_file* log = database.wal; log != nullptr && log->failed == SQLITE_OK) {
        log->failed = flush(*log);
    }
}

bool is_commit_frame_header(const void* data, int amount, sqlite3_int64 offset) {
    if (amount != frame_header_size || offset < log_header_size) {
        return false;
    }
    // Bytes 4..7: the database size in pages after a commit, zero otherwise.
    const auto* header = static_cast<const unsigned char*>(data);
    return (header[4] | header[5] | header[6] | header[7]) != 0;
}

int gather(shim_file& f, const void* data, int amount, sqlite3_int64 offset) {
    gathered_writes& w = *f.log;
    const auto size = static_cast<std::size_t>(amount);
    const bool follows =
        !w.bytes.empty() && offset == w.offset + static_cast<sqlite3_int64>(w.bytes.size());
    const bool completes_commit = follows && w.commit_frame_pending;
    if (!w.bytes.empty() && (!follows || w.bytes.size() + size > max_gathered)) {
        if (const int rc = flush(f); rc != SQLITE_OK) {
            return rc;
        }
    }
    w.commit_frame_pending = false;
    if (size > max_gathered) {
        return real(f).xWrite(f.real, data, amount, offset); // (never a frame header)
    }
    if (w.bytes.empty()) {
        w.offset = offset;
    }
    const auto* bytes = static_cast<const unsigned char*>(data);
    w.bytes.insert(w.bytes.end(), bytes, bytes + size);
    if (completes_commit) {
        return flush(f); // this write's error is the commit's
    }
    w.commit_frame_pending = is_commit_frame_header(data, amount, offset);
    return SQLITE_OK;
}

int shim_close(sqlite3_file* file) {
    shim_file& f = shim(file);
    int rc = settle(f);
    if (f.log != nullptr) {
        if (f.database != nullptr) {
            f.database->wal = nullptr;
        }
        delete f.log;
        f.log = nullptr;
    }
    if (f.wal != nullptr) {
        f.wal->database = nullptr;
    }
    const int closed = real(f).xClose(f.real);
    return rc != SQLITE_OK ? rc : closed;
}

int shim_read(sqlite3_file* file, void* data, int amount, sqlite3_int64 offset) {
    shim_file& f = shim(file);
    if (const int rc = settle(f); rc != SQLITE_OK) {
        return rc;
    }
    return real(f).xRead(f.real, data, amount, offset);
}

int shim_write(sqlite3_file* file, const void* data, int amount, sqlite3_int64 offset) {
    shim_file& f = shim(file);
    if (f.log == nullptr) {
        return real(f).xWrite(f.real, data, amount, offset);
    }
    if (f.failed != SQLITE_OK) {
        return f.failed;
    }
    return gather(f, data, amount, offset);
}

int shim_truncate(sqlite3_file* file, sqlite3_int64 size) {
    shim_file& f = shim(file);
    if (const int rc = settle(f); rc != SQLITE_OK) {
        return rc;
    }
    return real(f).xTruncate(f.real, size);
}

int shim_sync(sqlite3_file* file, int flags) {
    shim_file& f = shim(file);
    if (const int rc = settle(f); rc != SQLITE_OK) {
        return rc;
    }
    return real(f).xSync(f.real, flags);
}

int shim_file_size(sqlite3_file* file, sqlite3_int64* size) {
    shim_file& f = shim(file);
    if (const int rc = settle(f); rc != SQLITE_OK) {
        return rc;
    }
    return real(f).xFileSize(f.real, size);
}

int shim_lock(sqlite3_file* file, int level) {
    return real(shim(file)).xLock(shim(file).real, level);
}

int shim_unlock(sqlite3_file* file, int level) {
    return real(shim(file)).xUnlock(shim(file).real, level);
}

int shim_check_reserved_lock(sqlite3_file* file, int* reserved) {
    return real(shim(file)).xCheckReservedLock(shim(file).real, reserved);
}

int shim_file_control(sqlite3_file* file, int op, void* arg) {
    shim_file& f = shim(file);
    if (const int rc = settle(f); rc != SQLITE_OK) {
        return rc;
    }
    return real(f).xFileControl(f.real, op, arg);
}

int shim_sector_size(sqlite3_file* file) {
    return real(shim(file)).xSectorSize(shim(file).real);
}

int shim_device_characteristics(sqlite3_file* file) {
    return real(shim(file)).xDeviceCharacteristics(shim(file).real);
}

int shim_shm_map(sqlite3_file* file, int page, int page_size, int extend, void volatile** map) {
    shim_file& f = shim(file);
    if (real(f).iVersion < 2) {
        return SQLITE_IOERR_SHMMAP;
    }
    return real(f).xShmMap(f.real, page, page_size, extend, map);
}

int shim_shm_lock(sqlite3_file* file, int offset, int n, int flags) {
    shim_file& f = shim(file);
    if (real(f).iVersion < 2) {
        return SQLITE_IOERR_SHMLOCK;
    }
    settle_log_of(f);
    return real(f).xShmLock(f.real, offset, n, flags);
}

void shim_shm_barrier(sqlite3_file* file) {
    shim_file& f = shim(file);
    settle_log_of(f); // new frames become visible to readers only after this
    if (real(f).iVersion >= 2) {
        real(f).xShmBarrier(f.real);
    }
}

int shim_shm_unmap(sqlite3_file* file, int delete_flag) {
    shim_file& f = shim(file);
    if (real(f).iVersion < 2) {
        return SQLITE_OK;
    }
    return real(f).xShmUnmap(f.real, delete_flag);
}

int shim_fetch(sqlite3_file* file, sqlite3_int64 offset, int amount, void** map) {
    shim_file& f = shim(file);
    if (real(f).iVersion < 3) {
        *map = nullptr;
        return SQLITE_OK;
    }
    return real(f).xFetch(f.real, offset, amount, map);
}

int shim_unfetch(sqlite3_file* file, sqlite3_int64 offset, void* map) {
    shim_file& f = shim(file);
    if (real(f).iVersion < 3) {
        return SQLITE_OK;
    }
    return real(f).xUnfetch(f.real, offset, map);
}

constexpr sqlite3_io_methods shim_methods = {
    3,
    shim_close,
    shim_read,
    shim_write,
    shim_truncate,
    shim_sync,
    shim_file_size,
    shim_lock,
    shim_unlock,
    shim_check_reserved_lock,
    shim_file_control,
    shim_sector_size,
    shim_device_characteristics,
    shim_shm_map,
    shim_shm_lock,
    shim_shm_barrier,
    shim_shm_unmap,
    shim_fetch,
    shim_unfetch,
};

sqlite3_vfs& under(sqlite3_vfs* vfs) {
    return *static_cast<sqlite3_vfs*>(vfs->pAppData);
}

int shim_open(sqlite3_vfs* vfs, sqlite3_filename name, sqlite3_file* file, int flags,
              int* out_flags) {
    auto& f = shim(file);
    f.base.pMethods = nullptr; // until open: SQLite then calls no xClose
    f.real = reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(file) + real_offset);
    f.log = nullptr;
    f.wal = nullptr;
    f.database = nullptr;
    f.failed = SQLITE_OK;
    if (const int rc = under(vfs).xOpen(&under(vfs), name, f.real, flags, out_flags);
        rc != SQLITE_OK) {
        return rc;
    }
    if ((flags & SQLITE_OPEN_WAL) != 0) {
        // All the room gather() will use, now: a write never allocates.
        try {
            f.log = new gathered_writes;
            f.log->bytes.reserve(max_gathered);
        } catch (const std::bad_alloc&) {
            delete f.log;
            f.log = nullptr;
            real(f).xClose(f.real);
            return SQLITE_NOMEM;
        }
        sqlite3_file* database = sqlite3_database_file_object(name);
        if (database != nullptr && database->pMethods == &shim_methods) {
            f.database = &shim(database);
            f.database->wal = &f;
        }
    }
    f.base.pMethods = &shim_methods;
    return SQLITE_OK;
}

void register_over(sqlite3_vfs& below, const char* name) {
    // Registered VFSes live as long as the process: this one is never freed.
    auto* vfs = new sqlite3_vfs(below);
    vfs->szOsFile = static_cast<int>(real_offset) + below.szOsFile;
    vfs->pNext = nullptr;
    vfs->zName = name;
    vfs->pAppData = &below;
    vfs->xOpen = shim_open;
    // Everything else is the underlying VFS's own, which some of its methods
    // find through their first argument: pass it on.
    vfs->xDelete = [](sqlite3_vfs* v, const char* path, int sync) {
        return under(v).xDelete(&under(v), path, sync);
    };
    vfs->xAccess = [](sqlite3_vfs* v, const char* path, int flags, int* result) {
        return under(v).xAccess(&under(v), path, flags, result);
    };
    vfs->xFullPathname = [](sqlite3_vfs* v, const char* path, int size, char* out) {
        return under(v).xFullPathname(&under(v), path, size, out);
    };
    vfs->xDlOpen = [](sqlite3_vfs* v, const char* path) {
        return under(v).xDlOpen(&under(v), path);
    };
    vfs->xDlError = [](sqlite3_vfs* v, int size, char* out) {
        under(v).xDlError(&under(v), size, out);
    };
    vfs->xDlSym = [](sqlite3_vfs* v, void* handle, const char* symbol) {
        return under(v).xDlSym(&under(v), handle, symbol);
    };
    vfs->xDlClose = [](sqlite3_vfs* v, void* handle) { under(v).xDlClose(&under(v), handle); };
    vfs->xRandomness = [](sqlite3_vfs* v, int size, char* out) {
        return under(v).xRandomness(&under(v), size, out);
    };
    vfs->xSleep = [](sqlite3_vfs* v, int micros) { return under(v).xSleep(&under(v), micros); };
    vfs->xCurrentTime = [](sqlite3_vfs* v, double* now) {
        return under(v).xCurrentTime(&under(v), now);
    };
    vfs->xGetLastError = [](sqlite3_vfs* v, int size, char* out) {
        return under(v).xGetLastError(&under(v), size, out);
    };
    if (below.iVersion >= 2 && below.xCurrentTimeInt64 != nullptr) {
        vfs->xCurrentTimeInt64 = [](sqlite3_vfs* v, sqlite3_int64* now) {
            return under(v).xCurrentTimeInt64(&under(v), now);
        };
    }
    if (below.iVersion >= 3) {
        vfs->xSetSystemCall = [](sqlite3_vfs* v, const char* call, sqlite3_syscall_ptr to) {
            return under(v).xSetSystemCall(&under(v), call, to);
        };
        vfs->xGetSystemCall = [](sqlite3_vfs* v, const char* call) {
            return under(v).xGetSystemCall(&under(v), call);
        };
        vfs->xNextSystemCall = [](sqlite3_vfs* v, const char* call) {
            return under(v).xNextSystemCall(&under(v), call);
        };
    }
    sqlite3_vfs_register(vfs, 0);
}

} // namespace

const char* wal_coalescing_vfs() {
    static constexpr const char* name = "cairn-wal-coalescing";
    static const bool registered = [] {
        sqlite3_vfs* below = sqlite3_vfs_find(nullptr);
        if (below == nullptr) {
            return false;
        }
        register_over(*below, name);
        return true;
    }();
    return registered ? name : nullptr; // nullptr: SQLite's default
}

} // namespace cairn::index::catalog_detail
