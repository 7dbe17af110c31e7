#pragma once
// Helpers shared by the full-text suites: UTC timestamps, hand-made records,
// and a term list in Xapian's canonical text form.

#include "indexer/store_testing.hpp" // temp_dir

#include <indexer/fulltext.hpp>

#include <xapian.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace cairn::test {

/// Unix seconds of a UTC calendar time.
inline std::int64_t utc(int year, unsigned month, unsigned day, int hour = 0, int minute = 0,
                        int second = 0) {
    using namespace std::chrono;
    const sys_days d = std::chrono::year{year} / std::chrono::month{month} / std::chrono::day{day};
    return d.time_since_epoch().count() * 86400LL + hour * 3600 + minute * 60 + second;
}

inline index::address_entry addr(std::string name, std::string address) {
    return {std::move(name), std::move(address)};
}

inline index::attachment_entry attachment(std::string filename, std::string type) {
    index::attachment_entry a;
    a.filename = std::move(filename);
    a.mime_type = std::move(type);
    a.disposition = "attachment";
    return a;
}

inline index::envelope found_in(std::string folder, std::string path,
                                index::source_kind kind = index::source_kind::maildir) {
    index::envelope env;
    env.kind = kind;
    env.folder = std::move(folder);
    env.path = std::move(path);
    return env;
}

/// Every term of a document, in Xapian's (sorted) order, joined by spaces: the
/// canonical form the document-builder tests compare (Xapian's own tests print
/// term lists the same way).
inline std::string term_string(const Xapian::Database& db, Xapian::docid id) {
    std::string text;
    for (auto t = db.termlist_begin(id); t != db.termlist_end(id); ++t) {
        if (!text.empty()) {
            text += ' ';
        }
        text += *t;
    }
    return text;
}

/// The terms of `id` that start with `prefix` (and not with a longer prefix
/// such as the stem marker), space-separated.
inline std::string terms_with(const Xapian::Database& db, Xapian::docid id,
                              const std::string& prefix) {
    std::string text;
    for (auto t = db.termlist_begin(id); t != db.termlist_end(id); ++t) {
        const std::string term = *t;
        if (term.rfind(prefix, 0) != 0) {
            continue;
        }
        if (!text.empty()) {
            text += ' ';
        }
        text += term;
    }
    return text;
}

} // namespace cairn::test
