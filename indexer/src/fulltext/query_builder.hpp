#pragma once
// query_builder: cairn's query language, which is Xapian's QueryParser set up
// once from the field table (fields.hpp):
//
//   * text fields → add_prefix (from:, to:, subject:, body: …); bare words search
//     the unprefixed copies plus body (fields.hpp explains the layout);
//   * exact fields → boolean field processors (id:, thread:, mimetype:, folder:,
//     path:, has:), which take the value verbatim (quoted when it holds spaces
//     or parentheses) and treat a trailing '*' as "starts with";
//   * date: and size: → range processors for a..b, field processors for a
//     single value (the grammar is in value_ranges.hpp);
//   * flags: AND/OR/NOT/XOR in any case, parentheses, "phrases", +love -hate,
//     wildcards, CJK n-grams, and a query that is only NOT (FLAG_PURE_NOT);
//     words are joined by AND; English stemming with STEM_SOME, as indexed.
//
// Building the parser allocates its processors; parse() is then cheap, which is
// why fulltext keeps one query_builder for its lifetime. Not thread-safe
// (Xapian's QueryParser keeps per-parse state); one per fulltext object.

#include <xapian.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cairn::index::detail {

class query_builder {
public:
    query_builder();
    query_builder(const query_builder&) = delete;
    query_builder& operator=(const query_builder&) = delete;

    /// The Xapian query for `text`; "" and "*" match every message. `now` (unix
    /// seconds) anchors relative dates. Throws query_error (bad date or size,
    /// or a query Xapian's parser rejects).
    [[nodiscard]] Xapian::Query parse(std::string_view text, std::int64_t now);

    /// The processors read the anchor for relative dates from here.
    struct context {
        std::int64_t now = 0;
        std::optional<std::string> error; ///< the first bad date:/size: value of this parse
    };

private:
    context context_;
    Xapian::QueryParser parser_;
};

} // namespace cairn::index::detail
