// Charset labels → encodings: the WHATWG table first, then ICU's aliases for
// the labels WHATWG lacks.
#include "charset_internal.hpp"

#include <mime/charset.hpp>

#include <unicode/ucnv.h>

#include <algorithm>
#include <array>
#include <deque>
#include <iterator>
#include <mutex>
#include <string>
#include <unordered_map>

namespace cairn::mime {
using namespace charset_detail;

namespace {

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

const encoding_info* find_whatwg(std::string_view lower) {
    const auto* it =
        std::lower_bound(std::begin(labels), std::end(labels), lower,
                         [](const label_entry& e, std::string_view l) { return e.label < l; });
    return it != std::end(labels) && it->label == lower ? &encodings[it->encoding] : nullptr;
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

} // namespace

const encoding_info& charset_detail::named(std::string_view canonical) {
    return *find_whatwg(canonical);
}

const encoding_info* charset_detail::lookup(std::string_view label) {
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

std::string_view canonical_charset(std::string_view label) {
    const encoding_info* info = lookup(label);
    return info != nullptr ? info->name : std::string_view{};
}

} // namespace cairn::mime
