#include "output/message_summary.hpp"

#include <indexer/content_hash.hpp>
#include <mime/body.hpp>
#include <mime/encoded_word.hpp>

#include <algorithm>

namespace cairn::cli {
namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) {
        return static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
    });
    return out;
}

std::string_view trim(std::string_view s) {
    const auto first = s.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) {
        return {};
    }
    return s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1);
}

std::optional<std::string> first_id(const mime::message& msg, std::string_view name) {
    auto ids = mime::header_message_ids(msg, msg.root(), name);
    if (ids.empty()) {
        return std::nullopt;
    }
    return std::move(ids.front());
}

void add_names(std::vector<std::string>& names, const std::vector<mime::defect_at>& defects) {
    for (const auto& d : defects) {
        names.emplace_back(mime::to_string(d.kind));
    }
}

part_summary summarize_part(const mime::message& msg, const mime::part& p) {
    part_summary s;
    s.id = p.id;
    s.depth = p.depth;
    s.content_type = p.type.essence();
    s.charset = mime::part_charset(msg, p);
    if (const auto cte = msg.header(p, "content-transfer-encoding")) {
        s.encoding = lower(trim(*cte));
    }
    s.disposition = mime::part_disposition(msg, p);
    s.filename = mime::part_filename(msg, p);
    index::measuring_sink sink;
    const mime::defect_set decoding = mime::decode_body(msg, p, sink);
    s.size = sink.bytes;
    s.sha256 = sink.hasher.finish().hex();
    add_names(s.defects, msg.defects(p));
    decoding.for_each([&](mime::defect d) { s.defects.emplace_back(mime::to_string(d)); });
    return s;
}

} // namespace

message_summary summarize(const mime::message& msg) {
    message_summary s;
    const mime::part& root = msg.root();
    if (const auto subject = msg.header(root, "subject")) {
        s.subject = mime::decode_header_text(*subject);
    }
    s.from = mime::header_mailboxes(msg, msg.root(), "from");
    s.sender = mime::header_mailboxes(msg, msg.root(), "sender");
    s.reply_to = mime::header_mailboxes(msg, msg.root(), "reply-to");
    s.to = mime::header_mailboxes(msg, msg.root(), "to");
    s.cc = mime::header_mailboxes(msg, msg.root(), "cc");
    s.bcc = mime::header_mailboxes(msg, msg.root(), "bcc");
    if (const auto date = msg.header(root, "date")) {
        if (const auto parsed = mime::parse_date(*date)) {
            s.date = parsed->to_rfc3339();
        }
    }
    s.message_id = first_id(msg, "message-id");
    s.in_reply_to = first_id(msg, "in-reply-to");
    for (std::string_view value : msg.headers(root, "references")) {
        auto ids = mime::parse_message_ids(value);
        s.references.insert(s.references.end(), ids.begin(), ids.end());
    }
    for (const mime::part& p : msg.parts()) {
        if (p.kind == mime::part_kind::leaf) {
            s.parts.push_back(summarize_part(msg, p));
        }
        if (p.id == root.id || p.kind != mime::part_kind::leaf) {
            add_names(s.defects, msg.defects(p));
        }
    }
    s.text = mime::body_text(msg);
    return s;
}

} // namespace cairn::cli
