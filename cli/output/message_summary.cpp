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

// Every field of that name, so recipients split over duplicate fields are kept.
std::vector<mime::mailbox> addresses(const mime::message& msg, std::string_view name) {
    std::vector<mime::mailbox> all;
    for (std::string_view value : msg.headers(msg.root(), name)) {
        auto list = mime::parse_address_list(value);
        all.insert(all.end(), std::make_move_iterator(list.begin()),
                   std::make_move_iterator(list.end()));
    }
    return all;
}

std::optional<std::string> first_id(const mime::message& msg, std::string_view name) {
    const auto value = msg.header(msg.root(), name);
    if (!value) {
        return std::nullopt;
    }
    auto ids = mime::parse_message_ids(*value);
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
    s.content_type = lower(p.type.type) + "/" + lower(p.type.subtype);
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
    s.from = addresses(msg, "from");
    s.sender = addresses(msg, "sender");
    s.reply_to = addresses(msg, "reply-to");
    s.to = addresses(msg, "to");
    s.cc = addresses(msg, "cc");
    s.bcc = addresses(msg, "bcc");
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
