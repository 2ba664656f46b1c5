// SPDX-License-Identifier: EUPL-1.2
#include "core/store_connections.h"

namespace fplan {

StoreConnections::StoreConnections(std::filesystem::path path, crypto::SecretString passphrase)
    : m_path(std::move(path))
    , m_passphrase(std::move(passphrase))
{
}

Store StoreConnections::open()
{
    std::lock_guard lock(m_mutex);
    if (!m_key) {
        m_key = Store::deriveStoreKey(m_path, m_passphrase.view());
        m_passphrase.clear();
    }
    return Store::openWithKey(m_path, *m_key);
}

} // namespace fplan
