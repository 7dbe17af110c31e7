// encoded_word_fuzzer: the text decoders for header values and bodies — RFC 2047
// encoded words, RFC 2045/2231 parameters, HTML to text and RFC 3676
// format=flowed — on arbitrary bytes.

#include "fuzz_check.hpp"

#include <mime/content_type.hpp>
#include <mime/encoded_word.hpp>
#include <mime/flowed.hpp>
#include <mime/html_text.hpp>

#include <cstdint>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace cairn;
    const std::string_view value = fuzz::as_text(data, size);

    fuzz::check(fuzz::utf8_ok(mime::decode_header_text(value)), "decoded header is not UTF-8");
    fuzz::check(fuzz::utf8_ok(mime::decode_header_text(value, "shift_jis")),
                "decoded header (fallback shift_jis) is not UTF-8");
    const std::string unfolded = mime::unfold(value);
    fuzz::check(unfolded.size() <= value.size(), "unfold() grew the value");

    for (const mime::parameter& p : mime::parse_parameters(value)) {
        for (char c : p.name) {
            fuzz::check(c < 'A' || c > 'Z', "parameter name is not lowercased");
        }
        fuzz::check(fuzz::utf8_ok(p.value), "parameter value is not UTF-8");
    }
    (void)mime::find_parameter(value, "filename");
    (void)mime::parse_media_type(value);
    (void)mime::parse_disposition_type(value);

    (void)mime::html_to_text(value);
    (void)mime::unwrap_flowed(value, false);
    (void)mime::unwrap_flowed(value, true);
    return 0;
}
