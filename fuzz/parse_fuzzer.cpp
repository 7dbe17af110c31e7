// parse_fuzzer: everything a reader of a message does, on arbitrary bytes.
//
// parse(), then the structural facts message.hpp promises (ids, links and byte
// ranges inside raw()), then every leaf decoded (decode_body, decode_text, the
// filename and disposition helpers), body_text(), and every header field through
// the decoder its name calls for. Text that libmime hands out as UTF-8 is checked
// to be well-formed UTF-8.

#include "fuzz_check.hpp"

#include <mime/address.hpp>
#include <mime/body.hpp>
#include <mime/content_type.hpp>
#include <mime/date.hpp>
#include <mime/encoded_word.hpp>
#include <mime/message.hpp>
#include <mime/sink.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace {

using namespace cairn;
using fuzz::check;

void check_range(const mime::message& msg, mime::byte_range r, const char* what) {
    check(r.begin <= r.end && r.end <= msg.raw().size(), what);
}

void check_structure(const mime::message& msg) {
    const auto parts = msg.parts();
    check(!parts.empty(), "parse() returned no root part");
    check(parts.front().parent == mime::no_part && parts.front().depth == 0, "bad root part");
    const auto in_table = [&](mime::part_id id) {
        return id == mime::no_part || id < parts.size();
    };
    for (std::size_t i = 0; i < parts.size(); ++i) {
        const mime::part& p = parts[i];
        check(p.id == i, "part id is not its index");
        check(in_table(p.first_child) && in_table(p.next_sibling), "part link out of range");
        if (i > 0) {
            check(p.parent < i, "parent does not precede its child");
            check(p.depth == parts[p.parent].depth + 1, "depth is not parent depth + 1");
            check(parts[p.parent].kind != mime::part_kind::leaf, "a leaf has children");
        }
        check(p.kind != mime::part_kind::leaf || p.first_child == mime::no_part,
              "leaf with a first child");
        check_range(msg, p.header, "header range outside raw()");
        check_range(msg, p.body, "body range outside raw()");
        check(p.header.end <= p.body.begin || p.body.size() == 0, "body starts inside the header");
        for (const mime::header_field& f : msg.fields(p)) {
            check_range(msg, f.name, "field name outside raw()");
            check_range(msg, f.value, "field value outside raw()");
        }
    }
    for (const auto& d : msg.all_defects()) {
        check(d.part < parts.size(), "defect owned by no part");
        check(!mime::to_string(d.at.kind).empty(), "defect without a name");
    }
}

void check_date(const mime::date_time& d) {
    check(d.month >= 1 && d.month <= 12 && d.day >= 1 && d.day <= 31, "date out of range");
    check(d.hour >= 0 && d.hour <= 23 && d.minute >= 0 && d.minute <= 59 && d.second >= 0 &&
              d.second <= 60,
          "time out of range");
    check(!d.to_rfc3339().empty(), "empty RFC 3339 date");
    (void)d.to_unix();
}

void decode_fields(const mime::message& msg, const mime::part& p) {
    for (const mime::header_field& f : msg.fields(p)) {
        const std::string_view name = msg.field_name(f);
        const std::string_view value = msg.field_value(f);
        if (mime::iequals(name, "subject") || mime::iequals(name, "comments")) {
            check(fuzz::utf8_ok(mime::decode_header_text(value)), "subject is not UTF-8");
        } else if (mime::iequals(name, "from") || mime::iequals(name, "to") ||
                   mime::iequals(name, "cc") || mime::iequals(name, "reply-to") ||
                   mime::iequals(name, "sender")) {
            for (const mime::mailbox& m : mime::parse_address_list(value)) {
                check(fuzz::utf8_ok(m.name), "display name is not UTF-8");
            }
        } else if (mime::iequals(name, "message-id") || mime::iequals(name, "references") ||
                   mime::iequals(name, "in-reply-to")) {
            (void)mime::parse_message_ids(value);
        } else if (mime::iequals(name, "date")) {
            if (auto d = mime::parse_date(value)) {
                check_date(*d);
            }
        } else if (mime::iequals(name, "content-type") ||
                   mime::iequals(name, "content-disposition")) {
            for (const mime::parameter& param : mime::parse_parameters(value)) {
                check(fuzz::utf8_ok(param.value), "parameter value is not UTF-8");
            }
        }
    }
}

void decode_leaf(const mime::message& msg, const mime::part& p) {
    std::string bytes;
    mime::string_sink bytes_out{bytes};
    (void)mime::decode_body(msg, p, bytes_out);
    if (p.type.is("text")) {
        std::string text;
        mime::string_sink text_out{text};
        (void)mime::decode_text(msg, p, text_out);
        check(fuzz::utf8_ok(text), "decode_text output is not UTF-8");
    }
    (void)mime::part_encoding(msg, p);
    (void)mime::part_charset(msg, p);
    (void)mime::part_disposition(msg, p);
    if (auto name = mime::part_filename(msg, p)) {
        check(fuzz::utf8_ok(*name), "filename is not UTF-8");
    }
    (void)mime::is_attachment(msg, p);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const mime::message msg = mime::parse(fuzz::as_text(data, size));
    check_structure(msg);
    for (const mime::part& p : msg.parts()) {
        decode_fields(msg, p);
        (void)msg.defects(p);
        if (p.kind == mime::part_kind::leaf) {
            decode_leaf(msg, p);
        }
    }
    const mime::part_id body = mime::find_body(msg);
    check(body == mime::no_part || body < msg.parts().size(), "find_body out of range");
    check(fuzz::utf8_ok(mime::body_text(msg)), "body_text is not UTF-8");
    return 0;
}
