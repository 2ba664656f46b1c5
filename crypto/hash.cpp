// SPDX-License-Identifier: EUPL-1.2
#include "crypto/hash.h"

#include "base/error.h"
#include "crypto/random.h"

#include <sodium.h>

namespace fplan::crypto {

std::array<unsigned char, 32> sha256(std::string_view bytes)
{
    static_assert(crypto_hash_sha256_BYTES == 32);
    ensureSodium();
    std::array<unsigned char, 32> digest {};
    crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
    return digest;
}

std::string sha256Hex(std::string_view bytes)
{
    const auto digest = sha256(bytes);
    return toHex(digest.data(), digest.size());
}

namespace {

template <std::size_t N> std::array<unsigned char, N> blake2b(std::string_view bytes)
{
    static_assert(N >= crypto_generichash_BYTES_MIN && N <= crypto_generichash_BYTES_MAX);
    ensureSodium();
    std::array<unsigned char, N> digest {};
    crypto_generichash(
        digest.data(), N, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), nullptr, 0);
    return digest;
}

} // namespace

std::array<unsigned char, 16> digest128(std::string_view bytes)
{
    return blake2b<16>(bytes);
}

std::array<unsigned char, 32> digest256(std::string_view bytes)
{
    return blake2b<32>(bytes);
}

std::string toHex(const void* data, std::size_t size)
{
    static const char digits[] = "0123456789abcdef";
    const auto* bytes = static_cast<const unsigned char*>(data);
    std::string hex;
    hex.reserve(size * 2);
    for (std::size_t i = 0; i < size; ++i) {
        hex += digits[bytes[i] >> 4];
        hex += digits[bytes[i] & 0x0f];
    }
    return hex;
}

bool fromHex(std::string_view hex, void* out, std::size_t size)
{
    if (hex.size() != size * 2)
        return false;
    auto* bytes = static_cast<unsigned char*>(out);
    auto nibble = [](char c) -> int {
        if (c >= '0' && c <= '9')
            return c - '0';
        if (c >= 'a' && c <= 'f')
            return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
            return c - 'A' + 10;
        return -1;
    };
    for (std::size_t i = 0; i < size; ++i) {
        const int hi = nibble(hex[2 * i]);
        const int lo = nibble(hex[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return false;
        bytes[i] = static_cast<unsigned char>(hi << 4 | lo);
    }
    return true;
}

std::string hashPassword(std::string_view password, bool cheap)
{
    ensureSodium();
    char out[crypto_pwhash_STRBYTES];
    const auto ops = cheap ? crypto_pwhash_OPSLIMIT_MIN : crypto_pwhash_OPSLIMIT_INTERACTIVE;
    const auto mem = cheap ? crypto_pwhash_MEMLIMIT_MIN : crypto_pwhash_MEMLIMIT_INTERACTIVE;
    if (crypto_pwhash_str_alg(out, password.data(), password.size(), ops, mem, crypto_pwhash_ALG_ARGON2ID13)
        != 0)
        throw Error(ErrorCode::Crypto, "hashing the password ran out of memory");
    return out;
}

bool verifyPassword(std::string_view password, const std::string& hash)
{
    ensureSodium();
    return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

} // namespace fplan::crypto
