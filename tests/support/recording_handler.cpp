#include "support/recording_handler.hpp"

#include <mime/defect.hpp>

namespace cairn::test {
namespace {

std::string escaped(std::string_view bytes) {
    std::string out;
    for (char c : bytes) {
        switch (c) {
        case '\r':
            out += "\\r";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\\':
            out += "\\\\";
            break;
        default:
            out += c;
            break;
        }
    }
    return out;
}

const char* role_name(mime::body_role role) {
    switch (role) {
    case mime::body_role::content:
        return "content";
    case mime::body_role::preamble:
        return "preamble";
    case mime::body_role::epilogue:
        return "epilogue";
    }
    return "?";
}

const char* kind_name(mime::part_kind kind) {
    switch (kind) {
    case mime::part_kind::leaf:
        return "leaf";
    case mime::part_kind::multipart:
        return "multipart";
    case mime::part_kind::message:
        return "message";
    }
    return "?";
}

} // namespace

void recording_handler::close_body() {
    if (in_body_) {
        log_ += "body " + std::string(role_name(role_)) + " @" + std::to_string(body_offset_) +
                " \"" + escaped(body_) + "\"\n";
        body_.clear();
        in_body_ = false;
    }
}

void recording_handler::on_part_begin(std::uint64_t offset, std::uint32_t depth) {
    close_body();
    log_ += "begin @" + std::to_string(offset) + " depth " + std::to_string(depth) + "\n";
}

void recording_handler::on_header(std::string_view name, std::string_view value,
                                  std::uint64_t offset) {
    close_body();
    log_ += "header @" + std::to_string(offset) + " " + std::string(name) + ": \"" +
            escaped(value) + "\"\n";
}

void recording_handler::on_headers_end(const mime::part_head& head) {
    close_body();
    log_ += "headers_end " + std::to_string(head.header_begin) + ".." +
            std::to_string(head.header_end) + " body @" + std::to_string(head.body_begin) + " " +
            std::string(head.type.type) + "/" + std::string(head.type.subtype) +
            (head.type_defaulted ? " (default)" : "") + " " + kind_name(head.kind) + "\n";
}

void recording_handler::on_body(std::string_view bytes, std::uint64_t offset,
                                mime::body_role role) {
    if (in_body_ && (role != role_ || offset != body_next_)) {
        close_body();
    }
    if (!in_body_) {
        in_body_ = true;
        role_ = role;
        body_offset_ = offset;
    }
    body_.append(bytes);
    body_next_ = offset + bytes.size();
}

void recording_handler::on_part_end(const mime::part_tail& tail) {
    close_body();
    log_ += "end body_end @" + std::to_string(tail.body_end) +
            (tail.delimiter_seen ? " delimited" : "") + (tail.closed ? " closed" : "") + "\n";
}

void recording_handler::on_defect(mime::defect kind, std::uint64_t offset) {
    close_body();
    log_ += "defect " + std::string(mime::to_string(kind)) + " @" + std::to_string(offset) + "\n";
}

const std::string& recording_handler::log() {
    close_body();
    return log_;
}

std::string scan_whole(std::string_view input, const mime::parse_options& options) {
    recording_handler handler;
    mime::scanner scan(handler, options);
    scan.finish(input);
    return handler.log();
}

} // namespace cairn::test
