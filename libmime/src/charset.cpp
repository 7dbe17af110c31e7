// Streaming conversion to UTF-8: a validating UTF-8 path, tables for
// single-byte encodings, ICU for the rest (through a per-thread converter
// cache). Labels are resolved in charset_labels.cpp; undeclared text is
// sniffed in charset_detect.cpp.
#include "charset_internal.hpp"

#include <mime/charset.hpp>

#include <unicode/ucnv.h>
#include <unicode/ucnv_cb.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>

namespace cairn::mime {
using namespace charset_detail;

namespace {

constexpr std::string_view replacement_utf8 = "\xEF\xBF\xBD"; // U+FFFD

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

} // namespace

// --- public functions ---------------------------------------------------------------

// --- charset_decoder ----------------------------------------------------------------

struct charset_decoder::impl {
    const encoding_info* info = nullptr; ///< null until the first chunk is sniffed
    UConverter* converter = nullptr;
    const byte_table* table = nullptr;
    defect_set defects;
    bool bom_done = false;
    std::uint8_t bom_length = 0;
    std::array<char, 3> bom{};
    utf8_carry partial; ///< a UTF-8 sequence split across step() calls
    UChar lead = 0;     ///< a high surrogate whose pair is in ICU's next output buffer
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
        partial.size = 0;
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
        if (partial.size != 0 &&
            !partial.finish(in, [&](const utf8_step& step, const unsigned char* bytes) {
                if (step.kind == utf8_kind::valid) {
                    sink.write({reinterpret_cast<const char*>(bytes), step.length});
                } else {
                    replace(sink);
                }
            })) {
            return;
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
                partial.hold(p, step.length);
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
    } else if (d.partial.size != 0) {
        d.partial.size = 0;
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
