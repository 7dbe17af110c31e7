// Charset labels → encodings (the WHATWG table, then ICU's aliases), streaming
// conversion to UTF-8 (a validating UTF-8 path, tables for single-byte
// encodings, ICU for the rest) and sniffing of undeclared 8-bit text.
#include <mime/charset.hpp>

#include <unicode/ucnv.h>
#include <unicode/ucnv_cb.h>
#include <unicode/ucsdet.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <deque>
#include <iterator>
#include <mutex>
#include <unordered_map>

namespace cairn::mime {
namespace {

enum class encoding_kind : std::uint8_t { utf8, single_byte, icu };

struct encoding_info {
    std::string_view name; ///< canonical (WHATWG) name
    const char* icu_name;  ///< ICU converter; nullptr for a built-in table
    encoding_kind kind;
};

#include "charset_labels.inc"

constexpr bool labels_sorted() {
    for (std::size_t i = 1; i < std::size(labels); ++i) {
        if (!(labels[i - 1].label < labels[i].label)) {
            return false;
        }
    }
    return true;
}

static_assert(labels_sorted(), "charset_labels.inc must be sorted by label (binary search)");

/// Longer than any real label; anything longer is garbage, not worth an ICU lookup.
constexpr std::size_t max_label_length = 64;
/// ICU's detector reads all it is given; the first 16 KiB decide as well as all.
constexpr std::size_t sniff_limit = 16 * 1024;
/// ICU confidence (0-100) needed to trust a guess over windows-1252. ICU
/// reports about 10 for any text as UTF-16 or Shift_JIS (noise), while its
/// n-gram recognisers score a paragraph of real KOI8-R or windows-1251 at ~19.
constexpr int sniff_min_confidence = 15;
constexpr std::string_view replacement_utf8 = "\xEF\xBF\xBD"; // U+FFFD

const encoding_info* find_whatwg(std::string_view lower) {
    const auto* it =
        std::lower_bound(std::begin(labels), std::end(labels), lower,
                         [](const label_entry& e, std::string_view l) { return e.label < l; });
    return it != std::end(labels) && it->label == lower ? &encodings[it->encoding] : nullptr;
}

/// Canonical names are labels of themselves, so this never fails for them.
const encoding_info& named(std::string_view canonical) {
    return *find_whatwg(canonical);
}

std::string lower_copy(std::string_view text) {
    std::string lower(text);
    for (char& c : lower) {
        c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    }
    return lower;
}

// Labels WHATWG lacks but ICU knows (cp850, ibm437, utf-7, …). Resolved once and
// kept for the life of the process so returned names and pointers stay valid.
// Successes are bounded by ICU's converter count; failures are remembered only
// up to a cap so hostile mail cannot grow the map without bound.
class icu_alias_registry {
public:
    const encoding_info* find(std::string_view lower) {
        std::lock_guard lock(mutex_);
        std::string key(lower);
        if (auto it = by_label_.find(key); it != by_label_.end()) {
            return it->second;
        }
        const encoding_info* info = resolve(key);
        if (info != nullptr || by_label_.size() < max_remembered_failures) {
            by_label_.emplace(std::move(key), info);
        }
        return info;
    }

private:
    static constexpr std::size_t max_remembered_failures = 4096;

    const encoding_info* resolve(const std::string& label) {
        UErrorCode err = U_ZERO_ERROR;
        const char* converter = ucnv_getAlias(label.c_str(), 0, &err);
        if (U_FAILURE(err) || converter == nullptr) {
            return nullptr;
        }
        const char* standard = ucnv_getStandardName(converter, "IANA", &err);
        if (standard == nullptr) {
            err = U_ZERO_ERROR;
            standard = ucnv_getStandardName(converter, "MIME", &err);
        }
        std::string name = lower_copy(standard != nullptr ? standard : converter);
        if (const encoding_info* whatwg = find_whatwg(name)) {
            return whatwg; // e.g. "8859_1" → ISO_8859-1:1987 → windows-1252
        }
        if (auto it = by_converter_.find(converter); it != by_converter_.end()) {
            return it->second;
        }
        err = U_ZERO_ERROR;
        UConverter* probe = ucnv_open(converter, &err);
        if (U_FAILURE(err)) {
            return nullptr;
        }
        ucnv_close(probe);
        names_.push_back(std::move(name));
        infos_.push_back({names_.back(), converter, encoding_kind::icu});
        by_converter_.emplace(converter, &infos_.back());
        return &infos_.back();
    }

    std::mutex mutex_;
    std::unordered_map<std::string, const encoding_info*> by_label_;
    std::unordered_map<std::string_view, const encoding_info*> by_converter_;
    std::deque<std::string> names_; // deques: stable addresses
    std::deque<encoding_info> infos_;
};

/// Trims whitespace and quotes, lower-cases, then WHATWG table, then ICU.
const encoding_info* lookup(std::string_view label) {
    constexpr std::string_view junk = " \t\r\n\f\v\"'";
    const auto first = label.find_first_not_of(junk);
    if (first == std::string_view::npos) {
        return nullptr;
    }
    label = label.substr(first, label.find_last_not_of(junk) - first + 1);
    if (label.size() > max_label_length) {
        return nullptr;
    }
    std::array<char, max_label_length> buffer{};
    for (std::size_t i = 0; i < label.size(); ++i) {
        const char c = label[i];
        buffer[i] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    }
    const std::string_view lower(buffer.data(), label.size());
    if (const encoding_info* info = find_whatwg(lower)) {
        return info;
    }
    static icu_alias_registry registry;
    return registry.find(lower);
}

// --- UTF-8 -------------------------------------------------------------------

enum class utf8_kind : std::uint8_t { valid, invalid, truncated };

struct utf8_step {
    utf8_kind kind;
    std::size_t length; ///< bytes of the scalar, of the maximal ill-formed subpart, or present
};

/// Classifies the sequence at p (< end) by Unicode Table 3-7 (well-formed
/// UTF-8). An invalid result's length is the "maximal subpart" that becomes one
/// U+FFFD (Unicode §3.9, the WHATWG decoder's behaviour).
utf8_step next_utf8(const unsigned char* p, const unsigned char* end) {
    const unsigned lead = p[0];
    if (lead < 0x80) {
        return {utf8_kind::valid, 1};
    }
    std::size_t trail = 0;
    unsigned low = 0x80;
    unsigned high = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
        trail = 1;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        trail = 2;
        low = lead == 0xE0 ? 0xA0 : low;   // no overlongs
        high = lead == 0xED ? 0x9F : high; // no surrogates
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        trail = 3;
        low = lead == 0xF0 ? 0x90 : low;
        high = lead == 0xF4 ? 0x8F : high; // nothing above U+10FFFF
    } else {
        return {utf8_kind::invalid, 1};
    }
    const auto available = static_cast<std::size_t>(end - p);
    for (std::size_t i = 1; i <= trail; ++i) {
        if (i >= available) {
            return {utf8_kind::truncated, i};
        }
        if (p[i] < low || p[i] > high) {
            return {utf8_kind::invalid, i};
        }
        low = 0x80;
        high = 0xBF;
    }
    return {utf8_kind::valid, trail + 1};
}

constexpr std::uint64_t high_bits = 0x8080808080808080ULL;

/// Skips ASCII eight bytes at a time.
const unsigned char* skip_ascii(const unsigned char* p, const unsigned char* end) {
    while (end - p >= 8) {
        std::uint64_t word = 0;
        std::memcpy(&word, p, sizeof word);
        if ((word & high_bits) != 0) {
            break;
        }
        p += 8;
    }
    while (p < end && *p < 0x80) {
        ++p;
    }
    return p;
}

const unsigned char* bytes_of(std::string_view text) {
    return reinterpret_cast<const unsigned char*>(text.data());
}

std::size_t put_utf8(char* out, char32_t c) {
    if (c < 0x80) {
        out[0] = static_cast<char>(c);
        return 1;
    }
    if (c < 0x800) {
        out[0] = static_cast<char>(0xC0 | (c >> 6));
        out[1] = static_cast<char>(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        out[0] = static_cast<char>(0xE0 | (c >> 12));
        out[1] = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        out[2] = static_cast<char>(0x80 | (c & 0x3F));
        return 3;
    }
    out[0] = static_cast<char>(0xF0 | (c >> 18));
    out[1] = static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out[2] = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out[3] = static_cast<char>(0x80 | (c & 0x3F));
    return 4;
}

// --- single-byte tables ------------------------------------------------------

/// UTF-8 for bytes 0x80-0xFF; length 0 marks a byte the encoding leaves unmapped.
struct byte_table {
    std::array<std::array<char, 4>, 128> utf8{};
    std::array<std::uint8_t, 128> length{};
};

char32_t single_byte_code_point(const encoding_info& info, UConverter* converter, unsigned byte) {
    if (info.name == "x-user-defined") {
        return 0xF780 + byte - 0x80; // WHATWG §14.5
    }
    if (converter == nullptr) { // iso-8859-16: not in ICU
        return byte < 0xA0 ? byte : iso_8859_16_high[byte - 0xA0];
    }
    const char in = static_cast<char>(byte);
    std::array<UChar, 4> out{};
    UErrorCode err = U_ZERO_ERROR;
    const int32_t n = ucnv_toUChars(converter, out.data(), out.size(), &in, 1, &err);
    if (U_SUCCESS(err) && n == 1) {
        return out[0];
    }
    // WHATWG's windows-1252 index maps the five bytes Microsoft left undefined
    // (0x81, 0x8D, 0x8F, 0x90, 0x9D) to the C1 controls of the same value.
    return info.name == "windows-1252" ? byte : 0;
}

const byte_table& single_byte_table(const encoding_info& info) {
    static std::array<byte_table, std::size(encodings)> tables;
    static std::array<std::once_flag, std::size(encodings)> built;
    const auto index = static_cast<std::size_t>(&info - encodings);
    std::call_once(built[index], [&info, &table = tables[index]] {
        UErrorCode err = U_ZERO_ERROR;
        UConverter* converter = info.icu_name != nullptr ? ucnv_open(info.icu_name, &err) : nullptr;
        if (converter != nullptr) { // report unmapped bytes instead of ICU's U+001A / U+FFFD
            ucnv_setToUCallBack(converter, UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr,
                                &err);
        }
        for (unsigned byte = 0x80; byte <= 0xFF; ++byte) {
            const char32_t c = single_byte_code_point(info, converter, byte);
            table.length[byte - 0x80] =
                c == 0 ? 0 : static_cast<std::uint8_t>(put_utf8(table.utf8[byte - 0x80].data(), c));
        }
        ucnv_close(converter);
    });
    return tables[index];
}

// --- per-thread caches ---------------------------------------------------------

/// Open ICU converters by name. Opening costs microseconds; mail switches
/// between a handful of charsets, so a few stay open per thread.
class converter_cache {
public:
    converter_cache() = default;
    converter_cache(const converter_cache&) = delete;
    converter_cache& operator=(const converter_cache&) = delete;

    ~converter_cache() {
        for (std::size_t i = 0; i < size_; ++i) {
            ucnv_close(entries_[i].converter);
        }
    }

    UConverter* acquire(const char* name) {
        for (std::size_t i = 0; i < size_; ++i) {
            if (std::strcmp(entries_[i].name, name) == 0) {
                UConverter* found = entries_[i].converter;
                entries_[i] = entries_[--size_];
                return found;
            }
        }
        UErrorCode err = U_ZERO_ERROR;
        UConverter* opened = ucnv_open(name, &err);
        return U_SUCCESS(err) ? opened : nullptr;
    }

    void release(const char* name, UConverter* converter) {
        ucnv_reset(converter);
        if (size_ == entries_.size()) {
            ucnv_close(entries_[0].converter);
            entries_[0] = entries_[--size_];
        }
        entries_[size_++] = {name, converter};
    }

private:
    struct entry {
        const char* name;
        UConverter* converter;
    };

    std::array<entry, 8> entries_{};
    std::size_t size_ = 0;
};

thread_local converter_cache converters;

/// ICU to-Unicode callback: every invalid or unmappable sequence becomes one
/// U+FFFD (never dropped) and is recorded in the defect_set passed as context.
void replace_and_record(const void* context, UConverterToUnicodeArgs* args, const char* /*units*/,
                        int32_t /*length*/, UConverterCallbackReason reason, UErrorCode* err) {
    if (reason > UCNV_IRREGULAR) {
        return; // reset / close / clone notifications
    }
    static_cast<defect_set*>(const_cast<void*>(context))->add(defect::invalid_multibyte_sequence);
    *err = U_ZERO_ERROR;
    const UChar replacement = 0xFFFD;
    ucnv_cbToUWriteUChars(args, &replacement, 1, 0, err);
}

// --- sniffing -------------------------------------------------------------------

/// ISO-2022 text is 7-bit, so it passes as ASCII; its escape sequences tell.
std::string_view sniff_iso2022(std::string_view bytes) {
    for (auto esc = bytes.find('\x1b'); esc != std::string_view::npos;
         esc = bytes.find('\x1b', esc + 1)) {
        const std::string_view seq = bytes.substr(esc + 1, 3);
        if (seq.starts_with("$B") || seq.starts_with("$@") || seq.starts_with("(J") ||
            seq.starts_with("(I")) {
            return "iso-2022-jp";
        }
        if (seq == "$)C") {
            return "iso-2022-kr";
        }
        if (seq == "$)A" || seq == "$)G" || seq == "$*H") {
            return "iso-2022-cn";
        }
    }
    return {};
}

/// ICU detector results worth trusting in mail (no EBCDIC, no UTF-16/32 for 8-bit text).
bool mail_charset(std::string_view icu_name) {
    static constexpr std::array<std::string_view, 24> allowed = {
        "Big5",         "EUC-JP",       "EUC-KR",       "GB18030",      "ISO-2022-CN",
        "ISO-2022-JP",  "ISO-2022-KR",  "ISO-8859-1",   "ISO-8859-2",   "ISO-8859-5",
        "ISO-8859-6",   "ISO-8859-7",   "ISO-8859-8",   "ISO-8859-8-I", "ISO-8859-9",
        "KOI8-R",       "Shift_JIS",    "windows-1250", "windows-1251", "windows-1252",
        "windows-1253", "windows-1254", "windows-1255", "windows-1256"};
    return std::find(allowed.begin(), allowed.end(), icu_name) != allowed.end();
}

struct detector_holder {
    UCharsetDetector* detector = nullptr;
    detector_holder() = default;
    detector_holder(const detector_holder&) = delete;
    detector_holder& operator=(const detector_holder&) = delete;

    ~detector_holder() { ucsdet_close(detector); }
};

std::string_view detect(std::string_view bytes) {
    thread_local detector_holder holder;
    UErrorCode err = U_ZERO_ERROR;
    if (holder.detector == nullptr) {
        holder.detector = ucsdet_open(&err);
    }
    bytes = bytes.substr(0, sniff_limit);
    ucsdet_setText(holder.detector, bytes.data(), static_cast<int32_t>(bytes.size()), &err);
    int32_t count = 0;
    const UCharsetMatch** matches = ucsdet_detectAll(holder.detector, &count, &err);
    for (int32_t i = 0; U_SUCCESS(err) && i < count; ++i) {
        if (ucsdet_getConfidence(matches[i], &err) < sniff_min_confidence) {
            break; // sorted by confidence
        }
        const char* name = ucsdet_getName(matches[i], &err);
        if (U_SUCCESS(err) && mail_charset(name)) {
            if (const encoding_info* info = lookup(name)) { // all are WHATWG labels
                return info->name;
            }
        }
    }
    return "windows-1252";
}

} // namespace

// --- public functions ---------------------------------------------------------------

std::string_view canonical_charset(std::string_view label) {
    const encoding_info* info = lookup(label);
    return info != nullptr ? info->name : std::string_view{};
}

bool is_ascii(std::string_view bytes) noexcept {
    const unsigned char* end = bytes_of(bytes) + bytes.size();
    return skip_ascii(bytes_of(bytes), end) == end;
}

bool is_valid_utf8(std::string_view bytes) noexcept {
    const unsigned char* p = bytes_of(bytes);
    const unsigned char* end = p + bytes.size();
    while ((p = skip_ascii(p, end)) < end) {
        const utf8_step step = next_utf8(p, end);
        if (step.kind != utf8_kind::valid) {
            return false;
        }
        p += step.length;
    }
    return true;
}

std::string_view sniff_charset(std::string_view bytes) {
    if (is_ascii(bytes)) {
        const std::string_view iso2022 = sniff_iso2022(bytes);
        return iso2022.empty() ? std::string_view("utf-8") : iso2022;
    }
    return is_valid_utf8(bytes) ? std::string_view("utf-8") : detect(bytes);
}

// --- charset_decoder ----------------------------------------------------------------

struct charset_decoder::impl {
    const encoding_info* info = nullptr; ///< null until the first chunk is sniffed
    UConverter* converter = nullptr;
    const byte_table* table = nullptr;
    defect_set defects;
    bool bom_done = false;
    std::uint8_t bom_length = 0;
    std::uint8_t partial_length = 0; ///< a UTF-8 sequence split across step() calls
    std::array<char, 3> bom{};
    std::array<unsigned char, 4> partial{};
    UChar lead = 0; ///< a high surrogate whose pair is in ICU's next output buffer
    std::array<UChar, 2048> units{};
    std::array<char, 3 * 2048 + 8> out{}; ///< ≤ 3 UTF-8 bytes per UTF-16 unit

    /// One spare impl per thread: decoders are made per header word and per
    /// body part, and the buffers are too big to allocate each time.
    static std::unique_ptr<impl>& spare() {
        thread_local std::unique_ptr<impl> slot;
        return slot;
    }

    void start(const encoding_info* encoding) {
        info = nullptr;
        defects = {};
        bom_done = false;
        bom_length = 0;
        partial_length = 0;
        lead = 0;
        select(encoding);
    }

    void select(const encoding_info* encoding) {
        release();
        info = encoding;
        if (info != nullptr && info->kind == encoding_kind::single_byte) {
            table = &single_byte_table(*info);
        } else if (info != nullptr && info->kind == encoding_kind::icu) {
            converter = converters.acquire(info->icu_name);
            UErrorCode err = U_ZERO_ERROR;
            if (converter != nullptr) {
                ucnv_setToUCallBack(converter, replace_and_record, &defects, nullptr, nullptr,
                                    &err);
            } else { // ICU data without this converter: keep the text readable
                defects.add(defect::invalid_charset);
                select(&named("windows-1252"));
            }
        }
    }

    void release() {
        if (converter != nullptr) {
            converters.release(info->icu_name, converter);
            converter = nullptr;
        }
    }

    // WHATWG "decode" (Encoding §6): a byte order mark overrides the label.
    // Holds up to two bytes until it can tell; returns the input left to decode.
    std::string_view take_bom(std::string_view in, bool at_end, sink_ref sink) {
        const std::size_t take = std::min<std::size_t>(bom.size() - bom_length, in.size());
        if (take != 0) { // in.data() may be null at finish()
            std::memcpy(bom.data() + bom_length, in.data(), take);
        }
        bom_length = static_cast<std::uint8_t>(bom_length + take);
        in.remove_prefix(take);
        const std::string_view held(bom.data(), bom_length);
        std::size_t skip = 2;
        const encoding_info* override = nullptr;
        if (held.starts_with("\xEF\xBB\xBF")) {
            override = &named("utf-8");
            skip = 3;
        } else if (held.starts_with("\xFE\xFF")) {
            override = &named("utf-16be");
        } else if (held.starts_with("\xFF\xFE")) {
            override = &named("utf-16le");
        } else if (!at_end && held.size() < bom.size() &&
                   (std::string_view("\xEF\xBB\xBF").starts_with(held) || held == "\xFE" ||
                    held == "\xFF")) {
            return {};
        }
        bom_done = true;
        if (override == nullptr) {
            skip = 0;
        } else if (override != info) {
            select(override);
        }
        feed(held.substr(skip), false, sink);
        return in;
    }

    void feed(std::string_view in, bool flush, sink_ref sink) {
        switch (info->kind) {
        case encoding_kind::utf8:
            feed_utf8(in, sink);
            break;
        case encoding_kind::single_byte:
            feed_table(in, sink);
            break;
        case encoding_kind::icu:
            feed_icu(in, flush, sink);
            break;
        }
    }

    void replace(sink_ref sink) {
        defects.add(defect::invalid_multibyte_sequence);
        sink.write(replacement_utf8);
    }

    // UTF-8 in, UTF-8 out: valid runs go to the sink straight from the input.
    void feed_utf8(std::string_view in, sink_ref sink) {
        if (partial_length != 0) { // finish the split sequence with up to 3 new bytes
            std::array<unsigned char, 8> joined{};
            const std::size_t take = std::min<std::size_t>(3, in.size());
            std::memcpy(joined.data(), partial.data(), partial_length);
            if (take != 0) {
                std::memcpy(joined.data() + partial_length, in.data(), take);
            }
            const unsigned char* end = joined.data() + partial_length + take;
            const unsigned char* p = joined.data();
            while (p < joined.data() + partial_length) {
                const utf8_step step = next_utf8(p, end);
                if (step.kind == utf8_kind::truncated) { // only when the input ran out
                    partial_length = static_cast<std::uint8_t>(end - p);
                    std::memmove(partial.data(), p, partial_length);
                    return;
                }
                if (step.kind == utf8_kind::valid) {
                    sink.write({reinterpret_cast<const char*>(p), step.length});
                } else {
                    replace(sink);
                }
                p += step.length;
            }
            in.remove_prefix(static_cast<std::size_t>(p - joined.data()) - partial_length);
            partial_length = 0;
        }
        const unsigned char* p = bytes_of(in);
        const unsigned char* end = p + in.size();
        const unsigned char* run = p;
        while ((p = skip_ascii(p, end)) < end) {
            const utf8_step step = next_utf8(p, end);
            if (step.kind == utf8_kind::valid) {
                p += step.length;
                continue;
            }
            sink.write({reinterpret_cast<const char*>(run), static_cast<std::size_t>(p - run)});
            if (step.kind == utf8_kind::truncated) {
                partial_length = static_cast<std::uint8_t>(step.length);
                std::memcpy(partial.data(), p, step.length);
                return;
            }
            replace(sink);
            p += step.length;
            run = p;
        }
        sink.write({reinterpret_cast<const char*>(run), static_cast<std::size_t>(end - run)});
    }

    void feed_table(std::string_view in, sink_ref sink) {
        const unsigned char* p = bytes_of(in);
        const unsigned char* const end = p + in.size();
        std::size_t used = 0;
        while (p < end) {
            const unsigned char* const ascii_end = skip_ascii(p, end);
            while (p < ascii_end) { // ASCII runs are copied wholesale
                const std::size_t n =
                    std::min(static_cast<std::size_t>(ascii_end - p), out.size() - used);
                std::memcpy(out.data() + used, p, n);
                used += n;
                p += n;
                if (used == out.size()) {
                    sink.write({out.data(), used});
                    used = 0;
                }
            }
            if (p == end) {
                break;
            }
            if (used + 4 > out.size()) {
                sink.write({out.data(), used});
                used = 0;
            }
            const std::size_t index = *p++ - 0x80U;
            if (const std::size_t n = table->length[index]; n != 0) {
                std::memcpy(out.data() + used, table->utf8[index].data(), n);
                used += n;
            } else {
                defects.add(defect::invalid_multibyte_sequence);
                std::memcpy(out.data() + used, replacement_utf8.data(), replacement_utf8.size());
                used += replacement_utf8.size();
            }
        }
        sink.write({out.data(), used});
    }

    // ICU: bytes → UTF-16 in buffer-sized pieces (the converter keeps split
    // sequences between calls; flush only at finish), then UTF-16 → UTF-8.
    void feed_icu(std::string_view in, bool flush, sink_ref sink) {
        const char* source = in.data();
        const char* source_end = source + in.size();
        UErrorCode err = U_BUFFER_OVERFLOW_ERROR;
        while (err == U_BUFFER_OVERFLOW_ERROR) {
            err = U_ZERO_ERROR;
            UChar* target = units.data();
            ucnv_toUnicode(converter, &target, units.data() + units.size(), &source, source_end,
                           nullptr, static_cast<UBool>(flush), &err);
            emit_units(target, sink);
        }
        if (U_FAILURE(err)) { // cannot happen with replace_and_record; never lose text silently
            replace(sink);
        }
        if (flush && lead != 0) {
            lead = 0;
            replace(sink);
        }
    }

    void emit_units(const UChar* end, sink_ref sink) {
        std::size_t used = 0;
        for (const UChar* p = units.data(); p < end; ++p) {
            char32_t c = *p;
            if (lead != 0) {
                const bool paired = c >= 0xDC00 && c <= 0xDFFF;
                const char32_t whole = 0x10000 + ((char32_t{lead} - 0xD800) << 10) + (c - 0xDC00);
                lead = 0;
                if (paired) {
                    used += put_utf8(out.data() + used, whole);
                    continue;
                }
                used += put_utf8(out.data() + used, 0xFFFD);
            }
            if (c >= 0xD800 && c <= 0xDBFF) {
                lead = static_cast<UChar>(c);
                continue;
            }
            c = (c >= 0xDC00 && c <= 0xDFFF) ? 0xFFFD : c;
            used += put_utf8(out.data() + used, c);
        }
        sink.write({out.data(), used});
    }
};

charset_decoder::charset_decoder(std::string_view label)
    : impl_(impl::spare() ? std::move(impl::spare()) : std::make_unique<impl>()) {
    const encoding_info* info = lookup(label);
    impl_->start(info);
    if (info == nullptr && label.find_first_not_of(" \t\"'") != std::string_view::npos) {
        impl_->defects.add(defect::invalid_charset);
    }
}

charset_decoder::~charset_decoder() {
    if (impl_) {
        impl_->release();
        if (!impl::spare()) {
            impl::spare() = std::move(impl_);
        }
    }
}

void charset_decoder::step(std::string_view in, sink_ref utf8_out) {
    if (in.empty()) {
        return;
    }
    if (impl_->info == nullptr) { // unknown or missing label: the first chunk decides
        impl_->select(lookup(sniff_charset(in)));
    }
    if (!impl_->bom_done) {
        in = impl_->take_bom(in, false, utf8_out);
    }
    if (!in.empty()) {
        impl_->feed(in, false, utf8_out);
    }
}

void charset_decoder::finish(sink_ref utf8_out) {
    impl& d = *impl_;
    if (d.info == nullptr) {
        return; // no input at all
    }
    if (!d.bom_done) {
        d.take_bom({}, true, utf8_out);
    }
    if (d.info->kind == encoding_kind::icu) {
        d.feed_icu({}, true, utf8_out);
    } else if (d.partial_length != 0) {
        d.partial_length = 0;
        d.replace(utf8_out); // input ended inside a UTF-8 sequence
    }
}

std::string_view charset_decoder::charset() const noexcept {
    return impl_->info != nullptr ? impl_->info->name : std::string_view{};
}

defect_set charset_decoder::defects() const noexcept {
    return impl_->defects;
}

std::string to_utf8(std::string_view bytes, std::string_view label) {
    std::string text;
    text.reserve(bytes.size());
    string_sink sink{text};
    charset_decoder decoder(label);
    decoder.step(bytes, sink);
    decoder.finish(sink);
    return text;
}

std::string bytes_to_utf8(std::string_view bytes, std::string_view fallback_label) {
    if (is_valid_utf8(bytes)) {
        const std::string_view iso2022 = sniff_iso2022(bytes); // 7-bit, so it passes as UTF-8
        return iso2022.empty() ? std::string(bytes) : to_utf8(bytes, iso2022);
    }
    // A fallback of UTF-8 has just been shown wrong; sniff instead.
    const std::string_view fallback = canonical_charset(fallback_label);
    return to_utf8(bytes,
                   fallback.empty() || fallback == "utf-8" ? sniff_charset(bytes) : fallback);
}

} // namespace cairn::mime
