// make_record: one walk over a parsed message collecting what the catalog and the
// full-text index need. Decoding happens once per part, into sinks.

#include <indexer/record.hpp>
#include <mime/address.hpp>
#include <mime/body.hpp>
#include <mime/date.hpp>
#include <mime/encoded_word.hpp>
#include <mime/html_text.hpp>

#include <algorithm>

namespace cairn::index {
namespace {

// Body text beyond this is not indexed (it is still archived): a runaway log
// pasted into a message should not dominate the index.
constexpr std::size_t max_indexed_text = 4u << 20;

std::vector<address_entry> addresses(const mime::message& msg, std::string_view field) {
    std::vector<address_entry> out;
    for (auto& m : mime::header_mailboxes(msg, msg.root(), field)) {
        out.push_back({std::move(m.name), std::move(m.address)});
    }
    return out;
}

void add_defects(message_record& r, mime::defect_set set) {
    set.for_each([&](mime::defect d) { r.defects.emplace_back(mime::to_string(d)); });
}

// Keeps the first `limit` bytes and drops the rest, so that a huge text part
// costs the index its first bytes' worth of memory, not its size (it is still
// decoded to the end: its defects are recorded).
struct capped_sink {
    std::string& out;
    std::size_t limit;

    void write(std::string_view bytes) {
        if (out.size() < limit) {
            out.append(bytes.substr(0, limit - out.size()));
        }
    }
};

struct part_text {
    mime::part_id part;
    std::string text;
};

// The part's text as UTF-8 (HTML turned into text); empty once the message has
// given max_indexed_text already.
part_text text_of(message_record& r, const mime::message& msg, const mime::part& p,
                  std::size_t& budget) {
    part_text out{p.id, {}};
    if (budget == 0) {
        return out;
    }
    // Markup shrinks a lot when HTML becomes text, so HTML may bring more.
    constexpr std::size_t html_per_text_byte = 4;
    capped_sink sink{out.text, p.type.is("text", "html") ? budget * html_per_text_byte : budget};
    add_defects(r, mime::decode_text(msg, p, sink));
    if (p.type.is("text", "html")) {
        out.text = mime::html_to_text(out.text);
    }
    if (out.text.size() > budget) {
        out.text.resize(budget); // may cut a UTF-8 sequence: Xapian skips the stray bytes
    }
    budget -= out.text.size();
    return out;
}

void add_attachment(message_record& r, const mime::message& msg, const mime::part& p,
                    const std::string& type) {
    attachment_entry a;
    a.part = p.id;
    a.filename = mime::part_filename(msg, p).value_or("");
    a.mime_type = type;
    a.disposition = mime::part_disposition(msg, p).value_or("");
    measuring_sink sink;
    add_defects(r, mime::decode_body(msg, p, sink));
    a.sha256 = sink.hasher.finish().hex();
    a.size = sink.bytes;
    r.attachments.push_back(std::move(a));
}

} // namespace

message_record make_record(const mime::message& msg, const content_hash& raw_hash) {
    message_record r;
    const mime::part& root = msg.root();
    r.hash = raw_hash;
    r.size = msg.raw().size();
    if (auto found = mime::header_message_ids(msg, root, "message-id"); !found.empty()) {
        r.message_id = std::move(found.front());
    }
    if (const auto date = msg.header(root, "date")) {
        if (const auto parsed = mime::parse_date(*date)) {
            r.date = parsed->to_unix();
            r.date_offset_minutes = parsed->offset_minutes;
        }
    }
    if (const auto subject = msg.header(root, "subject")) {
        r.subject = mime::decode_header_text(*subject);
    }
    if (auto from = addresses(msg, "from"); !from.empty()) {
        r.from = std::move(from.front());
    }
    r.to = addresses(msg, "to");
    r.cc = addresses(msg, "cc");
    r.bcc = addresses(msg, "bcc");
    r.reply_to = addresses(msg, "reply-to");
    if (auto reply = mime::header_message_ids(msg, root, "in-reply-to"); !reply.empty()) {
        r.in_reply_to = std::move(reply.front());
    }
    r.references = mime::header_message_ids(msg, root, "references");
    for (const auto& d : msg.all_defects()) {
        r.defects.emplace_back(mime::to_string(d.at.kind));
    }
    std::vector<part_text> texts;
    std::size_t budget = max_indexed_text;
    for (const mime::part& p : msg.parts()) {
        if (p.kind != mime::part_kind::leaf) {
            continue;
        }
        std::string type = p.type.essence();
        if (std::find(r.mime_types.begin(), r.mime_types.end(), type) == r.mime_types.end()) {
            r.mime_types.push_back(type);
        }
        if (mime::is_attachment(msg, p)) {
            add_attachment(r, msg, p, type);
        } else if (p.type.is("text")) {
            texts.push_back(text_of(r, msg, p, budget));
        }
    }
    // Every alternative of a multipart/alternative is indexed: the HTML one
    // often carries words the plain one lacks (a footer, a signature, a
    // newsletter's real content behind a stub), and an archive must find them.
    for (const part_text& t : texts) {
        if (!t.text.empty()) {
            if (!r.body_text.empty()) {
                r.body_text += "\n\n";
            }
            r.body_text += t.text;
        }
    }
    std::sort(r.defects.begin(), r.defects.end());
    r.defects.erase(std::unique(r.defects.begin(), r.defects.end()), r.defects.end());
    return r;
}

} // namespace cairn::index
