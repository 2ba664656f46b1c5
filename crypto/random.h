// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include <cstddef>
#include <string>

namespace fplan::crypto {

// Starts libsodium once (safe from any thread); throws Error(Crypto) if it cannot. Every use of
// libsodium in crypto/ calls it first.
void ensureSodium();

// Cryptographically random bytes (libsodium); throws Error(Crypto) if the library cannot start.
void randomBytes(void* out, std::size_t size);

// A random (version 4) UUID in its lowercase 8-4-4-4-12 form.
std::string newUuid();

// A UUID whose first 48 bits are the milliseconds since the epoch (the RFC 9562 version 7
// layout): ids made later sort later, so an index on them grows at its end.
std::string newTimeOrderedUuid();

// Constant-time comparison and wiping for secrets held in ordinary memory.
bool equalConstantTime(const void* a, const void* b, std::size_t size);
void wipe(void* data, std::size_t size);

} // namespace fplan::crypto
