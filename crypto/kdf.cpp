// SPDX-License-Identifier: EUPL-1.2
#include "crypto/kdf.h"

#include "base/error.h"
#include "crypto/random.h"

#include <nlohmann/json.hpp>
#include <sodium.h>

#include <utility>

namespace fplan::crypto {

namespace {
// Measured on the 2-core reference machines: 3 passes over 256 MiB take about 0.4 s.
constexpr std::uint64_t DefaultOps = 3;
constexpr std::size_t DefaultMem = 256u * 1024u * 1024u;
constexpr const char* Algorithm = "argon2id13";

std::string toHex(const std::uint8_t* data, std::size_t size)
{
    std::string hex(size * 2 + 1, '\0');
    sodium_bin2hex(hex.data(), hex.size(), data, size);
    hex.pop_back();
    return hex;
}
} // namespace

namespace {
std::uint8_t* lockedKeyMemory()
{
    if (sodium_init() < 0)
        throw Error(ErrorCode::Crypto, "libsodium could not start");
    auto* bytes = static_cast<std::uint8_t*>(sodium_malloc(SecretKey::Size));
    if (!bytes)
        throw Error(ErrorCode::Crypto, "no locked memory for a key (RLIMIT_MEMLOCK)");
    sodium_memzero(bytes, SecretKey::Size);
    return bytes;
}
} // namespace

SecretKey::SecretKey()
    : m_bytes(lockedKeyMemory())
{
}

SecretKey::~SecretKey()
{
    if (m_bytes)
        sodium_free(m_bytes); // wipes, unlocks and frees
}

namespace {
// A moved-from key gets fresh zeroed memory, so it reads as zeros and never as the secret.
std::uint8_t* replacementMemory() noexcept
{
    try {
        return lockedKeyMemory();
    } catch (...) {
        return nullptr;
    }
}
} // namespace

SecretKey::SecretKey(SecretKey&& other) noexcept
    : m_bytes(other.m_bytes)
{
    other.m_bytes = replacementMemory();
}

SecretKey& SecretKey::operator=(SecretKey&& other) noexcept
{
    if (this != &other) {
        if (m_bytes)
            sodium_free(m_bytes);
        m_bytes = other.m_bytes;
        other.m_bytes = replacementMemory();
    }
    return *this;
}

SecretKey SecretKey::random()
{
    SecretKey key;
    randomBytes(key.data(), Size);
    return key;
}

KdfParams KdfParams::fresh()
{
    KdfParams p;
    p.opsLimit = DefaultOps;
    p.memLimit = DefaultMem;
    randomBytes(p.salt.data(), p.salt.size());
    return p;
}

KdfParams KdfParams::freshCheap()
{
    KdfParams p;
    p.opsLimit = crypto_pwhash_OPSLIMIT_MIN;
    p.memLimit = crypto_pwhash_MEMLIMIT_MIN;
    randomBytes(p.salt.data(), p.salt.size());
    return p;
}

std::string KdfParams::toJson() const
{
    nlohmann::json j = { { "format", "familieplan-kdf" }, { "version", 1 }, { "algorithm", Algorithm },
        { "opslimit", opsLimit }, { "memlimit", memLimit }, { "salt", toHex(salt.data(), salt.size()) } };
    return j.dump(2) + "\n";
}

KdfParams KdfParams::fromJson(std::string_view text, const std::string& origin)
{
    auto bad = [&](const std::string& why) { return Error(ErrorCode::BadInput, origin + ": " + why); };
    nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object() || j.value("format", "") != "familieplan-kdf")
        throw bad("not a Familieplan key-derivation file");
    if (j.value("algorithm", "") != Algorithm)
        throw bad("unknown key-derivation algorithm '" + j.value("algorithm", "") + "'");
    KdfParams p;
    try {
        p.opsLimit = j.at("opslimit").get<std::uint64_t>();
        p.memLimit = j.at("memlimit").get<std::size_t>();
        const std::string salt = j.at("salt").get<std::string>();
        std::size_t len = 0;
        if (salt.size() != p.salt.size() * 2
            || sodium_hex2bin(p.salt.data(), p.salt.size(), salt.data(), salt.size(), nullptr, &len, nullptr)
                != 0
            || len != p.salt.size())
            throw bad("salt must be 32 hex digits");
    } catch (const nlohmann::json::exception& e) {
        throw bad(std::string("missing or malformed field: ") + e.what());
    }
    if (p.opsLimit < crypto_pwhash_OPSLIMIT_MIN || p.memLimit < crypto_pwhash_MEMLIMIT_MIN)
        throw bad("key-derivation cost below libsodium's minimum");
    return p;
}

SecretKey deriveKey(std::string_view passphrase, const KdfParams& params)
{
    SecretKey key;
    randomBytes(key.data(), 0); // makes sure libsodium is initialised
    if (crypto_pwhash(key.data(), SecretKey::Size, passphrase.data(), passphrase.size(), params.salt.data(),
            params.opsLimit, params.memLimit, crypto_pwhash_ALG_ARGON2ID13)
        != 0)
        throw Error(ErrorCode::Crypto, "key derivation ran out of memory");
    return key;
}

} // namespace fplan::crypto
