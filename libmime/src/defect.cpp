#include <mime/defect.hpp>

namespace cairn::mime {

std::string_view to_string(defect kind) noexcept {
    switch (kind) {
    case defect::close_boundary_not_found:
        return "close_boundary_not_found";
    case defect::start_boundary_not_found:
        return "start_boundary_not_found";
    case defect::no_boundary_in_multipart:
        return "no_boundary_in_multipart";
    case defect::multipart_invariant_violation:
        return "multipart_invariant_violation";
    case defect::missing_header_body_separator:
        return "missing_header_body_separator";
    case defect::first_header_line_is_continuation:
        return "first_header_line_is_continuation";
    case defect::header_without_colon:
        return "header_without_colon";
    case defect::header_8bit:
        return "header_8bit";
    case defect::header_too_long:
        return "header_too_long";
    case defect::nesting_too_deep:
        return "nesting_too_deep";
    case defect::too_many_parts:
        return "too_many_parts";
    case defect::truncated_message:
        return "truncated_message";
    case defect::message_rfc822_encoded:
        return "message_rfc822_encoded";
    case defect::invalid_base64_characters:
        return "invalid_base64_characters";
    case defect::invalid_base64_padding:
        return "invalid_base64_padding";
    case defect::invalid_base64_length:
        return "invalid_base64_length";
    case defect::data_after_base64_padding:
        return "data_after_base64_padding";
    case defect::invalid_quoted_printable:
        return "invalid_quoted_printable";
    case defect::invalid_uuencode:
        return "invalid_uuencode";
    case defect::invalid_charset:
        return "invalid_charset";
    case defect::invalid_multibyte_sequence:
        return "invalid_multibyte_sequence";
    case defect::undeclared_8bit_text:
        return "undeclared_8bit_text";
    }
    return "unknown";
}

} // namespace cairn::mime
