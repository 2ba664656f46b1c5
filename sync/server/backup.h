// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include <cstdint>
#include <filesystem>

namespace fplan::sync {

// DIR/server.lock, held while a program uses the data folder: shared by the server and the
// administration commands (any number at once), exclusive by a restore, which so never replaces
// the database under a running server and no server starts in the middle of a restore.
class DataDirLock {
public:
    enum class Kind { Shared, Exclusive };
    // Error(Conflict) when the other kind is held.
    DataDirLock(const std::filesystem::path& dataDir, Kind kind);
    ~DataDirLock();
    DataDirLock(const DataDirLock&) = delete;
    DataDirLock& operator=(const DataDirLock&) = delete;

private:
    int m_fd = -1;
};

// What a server database (or a backup of one) holds.
struct ServerDataSummary {
    std::int64_t ops = 0;
    std::int64_t lastSeq = 0;
    std::int64_t schema = 0; // the database's schema version (PRAGMA user_version)
};

// Writes a consistent copy of DIR/server.db to `out` while the server may keep running: SQLite's
// online backup in one read transaction, still encrypted under the server's key (which the copy
// does not hold: keep DIR/db.key or $FPLAN_SERVER_KEY apart from the backups), integrity-checked,
// then written through the durable writer (an existing `out` only with `force`).
ServerDataSummary backupServerData(
    const std::filesystem::path& dataDir, const std::filesystem::path& out, bool force);

struct RestoreResult {
    ServerDataSummary restored;
    std::filesystem::path previous; // where the replaced database was kept; empty if there was none
};

// Puts a backup made by backupServerData back as DIR/server.db. Under the exclusive lock (no
// server may run); the backup is copied into the data folder and checked first (it opens with
// the server's key, passes the integrity check, its schema is one this program knows (older
// ones are migrated) and its audit chain is whole). Only then is the old database renamed to
// server.db.before-restore-TIME and the new one moved into its place.
RestoreResult restoreServerData(const std::filesystem::path& dataDir, const std::filesystem::path& backup);

} // namespace fplan::sync
