#pragma once
// A scan_handler that records every event as one line of text (llhttp's callback
// logs), for split_fuzzer. Consecutive body events of the same part and role are
// merged when they are contiguous, so the log does not depend on how the input
// was split into chunks. Views are copied: they die with the callback
// (scanner.hpp, lifetime note).

#include <mime/defect.hpp>
#include <mime/scanner.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cairn::fuzz {

class recording_handler final : public mime::scan_handler {
public:
    void on_part_begin(std::uint64_t offset, std::uint32_t depth) override {
        add("begin @" + std::to_string(offset) + " depth=" + std::to_string(depth));
    }

    void on_header(std::string_view name, std::string_view value, std::uint64_t offset) override {
        add("header @" + std::to_string(offset) + " [" + std::string(name) + "] [" +
            std::string(value) + "]");
    }

    void on_headers_end(const mime::part_head& h) override {
        add("headers_end " + std::to_string(h.header_begin) + ".." + std::to_string(h.header_end) +
            " body@" + std::to_string(h.body_begin) + " type=" + std::string(h.type.type) + "/" +
            std::string(h.type.subtype) + (h.type_defaulted ? " defaulted" : "") +
            " kind=" + std::to_string(static_cast<int>(h.kind)));
    }

    void on_body(std::string_view bytes, std::uint64_t offset, mime::body_role role) override {
        const auto r = static_cast<int>(role);
        if (!events_.empty() && events_.back().role == r &&
            events_.back().offset + events_.back().body.size() == offset) {
            events_.back().body.append(bytes);
            return;
        }
        events_.push_back({"body @" + std::to_string(offset) + " role=" + std::to_string(r),
                           std::string(bytes), offset, r});
    }

    void on_part_end(const mime::part_tail& t) override {
        add("end body_end=" + std::to_string(t.body_end) + " end=" + std::to_string(t.end) +
            (t.delimiter_seen ? " delimiter_seen" : "") + (t.closed ? " closed" : ""));
    }

    void on_defect(mime::defect kind, std::uint64_t offset) override {
        add("defect " + std::string(mime::to_string(kind)) + " @" + std::to_string(offset));
    }

    struct event {
        std::string text;
        std::string body; // body events only: the merged bytes
        std::uint64_t offset = 0;
        int role = -1; // body events only

        friend bool operator==(const event& a, const event& b) {
            return a.text == b.text && a.body == b.body;
        }
    };

    [[nodiscard]] const std::vector<event>& events() const noexcept { return events_; }

private:
    void add(std::string text) { events_.push_back({std::move(text), {}, 0, -1}); }

    std::vector<event> events_;
};

} // namespace cairn::fuzz
