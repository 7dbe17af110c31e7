#include <mime/message.hpp>

namespace cairn::mime {

std::string_view message::bytes(byte_range range) const noexcept {
    return {raw_.data() + range.begin, static_cast<std::size_t>(range.size())};
}

std::span<const header_field> message::fields(const part& p) const noexcept {
    return std::span<const header_field>(fields_).subspan(p.first_field, p.field_count);
}

std::optional<std::string_view> message::header(const part& p,
                                                std::string_view name) const noexcept {
    for (const header_field& f : fields(p)) {
        if (iequals(field_name(f), name)) {
            return field_value(f);
        }
    }
    return std::nullopt;
}

std::vector<std::string_view> message::headers(const part& p, std::string_view name) const {
    std::vector<std::string_view> values;
    for (const header_field& f : fields(p)) {
        if (iequals(field_name(f), name)) {
            values.push_back(field_value(f));
        }
    }
    return values;
}

std::vector<defect_at> message::defects(const part& p) const {
    std::vector<defect_at> found;
    for (const owned_defect& d : defects_) {
        if (d.part == p.id) {
            found.push_back(d.at);
        }
    }
    return found;
}

} // namespace cairn::mime
