// SHA-256 of raw message bytes through OpenSSL's EVP interface: the dedup key
// and the check on every read from the store.
#include <indexer/content_hash.hpp>

#include <openssl/evp.h>

#include <charconv>
#include <new>
#include <stdexcept>
#include <utility>

namespace cairn::index {
namespace {

// OpenSSL 3 looks the algorithm up by name on every EVP_sha256() use unless it
// is fetched once ("implicit fetch" in migration_guide(7)); a store hashes
// millions of small messages, so fetch once and keep it for the process.
const EVP_MD* sha256() {
    static const EVP_MD* const md = [] {
        const EVP_MD* fetched = EVP_MD_fetch(nullptr, "SHA256", nullptr);
        return fetched != nullptr ? fetched : EVP_sha256();
    }();
    return md;
}

EVP_MD_CTX* as_ctx(void* context) {
    return static_cast<EVP_MD_CTX*>(context);
}

void check(int ok, const char* what) {
    if (ok != 1) {
        throw std::runtime_error(std::string("OpenSSL SHA-256 failed in ") + what);
    }
}

} // namespace

content_hash content_hash::of(std::string_view raw) {
    content_hasher hasher;
    hasher.update(raw);
    return hasher.finish();
}

std::optional<content_hash> content_hash::from_hex(std::string_view text) noexcept {
    if (text.size() != 2 * size) {
        return std::nullopt;
    }
    bytes_type bytes{};
    for (std::size_t i = 0; i < size; ++i) {
        // from_chars takes no sign, prefix or space, so two chars must be two digits.
        const char* first = text.data() + 2 * i;
        const auto [stop, error] = std::from_chars(first, first + 2, bytes[i], 16);
        if (error != std::errc() || stop != first + 2) {
            return std::nullopt;
        }
    }
    return content_hash(bytes);
}

std::string content_hash::hex() const {
    static constexpr char digits[] = "0123456789abcdef";
    std::string text(2 * size, '0');
    for (std::size_t i = 0; i < size; ++i) {
        text[2 * i] = digits[bytes_[i] >> 4];
        text[2 * i + 1] = digits[bytes_[i] & 0x0f];
    }
    return text;
}

content_hasher::content_hasher()
    : context_(EVP_MD_CTX_new()) {
    if (context_ == nullptr) {
        throw std::bad_alloc();
    }
    if (EVP_DigestInit_ex(as_ctx(context_), sha256(), nullptr) != 1) {
        EVP_MD_CTX_free(as_ctx(context_));
        throw std::runtime_error("OpenSSL SHA-256 failed in EVP_DigestInit_ex");
    }
}

content_hasher::~content_hasher() {
    EVP_MD_CTX_free(as_ctx(context_)); // accepts nullptr (a moved-from hasher)
}

content_hasher::content_hasher(content_hasher&& other) noexcept
    : context_(std::exchange(other.context_, nullptr)) {}

content_hasher& content_hasher::operator=(content_hasher&& other) noexcept {
    if (this != &other) {
        EVP_MD_CTX_free(as_ctx(context_));
        context_ = std::exchange(other.context_, nullptr);
    }
    return *this;
}

void content_hasher::update(std::string_view bytes) {
    // An empty update is legal; skipping it keeps a null data pointer away from OpenSSL.
    if (!bytes.empty()) {
        check(EVP_DigestUpdate(as_ctx(context_), bytes.data(), bytes.size()), "EVP_DigestUpdate");
    }
}

content_hash content_hasher::finish() {
    content_hash::bytes_type bytes{};
    unsigned int length = 0;
    check(EVP_DigestFinal_ex(as_ctx(context_), bytes.data(), &length), "EVP_DigestFinal_ex");
    // Ready for the next message without a new allocation.
    check(EVP_DigestInit_ex(as_ctx(context_), sha256(), nullptr), "EVP_DigestInit_ex");
    return content_hash(bytes);
}

} // namespace cairn::index
