// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include "crypto/kdf.h"

#include <filesystem>
#include <memory>

struct sqlite3;

namespace fplan::crypto {

struct SqliteCloser {
    void operator()(sqlite3* db) const noexcept;
};
using DbHandle = std::unique_ptr<sqlite3, SqliteCloser>;

// ReadOnly never writes to the file, and works on a file (or folder) this process may not write.
enum class OpenMode { CreateNew, ExistingOnly, ReadOnly };

// Who keeps a connection to one thread at a time. Serialized: SQLite locks the connection on every
// call (any thread may use it). OwnerSerializes: the owner never lets two threads use it at once,
// and SQLite takes no lock of its own (the sync server's connections, each behind its own lock).
enum class Threading { Serialized, OwnerSerializes };

// Opens (or creates) a SQLCipher database with a raw 256-bit key: page size 4096, WAL,
// synchronous=FULL, foreign keys on. Refuses to run on a SQLite without SQLCipher (Crypto) and
// turns a key that does not decrypt the file into Error(WrongPassphrase).
DbHandle openEncryptedDatabase(const std::filesystem::path& path, const SecretKey& key, OpenMode mode,
    Threading threading = Threading::Serialized);

// What a key that does not open `path` is told: the passphrase, or a damaged file.
std::string wrongKeyMessage(const std::filesystem::path& path);

// SQLCipher's version string, as `PRAGMA cipher_version` reports it in this process.
std::string cipherVersion(sqlite3* db);

// Re-encrypts the open database in place under `newKey`, in one transaction: a crash leaves it
// under the old key or the new one, whole. The caller makes sure no other connection is open.
void rekeyInPlace(sqlite3* db, const SecretKey& newKey);

// Writes a re-encrypted copy of `db` to `target` (which must not exist) under `newKey`.
void exportEncryptedCopy(sqlite3* db, const std::filesystem::path& target, const SecretKey& newKey);

// Writes a consistent copy of `source` (named `origin` in messages) to the new file `target`
// under the same `key`, with SQLite's online backup in one read transaction: other connections,
// also in other processes, keep writing meanwhile, and the copy holds exactly what was
// committed when it started. The copy is one file (no write-ahead log beside it) and passes
// PRAGMA integrity_check, or Error(Storage) is thrown and `target` may be left for the caller
// to remove.
void backupEncryptedDatabase(
    sqlite3* source, const std::string& origin, const std::filesystem::path& target, const SecretKey& key);

} // namespace fplan::crypto
