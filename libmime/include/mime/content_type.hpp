#pragma once
// Content-Type and Content-Disposition: media type and parameters.
//
// Parameters follow RFC 2045 §5.1 (token or quoted-string values) with RFC 2231
// continuations (`name*0=`, `name*1*=`), charset/language (`name*=utf-8'en'%E2%82%AC`)
// and percent-decoding, plus what real mail does: RFC 2047 encoded words inside
// quoted values (Outlook, Thunderbird), unquoted values with spaces, missing
// semicolons, duplicate parameters (first wins), bare 8-bit bytes (UTF-8 or sniffed).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cairn::mime {

/// A media type as written (views into the header value, or into static storage
/// for defaults). Compare with iequals(); print lowercased.
struct media_type {
    std::string_view type;                      ///< e.g. "text"
    std::string_view subtype;                   ///< e.g. "plain"
    bool is(std::string_view t) const noexcept; ///< type equals t, any case
    bool is(std::string_view t,
            std::string_view s) const noexcept; ///< type/subtype equal, any case
    /// "type/subtype" lowercased (the WHATWG MIME Sniffing "essence").
    [[nodiscard]] std::string essence() const;
};

/// ASCII case-insensitive equality.
[[nodiscard]] bool iequals(std::string_view a, std::string_view b) noexcept;

/// Reads `type/subtype` from the start of a Content-Type value (comments and
/// whitespace allowed, RFC 2045 §5.1). Returns nullopt when the value has no
/// valid `token/token` (RFC 2045 §5.2 then says: treat as text/plain, or the
/// context default).
[[nodiscard]] std::optional<media_type> parse_media_type(std::string_view value) noexcept;

/// One parameter, fully decoded: name lowercased, value as UTF-8 (RFC 2231
/// pieces joined and converted, RFC 2047 words decoded, quotes removed).
struct parameter {
    std::string name;
    std::string value;
};

/// All parameters of a Content-Type or Content-Disposition value (the part after
/// the first `;`), in order of first appearance, continuations assembled.
[[nodiscard]] std::vector<parameter> parse_parameters(std::string_view value);

/// The decoded value of one parameter (name any case), or nullopt.
[[nodiscard]] std::optional<std::string> find_parameter(std::string_view value,
                                                        std::string_view name);

/// The disposition type of a Content-Disposition value, lowercased: "inline",
/// "attachment", or (RFC 2183 §2.8: unknown types are treated as attachment)
/// "attachment" for any other token. Empty when the value has no token.
[[nodiscard]] std::string parse_disposition_type(std::string_view value);

} // namespace cairn::mime
