// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include <cstddef>
#include <string_view>

namespace fplan::crypto {

// A secret text (a passphrase) in locked memory, as SecretKey holds keys: libsodium's
// sodium_malloc (never swapped out, guard pages around it) and wiped when freed. Growing moves
// the text to a larger locked block and wipes the old one; move-only, so no stray copy outlives
// its use. Hand it on as view(); never copy it into a std::string.
class SecretString {
public:
    SecretString() noexcept = default;
    explicit SecretString(std::string_view text);
    ~SecretString();
    SecretString(SecretString&& other) noexcept;
    SecretString& operator=(SecretString&& other) noexcept;
    SecretString(const SecretString&) = delete;
    SecretString& operator=(const SecretString&) = delete;

    void push_back(char c);
    void append(std::string_view text);
    // Keeps the first `size` bytes; the rest is wiped.
    void truncate(std::size_t size) noexcept;
    void clear() noexcept { truncate(0); }

    std::string_view view() const noexcept { return { m_data, m_size }; }
    const char* data() const noexcept { return m_data; }
    char* data() noexcept { return m_data; }
    std::size_t size() const noexcept { return m_size; }
    std::size_t capacity() const noexcept { return m_capacity; }
    bool empty() const noexcept { return m_size == 0; }

    // In constant time for texts of one length.
    bool operator==(const SecretString& other) const noexcept;

private:
    void reserve(std::size_t capacity);

    char* m_data = nullptr;
    std::size_t m_size = 0;
    std::size_t m_capacity = 0;
};

} // namespace fplan::crypto
