// Explicit limits: hostile nesting, part counts and header sizes are cut off with
// a defect, and everything past the limit is kept as an opaque body (nothing lost).
#include "support/recording_handler.hpp"

#include <mime/message.hpp>

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

using cairn::mime::defect;
using cairn::mime::parse_options;
using cairn::mime::part_kind;

bool has_defect(const cairn::mime::message& msg, defect kind) {
    for (const auto& d : msg.all_defects()) {
        if (d.at.kind == kind) {
            return true;
        }
    }
    return false;
}

std::string nested_multiparts(int depth) {
    std::string head;
    std::vector<std::string> closes;
    for (int i = 0; i < depth; ++i) {
        // Appended piece by piece: g++ 12 warns falsely (-Wrestrict) on a chain
        // of string temporaries here.
        std::string b = "b";
        b += std::to_string(i);
        head += "Content-Type: multipart/mixed; boundary=";
        head += b;
        head += "\r\n\r\n--";
        head += b;
        head += "\r\n";
        std::string close = "\r\n--";
        close += b;
        close += "--";
        closes.push_back(std::move(close));
    }
    std::string tail;
    for (auto it = closes.rbegin(); it != closes.rend(); ++it) {
        tail += *it;
    }
    return head + "Content-Type: text/plain\r\n\r\ndeep" + tail + "\r\n";
}

TEST(limits, nesting_beyond_max_depth_is_opaque) {
    const std::string raw = nested_multiparts(20);
    parse_options options;
    options.max_depth = 5;
    const auto msg = cairn::mime::parse(std::string_view(raw), options);
    EXPECT_TRUE(has_defect(msg, defect::nesting_too_deep));
    std::uint32_t deepest = 0;
    for (const auto& p : msg.parts()) {
        deepest = std::max(deepest, p.depth);
    }
    EXPECT_EQ(deepest, 5u);
    // The opaque leaf still holds the rest of the structure, text included.
    const auto& last = msg.parts().back();
    EXPECT_EQ(last.kind, part_kind::leaf);
    EXPECT_NE(msg.body(last).find("deep"), std::string_view::npos);
}

TEST(limits, default_depth_handles_ordinary_nesting) {
    const std::string raw = nested_multiparts(12);
    const auto msg = cairn::mime::parse(std::string_view(raw));
    EXPECT_FALSE(has_defect(msg, defect::nesting_too_deep));
    EXPECT_EQ(msg.parts().size(), 13u);
    EXPECT_EQ(msg.body(msg.parts().back()), "deep");
}

TEST(limits, hostile_depth_does_not_exhaust_the_stack) {
    const std::string raw = nested_multiparts(100000);
    const auto msg = cairn::mime::parse(std::string_view(raw));
    EXPECT_TRUE(has_defect(msg, defect::nesting_too_deep));
    EXPECT_LE(msg.parts().size(), 66u);
}

TEST(limits, too_many_parts) {
    std::string raw = "Content-Type: multipart/mixed; boundary=b\r\n\r\n";
    for (int i = 0; i < 50; ++i) {
        raw += "--b\r\n\r\npart " + std::to_string(i) + "\r\n";
    }
    raw += "--b--\r\n";
    parse_options options;
    options.max_parts = 10;
    const auto msg = cairn::mime::parse(std::string_view(raw), options);
    EXPECT_TRUE(has_defect(msg, defect::too_many_parts));
    EXPECT_EQ(msg.parts().size(), 10u);
    // The last part kept holds everything after the limit.
    EXPECT_NE(msg.body(msg.parts().back()).find("part 49"), std::string_view::npos);
}

TEST(limits, header_block_too_long) {
    std::string raw = "Subject: x\r\n";
    for (int i = 0; i < 1000; ++i) {
        raw += "X-Filler: " + std::string(100, 'a') + "\r\n";
    }
    raw += "\r\nbody\r\n";
    parse_options options;
    options.max_header_bytes = 4096;
    const auto msg = cairn::mime::parse(std::string_view(raw), options);
    EXPECT_TRUE(has_defect(msg, defect::header_too_long));
    EXPECT_LE(msg.root().header.size(), 4096u);
    EXPECT_EQ(msg.header(msg.root(), "subject"), std::optional<std::string_view>(" x"));
    // Nothing is lost: the cut-off fields are the start of the body.
    EXPECT_NE(msg.body(msg.root()).find("body"), std::string_view::npos);
}

// A line that crosses the limit is cut there however the input arrives: a
// chunked caller cannot see the line's end, so the whole buffer must not use
// it either (found by split_fuzzer: the whole parse called it a body without
// its blank line, the chunked one a header too long).
TEST(limits, a_line_crossing_the_header_limit_is_too_long_however_split) {
    parse_options options;
    options.max_header_bytes = 300;
    for (const std::string& first_line :
         {std::string(395, 'x'), "Subject: " + std::string(395, 'y')}) {
        const std::string raw = first_line + "\nbody\n";
        const std::string whole = cairn::test::scan_whole(raw, options);
        EXPECT_NE(whole.find("header_too_long"), std::string::npos) << whole;
        for (std::size_t chunk : {1u, 7u, 45u, 299u, 301u}) {
            EXPECT_EQ(cairn::test::scan_in_chunks(
                          raw, [chunk] { return chunk; }, options),
                      whole)
                << "chunks of " << chunk;
        }
    }
}

} // namespace
