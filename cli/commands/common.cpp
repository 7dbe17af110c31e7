#include "commands/common.hpp"

#include "commands/commands.hpp"

#include <fmt/format.h>

#include <chrono>

namespace cairn::cli {
namespace {

struct civil {
    int year, month, day, hour, minute, second;
};

// Howard Hinnant's civil_from_days, on seconds shifted by the offset.
civil to_civil(std::int64_t unix_seconds, int offset_minutes) {
    const std::int64_t local = unix_seconds + std::int64_t{offset_minutes} * 60;
    std::int64_t days = local / 86400;
    std::int64_t rest = local % 86400;
    if (rest < 0) {
        rest += 86400;
        --days;
    }
    const auto ymd = std::chrono::year_month_day(std::chrono::sys_days(std::chrono::days(days)));
    return {static_cast<int>(ymd.year()),
            static_cast<int>(static_cast<unsigned>(ymd.month())),
            static_cast<int>(static_cast<unsigned>(ymd.day())),
            static_cast<int>(rest / 3600),
            static_cast<int>(rest / 60 % 60),
            static_cast<int>(rest % 60)};
}

} // namespace

void add_archive_option(CLI::App& cmd, std::string& dir) {
    cmd.add_option("--archive", dir,
                   "Archive folder (default: $CAIRN_ARCHIVE, else ~/.local/share/cairn)");
}

index::archive open_archive(const std::string& dir, bool writable) {
    const std::filesystem::path path =
        dir.empty() ? index::archive::default_dir() : std::filesystem::path(dir);
    try {
        return index::archive::open(path, writable);
    } catch (const index::archive_error& e) {
        throw failure(exit_archive, e.what());
    }
}

std::string format_date(std::int64_t unix_seconds, int offset_minutes) {
    const civil c = to_civil(unix_seconds, offset_minutes);
    const int magnitude = offset_minutes < 0 ? -offset_minutes : offset_minutes;
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{}{:02}:{:02}", c.year, c.month, c.day,
                       c.hour, c.minute, c.second, offset_minutes < 0 ? '-' : '+', magnitude / 60,
                       magnitude % 60);
}

std::string short_date(const std::optional<std::int64_t>& unix_seconds, int offset_minutes) {
    if (!unix_seconds) {
        return "----------------";
    }
    const civil c = to_civil(*unix_seconds, offset_minutes);
    return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}", c.year, c.month, c.day, c.hour, c.minute);
}

void write_row_json(json_writer& json, const index::message_row& row) {
    json.key("id").value(row.id);
    json.key("message_id").value(row.message_id);
    json.key("date");
    if (row.date) {
        json.value(format_date(*row.date, row.date_offset_minutes));
    } else {
        json.null();
    }
    json.key("from").begin_object();
    json.key("name").value(row.from.name).key("address").value(row.from.address).end_object();
    json.key("subject").value(row.subject);
    json.key("thread").value(row.thread);
    json.key("size").value(row.size);
    json.key("sha256").value(row.hash.hex());
}

index::message_key resolve_message(const index::archive& archive, const std::string& reference) {
    if (const auto id = archive.resolve(reference)) {
        return *id;
    }
    throw failure(exit_no_match, "no message " + reference);
}

} // namespace cairn::cli
