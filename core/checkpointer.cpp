// SPDX-License-Identifier: EUPL-1.2
#include "core/checkpointer.h"

#include <sqlite3.h>

#include <chrono>

namespace fplan {

namespace {
// Checkpoint at most this often: enough to keep the log short, rare enough to batch commits.
constexpr auto MinInterval = std::chrono::milliseconds(250);
} // namespace

Checkpointer::Checkpointer(const std::filesystem::path& path, const crypto::SecretKey& key)
    : m_db(crypto::openEncryptedDatabase(path, key, crypto::OpenMode::ExistingOnly))
    , m_thread([this] { run(); })
{
}

Checkpointer::~Checkpointer()
{
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_one();
    m_thread.join();
}

void Checkpointer::poke()
{
    {
        std::lock_guard lock(m_mutex);
        m_pending = true;
    }
    m_wake.notify_one();
}

void Checkpointer::run()
{
    std::unique_lock lock(m_mutex);
    while (!m_stop) {
        m_wake.wait(lock, [this] { return m_pending || m_stop; });
        if (m_stop)
            break;
        m_pending = false;
        lock.unlock();
        // PASSIVE never blocks the writer; what it cannot copy now, a later round copies.
        sqlite3_wal_checkpoint_v2(m_db.get(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
        lock.lock();
        // At most one checkpoint per interval; a stop ends the wait at once, so closing the store
        // (or a server's one-off admin command) does not wait out the interval.
        m_wake.wait_for(lock, MinInterval, [this] { return m_stop; });
    }
}

} // namespace fplan
