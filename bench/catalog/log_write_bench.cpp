// A catalog commit's writes to SQLite's log, through SQLite's unix VFS (a
// write for each frame header and each page) and through the catalog's
// coalescing VFS (one write per commit; src/catalog/wal_coalescing_vfs.hpp).
// Each iteration commits `rows` rows with random values in six indexed
// columns into a WAL database with synchronous=NORMAL (each row dirties a leaf
// of every index: 5 rows make about the 30 pages that a group commit of cairn
// serve writes for 4.5 messages). No sync is involved: the difference is the
// system calls.
//
//     build/dev/bench/catalog/cairn-log-bench --benchmark_repetitions=5
//     --benchmark_report_aggregates_only=true

#include "catalog/wal_coalescing_vfs.hpp"

#include <benchmark/benchmark.h>
#include <sqlite3.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace {

void exec(sqlite3* db, const std::string& sql) {
    if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
        throw std::runtime_error(sql + ": " + sqlite3_errmsg(db));
    }
}

void commit_pages(benchmark::State& state, const char* vfs) {
    std::string folder =
        (std::filesystem::temp_directory_path() / "cairn-log-bench-XXXXXX").string();
    if (::mkdtemp(folder.data()) == nullptr) {
        throw std::runtime_error("mkdtemp failed");
    }
    const std::string file = folder + "/catalog.db";
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, vfs) !=
        SQLITE_OK) {
        throw std::runtime_error("cannot open " + file);
    }
    const auto rows = [](std::int64_t n) {
        return "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " +
               std::to_string(n) +
               ") INSERT INTO t SELECT NULL, random(), random(), random(), random(), random(), "
               "random() FROM n";
    };
    exec(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536;"
             "PRAGMA wal_autocheckpoint = 0;"
             "CREATE TABLE t(k INTEGER PRIMARY KEY, a, b, c, d, e, f);"
             "CREATE INDEX ta ON t(a); CREATE INDEX tb ON t(b); CREATE INDEX tc ON t(c);"
             "CREATE INDEX td ON t(d); CREATE INDEX te ON t(e); CREATE INDEX tf ON t(f)");
    exec(db, rows(50'000)); // indexes of many leaves, as an archive's are
    exec(db, "PRAGMA wal_checkpoint(TRUNCATE)");
    const std::string insert = rows(state.range(0));
    for (auto _ : state) {
        exec(db, "BEGIN");
        exec(db, insert);
        exec(db, "COMMIT");
        state.PauseTiming(); // the log restarts now and then, as the catalog's does
        if (state.iterations() % 500 == 0) {
            exec(db, "PRAGMA wal_checkpoint(TRUNCATE)");
        }
        state.ResumeTiming();
    }
    sqlite3_close_v2(db);
    std::filesystem::remove_all(folder);
}

void unix_vfs(benchmark::State& state) {
    commit_pages(state, "unix");
}

void coalescing_vfs(benchmark::State& state) {
    commit_pages(state, cairn::index::catalog_detail::wal_coalescing_vfs());
}

BENCHMARK(unix_vfs)->Arg(5)->Unit(benchmark::kMicrosecond);
BENCHMARK(coalescing_vfs)->Arg(5)->Unit(benchmark::kMicrosecond);

} // namespace
