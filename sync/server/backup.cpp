// SPDX-License-Identifier: EUPL-1.2
// fplan-server backup / restore for the SQLCipher storage (PostgreSQL is backed up with pg_dump).
#include "sync/server/backup.h"

#include "base/durable_file.h"
#include "base/error.h"
#include "core/sql.h"
#include "crypto/encrypted_db.h"
#include "sync/server/admin.h"
#include "sync/server/storage.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace fplan::sync {

namespace fs = std::filesystem;

namespace {

constexpr const char* Database = "server.db";

void removeQuietly(const fs::path& path)
{
    std::error_code ec;
    fs::remove(path, ec);
}

// The key of an existing database: never a new one (serverKey makes one when DIR/db.key is
// missing, which is right for a first start and wrong for a database that exists).
crypto::SecretKey existingServerKey(const fs::path& dataDir)
{
    const char* env = std::getenv("FPLAN_SERVER_KEY");
    std::error_code ec;
    if ((!env || !*env) && !fs::exists(dataDir / "db.key", ec))
        throw Error(ErrorCode::NotFound,
            (dataDir / "db.key").string()
                + ": the server's database key is not there; put it back from where you keep it, or "
                  "set $FPLAN_SERVER_KEY");
    return serverKey(dataDir);
}

ServerDataSummary summarise(sqlite3* db)
{
    ServerDataSummary s;
    sql::Statement ops(db, "SELECT count(*), coalesce(max(seq), 0) FROM ops");
    ops.step();
    s.ops = ops.integer(0);
    s.lastSeq = ops.integer(1);
    sql::Statement version(db, "PRAGMA user_version");
    version.step();
    s.schema = version.integer(0);
    return s;
}

std::string utcStamp()
{
    const std::time_t now = std::time(nullptr);
    std::tm tm {};
    ::gmtime_r(&now, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y%m%dT%H%M%SZ", &tm);
    return text;
}

void renameOrThrow(const fs::path& from, const fs::path& to)
{
    if (::rename(from.c_str(), to.c_str()) != 0)
        throw Error(ErrorCode::Storage,
            "cannot move " + from.string() + " to " + to.string() + ": " + std::strerror(errno));
}

// A private folder inside the data folder for a copy being made or checked; removed at the end.
class WorkFolder {
public:
    WorkFolder(const fs::path& dataDir, const char* kind)
    {
        std::string name = (dataDir / (std::string(".") + kind + "-XXXXXX")).string();
        if (!::mkdtemp(name.data()))
            throw Error(ErrorCode::Storage,
                dataDir.string() + ": cannot make a work folder: " + std::strerror(errno));
        m_path = name;
    }
    ~WorkFolder()
    {
        std::error_code ec;
        fs::remove_all(m_path, ec);
    }
    WorkFolder(const WorkFolder&) = delete;
    WorkFolder& operator=(const WorkFolder&) = delete;
    const fs::path& path() const { return m_path; }

private:
    fs::path m_path;
};

// Work folders of killed backups and restores (no other one runs: the caller holds the lock
// that excludes them).
void removeWorkLeftovers(const fs::path& dataDir, const char* kind)
{
    const std::string prefix = std::string(".") + kind + "-";
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dataDir, ec))
        if (entry.path().filename().string().rfind(prefix, 0) == 0 && entry.is_directory(ec)
            && !entry.is_symlink(ec))
            fs::remove_all(entry.path(), ec);
}

} // namespace

DataDirLock::DataDirLock(const fs::path& dataDir, Kind kind)
{
    const fs::path path = dataDir / "server.lock";
    m_fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (m_fd < 0)
        throw Error(
            ErrorCode::Storage, path.string() + ": cannot open the lock file: " + std::strerror(errno));
    if (::flock(m_fd, (kind == Kind::Shared ? LOCK_SH : LOCK_EX) | LOCK_NB) == 0)
        return;
    const int error = errno;
    ::close(m_fd);
    m_fd = -1;
    if (error != EWOULDBLOCK)
        throw Error(ErrorCode::Storage, path.string() + ": cannot lock: " + std::strerror(error));
    if (kind == Kind::Shared)
        throw Error(ErrorCode::Conflict,
            dataDir.string() + ": a restore is replacing the server's data (it holds " + path.string()
                + "); start again when it has finished");
    throw Error(ErrorCode::Conflict,
        dataDir.string() + ": the server (or another fplan-server command) is using the data (it holds "
            + path.string() + "); stop it first, e.g. systemctl stop fplan-server");
}

DataDirLock::~DataDirLock()
{
    if (m_fd >= 0)
        ::close(m_fd); // releases the flock
}

ServerDataSummary backupServerData(const fs::path& dataDir, const fs::path& out, bool force)
{
    const fs::path database = dataDir / Database;
    std::error_code ec;
    if (!fs::exists(database, ec))
        throw Error(ErrorCode::NotFound, database.string() + ": no server database to back up");
    const auto key = existingServerKey(dataDir);
    // Checked before the copy is made, and again by the durable writer when it is done.
    if (fs::exists(fs::symlink_status(out, ec)) && !force)
        throw Error(ErrorCode::Conflict, out.string() + ": already exists; use --force to replace it");
    removeWorkLeftovers(dataDir, "backup");
    const WorkFolder work(dataDir, "backup");
    const fs::path copy = work.path() / Database;
    ServerDataSummary summary;
    {
        // Read-only: the running server's connection keeps writing, this one only reads.
        const auto source = crypto::openEncryptedDatabase(database, key, crypto::OpenMode::ReadOnly);
        crypto::backupEncryptedDatabase(source.get(), database.string(), copy, key);
        const auto check = crypto::openEncryptedDatabase(copy, key, crypto::OpenMode::ReadOnly);
        summary = summarise(check.get());
    }
    copyFileDurably(out, copy, { force, { database } });
    return summary;
}

RestoreResult restoreServerData(const fs::path& dataDir, const fs::path& backup)
{
    struct stat st { };
    if (::stat(dataDir.c_str(), &st) == 0 && st.st_uid != ::geteuid())
        throw Error(ErrorCode::BadInput,
            dataDir.string()
                + ": belongs to another user; restore as the server's own user (e.g. sudo -u fplan "
                  "fplan-server ...), so the server can open what is restored");
    const DataDirLock lock(dataDir, DataDirLock::Kind::Exclusive);
    const auto key = existingServerKey(dataDir);
    removeWorkLeftovers(dataDir, "restore");
    const WorkFolder work(dataDir, "restore");
    const fs::path staged = work.path() / Database;
    copyFileDurably(staged, backup);

    RestoreResult result;
    try {
        const auto db = crypto::openEncryptedDatabase(staged, key, crypto::OpenMode::ExistingOnly);
        const std::string check = [&] {
            sql::Statement s(db.get(), "PRAGMA integrity_check");
            s.step();
            return s.text(0);
        }();
        if (check != "ok")
            throw Error(ErrorCode::BadInput,
                backup.string() + ": fails the integrity check (" + check + "); nothing was changed");
        sql::Statement tables(
            db.get(), "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'ops'");
        tables.step();
        if (tables.integer(0) != 1)
            throw Error(
                ErrorCode::BadInput, backup.string() + ": is not a backup of a server database (no ops)");
        result.restored = summarise(db.get());
    } catch (const Error& e) {
        if (e.code() == ErrorCode::WrongPassphrase)
            throw Error(ErrorCode::BadInput,
                backup.string()
                    + ": does not open with this server's key (DIR/db.key or $FPLAN_SERVER_KEY): it is "
                      "damaged, not a server backup, or made by a server with another key; nothing was "
                      "changed");
        if (e.code() == ErrorCode::BadInput)
            throw;
        throw Error(ErrorCode::BadInput,
            backup.string() + ": cannot be read as a server database (" + e.what()
                + "); nothing was changed");
    }
    // The storage's own open: a schema newer than this program is refused, an older one migrated.
    if (std::getenv("FPLAN_SERVER_KEY") == nullptr)
        copyFileDurably(work.path() / "db.key", dataDir / "db.key");
    {
        const auto storage = openSqlStorage(work.path());
        if (const auto broken = verifyAuditChain(storage->auditEntries()))
            throw Error(ErrorCode::BadInput,
                backup.string() + ": its audit log is broken at entry " + std::to_string(broken->seq) + " ("
                    + broken->reason + "); nothing was changed");
    }
    {
        const auto db = crypto::openEncryptedDatabase(staged, key, crypto::OpenMode::ReadOnly);
        result.restored.schema = summarise(db.get()).schema;
    }

    // Verified: now the old database (with its write-ahead log) is kept aside, the new one put in.
    const fs::path database = dataDir / Database;
    std::error_code ec;
    if (fs::exists(database, ec)) {
        // Its write-ahead log merged into it where it still opens (a damaged one is kept as it is),
        // so what is kept aside is one file.
        try {
            const auto old = crypto::openEncryptedDatabase(database, key, crypto::OpenMode::ExistingOnly);
            sql::exec(old.get(), "PRAGMA wal_checkpoint(TRUNCATE)");
        } catch (const Error&) {
        }
        const std::string kept = std::string(Database) + ".before-restore-" + utcStamp();
        result.previous = dataDir / kept;
        for (int n = 2; fs::exists(fs::symlink_status(result.previous, ec)); ++n)
            result.previous = dataDir / (kept + "-" + std::to_string(n));
        renameOrThrow(database, result.previous);
        if (fs::exists(database.string() + "-wal", ec))
            renameOrThrow(database.string() + "-wal", result.previous.string() + "-wal");
    }
    removeQuietly(database.string() + "-shm");
    if (fs::exists(staged.string() + "-wal", ec))
        renameOrThrow(staged.string() + "-wal", database.string() + "-wal");
    renameOrThrow(staged, database);
    syncFolder(dataDir);
    return result;
}

} // namespace fplan::sync
