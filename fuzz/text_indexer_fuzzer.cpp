// text_indexer_fuzzer: differential fuzzing of the full-text index's ASCII word
// reader against Xapian's TermGenerator (indexer/src/fulltext/text_indexer.hpp
// promises the same terms, positions and frequencies). The input is the text,
// indexed under two prefixes as a Subject is; the two documents and the final
// positions must be equal.

#include "fulltext/text_indexer.hpp"
#include "fuzz_check.hpp"

#include <xapian.h>

#include <array>
#include <cstdint>
#include <cstdio>
#include <string>

namespace {

std::string terms_text(const Xapian::Document& doc) {
    std::string out;
    for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
        out += *t + ":" + std::to_string(t.get_wdf());
        for (auto p = t.positionlist_begin(); p != t.positionlist_end(); ++p) {
            out += " " + std::to_string(*p);
        }
        out += "\n";
    }
    return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static cairn::index::detail::text_indexer reader;
    static const std::array<std::string, 2> prefixes{"XSUBJECT", ""};
    const std::string text(reinterpret_cast<const char*>(data), size);

    Xapian::Document fast;
    const Xapian::termpos end = reader.index(fast, text, prefixes, 7);

    Xapian::TermGenerator generator = cairn::index::detail::cairn_term_generator();
    Xapian::Document reference;
    generator.set_document(reference);
    for (const auto& prefix : prefixes) {
        generator.set_termpos(7);
        generator.index_text(text, 1, prefix);
    }
    const std::string got = terms_text(fast);
    const std::string want = terms_text(reference);
    if (got != want || end != generator.get_termpos()) {
        std::fprintf(stderr, "text_indexer:\n%s\nTermGenerator:\n%s\n", got.c_str(), want.c_str());
    }
    cairn::fuzz::check(got == want, "text_indexer's terms differ from TermGenerator's");
    cairn::fuzz::check(end == generator.get_termpos(), "text_indexer's last position differs");
    return 0;
}
