// The word rules below are those of Xapian 1.4's TermGenerator
// (queryparser/termgenerator_internal.cc, parse_terms and index_text) for
// characters below 0x80; text_indexer.hpp says when each path is taken.

#include "fulltext/text_indexer.hpp"

#include <mime/charset.hpp>

#include <algorithm>
#include <array>

namespace cairn::index::detail {
namespace {

/// TermGenerator's default max_word_length: longer words are not indexed and
/// take no position.
constexpr std::size_t max_word_bytes = 64;

constexpr std::array<bool, 128> make_word_chars() {
    std::array<bool, 128> table{};
    for (int c = 0; c < 128; ++c) {
        // Xapian::Unicode::is_wordchar below 0x80: letters, digits and the
        // connector punctuation '_'.
        table[static_cast<std::size_t>(c)] =
            (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    }
    return table;
}

constexpr std::array<bool, 128> word_chars = make_word_chars();

bool is_word_char(char c) noexcept {
    return word_chars[static_cast<unsigned char>(c)];
}

bool is_upper(char c) noexcept {
    return c >= 'A' && c <= 'Z';
}

bool is_digit(char c) noexcept {
    return c >= '0' && c <= '9';
}

char lower(char c) noexcept {
    return is_upper(c) ? static_cast<char>(c - 'A' + 'a') : c;
}

/// Where no word can continue: TermGenerator treats the end of its input and
/// any of these alike.
bool is_space(char c) noexcept {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/// Whether [p, end) holds a UTF-8 lead byte of three or four bytes (U+0800 and
/// up, where Xapian's CJK ranges are).
bool has_wide_character(const char* p, const char* end) noexcept {
    for (; p != end; ++p) {
        if (static_cast<unsigned char>(*p) >= 0xE0) {
            return true;
        }
    }
    return false;
}

/// Reads the term that starts at `p` (a word character) into `term`; returns
/// where the text goes on.
const char* read_term(const char* p, const char* end, std::string& term) {
    // Initials separated by '.' ("P.T.O."): one term, if no word character
    // follows; a single capital is not an acronym.
    if (is_upper(*p)) {
        const char* q = p;
        do {
            term += lower(*q++);
        } while (q != end && *q == '.' && ++q != end && is_upper(*q));
        if (term.size() > 1 && (q == end || !is_word_char(*q))) {
            return q;
        }
        term.clear();
    }
    for (;;) {
        // A run of word characters goes in whole: a character at a time, the
        // appends were most of the indexer's time on long ASCII bodies.
        const char* run = p;
        do {
            ++p;
        } while (p != end && is_word_char(*p));
        const std::size_t length = term.size();
        term.resize(length + static_cast<std::size_t>(p - run));
        std::transform(run, p, term.begin() + static_cast<std::ptrdiff_t>(length), lower);
        if (p == end) {
            return p;
        }
        // *p ends the run: it joins two runs when it is an infix between
        // word characters.
        const char* next = p + 1;
        if (next == end || !is_word_char(*next)) {
            break;
        }
        const char infix = *p;
        const bool joins = is_digit(p[-1]) && is_digit(*next)
                               ? infix == ',' || infix == '.' || infix == ';'
                               : infix == '\'' || infix == '&';
        if (!joins) {
            break;
        }
        term += infix;
        p = next;
    }
    // Up to three '+' or '#' end a term ("c++"), unless a word follows them.
    const std::size_t length = term.size();
    unsigned count = 0;
    while (*p == '+' || *p == '#') {
        if (++count > 3) {
            term.resize(length);
            break;
        }
        term += *p;
        if (++p == end) {
            return p;
        }
    }
    if (is_word_char(*p)) {
        term.resize(length);
    }
    return p;
}

} // namespace

Xapian::TermGenerator cairn_term_generator() {
    Xapian::TermGenerator generator;
    generator.set_stemmer(Xapian::Stem("en"));
    generator.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
    // Chinese, Japanese and Korean have no spaces between words: index every
    // character and every pair of characters, and the query parser (same flag)
    // turns "会議" into the same n-grams.
    generator.set_flags(Xapian::TermGenerator::FLAG_CJK_NGRAM);
    return generator;
}

text_indexer::text_indexer()
    : generator_(cairn_term_generator())
    , stemmer_("en") {}

void text_indexer::read_ascii_words(std::string_view text) {
    word_count_ = 0;
    const char* p = text.data();
    const char* const end = p + text.size();
    for (;;) {
        while (p != end && !is_word_char(*p)) {
            ++p;
        }
        if (p == end) {
            return;
        }
        if (word_count_ == words_.size()) {
            words_.emplace_back();
        }
        word& w = words_[word_count_];
        w.term.clear();
        w.stem.clear();
        p = read_term(p, end, w.term);
        if (w.term.size() > max_word_bytes) {
            continue;
        }
        // STEM_SOME stems terms that start with a letter (not a digit or '_').
        if (w.term.front() >= 'a' && w.term.front() <= 'z') {
            w.stem = stemmer_(w.term);
        }
        ++word_count_;
    }
}

Xapian::termpos text_indexer::add_ascii_words(Xapian::Document& doc,
                                              std::span<const std::string> prefixes,
                                              Xapian::termpos start) {
    for (const std::string& prefix : prefixes) {
        Xapian::termpos position = start;
        for (std::size_t i = 0; i < word_count_; ++i) {
            const word& w = words_[i];
            term_.assign(prefix).append(w.term);
            doc.add_posting(term_, ++position);
            if (!w.stem.empty()) {
                term_.assign("Z").append(prefix).append(w.stem);
                doc.add_term(term_);
            }
        }
    }
    return start + static_cast<Xapian::termpos>(word_count_);
}

Xapian::termpos text_indexer::add_with_generator(Xapian::Document& doc, std::string_view text,
                                                 std::span<const std::string> prefixes,
                                                 Xapian::termpos start) {
    generator_.set_document(doc);
    for (const std::string& prefix : prefixes) {
        generator_.set_termpos(start);
        generator_.index_text(Xapian::Utf8Iterator(text.data(), text.size()), 1, prefix);
    }
    return generator_.get_termpos();
}

Xapian::termpos text_indexer::index(Xapian::Document& doc, std::string_view text,
                                    std::span<const std::string> prefixes, Xapian::termpos start) {
    const char* const begin = text.data();
    const char* const end = begin + text.size();
    const char* p = begin;
    Xapian::termpos position = start;
    while (p != end) {
        // ASCII up to the white space before the next other byte, then the
        // white-space-delimited stretch that holds it.
        const char* other =
            p + mime::ascii_prefix(std::string_view(p, static_cast<std::size_t>(end - p)));
        const char* stretch = other;
        while (other != end && stretch != p && !is_space(stretch[-1])) {
            --stretch;
        }
        if (stretch != p) {
            read_ascii_words(std::string_view(p, static_cast<std::size_t>(stretch - p)));
            position = add_ascii_words(doc, prefixes, position);
        }
        if (other == end) {
            break;
        }
        const char* stretch_end = other;
        while (stretch_end != end && !is_space(*stretch_end)) {
            ++stretch_end;
        }
        // After a CJK span TermGenerator skips to the next word and reads it
        // on as if nothing had come between (without its acronym rule, and
        // onto a term an infix left open: "x&会 a" gives "x&a"), so that word's
        // stretch goes to it too. Any character of three or four UTF-8 bytes
        // counts as CJK here: a longer stretch is only slower, never different.
        for (const char* scanned = stretch;
             stretch_end != end && has_wide_character(scanned, stretch_end);) {
            const char* next_word = stretch_end;
            while (next_word != end && static_cast<unsigned char>(*next_word) < 0x80 &&
                   !is_word_char(*next_word)) {
                ++next_word;
            }
            scanned = stretch_end;
            stretch_end = next_word;
            while (stretch_end != end && !is_space(*stretch_end)) {
                ++stretch_end;
            }
        }
        position = add_with_generator(
            doc, std::string_view(stretch, static_cast<std::size_t>(stretch_end - stretch)),
            prefixes, position);
        p = stretch_end;
    }
    return position;
}

} // namespace cairn::index::detail
