// Envelope records: encoding and a strict decoder.
#include "store/little_endian.hpp"

#include <indexer/envelope_record.hpp>

#include <cstdint>
#include <cstring>

namespace cairn::index {
namespace {

using store_detail::get_le;
using store_detail::put_le;

constexpr std::uint8_t format_version = 1;

template <class Unsigned>
void append_le(std::string& out, Unsigned value) {
    char bytes[sizeof(Unsigned)];
    put_le(bytes, value);
    out.append(bytes, sizeof bytes);
}

void append_string(std::string& out, std::string_view value) {
    append_le(out, static_cast<std::uint32_t>(value.size()));
    out.append(value);
}

/// Reads fields front to back; any read past the end fails the whole decode.
class field_reader {
public:
    explicit field_reader(std::string_view bytes)
        : rest_(bytes) {}

    [[nodiscard]] bool failed() const noexcept { return failed_; }

    [[nodiscard]] bool done() const noexcept { return !failed_ && rest_.empty(); }

    std::string_view take(std::size_t length) {
        if (failed_ || length > rest_.size()) {
            failed_ = true;
            return {};
        }
        const std::string_view piece = rest_.substr(0, length);
        rest_.remove_prefix(length);
        return piece;
    }

    template <class Unsigned>
    Unsigned integer() {
        const std::string_view piece = take(sizeof(Unsigned));
        return failed_ ? 0 : get_le<Unsigned>(piece.data());
    }

    std::string string() { return std::string(take(integer<std::uint32_t>())); }

private:
    std::string_view rest_;
    bool failed_ = false;
};

} // namespace

std::string encode_envelope_record(const envelope_record& record) {
    const envelope& env = record.env;
    std::string out;
    out.push_back(static_cast<char>(format_version));
    out.append(reinterpret_cast<const char*>(record.message.bytes().data()), content_hash::size);
    out.push_back(static_cast<char>(env.kind));
    out.push_back(env.tls ? 1 : 0);
    append_le(out, static_cast<std::uint64_t>(env.received_at));
    append_le(out, env.offset);
    append_le(out, static_cast<std::uint64_t>(env.mtime));
    append_le(out, env.file_size);
    for (const std::string* field :
         {&env.path, &env.folder, &env.flags, &env.client_address, &env.helo, &env.mail_from}) {
        append_string(out, *field);
    }
    append_le(out, static_cast<std::uint32_t>(env.rcpt_to.size()));
    for (const std::string& rcpt : env.rcpt_to) {
        append_string(out, rcpt);
    }
    return out;
}

std::optional<envelope_record> decode_envelope_record(std::string_view bytes) {
    field_reader in(bytes);
    if (in.integer<std::uint8_t>() != format_version) {
        return std::nullopt;
    }
    envelope_record record;
    content_hash::bytes_type digest{};
    const std::string_view hash = in.take(content_hash::size);
    if (in.failed()) {
        return std::nullopt;
    }
    std::memcpy(digest.data(), hash.data(), content_hash::size);
    record.message = content_hash(digest);
    envelope& env = record.env;
    const auto kind = in.integer<std::uint8_t>();
    const auto tls = in.integer<std::uint8_t>();
    if (kind > static_cast<std::uint8_t>(source_kind::lmtp) || tls > 1) {
        return std::nullopt;
    }
    env.kind = static_cast<source_kind>(kind);
    env.tls = tls == 1;
    env.received_at = static_cast<std::int64_t>(in.integer<std::uint64_t>());
    env.offset = in.integer<std::uint64_t>();
    env.mtime = static_cast<std::int64_t>(in.integer<std::uint64_t>());
    env.file_size = in.integer<std::uint64_t>();
    for (std::string* field :
         {&env.path, &env.folder, &env.flags, &env.client_address, &env.helo, &env.mail_from}) {
        *field = in.string();
    }
    const auto recipients = in.integer<std::uint32_t>();
    // Each needs at least its 4-byte length: a damaged count cannot reserve
    // memory the bytes could not fill.
    if (in.failed() || recipients > bytes.size() / 4) {
        return std::nullopt;
    }
    env.rcpt_to.reserve(recipients);
    for (std::uint32_t i = 0; i < recipients && !in.failed(); ++i) {
        env.rcpt_to.push_back(in.string());
    }
    if (!in.done()) {
        return std::nullopt;
    }
    return record;
}

} // namespace cairn::index
