#include "fulltext/value_ranges.hpp"

#include <indexer/fulltext.hpp>

#include <charconv>
#include <chrono>
#include <cmath>
#include <string>
#include <utility>

namespace cairn::index::detail {

namespace {

namespace chr = std::chrono;

using period = std::pair<std::int64_t, std::int64_t>; // first and last second

constexpr std::int64_t day_seconds = 86'400;

constexpr std::string_view date_forms =
    "expected YYYY, YYYY-MM, YYYY-MM-DD, today, yesterday, now, or a count back from now "
    "such as 12h, 7d, 2w, 3m, 1y";

std::int64_t to_unix(chr::sys_days day) {
    return static_cast<std::int64_t>(day.time_since_epoch().count()) * day_seconds;
}

chr::sys_days day_of(std::int64_t unix_seconds) {
    return chr::floor<chr::days>(chr::sys_seconds(chr::seconds(unix_seconds)));
}

// Reads exactly `digits` decimal digits at the front of `text`.
std::optional<int> take_number(std::string_view& text, std::size_t digits) {
    if (text.size() < digits) {
        return std::nullopt;
    }
    int value = 0;
    for (std::size_t i = 0; i < digits; ++i) {
        if (text[i] < '0' || text[i] > '9') {
            return std::nullopt;
        }
        value = value * 10 + (text[i] - '0');
    }
    text.remove_prefix(digits);
    return value;
}

bool take_dash(std::string_view& text) {
    if (text.empty() || text.front() != '-') {
        return false;
    }
    text.remove_prefix(1);
    return true;
}

// YYYY, YYYY-MM or YYYY-MM-DD (ISO 8601's calendar dates, the forms mu and
// notmuch accept too).
std::optional<period> calendar_period(std::string_view text) {
    auto year = take_number(text, 4);
    if (!year) {
        return std::nullopt;
    }
    const chr::year y{*year};
    if (text.empty()) {
        return period{to_unix(y / chr::January / 1),
                      to_unix((y + chr::years{1}) / chr::January / 1) - 1};
    }
    std::optional<int> month;
    if (!take_dash(text) || !(month = take_number(text, 2)) || *month < 1 || *month > 12) {
        return std::nullopt;
    }
    const chr::year_month ym = y / chr::month{static_cast<unsigned>(*month)};
    if (text.empty()) {
        return period{to_unix(ym / 1), to_unix((ym + chr::months{1}) / 1) - 1};
    }
    std::optional<int> day;
    if (!take_dash(text) || !(day = take_number(text, 2)) || !text.empty()) {
        return std::nullopt;
    }
    const chr::year_month_day ymd = ym / chr::day{static_cast<unsigned>(*day)};
    if (!ymd.ok()) {
        return std::nullopt;
    }
    const auto first = to_unix(chr::sys_days(ymd));
    return period{first, first + day_seconds - 1};
}

// 12h, 7d, 2w, 3m, 1y: the moment that long before `now`.
std::optional<std::int64_t> relative_moment(std::string_view text, std::int64_t now) {
    if (text.size() < 2) {
        return std::nullopt;
    }
    std::int64_t count = 0;
    const auto* last = text.data() + text.size() - 1;
    auto [end, ec] = std::from_chars(text.data(), last, count);
    if (ec != std::errc{} || end != last || count < 0 || count > 100'000) {
        return std::nullopt;
    }
    switch (*last) {
    case 'h':
        return now - count * 3600;
    case 'd':
        return now - count * day_seconds;
    case 'w':
        return now - count * 7 * day_seconds;
    case 'm':
    case 'y': {
        // Calendar months and years: 3m before 31 May is 28/29 February (the day
        // is clamped to the month's end), at the same time of day.
        const auto day = day_of(now);
        const std::int64_t time_of_day = now - to_unix(day);
        const chr::year_month_day ymd{day};
        const auto months = chr::months{*last == 'm' ? count : count * 12};
        chr::year_month_day back = ymd - months;
        if (!back.ok()) {
            back = back.year() / back.month() / chr::last;
        }
        return to_unix(chr::sys_days(back)) + time_of_day;
    }
    default:
        return std::nullopt;
    }
}

struct date_value {
    period span;
    bool relative = false;
};

date_value parse_date(std::string_view text, std::int64_t now) {
    const auto today = to_unix(day_of(now));
    if (text == "today") {
        return {{today, today + day_seconds - 1}};
    }
    if (text == "yesterday") {
        return {{today - day_seconds, today - 1}};
    }
    if (text == "now") {
        return {{now, now}, true};
    }
    if (auto p = calendar_period(text)) {
        return {*p};
    }
    if (auto moment = relative_moment(text, now)) {
        return {{*moment, *moment}, true};
    }
    throw query_error("bad date '" + std::string(text) + "' in date: query; " +
                      std::string(date_forms));
}

std::optional<std::int64_t> parse_size(std::string_view text) {
    if (!text.empty() && (text.back() == 'b' || text.back() == 'B')) {
        text.remove_suffix(1);
    }
    double multiplier = 1;
    if (!text.empty()) {
        switch (text.back()) {
        case 'k':
        case 'K':
            multiplier = 1024.0;
            break;
        case 'm':
        case 'M':
            multiplier = 1024.0 * 1024.0;
            break;
        case 'g':
        case 'G':
            multiplier = 1024.0 * 1024.0 * 1024.0;
            break;
        default:
            break;
        }
    }
    if (multiplier != 1) {
        text.remove_suffix(1);
    }
    if (text.empty() || text.front() < '0' || text.front() > '9') {
        return std::nullopt;
    }
    double number = 0;
    auto [end, ec] =
        std::from_chars(text.data(), text.data() + text.size(), number, std::chars_format::fixed);
    const double bytes = number * multiplier;
    if (ec != std::errc{} || end != text.data() + text.size() || !(bytes < 9.0e18)) {
        return std::nullopt;
    }
    return static_cast<std::int64_t>(std::llround(bytes));
}

std::int64_t size_or_throw(std::string_view text) {
    if (auto size = parse_size(text)) {
        return *size;
    }
    throw query_error("bad size '" + std::string(text) +
                      "' in size: query; expected a number of bytes with an optional k, M or G "
                      "(1024-based), such as 500, 10k, 2M, 1.5G");
}

// "a..b" → {"a", "b"}; std::nullopt when there is no "..".
std::optional<std::pair<std::string_view, std::string_view>> split_range(std::string_view text) {
    const auto dots = text.find("..");
    if (dots == std::string_view::npos) {
        return std::nullopt;
    }
    return std::pair{text.substr(0, dots), text.substr(dots + 2)};
}

} // namespace

bounds parse_date_range(std::string_view begin, std::string_view end, std::int64_t now) {
    bounds result;
    if (!begin.empty()) {
        result.low = parse_date(begin, now).span.first;
    }
    if (!end.empty()) {
        result.high = parse_date(end, now).span.second;
    }
    return result;
}

bounds parse_date_value(std::string_view value, std::int64_t now) {
    if (auto range = split_range(value)) {
        return parse_date_range(range->first, range->second, now);
    }
    const auto parsed = parse_date(value, now);
    if (parsed.relative) {
        return {parsed.span.first, now}; // date:7d means "the last 7 days"
    }
    return {parsed.span.first, parsed.span.second};
}

bounds parse_size_range(std::string_view begin, std::string_view end) {
    bounds result;
    if (!begin.empty()) {
        result.low = size_or_throw(begin);
    }
    if (!end.empty()) {
        result.high = size_or_throw(end);
    }
    return result;
}

bounds parse_size_value(std::string_view value) {
    if (auto range = split_range(value)) {
        return parse_size_range(range->first, range->second);
    }
    const auto size = size_or_throw(value);
    return {size, size};
}

} // namespace cairn::index::detail
