// segment_store: crash recovery on open (torn tails) and corruption found on read.
#include "indexer/store_testing.hpp"

#include <indexer/store.hpp>

#include <gtest/gtest.h>
#include <sys/resource.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;
using namespace cairn::index; // NOLINT(google-build-using-namespace): the unit under test
using namespace cairn::test;  // NOLINT(google-build-using-namespace): store_testing.hpp

// --- crash recovery: a torn tail is cut off, everything before it kept ---------

/// Five synced records in seg-000001; returns what was stored.
std::vector<stored_message> write_five(const fs::path& dir) {
    auto store = segment_store::open(dir);
    std::vector<stored_message> stored;
    for (int i = 0; i < 5; ++i) {
        // Half text, half noise: the last frame is long enough to tear in many places.
        stored.push_back(store.append(message(i) + random_bytes(300, static_cast<unsigned>(i))));
    }
    store.sync();
    return stored;
}

void expect_first_four_intact(const segment_store& store,
                              const std::vector<stored_message>& stored) {
    const auto records = scan(store);
    ASSERT_EQ(records.size(), 4U);
    for (std::size_t i = 0; i < 4; ++i) {
        EXPECT_EQ(records[i].where, stored[i].where);
        EXPECT_EQ(store.read(stored[i].where).substr(0, 60),
                  message(static_cast<int>(i)).substr(0, 60));
    }
}

TEST(segment_store_recovery, truncation_anywhere_in_the_last_record_drops_exactly_that_record) {
    temp_dir pristine;
    const auto stored = write_five(pristine.path());
    const location last = stored.back().where;
    const std::uint64_t record_end = last.offset + segment_store::header_size + last.stored_length;
    const auto segment = segment_store::segment_path(pristine.path(), 1);
    ASSERT_EQ(fs::file_size(segment), record_end);

    // Every byte of the header (partial header), then every 7th of the frame.
    for (std::uint64_t cut = last.offset + 1; cut < record_end;
         cut += cut < last.offset + segment_store::header_size + 2 ? 1 : 7) {
        SCOPED_TRACE("cut at " + std::to_string(cut));
        temp_dir copy;
        fs::copy(pristine.path(), copy.path(),
                 fs::copy_options::overwrite_existing | fs::copy_options::recursive);
        fs::resize_file(segment_store::segment_path(copy.path(), 1), cut);

        auto store = segment_store::open(copy.path());
        EXPECT_EQ(store.recovered_bytes(), cut - last.offset);
        EXPECT_EQ(fs::file_size(segment_store::segment_path(copy.path(), 1)), last.offset);
        expect_first_four_intact(store, stored);
        // The writer goes on where the good records end.
        const auto next = store.append("after recovery");
        EXPECT_EQ(next.where.offset, last.offset);
        EXPECT_EQ(store.read(next.where), "after recovery");
    }
}

// What a crash can leave after the last synced record, and how much of it
// recovered_bytes() reports.
struct tail_case {
    const char* name;
    std::string tail;
    std::uint64_t recovered;
};

const std::string zeros_ahead(std::size_t{3} << 20, '\0'); // a writer's zero_fill_ahead

const tail_case tail_cases[] = {
    // zero-filled blocks after a crash, then junk
    {"garbage", std::string(100, '\0') + "CZSR trailing junk", 118},
    {"zeros_written_ahead", zeros_ahead, 0},
    {"torn_record_inside_the_zeros", "CZSR half a record" + zeros_ahead, 18 + zeros_ahead.size()},
};

void PrintTo(const tail_case& row, std::ostream* out) {
    *out << row.name;
}

class tail_test : public testing::TestWithParam<tail_case> {};

TEST_P(tail_test, is_cut_after_the_last_record) {
    temp_dir dir;
    write_five(dir.path());
    const auto segment = segment_store::segment_path(dir.path(), 1);
    const auto good_size = fs::file_size(segment);
    {
        std::ofstream out(segment, std::ios::binary | std::ios::app);
        out << GetParam().tail;
    }
    auto store = segment_store::open(dir.path());
    EXPECT_EQ(store.recovered_bytes(), GetParam().recovered);
    EXPECT_EQ(fs::file_size(segment), good_size);
    EXPECT_EQ(scan(store).size(), 5U);
}

INSTANTIATE_TEST_SUITE_P(segment_store_recovery, tail_test, testing::ValuesIn(tail_cases),
                         [](const auto& row) { return std::string(row.param.name); });

/// write_five, then one byte inside the last frame flipped: the lengths are
/// intact, so only the frame checksum (or a read) can see the damage.
std::vector<stored_message> write_five_and_damage_last_frame(const fs::path& dir) {
    auto stored = write_five(dir);
    const location last = stored.back().where;
    flip_byte(segment_store::segment_path(dir, 1), last.offset + segment_store::header_size + 20);
    return stored;
}

TEST(segment_store_recovery, a_damaged_frame_in_the_last_record_is_dropped_by_its_checksum) {
    temp_dir dir;
    const auto stored = write_five_and_damage_last_frame(dir.path());
    auto store = segment_store::open(dir.path());
    EXPECT_EQ(store.recovered_bytes(), segment_store::header_size + stored[4].where.stored_length);
    expect_first_four_intact(store, stored);
}

TEST(segment_store_recovery, headers_only_check_keeps_a_whole_but_damaged_frame) {
    temp_dir dir;
    const auto stored = write_five_and_damage_last_frame(dir.path());
    auto store = segment_store::open(dir.path(), {.verify_tail_frames = false});
    EXPECT_EQ(store.recovered_bytes(), 0U);
    EXPECT_THROW((void)store.read(stored[4].where), io_error); // still caught on read
}

// --- corruption is found on read, with context ----------------------------------

TEST(segment_store_corruption, a_flipped_frame_byte_makes_read_throw_with_path_and_hash) {
    temp_dir dir;
    const auto stored = write_five(dir.path());
    const location victim = stored[2].where;
    const auto segment = segment_store::segment_path(dir.path(), 1);
    flip_byte(segment, victim.offset + segment_store::header_size + victim.stored_length / 2);
    const auto store = segment_store::open(dir.path(), {.read_only = true});
    try {
        (void)store.read(victim);
        FAIL() << "read of a damaged frame must throw";
    } catch (const io_error& error) {
        EXPECT_EQ(error.path(), segment);
        ASSERT_TRUE(error.message_hash().has_value());
        EXPECT_EQ(*error.message_hash(), stored[2].hash);
        EXPECT_NE(std::string(error.what()).find(stored[2].hash.hex()), std::string::npos);
    }
    EXPECT_NO_THROW((void)store.read(stored[1].where)); // neighbours unaffected
    EXPECT_NO_THROW((void)store.read(stored[3].where));
}

TEST(segment_store_corruption, a_flipped_header_byte_makes_read_and_a_sealed_scan_throw) {
    temp_dir dir;
    std::vector<stored_message> stored;
    {
        auto store = segment_store::open(dir.path(), {.segment_limit = 1024});
        for (int i = 0; i < 12; ++i) {
            stored.push_back(store.append(message(i)));
        }
        store.sync();
    }
    ASSERT_GT(stored.back().where.segment, 1U);
    const location victim = stored[0].where; // in seg-000001, which is sealed
    flip_byte(segment_store::segment_path(dir.path(), 1), victim.offset + 10); // raw length field
    const auto store = segment_store::open(dir.path(), {.read_only = true});
    EXPECT_THROW((void)store.read(victim), io_error);
    EXPECT_THROW(store.for_each([](const stored_record&) {}), io_error);
}

TEST(segment_store_corruption, a_location_that_does_not_match_its_record_is_refused) {
    temp_dir dir;
    auto store = segment_store::open(dir.path());
    const auto first = store.append(message(1));
    const auto second = store.append(message(2));
    location wrong = first.where;
    wrong.raw_length += 1;
    EXPECT_THROW((void)store.read(wrong), io_error);
    wrong = first.where;
    wrong.offset += 1; // not a record start
    EXPECT_THROW((void)store.read(wrong), io_error);
    wrong = second.where;
    wrong.offset += 1000; // past the end
    EXPECT_THROW((void)store.read(wrong), io_error);
    wrong.segment = 99; // no such segment
    EXPECT_THROW((void)store.read(wrong), io_error);
}

// --- a failed write leaves no partial record behind ----------------------------

TEST(segment_store_write_failure, a_full_disk_cuts_the_partial_record_and_the_store_goes_on) {
    temp_dir dir;
    auto store = segment_store::open(dir.path());
    const auto kept = store.append(message(1));
    store.sync();
    const std::uint64_t good_size = fs::file_size(segment_store::segment_path(dir.path(), 1));

    // RLIMIT_FSIZE makes the kernel refuse writes past a size (EFBIG) after a
    // partial write: a full disk without filling one. SIGXFSZ would kill us.
    rlimit saved{};
    ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &saved), 0);
    const auto old_handler = std::signal(SIGXFSZ, SIG_IGN);
    rlimit small = saved;
    small.rlim_cur = good_size + 100;
    ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &small), 0);
    const std::string big = random_bytes(10000, 9);
    bool threw = false;
    try {
        (void)store.append(big);
    } catch (const io_error& error) {
        threw = true;
        EXPECT_EQ(error.message_hash(), content_hash::of(big));
        EXPECT_EQ(error.code(), std::make_error_code(std::errc::file_too_large));
    }
    ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &saved), 0);
    std::signal(SIGXFSZ, old_handler);
    ASSERT_TRUE(threw);

    EXPECT_EQ(fs::file_size(segment_store::segment_path(dir.path(), 1)), good_size);
    const auto next = store.append(big);
    EXPECT_EQ(next.where.offset, good_size); // no hole where the failed record was
    EXPECT_EQ(store.read(next.where), big);
    EXPECT_EQ(store.read(kept.where), message(1));
    EXPECT_EQ(scan(store).size(), 2U);
}

} // namespace
