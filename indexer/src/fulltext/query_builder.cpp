#include "fulltext/query_builder.hpp"

#include "fulltext/value_ranges.hpp"
#include "fulltext/xapian_guard.hpp"

#include <indexer/fields.hpp>
#include <indexer/fulltext.hpp>

#include <string>

namespace cairn::index::detail {

namespace {

// Wildcards on words expand to at most this many terms, the most frequent
// first: "a*" must not cost a second on a large archive (query p95 target).
constexpr Xapian::termcount max_wildcard_terms = 1000;

constexpr unsigned parse_flags =
    Xapian::QueryParser::FLAG_BOOLEAN | Xapian::QueryParser::FLAG_PHRASE |
    Xapian::QueryParser::FLAG_LOVEHATE | Xapian::QueryParser::FLAG_WILDCARD |
    Xapian::QueryParser::FLAG_BOOLEAN_ANY_CASE | Xapian::QueryParser::FLAG_CJK_NGRAM |
    Xapian::QueryParser::FLAG_PURE_NOT;

Xapian::Query value_query(Xapian::valueno slot, const bounds& b) {
    const auto serialise = [](std::int64_t v) {
        return Xapian::sortable_serialise(static_cast<double>(v));
    };
    if (b.low && b.high) {
        return {Xapian::Query::OP_VALUE_RANGE, slot, serialise(*b.low), serialise(*b.high)};
    }
    if (b.low) {
        return {Xapian::Query::OP_VALUE_GE, slot, serialise(*b.low)};
    }
    if (b.high) {
        return {Xapian::Query::OP_VALUE_LE, slot, serialise(*b.high)};
    }
    // "date:.." — any message that has the value at all.
    return {Xapian::Query::OP_VALUE_GE, slot, std::string()};
}

// A bad value must not throw through QueryParser: an exception from a
// processor unwinds Xapian's parser without freeing its state (LeakSanitizer
// sees it). The first error is kept, the value matches nothing, and parse()
// throws once Xapian is done.
template <typename Parse>
Xapian::Query guarded(query_builder::context& ctx, Parse&& parse_value) {
    try {
        return parse_value();
    } catch (const query_error& e) {
        if (!ctx.error) {
            ctx.error = e.what();
        }
        return Xapian::Query::MatchNothing;
    }
}

// date:a..b and size:a..b (QueryParser finds the ".." and strips "date:").
class date_range_processor : public Xapian::RangeProcessor {
public:
    explicit date_range_processor(query_builder::context& ctx)
        : Xapian::RangeProcessor(fields::date_slot, "date:")
        , ctx_(ctx) {}

    Xapian::Query operator()(const std::string& begin, const std::string& end) override {
        return guarded(ctx_,
                       [&] { return value_query(slot, parse_date_range(begin, end, ctx_.now)); });
    }

private:
    query_builder::context& ctx_;
};

class size_range_processor : public Xapian::RangeProcessor {
public:
    explicit size_range_processor(query_builder::context& ctx)
        : Xapian::RangeProcessor(fields::size_slot, "size:")
        , ctx_(ctx) {}

    Xapian::Query operator()(const std::string& begin, const std::string& end) override {
        return guarded(ctx_, [&] { return value_query(slot, parse_size_range(begin, end)); });
    }

private:
    query_builder::context& ctx_;
};

// date:2024, date:today, date:7d (no ".." so no range processor sees them).
class date_value_processor : public Xapian::FieldProcessor {
public:
    explicit date_value_processor(query_builder::context& ctx)
        : ctx_(ctx) {}

    Xapian::Query operator()(const std::string& value) override {
        return guarded(ctx_, [&] {
            return value_query(fields::date_slot, parse_date_value(value, ctx_.now));
        });
    }

private:
    query_builder::context& ctx_;
};

class size_value_processor : public Xapian::FieldProcessor {
public:
    explicit size_value_processor(query_builder::context& ctx)
        : ctx_(ctx) {}

    Xapian::Query operator()(const std::string& value) override {
        return guarded(ctx_,
                       [&] { return value_query(fields::size_slot, parse_size_value(value)); });
    }

private:
    query_builder::context& ctx_;
};

// An exact field: prefix + value, or every term starting with it when the
// value ends in '*' (path:mail/cur/*; notmuch users write path:mail/** for
// "everything below", so any run of '*' means the same). Values of mimetype:
// and has: are indexed lowercase, so they are lowercased here too.
class exact_processor : public Xapian::FieldProcessor {
public:
    exact_processor(std::string_view prefix, bool lowercase)
        : prefix_(prefix)
        , lowercase_(lowercase) {}

    Xapian::Query operator()(const std::string& value) override {
        std::string term = prefix_ + (lowercase_ ? Xapian::Unicode::tolower(value) : value);
        if (term.size() > prefix_.size() && term.back() == '*') {
            term.erase(term.find_last_not_of('*') + 1);
            return {Xapian::Query::OP_WILDCARD, term, 0, Xapian::Query::WILDCARD_LIMIT_ERROR,
                    Xapian::Query::OP_OR};
        }
        return Xapian::Query(term);
    }

private:
    std::string prefix_;
    bool lowercase_;
};

} // namespace

query_builder::query_builder() {
    parser_.set_stemmer(Xapian::Stem("en"));
    parser_.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
    parser_.set_default_op(Xapian::Query::OP_AND);
    parser_.set_max_expansion(max_wildcard_terms, Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT,
                              Xapian::QueryParser::FLAG_WILDCARD |
                                  Xapian::QueryParser::FLAG_PARTIAL);

    for (const auto& f : fields::table) {
        const std::string name(f.name);
        switch (f.kind) {
        case fields::kind::text:
            parser_.add_prefix(name, std::string(f.prefix));
            if (!f.bare) {
                parser_.add_prefix("", std::string(f.prefix)); // body: bare words search it
            }
            break;
        case fields::kind::boolean: {
            const bool lowercase = f.id == fields::id::mimetype || f.id == fields::id::has;
            parser_.add_boolean_prefix(name, (new exact_processor(f.prefix, lowercase))->release());
            break;
        }
        case fields::kind::range:
            break;
        }
    }
    parser_.add_prefix("", ""); // the unprefixed copies of the bare fields

    // Ranges first: QueryParser offers a "x..y" token to the range processors
    // before it looks at field prefixes, so date:a..b reaches the range
    // processor and date:2024 the field processor.
    parser_.add_rangeprocessor((new date_range_processor(context_))->release());
    parser_.add_rangeprocessor((new size_range_processor(context_))->release());
    parser_.add_boolean_prefix("date", (new date_value_processor(context_))->release());
    parser_.add_boolean_prefix("size", (new size_value_processor(context_))->release());
}

Xapian::Query query_builder::parse(std::string_view text, std::int64_t now) {
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) {
        return Xapian::Query::MatchAll;
    }
    text = text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
    if (text == "*") {
        return Xapian::Query::MatchAll;
    }
    context_.now = now;
    context_.error.reset();
    auto query = xapian_guard({}, "cannot parse query",
                              [&] { return parser_.parse_query(std::string(text), parse_flags); });
    if (context_.error) {
        throw query_error(*context_.error);
    }
    return query;
}

} // namespace cairn::index::detail
