// SPDX-License-Identifier: EUPL-1.2
#include "crypto/encrypted_db.h"

#include "base/error.h"
#include "crypto/random.h"

#include <sqlite3.h>

#include <string>

namespace fplan::crypto {

namespace {

constexpr int PageSize = 4096;

std::string keyLiteral(const SecretKey& key)
{
    static const char digits[] = "0123456789abcdef";
    std::string literal = "\"x'";
    for (std::size_t i = 0; i < SecretKey::Size; ++i) {
        literal += digits[key.data()[i] >> 4];
        literal += digits[key.data()[i] & 0x0f];
    }
    literal += "'\"";
    return literal;
}

// Runs a statement whose text holds key material, and wipes the text afterwards.
void execSecret(sqlite3* db, std::string sql, const char* what)
{
    char* message = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message);
    wipe(sql.data(), sql.size());
    const std::string text = message ? message : sqlite3_errstr(rc);
    sqlite3_free(message);
    if (rc != SQLITE_OK)
        throw Error(ErrorCode::Crypto, std::string(what) + ": " + text);
}

void exec(sqlite3* db, const char* sql)
{
    char* message = nullptr;
    const int rc = sqlite3_exec(db, sql, nullptr, nullptr, &message);
    const std::string text = message ? message : sqlite3_errstr(rc);
    sqlite3_free(message);
    if (rc == SQLITE_NOTADB)
        throw Error(ErrorCode::WrongPassphrase, "wrong passphrase or not a Familieplan store");
    if (rc != SQLITE_OK)
        throw Error(ErrorCode::Storage, std::string(sql) + ": " + text);
}

std::string singleText(sqlite3* db, const char* sql)
{
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v2(db, sql, -1, &raw, nullptr) != SQLITE_OK)
        return {};
    std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> stmt(raw, sqlite3_finalize);
    if (sqlite3_step(raw) != SQLITE_ROW)
        return {};
    const auto* text = sqlite3_column_text(raw, 0);
    return text ? reinterpret_cast<const char*>(text) : "";
}

} // namespace

void SqliteCloser::operator()(sqlite3* db) const noexcept
{
    sqlite3_close_v2(db);
}

std::string cipherVersion(sqlite3* db)
{
    return singleText(db, "PRAGMA cipher_version");
}

DbHandle openEncryptedDatabase(const std::filesystem::path& path, const SecretKey& key, OpenMode mode)
{
    std::error_code ec;
    const bool exists = std::filesystem::exists(path, ec);
    if (mode == OpenMode::CreateNew && exists)
        throw Error(ErrorCode::Conflict, path.string() + ": a store already exists there");
    if (mode == OpenMode::ExistingOnly && !exists)
        throw Error(ErrorCode::NotFound, path.string() + ": no store there");

    // CREATE also for existing stores: ATTACH inherits the flags, and re-keying attaches a new file.
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX;
    if (mode == OpenMode::CreateNew)
        flags |= SQLITE_OPEN_EXCLUSIVE;
    sqlite3* raw = nullptr;
    const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
    DbHandle db(raw);
    if (rc != SQLITE_OK)
        throw Error(ErrorCode::Storage, path.string() + ": cannot open: "
                                            + (raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)));
    sqlite3_extended_result_codes(raw, 1);
    sqlite3_busy_timeout(raw, 5000);

    // Without SQLCipher, PRAGMA key is silently ignored and the file would be written in the clear.
    if (cipherVersion(raw).empty())
        throw Error(ErrorCode::Crypto, "this program was linked without SQLCipher; refusing to "
                                       "open " + path.string() + " unencrypted");
    execSecret(raw, "PRAGMA key = " + keyLiteral(key) + ";", "setting the store key");
    exec(raw, ("PRAGMA cipher_page_size = " + std::to_string(PageSize) + ";").c_str());
    // The first read decrypts page 1; a wrong key shows up here as SQLITE_NOTADB.
    exec(raw, "SELECT count(*) FROM sqlite_master;");
    if (singleText(raw, "PRAGMA journal_mode = WAL;") != "wal")
        throw Error(ErrorCode::Storage, path.string() + ": could not switch to write-ahead logging");
    exec(raw, "PRAGMA synchronous = FULL;");
    exec(raw, "PRAGMA foreign_keys = ON;");
    return db;
}

void exportEncryptedCopy(sqlite3* db, const std::filesystem::path& target, const SecretKey& newKey)
{
    std::string attach = "ATTACH DATABASE '";
    for (char c : target.string()) {
        attach += c;
        if (c == '\'')
            attach += '\'';
    }
    attach += "' AS rekeyed KEY " + keyLiteral(newKey) + ";";
    execSecret(db, std::move(attach), "attaching the re-keyed copy");
    try {
        exec(db, ("PRAGMA rekeyed.cipher_page_size = " + std::to_string(PageSize) + ";").c_str());
        exec(db, "SELECT sqlcipher_export('rekeyed');");
        exec(db, "DETACH DATABASE rekeyed;");
    } catch (...) {
        sqlite3_exec(db, "DETACH DATABASE rekeyed;", nullptr, nullptr, nullptr);
        throw;
    }
}

} // namespace fplan::crypto
