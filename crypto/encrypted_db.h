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

enum class OpenMode { CreateNew, ExistingOnly };

// Opens (or creates) a SQLCipher database with a raw 256-bit key: page size 4096, WAL,
// synchronous=FULL, foreign keys on. Refuses to run on a SQLite without SQLCipher (Crypto) and
// turns a key that does not decrypt the file into Error(WrongPassphrase).
DbHandle openEncryptedDatabase(const std::filesystem::path& path, const SecretKey& key, OpenMode mode);

// SQLCipher's version string, as `PRAGMA cipher_version` reports it in this process.
std::string cipherVersion(sqlite3* db);

// Writes a re-encrypted copy of `db` to `target` (which must not exist) under `newKey`.
void exportEncryptedCopy(sqlite3* db, const std::filesystem::path& target, const SecretKey& newKey);

} // namespace fplan::crypto
