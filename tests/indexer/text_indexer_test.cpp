// The full-text index reads ASCII words itself (indexer/src/fulltext/
// text_indexer.cpp) and must make exactly the terms, positions and
// frequencies Xapian's TermGenerator makes, or searches (parsed by Xapian's
// QueryParser with the same rules) would miss. Random text, heavy in the
// characters the word rules care about, is indexed through fulltext::put and
// by a TermGenerator set up as cairn's; the documents must be equal.
#include "fulltext/text_indexer.hpp"
#include "indexer/fulltext_testing.hpp"

#include <indexer/fields.hpp>
#include <indexer/fulltext.hpp>

#include <gtest/gtest.h>
#include <xapian.h>

#include <cstdint>
#include <string>
#include <vector>

namespace cairn::test {
namespace {

using index::fulltext;
using index::message_key;
using index::message_record;

/// term: wdf [positions] for every term, in order.
std::string terms_text(Xapian::TermIterator t, const Xapian::TermIterator& end) {
    std::string out;
    for (; t != end; ++t) {
        out += *t + ":" + std::to_string(t.get_wdf());
        for (auto p = t.positionlist_begin(); p != t.positionlist_end(); ++p) {
            out += " " + std::to_string(*p);
        }
        out += "\n";
    }
    return out;
}

/// What TermGenerator makes of a message whose only text is this subject: its
/// words under XSUBJECT and unprefixed, both from position 1.
Xapian::Document reference(const std::string& subject) {
    Xapian::TermGenerator generator = index::detail::cairn_term_generator();
    Xapian::Document doc;
    generator.set_document(doc);
    generator.index_text(subject, 1, "XSUBJECT");
    generator.set_termpos(0);
    generator.index_text(subject, 1, "");
    return doc;
}

std::string random_text(std::uint32_t& state) {
    const auto next = [&state](std::uint32_t bound) {
        state = state * 1103515245U + 12345U;
        return (state >> 8) % bound;
    };
    static const std::vector<std::string> pieces = {
        "a", "Z", "q", "E", "x", "k", "7", "0", "_", " ", " ", " ", "\t", "\n", "\r\n", ".", ",",
        ";", "'", "&", "+", "#", "-", "@", "/", ":", "(", "\"", "!", "=", "*", "running",
        "Meetings", "U.S.A.", "P.T.O", "C++", "c#", "AT&T", "o'neil", "1,000.50", "3.14",
        "fish+chips", "x+++", "A.b", "U.S.Army", "e-mail", "don't", "__init__", "v2.0",
        "192.168.0.1", std::string(70, 'w'), std::string(64, 'L'), std::string(65, 'm'),
        // Bytes that are not ASCII send their stretch to TermGenerator.
        "caf\u00e9", "\u00fc", "\u4f1a\u8b70", "\u65e5\u672c", "don\u2019t", "a\u200bb", "\u00a0",
        "\U0001F600", "\u03a9mega", "\xff", "na\u00efve"};
    std::string text;
    const auto length = next(60);
    for (std::uint32_t i = 0; i < length; ++i) {
        text += pieces[next(static_cast<std::uint32_t>(pieces.size()))];
    }
    return text;
}

TEST(text_indexer, makes_the_documents_xapians_term_generator_makes) {
    const temp_dir dir;
    std::vector<std::string> subjects = {"",
                                         "plain words",
                                         "Hello, World!",
                                         "U.S.A. and P.T.O",
                                         "C++ c# x+++y AT&T",
                                         "1,000.50 3.14; o'neil's",
                                         std::string(200, 'x') + " after",
                                         "m\u00e9lange of caf\u00e9s"};
    std::uint32_t state = 42;
    while (subjects.size() < 3000) {
        subjects.push_back(random_text(state));
    }
    {
        auto index = fulltext::open_writable(dir.path());
        for (std::size_t i = 0; i < subjects.size(); ++i) {
            message_record r;
            r.subject = subjects[i];
            index.put(static_cast<message_key>(i + 1), r, 0, {});
        }
        index.commit();
    }
    const Xapian::Database db(dir.path().string());
    for (std::size_t i = 0; i < subjects.size(); ++i) {
        const auto id = static_cast<Xapian::docid>(i + 1);
        const Xapian::Document expected = reference(subjects[i]);
        ASSERT_EQ(terms_text(db.termlist_begin(id), db.termlist_end(id)),
                  terms_text(expected.termlist_begin(), expected.termlist_end()))
            << "subject: \"" << subjects[i] << "\"";
    }
}

} // namespace
} // namespace cairn::test
