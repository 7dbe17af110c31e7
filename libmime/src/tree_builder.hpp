#pragma once
// The scan_handler behind parse(): turns scanner events into message's flat part
// table, with an explicit stack (no recursion, whatever the nesting).

#include <mime/message.hpp>
#include <mime/scanner.hpp>

#include <vector>

namespace cairn::mime {

class tree_builder final : public scan_handler {
public:
    tree_builder(message& out, std::span<const char> raw)
        : out_(out) {
        out_.raw_ = raw;
    }

    void on_part_begin(std::uint64_t offset, std::uint32_t depth) override;
    void on_header(std::string_view name, std::string_view value, std::uint64_t offset) override;
    void on_headers_end(const part_head& head) override;

    void on_body(std::string_view, std::uint64_t, body_role) override {}

    void on_part_end(const part_tail& tail) override;
    void on_defect(defect kind, std::uint64_t offset) override;

private:
    message& out_;
    std::vector<part_id> open_;       // ids of the parts not yet ended
    std::vector<part_id> last_child_; // per open part: its latest child, for sibling links
};

} // namespace cairn::mime
