#pragma once
// RFC 5322 §3.3 dates, and the broken forms found in real mail.
//
// Accepts: optional day name; two- and three-digit years (RFC 5322 §4.3:
// 00–49 → 20xx, 50–99 → 19xx, three digits + 1900); missing seconds; named
// zones (UT, GMT, Z, EST/EDT, CST/CDT, MST/MDT, PST/PDT; military letters and
// unknown names read as -0000); `+HH:MM` and `+HHMM`; junk after the zone
// (`(CET)`, `CEST`, `+0200 (GMT+02:00)`); dots or dashes between the date
// fields; ISO-8601 `2024-01-15T18:38:12+08:00`; asctime `Mon Jan 15 18:38:12 2024`.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cairn::mime {

struct date_time {
    int year = 1970;
    int month = 1; ///< 1..12
    int day = 1;   ///< 1..31
    int hour = 0;
    int minute = 0;
    int second = 0;         ///< 0..60 (leap second kept)
    int offset_minutes = 0; ///< local offset from UTC, e.g. +480 for +0800
    bool offset_unknown =
        false; ///< written as -0000 (or an unknown zone): UTC, offset unknown (RFC 5322 §3.3)

    /// Seconds since 1970-01-01T00:00:00Z.
    [[nodiscard]] std::int64_t to_unix() const noexcept;
    /// RFC 3339 with the message's own offset, e.g. "2024-01-15T18:38:12+08:00";
    /// "-00:00" when the offset is unknown (RFC 3339 §4.3).
    [[nodiscard]] std::string to_rfc3339() const;
    friend bool operator==(const date_time&, const date_time&) = default;
};

/// Parses a Date header value; nullopt when no date can be read (out-of-range
/// fields count as unreadable).
[[nodiscard]] std::optional<date_time> parse_date(std::string_view raw_value);

} // namespace cairn::mime
