#pragma once
// Message content readers: DATA (end-of-data detection and dot-unstuffing
// across chunks, RFC 5321 §4.1.1.4 and §4.5.2) and BDAT (counted chunks,
// RFC 3030). Both keep at most `max_size` octets of content and count the rest.
//
// SMTP smuggling (CVE-2023-51764/51765/51766 and earlier): a receiver that
// ends DATA on anything but CR LF "." CR LF lets a client hide a second
// message inside the first for a sender that does not. data_reader ends DATA
// only on a real CRLF, ".", CRLF — `LF.LF`, `LF.CRLF`, `CRLF.LF`, `CR.CR` are
// content — and removes a leading dot only from a line that follows a real
// CRLF. Bare LF and bare CR never start a line for those purposes, whatever
// the bare_lf_policy says about how they are stored; a leading dot followed by
// a bare LF or bare CR is kept, so a smuggling attempt stays visible in the
// archive instead of being half-repaired.
//
//     smtp::data_reader r(50 << 20, smtp::bare_lf_policy::keep_with_defect);
//     std::size_t used = r.feed("Subject: x\r\n\r\n..dot\r\n.\r\nQUIT\r\n");
//     // r.done(), r.data() == "Subject: x\r\n\r\n.dot\r\n", used == 24 (QUIT is left)

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace cairn::smtp {

/// What to do with a LF not preceded by CR, or a CR not followed by LF, in
/// DATA content (RFC 5321 §2.3.8 allows neither). None of them ends DATA.
enum class bare_lf_policy : std::uint8_t {
    /// Store the octets exactly as received and set the flag (the default:
    /// cairn archives byte-exact and reports defects, DESIGN.md).
    keep_with_defect,
    /// Store a bare LF or bare CR as CRLF and set the flag (Postfix 3.9's
    /// `smtpd_forbid_bare_newline = normal`). The new CRLF does not enable
    /// dot-unstuffing or end-of-data.
    normalise,
    /// Keep reading to the end of DATA, then refuse the message with
    /// 550 5.6.0 (Postfix's `strict`, without the disconnect).
    reject,
};

/// Facts about the content a reader saw, for the message event and defects.
struct data_flags {
    bool bare_lf = false;       ///< a LF without CR before it
    bool bare_cr = false;       ///< a CR without LF after it
    bool nul = false;           ///< a NUL octet (kept; RFC 5321 §4.5.2 does not forbid storing it)
    bool line_too_long = false; ///< a line over max_text_line octets incl. CRLF (§4.5.3.1.6)
};

/// RFC 5321 §4.5.3.1.6: a text line is at most 1000 octets including CRLF.
inline constexpr std::size_t max_text_line = 1000;

/// The capped buffer both readers store into: keeps the first `max_size`
/// octets; once more arrive, it drops what it has (memory stays bounded) and
/// only counts. size() is the full count either way.
class content_buffer {
public:
    explicit content_buffer(std::uint64_t max_size)
        : max_size_(max_size) {}

    void append(std::string_view bytes);

    [[nodiscard]] bool over_size() const { return size_ > max_size_; }

    [[nodiscard]] std::uint64_t size() const { return size_; }

    /// The content; empty when over_size().
    [[nodiscard]] const std::string& data() const { return data_; }

    /// Moves the content out and empties the buffer.
    [[nodiscard]] std::string take();

    void clear();

private:
    std::uint64_t max_size_;
    std::uint64_t size_ = 0;
    std::string data_;
};

/// DATA content reader: a byte state machine fed any split of the input
/// (one byte at a time gives the same result as all at once). Not thread-safe;
/// one per session. Linear in the input; stores at most `max_size` octets.
class data_reader {
public:
    data_reader(std::uint64_t max_size, bare_lf_policy policy);

    /// Consumes content up to and including the terminating CRLF "." CRLF and
    /// returns how many octets of `in` it used; the rest (pipelined commands)
    /// is left for the caller. Returns 0 once done() until reset().
    std::size_t feed(std::string_view in);

    /// The terminator has been read.
    [[nodiscard]] bool done() const { return state_ == state::done; }

    /// Content after dot-unstuffing (and normalisation if the policy says so),
    /// without the terminating ".CRLF" — the CRLF before the dot belongs to
    /// the last line and is kept (RFC 5321 §4.1.1.4).
    [[nodiscard]] const content_buffer& content() const { return content_; }

    [[nodiscard]] std::string take_data() { return content_.take(); }

    [[nodiscard]] const data_flags& flags() const { return flags_; }

    /// Ready for the next message (keeps max_size and policy).
    void reset();

private:
    enum class state : std::uint8_t {
        line_start, ///< after a real CRLF (or the 354): a "." here is special
        text,       ///< inside a line
        cr,         ///< a CR was read, not yet stored: CRLF or bare CR?
        dot,        ///< line_start then ".", not yet stored
        dot_cr,     ///< line_start ".", CR: LF now ends DATA
        done,
    };

    void bare_cr();
    void count_line(std::size_t octets);
    std::size_t scan_text(std::string_view in);

    content_buffer content_;
    bare_lf_policy policy_;
    data_flags flags_;
    state state_ = state::line_start;
    std::size_t line_length_ = 0;
};

/// BDAT content reader (RFC 3030): chunks of announced size, stored exactly —
/// no dot-unstuffing, no end marker, no line-end policy. Flags are still
/// computed across chunk boundaries so the archive can record defects.
class bdat_reader {
public:
    explicit bdat_reader(std::uint64_t max_size)
        : content_(max_size) {}

    /// Starts a chunk of `octets`; `discard` reads it without storing (the
    /// BDAT command was refused, RFC 3030 §2: the chunk must still be read).
    void begin_chunk(std::uint64_t octets, bool discard);

    /// Consumes up to the rest of the current chunk; returns octets used.
    std::size_t feed(std::string_view in);

    [[nodiscard]] bool chunk_done() const { return remaining_ == 0; }

    [[nodiscard]] const content_buffer& content() const { return content_; }

    [[nodiscard]] std::string take_data() { return content_.take(); }

    [[nodiscard]] const data_flags& flags() const { return flags_; }

    /// Ready for the next message.
    void reset();

private:
    content_buffer content_;
    data_flags flags_;
    std::uint64_t remaining_ = 0;
    bool discard_ = false;
    bool after_cr_ = false;
    std::size_t line_length_ = 0;
};

} // namespace cairn::smtp
