// SPDX-License-Identifier: EUPL-1.2
#include "crypto/random.h"

#include "base/error.h"

#include <sodium.h>

#include <chrono>
#include <cstdint>
#include <cstdio>

namespace fplan::crypto {

void ensureSodium()
{
    static const bool ready = sodium_init() >= 0;
    if (!ready)
        throw Error(ErrorCode::Crypto, "libsodium could not be initialised");
}

void randomBytes(void* out, std::size_t size)
{
    ensureSodium();
    randombytes_buf(out, size);
}

namespace {
std::string formatUuid(std::uint8_t (&b)[16], int version)
{
    b[6] = static_cast<std::uint8_t>((b[6] & 0x0f) | (version << 4));
    b[8] = static_cast<std::uint8_t>((b[8] & 0x3f) | 0x80); // RFC 4122 variant
    char text[37];
    std::snprintf(text, sizeof text, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
        b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
    return text;
}
} // namespace

std::string newUuid()
{
    std::uint8_t b[16];
    randomBytes(b, sizeof b);
    return formatUuid(b, 4);
}

std::string newTimeOrderedUuid()
{
    std::uint8_t b[16];
    randomBytes(b, sizeof b);
    const auto ms = static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::system_clock::now().time_since_epoch())
                                                   .count());
    for (int i = 0; i < 6; ++i)
        b[i] = static_cast<std::uint8_t>(ms >> (40 - 8 * i));
    return formatUuid(b, 7);
}

bool equalConstantTime(const void* a, const void* b, std::size_t size)
{
    ensureSodium();
    return sodium_memcmp(a, b, size) == 0;
}

void wipe(void* data, std::size_t size)
{
    sodium_memzero(data, size);
}

} // namespace fplan::crypto
