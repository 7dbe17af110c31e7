#pragma once
// A SQLite VFS over another ("unix") that writes each commit's log frames to
// the -wal file with one write instead of two per page.
//
// SQLite appends a frame as two writes, its 24-byte header and then the page,
// so a commit that dirtied 30 pages makes 60 pwrite calls; with
// synchronous=NORMAL nothing syncs between them, and the kernel's work is the
// same for one large write. Where a system call is costly (a VM) those calls
// were a quarter of cairn serve's writer thread; cairn-log-bench shows the
// difference per commit (BENCHMARKS.md, "The catalog's log writes").
//
// The writes are gathered while they are contiguous and written, in order,
// before anything could observe them: after the page of a commit frame (the
// header's "database size after commit" field is non-zero; its write's error
// is then the commit's), before a non-contiguous write, a read, a size query,
// a truncate, a sync or a close of the log, and before the database file's
// shared-memory barrier and locks (SQLite publishes new frames to readers only
// after a barrier). Readers in other processes therefore never see a frame
// that is not in the file, and the bytes the file receives and their order
// are SQLite's own. Files other than the log pass straight through.

#include <sqlite3.h>

namespace cairn::index::catalog_detail {

/// Registers (once, thread-safe) the VFS over SQLite's default and returns
/// its name for sqlite3_open_v2 (nullptr, SQLite's default, if there is none).
const char* wal_coalescing_vfs();

} // namespace cairn::index::catalog_detail
