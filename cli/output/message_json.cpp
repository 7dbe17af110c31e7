#include "output/message_json.hpp"

namespace cairn::cli {
namespace {

void write_mailboxes(json_writer& json, std::string_view key,
                     const std::vector<mime::mailbox>& list) {
    json.key(key).begin_array();
    for (const auto& m : list) {
        json.begin_object().key("name");
        if (m.name.empty()) {
            json.null();
        } else {
            json.value(m.name);
        }
        json.key("address").value(m.address).end_object();
    }
    json.end_array();
}

void write_optional(json_writer& json, std::string_view key,
                    const std::optional<std::string>& text) {
    json.key(key);
    if (text) {
        json.value(*text);
    } else {
        json.null();
    }
}

void write_strings(json_writer& json, std::string_view key, const std::vector<std::string>& list) {
    json.key(key).begin_array();
    for (const auto& s : list) {
        json.value(s);
    }
    json.end_array();
}

} // namespace

void write_message_fields(json_writer& json, const message_summary& s) {
    write_optional(json, "subject", s.subject);
    write_mailboxes(json, "from", s.from);
    write_mailboxes(json, "sender", s.sender);
    write_mailboxes(json, "reply_to", s.reply_to);
    write_mailboxes(json, "to", s.to);
    write_mailboxes(json, "cc", s.cc);
    write_mailboxes(json, "bcc", s.bcc);
    write_optional(json, "date", s.date);
    write_optional(json, "message_id", s.message_id);
    write_optional(json, "in_reply_to", s.in_reply_to);
    write_strings(json, "references", s.references);
    json.key("parts").begin_array();
    for (const auto& p : s.parts) {
        json.begin_object();
        json.key("content_type").value(p.content_type);
        write_optional(json, "charset", p.charset);
        write_optional(json, "encoding", p.encoding);
        write_optional(json, "disposition", p.disposition);
        write_optional(json, "filename", p.filename);
        json.key("size").value(p.size);
        json.key("sha256").value(p.sha256);
        write_strings(json, "defects", p.defects);
        json.end_object();
    }
    json.end_array();
    json.key("text").value(s.text);
    write_strings(json, "defects", s.defects);
}

} // namespace cairn::cli
