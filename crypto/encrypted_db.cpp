// SPDX-License-Identifier: EUPL-1.2
#include "crypto/encrypted_db.h"

#include "base/error.h"
#include "crypto/random.h"

#include <sqlite3.h>

#include <string>
#include <unistd.h>

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

std::string wrongKeyMessage(const std::filesystem::path& path)
{
    return "wrong passphrase or not a Familieplan store: " + path.string()
        + " (if the passphrase is right, the file is damaged: restore the store from your backup)";
}

void SqliteCloser::operator()(sqlite3* db) const noexcept
{
    sqlite3_close_v2(db);
}

std::string cipherVersion(sqlite3* db)
{
    return singleText(db, "PRAGMA cipher_version");
}

DbHandle openEncryptedDatabase(
    const std::filesystem::path& path, const SecretKey& key, OpenMode mode, Threading threading)
{
    std::error_code ec;
    const bool exists = std::filesystem::exists(path, ec);
    if (mode == OpenMode::CreateNew && exists)
        throw Error(ErrorCode::Conflict, path.string() + ": a store already exists there");
    if (mode != OpenMode::CreateNew && !exists)
        throw Error(ErrorCode::NotFound, path.string() + ": no store there");
    // SQLite would take an empty file for a new database and write one into it.
    if (mode != OpenMode::CreateNew && std::filesystem::is_regular_file(path, ec)
        && std::filesystem::file_size(path, ec) == 0 && !ec)
        throw Error(ErrorCode::BadInput,
            path.string()
                + ": the file is empty, not a Familieplan store; "
                  "restore the store from your backup");

    // CREATE also for existing stores (which exist: checked above): ATTACH inherits the flags.
    const int mutex = threading == Threading::Serialized ? SQLITE_OPEN_FULLMUTEX : SQLITE_OPEN_NOMUTEX;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | mutex | SQLITE_OPEN_URI;
    if (mode == OpenMode::CreateNew)
        flags |= SQLITE_OPEN_EXCLUSIVE;
    std::string name = path.string();
    if (mode == OpenMode::ReadOnly) {
        flags = SQLITE_OPEN_READONLY | mutex | SQLITE_OPEN_URI;
        // SQLite 3.15 cannot read a WAL database without making its -shm file. Where this process
        // may not write (a read-only file or folder), read the file as it is: immutable.
        const std::string folder = path.has_parent_path() ? path.parent_path().string() : ".";
        const bool writable = ::access(path.c_str(), W_OK) == 0 && ::access(folder.c_str(), W_OK) == 0;
        if (!writable) {
            const std::string wal = path.string() + "-wal";
            if (std::filesystem::exists(wal, ec) && std::filesystem::file_size(wal, ec) > 0)
                throw Error(ErrorCode::Storage,
                    path.string()
                        + ": is read-only here and has changes not yet "
                          "merged into it ("
                        + wal
                        + "); open it once where it "
                          "can be written");
            std::string uri = "file:";
            for (char c : std::filesystem::absolute(path).string()) {
                if (c == '%' || c == '?' || c == '#')
                    uri += c == '%' ? "%25" : (c == '?' ? "%3f" : "%23");
                else
                    uri += c;
            }
            name = uri + "?immutable=1";
        }
    }
    sqlite3* raw = nullptr;
    const int rc = sqlite3_open_v2(name.c_str(), &raw, flags, nullptr);
    DbHandle db(raw);
    if (rc != SQLITE_OK)
        throw Error(ErrorCode::Storage,
            path.string() + ": cannot open: " + (raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)));
    sqlite3_extended_result_codes(raw, 1);
    sqlite3_busy_timeout(raw, 5000);

    // Without SQLCipher, PRAGMA key is silently ignored and the file would be written in the clear.
    if (cipherVersion(raw).empty())
        throw Error(ErrorCode::Crypto,
            "this program was linked without SQLCipher; refusing to "
            "open "
                + path.string() + " unencrypted");
    execSecret(raw, "PRAGMA key = " + keyLiteral(key) + ";", "setting the store key");
    exec(raw, ("PRAGMA cipher_page_size = " + std::to_string(PageSize) + ";").c_str());
    // The first read decrypts page 1; a wrong key shows up here as SQLITE_NOTADB.
    try {
        exec(raw, "SELECT count(*) FROM sqlite_master;");
    } catch (const Error& e) {
        if (e.code() != ErrorCode::WrongPassphrase)
            throw Error(e.code(),
                path.string() + ": cannot be read (" + e.what()
                    + "); if it is damaged, restore the store from your backup");
        throw Error(ErrorCode::WrongPassphrase, wrongKeyMessage(path));
    }
    if (mode == OpenMode::ReadOnly) {
        exec(raw, "PRAGMA query_only = ON;");
        return db;
    }
    // Asked first: setting the mode writes the file header, and a store is in WAL already.
    if (singleText(raw, "PRAGMA journal_mode;") != "wal"
        && singleText(raw, "PRAGMA journal_mode = WAL;") != "wal")
        throw Error(ErrorCode::Storage, path.string() + ": could not switch to write-ahead logging");
    exec(raw, "PRAGMA synchronous = FULL;");
    exec(raw, "PRAGMA foreign_keys = ON;");
    return db;
}

void rekeyInPlace(sqlite3* db, const SecretKey& newKey)
{
    execSecret(db, "PRAGMA rekey = " + keyLiteral(newKey) + ";", "re-encrypting the store");
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

void backupEncryptedDatabase(
    sqlite3* source, const std::string& origin, const std::filesystem::path& target, const SecretKey& key)
{
    auto copy = openEncryptedDatabase(target, key, OpenMode::CreateNew);
    sqlite3_backup* backup = sqlite3_backup_init(copy.get(), "main", source, "main");
    if (!backup)
        throw Error(ErrorCode::Storage, origin + ": cannot start the backup: " + sqlite3_errmsg(copy.get()));
    // One step over all pages: one read transaction on the source, so the copy is one moment's
    // state; writers in WAL mode are not blocked meanwhile.
    int rc = SQLITE_BUSY;
    for (int attempt = 0; attempt < 200 && (rc == SQLITE_BUSY || rc == SQLITE_LOCKED); ++attempt) {
        rc = sqlite3_backup_step(backup, -1);
        if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
            sqlite3_sleep(25);
    }
    sqlite3_backup_finish(backup);
    if (rc != SQLITE_DONE)
        throw Error(ErrorCode::Storage, origin + ": the backup failed: " + sqlite3_errstr(rc));
    // Everything into the main file, so the one file is the whole database.
    exec(copy.get(), "PRAGMA wal_checkpoint(TRUNCATE);");
    if (singleText(copy.get(), "PRAGMA journal_mode = DELETE;") != "delete")
        throw Error(ErrorCode::Storage, target.string() + ": could not leave write-ahead logging");
    const std::string check = singleText(copy.get(), "PRAGMA integrity_check;");
    if (check != "ok")
        throw Error(ErrorCode::Storage,
            target.string() + ": the copy of " + origin + " fails the integrity check (" + check
                + "); the backup is not usable");
}

} // namespace fplan::crypto
