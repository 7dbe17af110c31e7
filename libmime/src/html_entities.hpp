#pragma once
// HTML character references (&amp;, &copy2024, &#x20AC;, &#128;) as the
// WHATWG tokenizer reads them, private to libmime.

#include <array>
#include <cstddef>
#include <string_view>

namespace cairn::mime::html {

struct char_ref {
    std::size_t end = 0;    ///< one past the reference; 0 when '&' starts none
    std::string_view value; ///< UTF-8: in the entity table or in the caller's buffer
};

/// Decodes the reference whose '&' is at in[amp]; buf holds a numeric one's UTF-8.
char_ref decode_char_ref(std::string_view in, std::size_t amp, std::array<char, 4>& buf);

} // namespace cairn::mime::html
