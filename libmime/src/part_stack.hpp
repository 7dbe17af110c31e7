#pragma once
// The scanner's stack of open parts: one small frame per level of nesting, so
// memory grows with depth and never with body size.

#include <mime/scanner.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cairn::mime {

struct open_part {
    enum class stage : std::uint8_t { preamble, children, epilogue };

    std::uint32_t depth = 0;
    bool digest_child =
        false; ///< child of multipart/digest: defaults to message/rfc822 (RFC 2046 §5.1.5)
    bool in_headers = true;
    part_kind kind = part_kind::leaf;
    stage phase = stage::preamble;
    bool digest = false; ///< this is a multipart/digest
    bool delimiter_seen = false;
    bool closed = false;
    std::string boundary;
    // Copies of the two fields the scanner itself must read; the first of each
    // wins, as in Python's email package and GMime.
    std::string content_type;
    std::string transfer_encoding;
    bool has_content_type = false;
    bool has_transfer_encoding = false;

    [[nodiscard]] bool boundary_active() const noexcept {
        return kind == part_kind::multipart && !in_headers && phase != stage::epilogue;
    }

    [[nodiscard]] body_role role() const noexcept {
        if (kind != part_kind::multipart) {
            return body_role::content;
        }
        return phase == stage::epilogue ? body_role::epilogue : body_role::preamble;
    }
};

class part_stack {
public:
    void push(std::uint32_t depth, bool digest_child) {
        open_part& p = parts_.emplace_back();
        p.depth = depth;
        p.digest_child = digest_child;
    }

    void pop() {
        if (parts_.back().boundary_active()) {
            --active_;
        }
        parts_.pop_back();
    }

    [[nodiscard]] open_part& top() noexcept { return parts_.back(); }

    [[nodiscard]] const open_part& top() const noexcept { return parts_.back(); }

    [[nodiscard]] const open_part& at(std::size_t i) const noexcept { return parts_[i]; }

    [[nodiscard]] std::size_t size() const noexcept { return parts_.size(); }

    [[nodiscard]] bool empty() const noexcept { return parts_.empty(); }

    /// How many open multiparts still accept delimiters: lets a body with none
    /// skip line scanning entirely.
    [[nodiscard]] std::size_t active_boundaries() const noexcept { return active_; }

    void boundary_opened() noexcept { ++active_; }

    void boundary_closed() noexcept { --active_; }

private:
    std::vector<open_part> parts_;
    std::size_t active_ = 0;
};

} // namespace cairn::mime
