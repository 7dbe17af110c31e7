#pragma once
// document_builder: one message_record → one Xapian::Document, following the
// schema in fields.hpp (prefixes, the unprefixed copies, position gaps between
// fields, exact terms capped at 245 bytes, values for date and size).
//
// The text_indexer (TermGenerator, English stemmer) is built once and reused
// for every document: rebuilding them per message is a large share of an
// indexer's time on short mail. Text is read in place (the body is never
// copied). Not thread-safe: one builder per writer.

#include "fulltext/text_indexer.hpp"

#include <indexer/catalog.hpp>
#include <indexer/envelope.hpp>
#include <indexer/fields.hpp>
#include <indexer/record.hpp>

#include <xapian.h>

#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace cairn::index::detail {

class document_builder {
public:
    document_builder();

    [[nodiscard]] Xapian::Document build(const message_record& record, thread_key thread,
                                         const std::vector<envelope>& sources);

    /// Adds prefix + value as an exact term unless it exceeds fields::max_term_bytes.
    /// Returns whether it was added.
    static bool add_exact(Xapian::Document& doc, std::string_view prefix, std::string_view value);

    /// The thread term of `thread` ("G42").
    [[nodiscard]] static std::string thread_term(thread_key thread);

private:
    // Indexes `first` then `second` (one run of positions) under every prefix
    // `which` is written to, each from the same start, then leaves the field gap.
    void index_run(Xapian::Document& doc, fields::id which, const std::string& first,
                   const std::string& second = {});

    text_indexer text_;
    Xapian::termpos position_ = 0;
    // Per field, the prefixes its words go to: its own, "to" for cc and bcc,
    // and "" when the field is bare. std::string because index_text takes one.
    std::array<std::vector<std::string>, fields::table.size()> targets_;
};

} // namespace cairn::index::detail
