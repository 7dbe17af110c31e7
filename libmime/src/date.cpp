// Date header parsing: RFC 5322 §3.3, its obsolete forms (§4.3) and the
// broken dates real mailers write, by classifying a short token stream.
#include "date_lexer.hpp"

#include <mime/date.hpp>

#include <array>
#include <cstddef>

namespace cairn::mime {

namespace {

using namespace date_lexer;

int to_int(std::string_view digits) noexcept {
    // Longer digit runs than any field allows are rejected by range checks.
    if (digits.size() > 6) {
        return 1'000'000;
    }
    int value = 0;
    for (char c : digits) {
        value = value * 10 + (c - '0');
    }
    return value;
}

bool equals_ci(std::string_view word, std::string_view lower_name) noexcept {
    if (word.size() != lower_name.size()) {
        return false;
    }
    for (std::size_t i = 0; i < word.size(); ++i) {
        if (lower(word[i]) != lower_name[i]) {
            return false;
        }
    }
    return true;
}

/// True when `word` is at least three letters and starts `full_name`
/// ("Jan", "January", "Sept", "Thurs").
bool abbreviates(std::string_view word, std::string_view full_name) noexcept {
    return word.size() >= 3 && word.size() <= full_name.size() &&
           equals_ci(word, full_name.substr(0, word.size()));
}

constexpr std::array<std::string_view, 12> month_names{
    "january", "february", "march",     "april",   "may",      "june",
    "july",    "august",   "september", "october", "november", "december"};

constexpr std::array<std::string_view, 7> day_names{"monday", "tuesday",  "wednesday", "thursday",
                                                    "friday", "saturday", "sunday"};

int month_from_name(std::string_view word) noexcept {
    for (std::size_t m = 0; m < month_names.size(); ++m) {
        if (abbreviates(word, month_names[m])) {
            return static_cast<int>(m) + 1;
        }
    }
    return 0;
}

bool is_day_name(std::string_view word) noexcept {
    for (auto name : day_names) {
        if (abbreviates(word, name)) {
            return true;
        }
    }
    return false;
}

struct named_zone {
    std::string_view name;
    int offset_minutes;
};

// RFC 5322 §4.3 obs-zone: the North American names with their fixed offsets.
constexpr std::array<named_zone, 12> named_zones{{{"ut", 0},
                                                  {"utc", 0},
                                                  {"gmt", 0},
                                                  {"z", 0},
                                                  {"edt", -4 * 60},
                                                  {"est", -5 * 60},
                                                  {"cdt", -5 * 60},
                                                  {"cst", -6 * 60},
                                                  {"mdt", -6 * 60},
                                                  {"mst", -7 * 60},
                                                  {"pdt", -7 * 60},
                                                  {"pst", -8 * 60}}};

constexpr bool is_leap(int year) noexcept {
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

constexpr int days_in_month(int year, int month) noexcept {
    constexpr std::array<int, 12> days{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return month == 2 && is_leap(year) ? 29 : days[static_cast<std::size_t>(month - 1)];
}

/// Days since 1970-01-01 in the proleptic Gregorian calendar (Howard Hinnant's
/// days_from_civil), correct for any year, before 1970 and after 2038 alike.
constexpr std::int64_t days_from_civil(std::int64_t y, int m, int d) noexcept {
    y -= m <= 2 ? 1 : 0;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const std::int64_t yoe = y - era * 400;
    const std::int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static_assert(days_from_civil(1970, 1, 1) == 0);
static_assert(days_from_civil(2000, 3, 1) == 11017);
static_assert(days_from_civil(1969, 12, 31) == -1);

/// The fields as they are found; -1 means not seen yet.
struct fields {
    int year = -1;
    int year_digits = 0;
    int month = -1;
    int day = -1;
    int hour = -1;
    int minute = -1;
    int second = 0;
    int offset = 0;
    bool zone_seen = false;
    bool zone_numeric = false;
    bool zone_unknown = true;
    bool year_first = false; ///< ISO order (year-month-day)
};

class date_reader {
public:
    explicit date_reader(std::string_view text) noexcept
        : tokens_(text) {}

    std::optional<date_time> read() noexcept {
        std::size_t i = 0;
        while (i < tokens_.size()) {
            i = step(i);
        }
        return finish();
    }

private:
    /// Consumes the token(s) at `i` and returns the index of the next one.
    std::size_t step(std::size_t i) noexcept {
        const token& t = tokens_[i];
        switch (t.kind) {
        case token_kind::number:
            return tokens_.is(i + 1, token_kind::colon) && f_.hour < 0 ? read_time(i)
                                                                       : read_number(i);
        case token_kind::word:
            read_word(t.text);
            return i + 1;
        case token_kind::plus:
        case token_kind::minus:
            if (tokens_.is(i + 1, token_kind::number) && !tokens_[i + 1].space_before &&
                !f_.zone_numeric && (f_.hour >= 0 || (f_.day >= 0 && f_.year >= 0))) {
                return read_numeric_zone(i);
            }
            return i + 1; // a separator between date fields ("15-Jan-2024")
        default:
            return i + 1;
        }
    }

    /// hour ":" minute [":" second] ["." fraction] — RFC 5322 §3.3 time-of-day;
    /// CFWS around the colons is obsolete syntax (§4.3) and accepted.
    std::size_t read_time(std::size_t i) noexcept {
        f_.hour = to_int(tokens_[i].text);
        if (!tokens_.is(i + 2, token_kind::number)) {
            f_.minute = 0;
            return i + 2;
        }
        f_.minute = to_int(tokens_[i + 2].text);
        i += 3;
        if (tokens_.is(i, token_kind::colon) && tokens_.is(i + 1, token_kind::number)) {
            f_.second = to_int(tokens_[i + 1].text);
            i += 2;
        }
        // Fractional seconds (ISO 8601) carry nothing a Date header needs.
        if (tokens_.is(i, token_kind::dot) && tokens_.is(i + 1, token_kind::number) &&
            !tokens_[i].space_before) {
            i += 2;
        }
        return i;
    }

    std::size_t read_number(std::size_t i) noexcept {
        const std::string_view digits = tokens_[i].text;
        const int value = to_int(digits);
        if (digits.size() >= 3) {
            if (f_.year < 0) {
                f_.year = value;
                f_.year_digits = static_cast<int>(digits.size());
                f_.year_first = f_.day < 0 && f_.month < 0;
            }
        } else if (f_.year_first) {
            // ISO 8601 / "2024/01/15": month then day.
            if (f_.month < 0) {
                f_.month = value;
            } else if (f_.day < 0) {
                f_.day = value;
            }
        } else if (f_.day < 0) {
            f_.day = value;
        } else if (f_.month < 0 && f_.year < 0 && tokens_.is(i - 1, token_kind::dot) &&
                   !tokens_[i - 1].space_before) {
            f_.month = value; // numeric month, "15.01.2024" (dotted form only: "1/2" is ambiguous)
        } else if (f_.year < 0) {
            f_.year = value;
            f_.year_digits = static_cast<int>(digits.size());
        }
        return i + 1;
    }

    void read_word(std::string_view word) noexcept {
        if (const int month = month_from_name(word); month != 0) {
            if (f_.month < 0) {
                f_.month = month;
            }
            return;
        }
        if (is_day_name(word)) {
            return; // RFC 5322 §3.3: day-of-week is redundant; a wrong one is ignored.
        }
        if (f_.hour < 0) {
            return; // junk before the time, e.g. the "T" of ISO 8601 or "at"
        }
        if (equals_ci(word, "am") || equals_ci(word, "pm")) {
            if (f_.hour == 12) {
                f_.hour = 0;
            }
            if (equals_ci(word, "pm")) {
                f_.hour += 12;
            }
            return;
        }
        if (f_.zone_seen) {
            return; // "+0100 CET", "GMT GMT": the first zone wins
        }
        f_.zone_seen = true;
        f_.zone_unknown = true;
        f_.offset = 0;
        for (const auto& zone : named_zones) {
            if (equals_ci(word, zone.name)) {
                f_.zone_unknown = false;
                f_.offset = zone.offset_minutes;
                return;
            }
        }
        // RFC 5322 §4.3: military letters and other names read as -0000.
    }

    /// "+HHMM", "+HH:MM", "+H", "+HMM" — after the time, or after "GMT"/"UTC".
    std::size_t read_numeric_zone(std::size_t i) noexcept {
        const bool negative = tokens_[i].kind == token_kind::minus;
        const std::string_view digits = tokens_[i + 1].text;
        int hours = 0;
        int minutes = 0;
        std::size_t next = i + 2;
        if (digits.size() <= 2) {
            hours = to_int(digits);
            if (tokens_.is(next, token_kind::colon) && tokens_.is(next + 1, token_kind::number)) {
                minutes = to_int(tokens_[next + 1].text);
                next += 2;
            }
        } else if (digits.size() <= 4) {
            const int value = to_int(digits);
            hours = value / 100;
            minutes = value % 100;
        } else {
            hours = 100; // out of range: rejected in finish()
        }
        f_.zone_seen = true;
        f_.zone_numeric = true;
        f_.offset = (negative ? -1 : 1) * (hours * 60 + minutes);
        // RFC 5322 §3.3: "-0000" means the local offset is unknown.
        f_.zone_unknown = negative && hours == 0 && minutes == 0;
        zone_valid_ = hours <= 99 && minutes <= 59;
        return next;
    }

    std::optional<date_time> finish() const noexcept {
        if (f_.year < 0 || f_.month < 0 || f_.day < 0 || !zone_valid_) {
            return std::nullopt;
        }
        date_time d;
        d.year = f_.year;
        // RFC 5322 §4.3 obs-year: two digits 00-49 → 20xx, 50-99 → 19xx;
        // three digits are years since 1900.
        if (f_.year_digits <= 2) {
            d.year += f_.year < 50 ? 2000 : 1900;
        } else if (f_.year_digits == 3) {
            d.year += 1900;
        } else if (f_.year_digits > 4) {
            return std::nullopt;
        }
        d.month = f_.month;
        d.day = f_.day;
        d.hour = f_.hour < 0 ? 0 : f_.hour;
        d.minute = f_.minute < 0 ? 0 : f_.minute;
        d.second = f_.second;
        d.offset_minutes = f_.zone_unknown ? 0 : f_.offset;
        d.offset_unknown = f_.zone_unknown;
        if (d.month < 1 || d.month > 12 || d.day < 1 || d.day > days_in_month(d.year, d.month) ||
            d.hour > 23 || d.minute > 59 || d.second > 60) {
            return std::nullopt;
        }
        return d;
    }

    tokenizer tokens_;
    fields f_;
    bool zone_valid_ = true;
};

void append_two(std::string& out, int value) {
    out.push_back(static_cast<char>('0' + value / 10 % 10));
    out.push_back(static_cast<char>('0' + value % 10));
}

} // namespace

std::int64_t date_time::to_unix() const noexcept {
    const std::int64_t days = days_from_civil(year, month, day);
    const std::int64_t seconds = std::int64_t{hour} * 3600 + minute * 60 + second;
    const std::int64_t offset = offset_unknown ? 0 : std::int64_t{offset_minutes} * 60;
    return days * 86400 + seconds - offset;
}

std::string date_time::to_rfc3339() const {
    std::string out;
    out.reserve(25);
    append_two(out, year / 100);
    append_two(out, year % 100);
    out.push_back('-');
    append_two(out, month);
    out.push_back('-');
    append_two(out, day);
    out.push_back('T');
    append_two(out, hour);
    out.push_back(':');
    append_two(out, minute);
    out.push_back(':');
    append_two(out, second);
    if (offset_unknown) {
        out += "-00:00"; // RFC 3339 §4.3: UTC, local offset unknown
        return out;
    }
    const int magnitude = offset_minutes < 0 ? -offset_minutes : offset_minutes;
    out.push_back(offset_minutes < 0 ? '-' : '+');
    append_two(out, magnitude / 60);
    out.push_back(':');
    append_two(out, magnitude % 60);
    return out;
}

std::optional<date_time> parse_date(std::string_view raw_value) {
    return date_reader(raw_value).read();
}

} // namespace cairn::mime
