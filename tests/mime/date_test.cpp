// clang-format off
#include <mime/date.hpp> // first: proves the public header is self-contained
// clang-format on

#include "support/text_row.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace cairn::mime {
namespace {

// Canonical text form of a parse result: RFC 3339, or "none" for nullopt.
std::string render(std::string_view input) {
    const auto date = parse_date(input);
    return date ? date->to_rfc3339() : std::string{"none"};
}

using date_row = test::text_row;

class parse_date_table : public ::testing::TestWithParam<date_row> {};

TEST_P(parse_date_table, renders_as_expected) {
    EXPECT_EQ(render(GetParam().input), GetParam().expected);
}

constexpr date_row rfc_rows[] = {
    // RFC 5322 A.1.1
    {"Fri, 21 Nov 1997 09:55:06 -0600", "1997-11-21T09:55:06-06:00"},
    // RFC 5322 A.1.2
    {"Tue, 1 Jul 2003 10:52:37 +0200", "2003-07-01T10:52:37+02:00"},
    // RFC 5322 A.1.3
    {"Thu, 13 Feb 1969 23:32:54 -0330", "1969-02-13T23:32:54-03:30"},
    // RFC 5322 A.4 (Received date, no day name)
    {"21 Nov 1997 10:01:22 -0600", "1997-11-21T10:01:22-06:00"},
    // RFC 5322 A.6.2 (obsolete: two-digit year, GMT)
    {"21 Nov 97 09:55:06 GMT", "1997-11-21T09:55:06+00:00"},
    // RFC 5322 A.5 (folded, pre-1970, half-hour offset, trailing comment)
    {"Thu,\r\n      13\r\n        Feb\r\n          1969\r\n      23:32\r\n               -0330 "
     "(Newfoundland Time)",
     "1969-02-13T23:32:00-03:30"},
    // RFC 5322 A.6.3 (obsolete: comments and white space inside the time)
    {"Fri, 21 Nov 1997 09(comment):   55  :  06 -0600", "1997-11-21T09:55:06-06:00"},
    // RFC 5322 §3.3: -0000 means UTC with the local offset unknown
    {"Mon, 15 Jan 2024 18:38:12 -0000", "2024-01-15T18:38:12-00:00"},
    // RFC 5322 §3.3: +0000 is a known zero offset
    {"Mon, 15 Jan 2024 18:38:12 +0000", "2024-01-15T18:38:12+00:00"},
    // RFC 5322 §4.3 obs-zone names
    {"Mon, 15 Jan 2024 18:38:12 UT", "2024-01-15T18:38:12+00:00"},
    {"Mon, 15 Jan 2024 18:38:12 EDT", "2024-01-15T18:38:12-04:00"},
    {"Mon, 15 Jan 2024 18:38:12 EST", "2024-01-15T18:38:12-05:00"},
    {"Mon, 15 Jan 2024 18:38:12 CDT", "2024-01-15T18:38:12-05:00"},
    {"Mon, 15 Jan 2024 18:38:12 CST", "2024-01-15T18:38:12-06:00"},
    {"Mon, 15 Jan 2024 18:38:12 MDT", "2024-01-15T18:38:12-06:00"},
    {"Mon, 15 Jan 2024 18:38:12 MST", "2024-01-15T18:38:12-07:00"},
    {"Mon, 15 Jan 2024 18:38:12 PDT", "2024-01-15T18:38:12-07:00"},
    {"Mon, 15 Jan 2024 18:38:12 pst", "2024-01-15T18:38:12-08:00"},
    {"Mon, 15 Jan 2024 18:38:12 Z", "2024-01-15T18:38:12+00:00"},
    // RFC 5322 §4.3: military zones other than Z read as -0000
    {"Mon, 15 Jan 2024 18:38:12 A", "2024-01-15T18:38:12-00:00"},
    {"Mon, 15 Jan 2024 18:38:12 m", "2024-01-15T18:38:12-00:00"},
    // RFC 5322 §4.3 obs-year: 00-49 → 20xx, 50-99 → 19xx, three digits + 1900
    {"1 Jan 49 00:00:00 +0000", "2049-01-01T00:00:00+00:00"},
    {"1 Jan 50 00:00:00 +0000", "1950-01-01T00:00:00+00:00"},
    {"1 Jan 00 00:00:00 +0000", "2000-01-01T00:00:00+00:00"},
    {"1 Jan 104 00:00:00 +0000", "2004-01-01T00:00:00+00:00"},
    // RFC 5322 §3.3: leap second
    {"31 Dec 2016 23:59:60 +0000", "2016-12-31T23:59:60+00:00"},
};
INSTANTIATE_TEST_SUITE_P(rfc5322, parse_date_table, ::testing::ValuesIn(rfc_rows));

constexpr date_row real_world_rows[] = {
    {"Mon, 15 Jan 2024 18:38 +0800", "2024-01-15T18:38:00+08:00"},          // no seconds
    {"Mon, 15 Jan 2024 18:38:12 +08:00", "2024-01-15T18:38:12+08:00"},      // +HH:MM
    {"Mon, 15 Jan 2024 18:38:12 +0100 (CET)", "2024-01-15T18:38:12+01:00"}, // comment
    {"Mon, 15 Jan 2024 18:38:12 +0200 CEST", "2024-01-15T18:38:12+02:00"},  // name after
    {"Mon, 15 Jan 2024 18:38:12 +0200 (GMT+02:00)", "2024-01-15T18:38:12+02:00"},
    {"Mon, 15 Jan 2024 18:38:12 GMT+0100", "2024-01-15T18:38:12+01:00"}, // GMT+hhmm
    {"Mon, 15 Jan 2024 18:38:12 UTC+8", "2024-01-15T18:38:12+08:00"},
    {"15 Jan 2024 18:38:12 +0800", "2024-01-15T18:38:12+08:00"},             // no day name
    {"Tue, 15 Jan 2024 18:38:12 +0800", "2024-01-15T18:38:12+08:00"},        // wrong day name
    {"Monday, 15 January 2024 18:38:12 +0800", "2024-01-15T18:38:12+08:00"}, // full names
    {"Thurs, 15 Sept 2022 18:38:12 +0800", "2022-09-15T18:38:12+08:00"},     // long abbrevs
    {"mon, 15 JAN 2024 18:38:12 +0800", "2024-01-15T18:38:12+08:00"},        // any case
    {"Mon,15 Jan 2024 18:38:12 +0800", "2024-01-15T18:38:12+08:00"},         // no space
    {"15-Jan-2024 18:38:12 +0800", "2024-01-15T18:38:12+08:00"},             // dashes
    {"15.Jan.2024 18:38:12 +0800", "2024-01-15T18:38:12+08:00"},             // dots
    {"15 Jan 2024 18:38:12", "2024-01-15T18:38:12-00:00"},                   // no zone
    {"Mon, 15 Jan 2024 18:38:12 CEST", "2024-01-15T18:38:12-00:00"},         // unknown name
    {"2024-01-15T18:38:12+08:00", "2024-01-15T18:38:12+08:00"},              // ISO 8601
    {"2024-01-15T18:38:12Z", "2024-01-15T18:38:12+00:00"},
    {"2024-01-15T18:38:12.345-05:00", "2024-01-15T18:38:12-05:00"},       // fraction
    {"2024-01-15 18:38:12", "2024-01-15T18:38:12-00:00"},                 // ISO, no zone
    {"Mon Jan 15 18:38:12 2024", "2024-01-15T18:38:12-00:00"},            // asctime
    {"Mon Jan  5 08:38:12 2024", "2024-01-05T08:38:12-00:00"},            // asctime pad
    {"Mon Jan 15 18:38:12 EST 2024", "2024-01-15T18:38:12-05:00"},        // date(1)
    {"Mon, Jan 15, 2024 06:38:12 PM -0500", "2024-01-15T18:38:12-05:00"}, // US style
    {"Mon, 15 Jan 2024 12:05:00 AM +0000", "2024-01-15T00:05:00+00:00"},  // 12 AM
    {"Mon, 15 Jan 2024 9:05:07 +0000", "2024-01-15T09:05:07+00:00"},      // 1-digit hour
    {"Mon, 15 Jan 2024 18 : 38 : 12 +0000", "2024-01-15T18:38:12+00:00"}, // §4.3 CFWS
    {"  Mon, 15 Jan 2024 18:38:12 +0000  ", "2024-01-15T18:38:12+00:00"}, // padding
    {"Mon, 15 Jan 2024 18:38:12 +0000\r\n", "2024-01-15T18:38:12+00:00"}, // CRLF
    {"15.01.2024 18:38:12 +0100", "2024-01-15T18:38:12+01:00"},           // numeric month
    {"Mon, 15 Jan 2024 -0500", "2024-01-15T00:00:00-05:00"},              // no time
    {"Mon, 15 Jan 2024 18:38:12 +0530", "2024-01-15T18:38:12+05:30"},     // India
    {"Mon, 15 Jan 2024 18:38:12 +1345", "2024-01-15T18:38:12+13:45"},     // Chatham
    {"Sat, 29 Feb 2020 10:00:00 +0000", "2020-02-29T10:00:00+00:00"},     // leap day
    {"Wed, 1 Mar 2100 00:00:00 +0000", "2100-03-01T00:00:00+00:00"},
    {"Mon, 15 Jan 2024 18:38:12 +0000 (UTC) junk 99", "2024-01-15T18:38:12+00:00"},
    {"(comment) 15 (Jan) Jan 2024 18:38:12 GMT", "2024-01-15T18:38:12+00:00"}, // comments
    {"Mon, 15 Jan 2024 18:38:12 +9959", "2024-01-15T18:38:12+99:59"},          // max offset
    {"Sunday, 06-Nov-94 08:49:37 GMT", "1994-11-06T08:49:37+00:00"},           // RFC 850
    {"Wed, 20 Sep 1995 00:19:00 (EDT) -0400", "1995-09-20T00:19:00-04:00"},    // comment first
    {"Mon, 15 Jan 2024 18:38:12 GMT-0500", "2024-01-15T18:38:12-05:00"},
    {"2024-01-15T18:38:12-00:00", "2024-01-15T18:38:12-00:00"},             // ISO unknown
    {"Mon, 15 Jan 2024 18:38:12 +0100 +0200", "2024-01-15T18:38:12+01:00"}, // first zone
};
INSTANTIATE_TEST_SUITE_P(real_world, parse_date_table, ::testing::ValuesIn(real_world_rows));

constexpr date_row invalid_rows[] = {
    {"", "none"},
    {"   ", "none"},
    {"garbage", "none"},
    {"Mon, 15 Foo 2024 18:38:12 +0000", "none"}, // no month
    {"Mon, Jan 2024 18:38:12 +0000", "none"},    // no day
    {"Mon, 15 Jan 18:38:12 +0000", "none"},      // no year
    {"Mon, 32 Jan 2024 18:38:12 +0000", "none"}, // day out of range
    {"Mon, 0 Jan 2024 18:38:12 +0000", "none"},
    {"Thu, 29 Feb 2023 10:00:00 +0000", "none"}, // not a leap year
    {"Mon, 29 Feb 2100 10:00:00 +0000", "none"}, // century, not a leap year
    {"Mon, 31 Apr 2024 10:00:00 +0000", "none"},
    {"Mon, 15 Jan 2024 24:00:00 +0000", "none"},   // hour
    {"Mon, 15 Jan 2024 18:60:00 +0000", "none"},   // minute
    {"Mon, 15 Jan 2024 18:38:61 +0000", "none"},   // second
    {"Mon, 15 Jan 2024 18:38:12 +0060", "none"},   // offset minutes
    {"Mon, 15 Jan 2024 18:38:12 +123456", "none"}, // offset too long
    {"2024-13-01T00:00:00Z", "none"},              // ISO month
    {"15.13.2024 10:00 +0000", "none"},            // numeric month
    {"Mon, 15 Jan 20245 18:38:12 +0000", "none"},  // five-digit year
    {"99999999999999999999 Jan 2024", "none"},     // huge number
};
INSTANTIATE_TEST_SUITE_P(invalid, parse_date_table, ::testing::ValuesIn(invalid_rows));

struct unix_row {
    std::string_view input;
    std::int64_t expected;
};

class to_unix_table : public ::testing::TestWithParam<unix_row> {};

TEST_P(to_unix_table, converts_to_utc_seconds) {
    const auto date = parse_date(GetParam().input);
    ASSERT_TRUE(date.has_value()) << GetParam().input;
    EXPECT_EQ(date->to_unix(), GetParam().expected) << GetParam().input;
}

constexpr unix_row unix_rows[] = {
    {"1 Jan 1970 00:00:00 +0000", 0},
    {"31 Dec 1969 23:59:59 +0000", -1},
    {"1 Jan 1970 01:00:00 +0100", 0}, // offset subtracted
    {"31 Dec 1969 19:00:00 -0500", 0},
    {"Fri, 21 Nov 1997 09:55:06 -0600", 880127706},  // RFC 5322 A.1.1
    {"Thu, 13 Feb 1969 23:32:54 -0330", -27723426},  // RFC 5322 A.1.3
    {"Tue, 19 Jan 2038 03:14:08 +0000", 2147483648}, // past 32-bit time_t
    {"1 Jan 2100 00:00:00 +0000", 4102444800},
    {"1 Jan 1900 00:00:00 +0000", -2208988800},
    {"Mon, 15 Jan 2024 18:38:12 -0000", 1705343892}, // unknown offset: as UTC
    {"2024-01-15T18:38:12+08:00", 1705315092},
};
INSTANTIATE_TEST_SUITE_P(examples, to_unix_table, ::testing::ValuesIn(unix_rows));

TEST(date_time, rfc3339_pads_every_field) {
    date_time d;
    d.year = 987;
    d.month = 2;
    d.day = 3;
    d.hour = 4;
    d.minute = 5;
    d.second = 6;
    d.offset_minutes = -(9 * 60 + 30);
    EXPECT_EQ(d.to_rfc3339(), "0987-02-03T04:05:06-09:30");
}

TEST(date_time, unknown_offset_prints_minus_zero_and_ignores_offset_field) {
    date_time d;
    d.offset_minutes = 120;
    d.offset_unknown = true;
    EXPECT_EQ(d.to_rfc3339(), "1970-01-01T00:00:00-00:00");
    EXPECT_EQ(d.to_unix(), 0);
}

TEST(parse_date, unknown_zone_sets_flag_and_zero_offset) {
    const auto date = parse_date("Mon, 15 Jan 2024 18:38:12 XYZ");
    ASSERT_TRUE(date.has_value());
    EXPECT_TRUE(date->offset_unknown);
    EXPECT_EQ(date->offset_minutes, 0);
}

TEST(parse_date, long_junk_input_terminates) {
    std::string junk(100000, '(');
    EXPECT_FALSE(parse_date(junk).has_value());
    std::string digits;
    for (int i = 0; i < 20000; ++i) {
        digits += "12:";
    }
    EXPECT_FALSE(parse_date(digits).has_value());
}

} // namespace
} // namespace cairn::mime
