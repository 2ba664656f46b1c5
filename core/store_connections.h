// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include "core/store.h"
#include "crypto/kdf.h"
#include "crypto/secret_string.h"

#include <filesystem>
#include <mutex>
#include <optional>

namespace fplan {

// Further connections to a store that is open already (Store::open has checked the passphrase
// and finished any cut-short passphrase change), for threads of their own: the background sync,
// a sign-in. The first open() derives the key from the passphrase, on the thread that asks (it
// takes as long as an unlock), then wipes the passphrase and keeps the key in locked memory.
// Thread-safe.
class StoreConnections {
public:
    StoreConnections(std::filesystem::path path, crypto::SecretString passphrase);

    // Errors as Store::openWithKey.
    Store open();
    const std::filesystem::path& path() const { return m_path; }

private:
    std::filesystem::path m_path;
    std::mutex m_mutex;
    crypto::SecretString m_passphrase; // until the key is derived
    std::optional<crypto::SecretKey> m_key;
};

} // namespace fplan
