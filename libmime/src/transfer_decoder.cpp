// transfer_decoder and parse_transfer_encoding: choosing a Content-Transfer-Encoding
// decoder at run time (RFC 2045 §6).

#include "mime_lexer.hpp"

#include <mime/decoders.hpp>

#include <array>

namespace cairn::mime {

namespace {

bool equals_lowercase(std::string_view text, std::string_view lower) noexcept {
    if (text.size() != lower.size()) {
        return false;
    }
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (detail::ascii_lower(text[i]) != lower[i]) {
            return false;
        }
    }
    return true;
}

} // namespace

transfer_encoding parse_transfer_encoding(std::string_view value) noexcept {
    std::size_t start = detail::skip_cfws(value, 0);
    // Some mailers quote the value ("base64"); the quotes carry no meaning.
    if (start < value.size() && value[start] == '"') {
        ++start;
    }
    const std::size_t end = detail::skip_token(value, start);
    const auto token = value.substr(start, end - start);
    if (equals_lowercase(token, "base64")) {
        return transfer_encoding::base64;
    }
    if (equals_lowercase(token, "quoted-printable")) {
        return transfer_encoding::quoted_printable;
    }
    constexpr std::array<std::string_view, 4> uuencode_names = {"x-uuencode", "uuencode", "x-uue",
                                                                "uue"};
    for (const auto name : uuencode_names) {
        if (equals_lowercase(token, name)) {
            return transfer_encoding::uuencode;
        }
    }
    // 7bit, 8bit, binary, and (RFC 2045 §6.4) unknown values: treat as opaque.
    return transfer_encoding::identity;
}

void transfer_decoder::step(std::string_view in, sink_ref out) {
    switch (kind_) {
    case transfer_encoding::identity:
        out.write(in);
        break;
    case transfer_encoding::base64:
        base64_.step(in, out);
        break;
    case transfer_encoding::quoted_printable:
        qp_.step(in, out);
        break;
    case transfer_encoding::uuencode:
        uu_.step(in, out);
        break;
    }
}

void transfer_decoder::finish(sink_ref out) {
    switch (kind_) {
    case transfer_encoding::identity:
        break;
    case transfer_encoding::base64:
        base64_.finish(out);
        break;
    case transfer_encoding::quoted_printable:
        qp_.finish(out);
        break;
    case transfer_encoding::uuencode:
        uu_.finish(out);
        break;
    }
}

defect_set transfer_decoder::defects() const noexcept {
    switch (kind_) {
    case transfer_encoding::base64:
        return base64_.defects();
    case transfer_encoding::quoted_printable:
        return qp_.defects();
    case transfer_encoding::uuencode:
        return uu_.defects();
    case transfer_encoding::identity:
        break;
    }
    return {};
}

} // namespace cairn::mime
