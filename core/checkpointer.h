// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include "crypto/encrypted_db.h"

#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <thread>

namespace fplan {

// Moves the write-ahead log into the database file on its own connection and thread, so that
// no autosave pays for a checkpoint's writes and fsyncs. The store's connection has automatic
// checkpoints turned off while one of these runs.
class Checkpointer {
public:
    Checkpointer(const std::filesystem::path& path, const crypto::SecretKey& key);
    ~Checkpointer();
    Checkpointer(const Checkpointer&) = delete;
    Checkpointer& operator=(const Checkpointer&) = delete;

    // Tells the thread that the log has grown; cheap, callable after every commit.
    void poke();

private:
    void run();

    crypto::DbHandle m_db;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_pending = false;
    bool m_stop = false;
    std::thread m_thread;
};

} // namespace fplan
