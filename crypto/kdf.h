// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace fplan::crypto {

// A 256-bit key in locked memory (libsodium's sodium_malloc: never swapped out, guard pages
// around it, wiped when freed); move-only so that no stray copy outlives its use.
class SecretKey {
public:
    static constexpr std::size_t Size = 32;

    SecretKey();
    ~SecretKey();
    SecretKey(SecretKey&& other) noexcept;
    SecretKey& operator=(SecretKey&& other) noexcept;
    SecretKey(const SecretKey&) = delete;
    SecretKey& operator=(const SecretKey&) = delete;

    static SecretKey random();

    std::uint8_t* data() noexcept { return m_bytes; }
    const std::uint8_t* data() const noexcept { return m_bytes; }

private:
    std::uint8_t* m_bytes;
};

// Argon2id parameters of one store. They are not secret and are kept beside the store
// (see store_files.h), so that a later version can raise the cost without breaking old stores.
struct KdfParams {
    std::uint64_t opsLimit = 0;
    std::size_t memLimit = 0;
    std::array<std::uint8_t, 16> salt {};

    // Fresh salt with the cost measured for about 0.3-0.5 s on the project's reference machines.
    static KdfParams fresh();
    // Fresh salt with the cheapest cost libsodium allows; only for tests that open many stores.
    static KdfParams freshCheap();

    std::string toJson() const;
    // Throws Error(BadInput) naming `origin` if the text is not a KDF parameter file.
    static KdfParams fromJson(std::string_view text, const std::string& origin);
};

SecretKey deriveKey(std::string_view passphrase, const KdfParams& params);

} // namespace fplan::crypto
