// SPDX-License-Identifier: EUPL-1.2
#include "crypto/secret_string.h"

#include "base/error.h"

#include <sodium.h>

#include <cstring>
#include <utility>

namespace fplan::crypto {

SecretString::SecretString(std::string_view text)
{
    append(text);
}

SecretString::~SecretString()
{
    if (m_data)
        sodium_free(m_data); // wipes, unlocks and frees
}

SecretString::SecretString(SecretString&& other) noexcept
    : m_data(std::exchange(other.m_data, nullptr))
    , m_size(std::exchange(other.m_size, 0))
    , m_capacity(std::exchange(other.m_capacity, 0))
{
}

SecretString& SecretString::operator=(SecretString&& other) noexcept
{
    if (this != &other) {
        if (m_data)
            sodium_free(m_data);
        m_data = std::exchange(other.m_data, nullptr);
        m_size = std::exchange(other.m_size, 0);
        m_capacity = std::exchange(other.m_capacity, 0);
    }
    return *this;
}

void SecretString::reserve(std::size_t capacity)
{
    if (capacity <= m_capacity)
        return;
    if (sodium_init() < 0)
        throw Error(ErrorCode::Crypto, "libsodium could not start");
    std::size_t grown = m_capacity < 64 ? 64 : m_capacity * 2;
    while (grown < capacity)
        grown *= 2;
    auto* bytes = static_cast<char*>(sodium_malloc(grown));
    if (!bytes)
        throw Error(ErrorCode::Crypto, "no locked memory for a passphrase (RLIMIT_MEMLOCK)");
    sodium_memzero(bytes, grown);
    if (m_data) {
        std::memcpy(bytes, m_data, m_size);
        sodium_free(m_data); // the old block is wiped before it is freed
    }
    m_data = bytes;
    m_capacity = grown;
}

void SecretString::push_back(char c)
{
    reserve(m_size + 1);
    m_data[m_size++] = c;
}

void SecretString::append(std::string_view text)
{
    if (text.empty())
        return;
    reserve(m_size + text.size());
    std::memcpy(m_data + m_size, text.data(), text.size());
    m_size += text.size();
}

void SecretString::truncate(std::size_t size) noexcept
{
    if (size >= m_size)
        return;
    sodium_memzero(m_data + size, m_size - size);
    m_size = size;
}

bool SecretString::operator==(const SecretString& other) const noexcept
{
    return m_size == other.m_size && (m_size == 0 || sodium_memcmp(m_data, other.m_data, m_size) == 0);
}

} // namespace fplan::crypto
