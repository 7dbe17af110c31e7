#include "indexer/store_testing.hpp"

#include <indexer/store.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace fs = std::filesystem;
using namespace cairn::index; // NOLINT(google-build-using-namespace): the unit under test
using namespace cairn::test;  // NOLINT(google-build-using-namespace): store_testing.hpp

// --- byte-exactness: each row is stored, synced, reopened read-only, read back --

struct exact_case {
    const char* name;
    std::string raw;
};

const exact_case exact_cases[] = {
    {"empty", ""},
    {"one_nul", std::string(1, '\0')},
    {"crlf_message", "Subject: hi\r\n\r\nbody\r\n.\r\n"},
    {"bare_lf_and_bare_cr", "Subject: hi\n\nline\rnext\n"},
    {"nul_bytes_inside", std::string("a\0b\0\0c\r\n", 8)},
    {"eight_bit_latin1_and_utf8", "Subject: caf\xe9 \xc3\xa9t\xc3\xa9\r\n\r\n\x80\x81\xfe\xff"},
    {"no_final_newline", "Subject: x\r\n\r\nno newline at end"},
    {"all_byte_values",
     [] {
         std::string all;
         for (int i = 0; i < 256; ++i) {
             all.push_back(static_cast<char>(i));
         }
         return all;
     }()},
    {"incompressible_64k", random_bytes(65536, 7)},
    {"long_run_of_one_byte", std::string(1 << 20, 'x')},
};

class byte_exact_test : public testing::TestWithParam<exact_case> {};

TEST_P(byte_exact_test, bytes_come_back_identical_after_reopen) {
    temp_dir dir;
    const std::string& raw = GetParam().raw;
    stored_message stored;
    {
        auto store = segment_store::open(dir.path());
        stored = store.append(raw);
        store.sync();
    }
    EXPECT_EQ(stored.hash, content_hash::of(raw));
    EXPECT_EQ(stored.where.raw_length, raw.size());
    const auto reader = segment_store::open(dir.path(), {.read_only = true});
    EXPECT_EQ(reader.read(stored.where), raw);
}

INSTANTIATE_TEST_SUITE_P(store, byte_exact_test, testing::ValuesIn(exact_cases),
                         [](const auto& row) { return std::string(row.param.name); });

// --- round trip, rollover, reopen ----------------------------------------------

TEST(segment_store, round_trips_many_messages_including_empty_and_5mb_incompressible) {
    temp_dir dir;
    auto store = segment_store::open(dir.path());
    EXPECT_EQ(store.recovered_bytes(), 0U);
    EXPECT_TRUE(fs::exists(segment_store::segment_path(dir.path(), 1)));
    std::vector<std::string> raws;
    for (int i = 0; i < 300; ++i) {
        raws.push_back(message(i, static_cast<std::size_t>(i % 40)));
    }
    raws.insert(raws.begin() + 10, "");
    raws.insert(raws.begin() + 150, random_bytes(5 << 20, 42));
    std::vector<stored_message> stored;
    for (const auto& raw : raws) {
        stored.push_back(store.append(raw));
    }
    store.sync();
    for (std::size_t i = 0; i < raws.size(); ++i) {
        ASSERT_EQ(store.read(stored[i].where), raws[i]) << "message " << i;
        EXPECT_EQ(stored[i].hash, content_hash::of(raws[i]));
    }
    // Mail compresses: the small messages must take less room than raw.
    ASSERT_EQ(raws[40], message(39, 39)); // 39 lines, about 1.3 KB
    EXPECT_LT(stored[40].where.stored_length * 2, stored[40].where.raw_length);
    // Incompressible data costs zstd only its block headers.
    EXPECT_LT(stored[150].where.stored_length, (5U << 20) + 1024);
}

TEST(segment_store, read_to_streams_in_bounded_chunks_and_returns_the_hash) {
    temp_dir dir;
    auto store = segment_store::open(dir.path());
    const std::string raw = random_bytes(5 << 20, 3);
    const auto stored = store.append(raw);

    struct chunk_sink {
        std::string bytes;
        std::size_t chunks = 0;
        std::size_t largest = 0;

        void write(std::string_view piece) {
            bytes.append(piece);
            ++chunks;
            largest = std::max(largest, piece.size());
        }
    } sink;

    EXPECT_EQ(store.read_to(stored.where, sink), stored.hash);
    EXPECT_EQ(sink.bytes, raw);
    EXPECT_GT(sink.chunks, 1U);
    EXPECT_LE(sink.largest, 64U * 1024);
}

TEST(segment_store, append_with_a_known_hash_stores_what_append_stores) {
    temp_dir dir;
    auto store = segment_store::open(dir.path());
    const std::string raw = random_bytes(20000, 9);
    const auto hashed_here = store.append(raw);
    const auto hashed_before = store.append(raw, content_hash::of(raw));
    EXPECT_EQ(hashed_before.hash, hashed_here.hash);
    EXPECT_EQ(store.read(hashed_before.where), raw);
    EXPECT_EQ(store.for_each([](const auto&) {}), 2U); // both records read back whole
}

TEST(segment_store, rolls_over_at_the_segment_limit) {
    temp_dir dir;
    const store_options options{.segment_limit = 4096};
    auto store = segment_store::open(dir.path(), options);
    std::vector<std::string> raws;
    std::vector<stored_message> stored;
    for (int i = 0; i < 60; ++i) {
        raws.push_back(message(i) + random_bytes(static_cast<std::size_t>(100 + i * 7), 100 + i));
        stored.push_back(store.append(raws.back()));
    }
    const std::string huge = random_bytes(10000, 5); // larger than a whole segment
    stored.push_back(store.append(huge));
    raws.push_back(huge);
    stored.push_back(store.append("after the huge one"));
    raws.emplace_back("after the huge one");
    store.sync();

    EXPECT_GT(store.active_segment(), 5U);
    for (std::uint32_t n = 1; n <= store.active_segment(); ++n) {
        const auto size = fs::file_size(segment_store::segment_path(dir.path(), n));
        EXPECT_GT(size, 0U) << "segment " << n;
        // Only a segment holding one oversized record may pass the limit.
        const bool oversized_alone = n == stored[60].where.segment;
        if (!oversized_alone) {
            EXPECT_LE(size, options.segment_limit) << "segment " << n;
        }
    }
    EXPECT_EQ(stored[60].where.offset, 0U);
    EXPECT_EQ(stored[61].where.segment, stored[60].where.segment + 1);
    for (std::size_t i = 0; i < raws.size(); ++i) {
        ASSERT_EQ(store.read(stored[i].where), raws[i]) << "message " << i;
    }
}

// Bytes the filesystem has allocated to `file` (st_blocks), not its size.
/// Where the last record of `store` in segment `number` ends.
std::uint64_t records_end(const segment_store& store, std::uint32_t number) {
    std::uint64_t end = 0;
    for (const stored_record& r : scan(store)) {
        if (r.where.segment == number) {
            end = r.where.offset + segment_store::header_size + r.where.stored_length;
        }
    }
    return end;
}

/// Whether `file` holds only zeros from `offset` to its end.
bool zeros_from(const fs::path& file, std::uint64_t offset) {
    std::ifstream in(file, std::ios::binary);
    in.seekg(static_cast<std::streamoff>(offset));
    const std::string rest((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return rest.find_first_not_of('\0') == std::string::npos;
}

TEST(segment_store, keeps_zeros_written_ahead_and_cuts_them_when_a_segment_fills_or_closes) {
    temp_dir dir;
    const store_options options{.segment_limit = std::uint64_t{4} << 20};
    constexpr std::uint64_t ahead = std::uint64_t{1} << 20;
    const auto segment = [&](std::uint32_t n) {
        return segment_store::segment_path(dir.path(), n);
    };
    {
        auto store = segment_store::open(dir.path(), options);
        store.zero_fill_ahead(ahead);
        (void)store.append(message(1));
        store.sync();
        const std::uint64_t end = records_end(store, 1);
        EXPECT_EQ(fs::file_size(segment(1)), end + ahead) << "zeros are written past the record";
        EXPECT_TRUE(zeros_from(segment(1), end));
        const auto reader = segment_store::open(dir.path(), {.read_only = true});
        EXPECT_EQ(scan(reader).size(), 1U) << "another process stops at the zeros";

        (void)store.append(message(2));
        EXPECT_EQ(fs::file_size(segment(1)), end + ahead)
            << "an append inside the zeros leaves the size alone";
        // Incompressible 1 MiB records: the fourth starts segment 2.
        for (int i = 0; i < 5; ++i) {
            (void)store.append(random_bytes(1 << 20, static_cast<std::uint32_t>(i)));
        }
        ASSERT_EQ(store.active_segment(), 2U);
        EXPECT_EQ(fs::file_size(segment(1)), records_end(store, 1))
            << "a full segment keeps no zeros";
        EXPECT_GT(fs::file_size(segment(2)), records_end(store, 2));
        EXPECT_LE(fs::file_size(segment(2)), options.segment_limit) << "no zeros past the limit";
        EXPECT_TRUE(zeros_from(segment(2), records_end(store, 2)));
        EXPECT_EQ(scan(reader).size(), 7U) << "a sealed segment reads to its end";
    }
    auto reopened = segment_store::open(dir.path(), options);
    EXPECT_EQ(fs::file_size(segment(2)), records_end(reopened, 2)) << "closing cuts the zeros";
    EXPECT_EQ(reopened.recovered_bytes(), 0U);
    EXPECT_EQ(scan(reopened).size(), 7U);
}

TEST(segment_store, writes_no_zeros_unless_asked) {
    temp_dir dir;
    auto store = segment_store::open(dir.path());
    (void)store.append(message(1));
    store.sync();
    EXPECT_EQ(fs::file_size(segment_store::segment_path(dir.path(), 1)), records_end(store, 1));
}

TEST(segment_store, reopens_and_appends_after_the_existing_records) {
    temp_dir dir;
    std::vector<stored_message> stored;
    for (int session = 0; session < 3; ++session) {
        auto store = segment_store::open(dir.path(), {.segment_limit = 2048});
        EXPECT_EQ(store.recovered_bytes(), 0U) << "clean reopen must drop nothing";
        for (int i = 0; i < 20; ++i) {
            stored.push_back(store.append(message(session * 100 + i)));
        }
        store.sync();
    }
    const auto store = segment_store::open(dir.path());
    const auto records = scan(store);
    ASSERT_EQ(records.size(), stored.size());
    for (std::size_t i = 0; i < stored.size(); ++i) {
        EXPECT_EQ(records[i].where, stored[i].where) << "record " << i;
        EXPECT_EQ(records[i].hash, stored[i].hash) << "record " << i;
        EXPECT_EQ(store.read(stored[i].where), message(static_cast<int>(i / 20 * 100 + i % 20)));
    }
}

TEST(segment_store, stores_a_duplicate_twice_when_asked) {
    temp_dir dir;
    auto store = segment_store::open(dir.path());
    const auto first = store.append("same bytes");
    const auto second = store.append("same bytes");
    EXPECT_EQ(first.hash, second.hash);
    EXPECT_NE(first.where, second.where); // dedup is the catalog's job
    EXPECT_EQ(scan(store).size(), 2U);
}

TEST(segment_store, for_each_visits_records_in_append_order_across_segments) {
    temp_dir dir;
    auto store = segment_store::open(dir.path(), {.segment_limit = 1024});
    std::vector<stored_message> stored;
    for (int i = 0; i < 40; ++i) {
        stored.push_back(store.append(message(i, static_cast<std::size_t>(i % 9))));
    }
    const auto records = scan(store);
    ASSERT_EQ(records.size(), stored.size());
    for (std::size_t i = 0; i < stored.size(); ++i) {
        EXPECT_EQ(records[i].where, stored[i].where) << "record " << i;
        EXPECT_EQ(records[i].hash, stored[i].hash) << "record " << i;
    }
    EXPECT_GT(records.back().where.segment, 1U);
    EXPECT_EQ(store.for_each([](const stored_record&) {}), stored.size());
}

TEST(segment_store, envelope_records_keep_their_kind_and_scans_start_where_asked) {
    temp_dir dir;
    std::vector<stored_message> stored;
    store_position after_first;
    {
        auto store = segment_store::open(dir.path(), {.segment_limit = 1024});
        EXPECT_EQ(store.end(), (store_position{1, 0}));
        stored.push_back(store.append(message(1)));
        after_first = store.end();
        EXPECT_EQ(after_first,
                  (store_position{1, segment_store::header_size + stored[0].where.stored_length}));
        stored.push_back(store.append("envelope bytes", record_kind::envelope));
        for (int i = 2; i < 30; ++i) { // across segments
            stored.push_back(store.append(message(i, 5)));
        }
        EXPECT_TRUE(scan(store, store.end()).empty());
        store.sync();
    }
    const auto store = segment_store::open(dir.path(), {.read_only = true});
    const auto all = scan(store);
    ASSERT_EQ(all.size(), stored.size());
    EXPECT_EQ(all[0].kind, record_kind::message);
    EXPECT_EQ(all[1].kind, record_kind::envelope);
    EXPECT_EQ(all[1].hash, content_hash::of("envelope bytes"));
    EXPECT_EQ(store.read(all[1].where), "envelope bytes");
    EXPECT_EQ(all.back().kind, record_kind::message);
    ASSERT_GT(all.back().where.segment, 1U);

    const auto rest = scan(store, after_first);
    ASSERT_EQ(rest.size(), stored.size() - 1);
    EXPECT_EQ(rest.front().where, stored[1].where);
    const location last = stored.back().where;
    const auto from_last_segment = scan(store, {last.segment, 0});
    EXPECT_EQ(from_last_segment.back().where, last);
    EXPECT_TRUE(
        scan(store, {last.segment, last.offset + segment_store::header_size + last.stored_length})
            .empty());
}

// --- writers, readers and threads ---------------------------------------------

TEST(segment_store, one_writer_per_store_and_read_only_stores_cannot_write) {
    temp_dir dir;
    auto writer = segment_store::open(dir.path());
    const auto stored = writer.append(message(1));
    EXPECT_THROW((void)segment_store::open(dir.path()), io_error);
    auto reader = segment_store::open(dir.path(), {.read_only = true});
    EXPECT_EQ(reader.read(stored.where), message(1)); // before any sync: page cache
    EXPECT_THROW((void)reader.append("x"), io_error);
    EXPECT_THROW(reader.sync(), io_error);
    EXPECT_THROW((void)segment_store::open(dir.path() / "absent", {.read_only = true}), io_error);
}

TEST(segment_store, readers_on_other_threads_read_while_the_writer_appends) {
    temp_dir dir;
    auto store = segment_store::open(dir.path(), {.segment_limit = 16 * 1024});
    std::mutex mutex;
    std::vector<stored_message> published;
    std::atomic<bool> done{false};
    std::atomic<int> failures{0};
    const auto read_loop = [&] {
        std::size_t checked = 0;
        while (!done.load() || checked == 0) {
            stored_message pick;
            {
                const std::lock_guard guard(mutex);
                if (published.empty()) {
                    continue;
                }
                pick = published[checked++ % published.size()];
            }
            if (content_hash::of(store.read(pick.where)) != pick.hash) {
                ++failures;
            }
            (void)store.for_each([](const stored_record&) {});
        }
    };
    std::thread first(read_loop);
    std::thread second(read_loop);
    for (int i = 0; i < 400; ++i) {
        const auto stored = store.append(message(i, static_cast<std::size_t>(i % 50)));
        const std::lock_guard guard(mutex);
        published.push_back(stored);
    }
    done = true;
    first.join();
    second.join();
    EXPECT_EQ(failures.load(), 0);
    EXPECT_EQ(scan(store).size(), 400U);
}

} // namespace
