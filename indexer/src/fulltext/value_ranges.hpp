#pragma once
// The values of date: and size: as a user writes them, turned into inclusive
// ranges of the numbers stored in the value slots (fields.hpp). Pure functions
// with no Xapian in them, so every form is tested on its own; the query parser
// (query_builder.cpp) wraps the results into value-range queries.
//
// Dates are UTC. A calendar value names a period and a range endpoint takes the
// period's first second as a start and its last second as an end, so
// date:2024-01..2024-03 runs from 2024-01-01T00:00:00 to 2024-03-31T23:59:59,
// as in notmuch and mu. Relative values count back from `now`: 7d, 2w, 3m
// (calendar months), 1y (calendar years), 12h. A value alone is its period
// (date:2024-03), or for a relative value the span up to now (date:7d).

#include <cstdint>
#include <optional>
#include <string_view>

namespace cairn::index::detail {

/// An inclusive range; an empty side is open.
struct bounds {
    std::optional<std::int64_t> low, high;
    friend bool operator==(const bounds&, const bounds&) = default;
};

/// date:BEGIN..END (either side may be empty). Throws query_error naming the
/// bad endpoint and the accepted forms.
[[nodiscard]] bounds parse_date_range(std::string_view begin, std::string_view end,
                                      std::int64_t now);

/// date:VALUE; a VALUE containing ".." is treated as a range.
[[nodiscard]] bounds parse_date_value(std::string_view value, std::int64_t now);

/// size:BEGIN..END in bytes; "10k", "2M", "1G", "1.5M", "500" (k/M/G are 1024-based,
/// case-insensitive, an optional trailing 'b'). Throws query_error.
[[nodiscard]] bounds parse_size_range(std::string_view begin, std::string_view end);

/// size:VALUE: that exact size, or a range when VALUE contains "..".
[[nodiscard]] bounds parse_size_value(std::string_view value);

} // namespace cairn::index::detail
