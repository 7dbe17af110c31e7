#pragma once
// text_indexer: words of a text into a Xapian document, exactly as
// Xapian::TermGenerator::index_text makes them with cairn's settings (English
// stemmer, STEM_SOME, FLAG_CJK_NGRAM, words of at most 64 bytes), under one or
// more prefixes from the same start position.
//
// TermGenerator looks every character up in Xapian's Unicode tables, which is
// most of what indexing a message costs the CPU. Most mail text is ASCII, and
// for ASCII its word rules are short: a word is a run of [A-Za-z0-9_],
// lowercased; "A.B.C" is the acronym "abc"; `'` and `&` join two words
// ("o'neil", "at&t"), and so do `,` `.` `;` between digits ("1,000.50"); up to
// three `+` or `#` end one ("c++", "c#") unless a word character follows. So
// text_indexer splits the text at white space (where no word can continue),
// reads the ASCII stretches itself, and hands every stretch holding another
// byte to the TermGenerator. tests/indexer/text_indexer_test.cpp holds the two
// to the same documents over random text.
//
// Not thread-safe: one per document_builder.

#include <xapian.h>

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cairn::index::detail {

/// A TermGenerator set up as cairn indexes: English stemmer, STEM_SOME,
/// FLAG_CJK_NGRAM. text_indexer's reference, and its fallback.
[[nodiscard]] Xapian::TermGenerator cairn_term_generator();

class text_indexer {
public:
    text_indexer();

    /// Indexes `text` into `doc` under every prefix of `prefixes` ("" for
    /// none), each starting after position `start`; returns the position of
    /// its last word (`start` when it has none), as TermGenerator's termpos.
    Xapian::termpos index(Xapian::Document& doc, std::string_view text,
                          std::span<const std::string> prefixes, Xapian::termpos start);

private:
    struct word {
        std::string term;
        std::string stem; ///< empty when not stemmed (a term not starting with a letter)
    };

    /// The words of an ASCII text, into words_[0, word_count_).
    void read_ascii_words(std::string_view text);
    Xapian::termpos add_ascii_words(Xapian::Document& doc, std::span<const std::string> prefixes,
                                    Xapian::termpos start);
    Xapian::termpos add_with_generator(Xapian::Document& doc, std::string_view text,
                                       std::span<const std::string> prefixes,
                                       Xapian::termpos start);

    Xapian::TermGenerator generator_;
    Xapian::Stem stemmer_;
    std::vector<word> words_; // scratch, reused
    std::size_t word_count_ = 0;
    std::string term_; // scratch for prefix + term
};

} // namespace cairn::index::detail
