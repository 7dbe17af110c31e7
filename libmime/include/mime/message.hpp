#pragma once
// One-shot parse of a whole message in memory (a memory-mapped file, a stored
// message) into a flat table of parts.
//
// IMPORTANT (lifetime): a `message` borrows the buffer it was parsed from: header
// values and bodies are views into it. Keep the buffer alive (and unchanged) as
// long as the message. parse() on a temporary std::string does not compile.
//
// Never throws for malformed mail (only std::bad_alloc can escape): whatever was
// wrong is in defects(). Cost: one pass over the input; memory: a few dozen bytes
// per part and per header field.
//
// Example:
//     auto msg = cairn::mime::parse(bytes);
//     for (const auto& p : msg.parts())
//         if (p.kind == cairn::mime::part_kind::leaf) { ... msg.body(p) ... }

#include <mime/content_type.hpp>
#include <mime/defect.hpp>
#include <mime/options.hpp>
#include <mime/scanner.hpp>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cairn::mime {

using part_id = std::uint32_t;
inline constexpr part_id no_part = 0xffffffffu;

/// Half-open range of byte offsets into message::raw().
struct byte_range {
    std::uint64_t begin = 0;
    std::uint64_t end = 0;

    [[nodiscard]] std::uint64_t size() const noexcept { return end - begin; }
};

/// One header field: offsets of its name and raw value (see scan_handler::on_header).
struct header_field {
    byte_range name;
    byte_range value;
};

struct part {
    part_id id = 0;
    part_id parent = no_part;
    part_id first_child = no_part;
    part_id next_sibling = no_part;
    std::uint32_t depth = 0;
    /// leaf, multipart or message. A multipart in which no delimiter was found is
    /// a leaf (its whole body is its content), as Python's email package does.
    part_kind kind = part_kind::leaf;
    media_type type;             ///< effective media type (views into raw or static)
    bool type_defaulted = false; ///< no valid Content-Type was declared
    byte_range header;           ///< the header block (fields only)
    byte_range body;             ///< raw body: content of a leaf, preamble..epilogue of a container
    std::uint32_t first_field = 0; ///< index into message::fields()
    std::uint32_t field_count = 0;
};

class message {
public:
    message() = default;

    [[nodiscard]] std::span<const char> raw() const noexcept { return raw_; }

    [[nodiscard]] std::span<const part> parts() const noexcept { return parts_; }

    [[nodiscard]] const part& root() const noexcept { return parts_.front(); }

    [[nodiscard]] const part& at(part_id id) const { return parts_.at(id); }

    /// The bytes of a range (a view into raw()).
    [[nodiscard]] std::string_view bytes(byte_range range) const noexcept;

    /// A part's raw (transfer-encoded) body.
    [[nodiscard]] std::string_view body(const part& p) const noexcept { return bytes(p.body); }

    /// All header fields of a part, in order.
    [[nodiscard]] std::span<const header_field> fields(const part& p) const noexcept;

    [[nodiscard]] std::string_view field_name(const header_field& f) const noexcept {
        return bytes(f.name);
    }

    [[nodiscard]] std::string_view field_value(const header_field& f) const noexcept {
        return bytes(f.value);
    }

    /// Raw value of the first field named `name` (any case), if present.
    [[nodiscard]] std::optional<std::string_view> header(const part& p,
                                                         std::string_view name) const noexcept;
    /// Raw values of every field named `name`, in order.
    [[nodiscard]] std::vector<std::string_view> headers(const part& p, std::string_view name) const;

    /// Defects found while scanning this part (not those found by decoding it).
    [[nodiscard]] std::vector<defect_at> defects(const part& p) const;

    /// Every scanner defect with the part it belongs to, in the order found.
    struct owned_defect {
        part_id part;
        defect_at at;
    };

    [[nodiscard]] std::span<const owned_defect> all_defects() const noexcept { return defects_; }

private:
    friend class tree_builder;
    std::span<const char> raw_;
    std::vector<part> parts_;
    std::vector<header_field> fields_;
    std::vector<owned_defect> defects_;
};

/// Parses a complete message held in `raw`. See the lifetime note above.
[[nodiscard]] message parse(std::span<const char> raw, const parse_options& options = {});

[[nodiscard]] inline message parse(std::string_view raw, const parse_options& options = {}) {
    return parse(std::span<const char>(raw.data(), raw.size()), options);
}

/// Deleted: the result would point into a destroyed temporary.
message parse(std::string&& raw, const parse_options& options = {}) = delete;

} // namespace cairn::mime
