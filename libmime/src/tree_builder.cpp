#include "tree_builder.hpp"

namespace cairn::mime {

void tree_builder::on_part_begin(std::uint64_t offset, std::uint32_t depth) {
    const auto id = static_cast<part_id>(out_.parts_.size());
    part& p = out_.parts_.emplace_back();
    p.id = id;
    p.depth = depth;
    p.header = {offset, offset};
    p.body = {offset, offset};
    p.first_field = static_cast<std::uint32_t>(out_.fields_.size());
    if (!open_.empty()) {
        p.parent = open_.back();
        part_id& previous = last_child_.back();
        if (previous == no_part) {
            out_.parts_[p.parent].first_child = id;
        } else {
            out_.parts_[previous].next_sibling = id;
        }
        previous = id;
    }
    open_.push_back(id);
    last_child_.push_back(no_part);
}

void tree_builder::on_header(std::string_view name, std::string_view value, std::uint64_t offset) {
    // parse() feeds the whole buffer at once, so both views point into raw and
    // their distance from the name is their distance in the message.
    const auto value_offset = offset + static_cast<std::uint64_t>(value.data() - name.data());
    out_.fields_.push_back(
        {{offset, offset + name.size()}, {value_offset, value_offset + value.size()}});
    ++out_.parts_[open_.back()].field_count;
}

void tree_builder::on_headers_end(const part_head& head) {
    part& p = out_.parts_[open_.back()];
    p.header = {head.header_begin, head.header_end};
    p.body = {head.body_begin, head.body_begin};
    p.kind = head.kind;
    p.type_defaulted = head.type_defaulted;
    if (head.type_defaulted) {
        p.type = head.type; // static storage
    } else if (auto ct = out_.header(p, "content-type")) {
        // Re-read from raw so the views outlive the scanner's copy of the field.
        p.type = parse_media_type(*ct).value_or(head.type);
    }
}

void tree_builder::on_part_end(const part_tail& tail) {
    part& p = out_.parts_[open_.back()];
    p.body.end = tail.end;
    if (p.kind == part_kind::multipart && !tail.delimiter_seen) {
        // No delimiter at all: the body is one opaque leaf, as Python's email does.
        p.kind = part_kind::leaf;
    }
    open_.pop_back();
    last_child_.pop_back();
}

void tree_builder::on_defect(defect kind, std::uint64_t offset) {
    const part_id owner = open_.empty() ? 0 : open_.back();
    out_.defects_.push_back({owner, {kind, offset}});
}

message parse(std::span<const char> raw, const parse_options& options) {
    message msg;
    tree_builder builder(msg, raw);
    scanner scan(builder, options);
    scan.finish(raw);
    return msg;
}

} // namespace cairn::mime
