// SPDX-License-Identifier: EUPL-1.2
#include "crypto/hash.h"

#include "base/error.h"

#include <sodium.h>

namespace fplan::crypto {

std::string sha256Hex(std::string_view bytes)
{
    if (sodium_init() < 0)
        throw Error(ErrorCode::Crypto, "libsodium could not be initialised");
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
    static constexpr char Hex[] = "0123456789abcdef";
    std::string out;
    out.reserve(2 * sizeof digest);
    for (const unsigned char b : digest) {
        out += Hex[b >> 4];
        out += Hex[b & 0x0f];
    }
    return out;
}

} // namespace fplan::crypto
