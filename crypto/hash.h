// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace fplan::crypto {

// SHA-256 of the bytes (libsodium: nothing to start, unlike OpenSSL, whose first digest loads
// its configuration and providers, a visible part of a short command's start-up).
std::array<unsigned char, 32> sha256(std::string_view bytes);
// The same as 64 lowercase hex digits.
std::string sha256Hex(std::string_view bytes);
// A 128-bit BLAKE2b digest: an identifier for content made here and compared only here (the
// PDF's /ID). Several times faster than sha256 above, which is portable C in libsodium.
std::array<unsigned char, 16> digest128(std::string_view bytes);
// The same with 256 bits, where a collision must stay out of reach (a key that lets a check be
// skipped: see the template validation cache).
std::array<unsigned char, 32> digest256(std::string_view bytes);

std::string toHex(const void* data, std::size_t size); // lowercase
// Decodes exactly `size` bytes from 2 * size hex digits; false for anything else.
bool fromHex(std::string_view hex, void* out, std::size_t size);

// Argon2id password hashes in libsodium's self-describing string form (crypto_pwhash_str).
// `cheap` selects libsodium's minimum cost: only for tests that create many accounts.
std::string hashPassword(std::string_view password, bool cheap = false);
bool verifyPassword(std::string_view password, const std::string& hash);

} // namespace fplan::crypto
