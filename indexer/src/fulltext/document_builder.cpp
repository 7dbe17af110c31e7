#include "fulltext/document_builder.hpp"

namespace cairn::index::detail {

namespace {

Xapian::valueno slot(fields::id which) {
    return fields::of(which).slot;
}

std::string_view prefix(fields::id which) {
    return fields::of(which).prefix;
}

} // namespace

document_builder::document_builder() {
    for (const auto& f : fields::table) {
        auto& targets = targets_[static_cast<std::size_t>(f.id)];
        targets.emplace_back(f.prefix);
        if (f.id == fields::id::cc || f.id == fields::id::bcc) {
            targets.emplace_back(prefix(fields::id::to)); // to: is every recipient (notmuch)
        }
        if (f.bare) {
            targets.emplace_back();
        }
    }
}

bool document_builder::add_exact(Xapian::Document& doc, std::string_view prefix,
                                 std::string_view value) {
    if (prefix.size() + value.size() > fields::max_term_bytes) {
        return false; // Xapian would refuse the whole document (see fields.hpp)
    }
    std::string term;
    term.reserve(prefix.size() + value.size());
    term.append(prefix).append(value);
    doc.add_boolean_term(term);
    return true;
}

std::string document_builder::thread_term(thread_key thread) {
    std::string term(prefix(fields::id::thread));
    term.append(std::to_string(thread)); // append, not operator+: GCC 12's -Wrestrict misfires
    return term;
}

void document_builder::index_run(Xapian::Document& doc, fields::id which, const std::string& first,
                                 const std::string& second) {
    if (first.empty() && second.empty()) {
        return;
    }
    const auto& targets = targets_[static_cast<std::size_t>(which)];
    position_ = text_.index(doc, first, targets, position_);
    position_ = text_.index(doc, second, targets, position_);
    position_ += fields::field_gap;
}

Xapian::Document document_builder::build(const message_record& record, thread_key thread,
                                         const std::vector<envelope>& sources) {
    Xapian::Document doc;
    position_ = 0;

    // An address is its name and addr-spec in one run, so from:"alice smith"
    // and from:alice@example.com are both phrases inside it. The TermGenerator
    // splits the addr-spec at '@' and '.', which indexes its local part and its
    // domain labels as words.
    index_run(doc, fields::id::from, record.from.name, record.from.address);
    for (const auto& a : record.to) {
        index_run(doc, fields::id::to, a.name, a.address);
    }
    for (const auto& a : record.cc) {
        index_run(doc, fields::id::cc, a.name, a.address);
    }
    for (const auto& a : record.bcc) {
        index_run(doc, fields::id::bcc, a.name, a.address);
    }
    index_run(doc, fields::id::subject, record.subject);
    index_run(doc, fields::id::body, record.body_text);

    const auto add = [&doc](fields::id which, std::string_view value) {
        add_exact(doc, prefix(which), value);
    };
    for (const auto& a : record.attachments) {
        index_run(doc, fields::id::attachment, a.filename);
        if (!a.filename.empty()) {
            // The whole name as well: attachment:report* then also matches
            // "report-2024.pdf" as one name, not only its first word.
            add(fields::id::attachment, Xapian::Unicode::tolower(a.filename));
        }
    }

    const auto add_type = [&](const std::string& type) {
        if (type.empty()) {
            return;
        }
        add(fields::id::mimetype, type);
        if (const auto slash = type.find('/'); slash != std::string::npos) {
            add(fields::id::mimetype, std::string_view(type).substr(0, slash));
        }
    };
    for (const auto& type : record.mime_types) {
        add_type(type);
    }
    for (const auto& a : record.attachments) {
        add_type(a.mime_type); // normally among mime_types already; terms are a set
    }
    if (!record.attachments.empty()) {
        add(fields::id::has, fields::has_attachment);
    }
    if (!record.message_id.empty()) {
        add(fields::id::message_id, record.message_id);
    }
    if (thread != 0) {
        doc.add_boolean_term(thread_term(thread));
    }
    for (const auto& env : sources) {
        // SMTP and LMTP deliveries have no folder; "" is the indexed root.
        if (env.kind == source_kind::file || env.kind == source_kind::maildir ||
            env.kind == source_kind::mbox) {
            add(fields::id::folder, env.folder);
        }
        if (!env.path.empty()) {
            add(fields::id::path, env.path);
        }
    }

    if (record.date) {
        doc.add_value(slot(fields::id::date),
                      Xapian::sortable_serialise(static_cast<double>(*record.date)));
    }
    doc.add_value(slot(fields::id::size),
                  Xapian::sortable_serialise(static_cast<double>(record.size)));
    return doc;
}

} // namespace cairn::index::detail
