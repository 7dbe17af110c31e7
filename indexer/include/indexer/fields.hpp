#pragma once
// fields.hpp: the full-text schema — every searchable field of a message, its
// Xapian term prefix or value slot, and how it is indexed and queried. The
// document builder (src/fulltext/document_builder.cpp) and the query parser
// (src/fulltext/query_builder.cpp) both read this table; nothing else spells a
// prefix. The shape follows mu's mu-fields.hh (a constexpr table checked at
// compile time); the prefixes follow notmuch's lib/database.cc where the two
// projects overlap, so a notmuch user's queries mean the same thing here.
//
// Schema of one Xapian document (document id = catalog message id)
// ------------------------------------------------------------------
//
// Free-text fields (kind::text) go through Xapian's TermGenerator: words are
// lowercased, kept with their positions (phrases work), stemmed in English with
// STEM_SOME (both "meetings" and the stem "Zmeet" are stored; stemmed terms get
// Xapian's "Z" before the field prefix, e.g. "ZXSUBJECTmeet"), and CJK text is
// cut into unigrams and bigrams (FLAG_CJK_NGRAM), so "会議" finds "定例会議です".
//
//   prefix      query name   what is indexed
//   XFROM       from:        From display name and address; the address is split
//                            at '@' and '.', so from:alice, from:example.com and
//                            from:alice@example.com (a phrase) all match
//   XTO         to:          every recipient: To + Cc + Bcc (as notmuch's to:)
//   XCC         cc:          Cc recipients only
//   XBCC        bcc:         Bcc recipients only
//   XSUBJECT    subject:     the decoded subject
//   XBODY       body:        the text of every text part (HTML turned to text)
//   XATTACHMENT attachment:  attachment filenames as words, plus the whole
//                            lowercased name as one unpositioned term
//   (none)                   a second copy of from, to/cc/bcc, subject and the
//                            attachment names; bare words search this plus
//                            XBODY (notmuch indexes these fields twice too, so
//                            a bare word costs two posting lists, not five)
//
// Each field starts `field_gap` (100) positions after the previous one ended,
// so a phrase never spans two fields (notmuch and mu do the same; it is
// TermGenerator::increase_termpos's default).
//
// Exact fields (kind::boolean) are one unpositioned term each, prefix + value,
// never stemmed or split; a query value must match exactly, or end in '*' to
// match every term that starts with the rest:
//
//   Q           id:          Message-ID without brackets, case kept (notmuch's Q)
//   G           thread:      the catalog thread key in decimal, e.g. thread:42
//   XMIMETYPE   mimetype:    every leaf part's type ("application/pdf") and its
//                            main type ("application"), lowercase
//   XFOLDER:    folder:      maildir folder / mbox name relative to the indexed
//                            root ("" at the root: folder:"" finds those). The
//                            ':' keeps a folder starting with a capital from
//                            reading as another prefix (notmuch's convention).
//   P           path:        the source file path as the source gave it
//   XHAS        has:         "attachment" when the message has attachments
//
// Values (kind::range), searched with ranges and used for sorting:
//
//   slot 0      date:        Date header in unix seconds (UTC), stored with
//                            Xapian::sortable_serialise; absent without a date
//   slot 1      size:        raw message size in bytes, sortable_serialise
//
// Terms longer than `max_term_bytes` (245, prefix included) are dropped:
// Xapian's glass backend refuses longer terms (notmuch's NOTMUCH_TERM_MAX). The
// TermGenerator already skips words over 64 bytes, so only exact terms (a very
// long Message-ID, path or attachment name) can hit the cap; such a message is
// still found by every other field, and the catalog keeps the full value.
//
// Thread-safety: everything here is constexpr data.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace cairn::index::fields {

/// How a field is indexed and how the query parser treats it.
enum class kind : std::uint8_t {
    text,    ///< words: positions, stems, n-grams; weighted in relevance
    boolean, ///< one exact term per value; a filter, no weight
    range,   ///< a value slot: ranges (date:a..b, size:a..b) and sorting
};

enum class id : std::uint8_t {
    from,
    to,
    cc,
    bcc,
    subject,
    body,
    attachment,
    message_id,
    thread,
    mimetype,
    folder,
    path,
    has,
    date,
    size,
};

/// "No value slot" (text and boolean fields).
inline constexpr std::uint32_t no_slot = 0xffff'ffff;

struct field {
    fields::id id;
    std::string_view name;   ///< the query prefix without ':' ("from")
    std::string_view prefix; ///< the Xapian term prefix ("XFROM"); "" for ranges
    std::uint32_t slot;      ///< the Xapian value slot; no_slot unless kind::range
    fields::kind kind;
    bool bare;                    ///< also indexed unprefixed, so bare words find it
    std::string_view description; ///< one line, for `cairn help search`
    std::string_view example;     ///< a query that uses the field
};

inline constexpr std::array<field, 15> table{{
    {id::from, "from", "XFROM", no_slot, kind::text, true,
     "sender name and address (address also as local part and domain)", "from:alice"},
    {id::to, "to", "XTO", no_slot, kind::text, true, "any recipient: To, Cc or Bcc",
     "to:bob@example.com"},
    {id::cc, "cc", "XCC", no_slot, kind::text, true, "Cc recipients", "cc:carol"},
    {id::bcc, "bcc", "XBCC", no_slot, kind::text, true, "Bcc recipients", "bcc:dave"},
    {id::subject, "subject", "XSUBJECT", no_slot, kind::text, true, "the subject",
     "subject:\"quarterly report\""},
    {id::body, "body", "XBODY", no_slot, kind::text, false, "the text of the message",
     "body:invoice"},
    {id::attachment, "attachment", "XATTACHMENT", no_slot, kind::text, true,
     "attachment file names, as words and whole", "attachment:report.pdf"},
    {id::message_id, "id", "Q", no_slot, kind::boolean, false,
     "the Message-ID, without brackets, exact", "id:abc+def@example.com"},
    {id::thread, "thread", "G", no_slot, kind::boolean, false, "the thread key", "thread:42"},
    {id::mimetype, "mimetype", "XMIMETYPE", no_slot, kind::boolean, false,
     "a part's type, or its main type", "mimetype:application/pdf"},
    {id::folder, "folder", "XFOLDER:", no_slot, kind::boolean, false,
     "maildir folder or mbox name, relative to the indexed root", "folder:Archive/2024"},
    {id::path, "path", "P", no_slot, kind::boolean, false,
     "the source file path ('*' at the end for a prefix)", "path:mail/cur/*"},
    {id::has, "has", "XHAS", no_slot, kind::boolean, false, "has:attachment", "has:attachment"},
    {id::date, "date", "", 0, kind::range, false,
     "date ranges in UTC: 2024, 2024-03, 2024-03-15, a..b, 7d.., today, yesterday",
     "date:2024-01-01..2024-03-31"},
    {id::size, "size", "", 1, kind::range, false, "raw size in bytes, k/M/G (base 1024)",
     "size:10k..2M"},
}};

[[nodiscard]] constexpr const field& of(fields::id which) noexcept {
    return table[static_cast<std::size_t>(which)];
}

inline constexpr std::uint32_t date_slot = of(id::date).slot;
inline constexpr std::uint32_t size_slot = of(id::size).slot;

/// Xapian's glass backend cannot store a longer term (prefix included).
inline constexpr std::size_t max_term_bytes = 245;
/// Positions between two fields, so a phrase cannot span them.
inline constexpr unsigned field_gap = 100;
/// The value of the has: term set when a message has attachments.
inline constexpr std::string_view has_attachment = "attachment";

// --- compile-time checks of the table (mu's static_asserts) -----------------------

namespace detail {

constexpr bool starts_with(std::string_view text, std::string_view head) {
    return text.substr(0, head.size()) == head;
}

constexpr bool ids_are_positions() {
    for (std::size_t i = 0; i < table.size(); ++i) {
        if (static_cast<std::size_t>(table[i].id) != i) {
            return false;
        }
    }
    return true;
}

constexpr bool names_unique() {
    for (std::size_t i = 0; i < table.size(); ++i) {
        for (std::size_t j = i + 1; j < table.size(); ++j) {
            if (table[i].name == table[j].name) {
                return false;
            }
        }
    }
    return true;
}

// Unique, and none a prefix of another: "XTO" beside "XTOP" would make the
// term "XTOPaz" ambiguous.
constexpr bool prefixes_unambiguous() {
    for (std::size_t i = 0; i < table.size(); ++i) {
        for (std::size_t j = 0; j < table.size(); ++j) {
            const auto& a = table[i].prefix;
            const auto& b = table[j].prefix;
            if (i != j && !a.empty() && !b.empty() && starts_with(b, a)) {
                return false;
            }
        }
    }
    return true;
}

// Terms use prefixes; ranges use slots; never both. Prefixes are capitals (so a
// lowercased word never looks prefixed) and never start with Xapian's stem
// marker 'Z'.
constexpr bool kinds_consistent() {
    for (const auto& f : table) {
        const bool is_range = f.kind == kind::range;
        if (is_range != (f.slot != no_slot) || is_range != f.prefix.empty()) {
            return false;
        }
        if (!f.prefix.empty() && (f.prefix[0] < 'A' || f.prefix[0] > 'Y')) {
            return false;
        }
        if (f.bare && f.kind != kind::text) {
            return false;
        }
    }
    return true;
}

constexpr bool slots_distinct() {
    for (std::size_t i = 0; i < table.size(); ++i) {
        for (std::size_t j = i + 1; j < table.size(); ++j) {
            if (table[i].slot != no_slot && table[i].slot == table[j].slot) {
                return false;
            }
        }
    }
    return true;
}

} // namespace detail

static_assert(detail::ids_are_positions(), "table row i must describe fields::id value i");
static_assert(detail::names_unique(), "two fields share a query name");
static_assert(detail::prefixes_unambiguous(), "a term prefix repeats or starts another");
static_assert(detail::kinds_consistent(), "a field's prefix/slot does not match its kind");
static_assert(detail::slots_distinct(), "two fields share a value slot");

} // namespace cairn::index::fields
