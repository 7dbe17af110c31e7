#pragma once
// A streaming JSON writer (no DOM): values go straight to an std::ostream.
// Strings are escaped and always emitted as valid UTF-8 (ill-formed bytes become
// U+FFFD), so output stays parseable whatever the mail contained.

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace cairn::cli {

class json_writer {
public:
    explicit json_writer(std::ostream& out)
        : out_(out) {}

    json_writer& begin_object();
    json_writer& end_object();
    json_writer& begin_array();
    json_writer& end_array();
    /// Writes an object key; the next call writes its value.
    json_writer& key(std::string_view name);

    json_writer& value(std::string_view text);

    json_writer& value(const char* text) { return value(std::string_view(text)); }

    json_writer& value(const std::string& text) { return value(std::string_view(text)); }

    json_writer& value(std::int64_t number);
    json_writer& value(std::uint64_t number);

    json_writer& value(int number) { return value(static_cast<std::int64_t>(number)); }

    json_writer& value(bool flag);
    json_writer& null();
    /// The string, or null when absent.
    json_writer& value(const std::optional<std::string_view>& text);

private:
    void separate();
    std::ostream& out_;
    // One entry per open container: true once it holds an element.
    std::vector<bool> has_element_;
    bool after_key_ = false;
};

/// Writes `text` as a JSON string literal (quotes included).
void write_json_string(std::ostream& out, std::string_view text);

} // namespace cairn::cli
