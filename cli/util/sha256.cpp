#include "util/sha256.hpp"

#include <openssl/evp.h>

#include <stdexcept>

namespace cairn::cli {

void sha256_sink::context_deleter::operator()(void* context) const noexcept {
    EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(context));
}

sha256_sink::sha256_sink()
    : context_(EVP_MD_CTX_new()) {
    if (!context_ ||
        EVP_DigestInit_ex(static_cast<EVP_MD_CTX*>(context_.get()), EVP_sha256(), nullptr) != 1) {
        throw std::runtime_error("OpenSSL: cannot initialise SHA-256");
    }
}

sha256_sink::~sha256_sink() = default;

void sha256_sink::write(std::string_view bytes) {
    size_ += bytes.size();
    EVP_DigestUpdate(static_cast<EVP_MD_CTX*>(context_.get()), bytes.data(), bytes.size());
}

std::string sha256_sink::hex_digest() {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_DigestFinal_ex(static_cast<EVP_MD_CTX*>(context_.get()), digest, &length);
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    out.reserve(length * 2);
    for (unsigned int i = 0; i < length; ++i) {
        out.push_back(hex[digest[i] >> 4]);
        out.push_back(hex[digest[i] & 15]);
    }
    return out;
}

} // namespace cairn::cli
