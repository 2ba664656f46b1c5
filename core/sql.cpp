// SPDX-License-Identifier: EUPL-1.2
#include "core/sql.h"

#include "base/error.h"
#include "crypto/encrypted_db.h"

#include <sqlite3.h>

namespace fplan::sql {

namespace {
[[noreturn]] void fail(sqlite3* db, int rc, const std::string& sql)
{
    const char* file = db ? sqlite3_db_filename(db, "main") : nullptr;
    const std::string path = file && *file ? file : "the store";
    // What a person can act on, with the store's path and no SQL; the SQL only for bugs.
    switch (rc & 0xff) {
    case SQLITE_NOTADB:
        throw Error(ErrorCode::WrongPassphrase, crypto::wrongKeyMessage(path));
    case SQLITE_CORRUPT:
        throw Error(ErrorCode::Storage, path + ": the store is damaged; restore it from your backup");
    case SQLITE_FULL:
        throw Error(ErrorCode::Storage,
            path + ": the disk is full; nothing was saved (free some space and try again)");
    case SQLITE_READONLY:
        throw Error(ErrorCode::Storage,
            path
                + ": the store cannot be written here (read-only file, folder or "
                  "disk); nothing was saved");
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
        throw Error(ErrorCode::Storage,
            path + ": the disk reported an error (" + std::string(sqlite3_errstr(rc))
                + "); nothing was saved");
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        throw Error(ErrorCode::Conflict, path + ": busy in another program; try again");
    default:
        throw Error(ErrorCode::Storage,
            path + ": database error (" + std::string(sqlite3_errstr(rc)) + ": " + sqlite3_errmsg(db)
                + ") in: " + sql);
    }
}
} // namespace

Statement::Statement(sqlite3* db, std::string_view sql)
    : m_db(db)
    , m_sql(sql)
{
    const int rc = sqlite3_prepare_v2(db, m_sql.c_str(), static_cast<int>(m_sql.size()), &m_stmt, nullptr);
    if (rc != SQLITE_OK)
        fail(db, rc, m_sql);
}

Statement::~Statement()
{
    sqlite3_finalize(m_stmt);
}

Statement& Statement::bind(int index, std::string_view text)
{
    const int rc
        = sqlite3_bind_text(m_stmt, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
    if (rc != SQLITE_OK)
        fail(m_db, rc, m_sql);
    return *this;
}

Statement& Statement::bind(int index, std::int64_t value)
{
    const int rc = sqlite3_bind_int64(m_stmt, index, value);
    if (rc != SQLITE_OK)
        fail(m_db, rc, m_sql);
    return *this;
}

Statement& Statement::bindBlob(int index, std::string_view bytes)
{
    const int rc
        = sqlite3_bind_blob(m_stmt, index, bytes.data(), static_cast<int>(bytes.size()), SQLITE_TRANSIENT);
    if (rc != SQLITE_OK)
        fail(m_db, rc, m_sql);
    return *this;
}

Statement& Statement::bindNull(int index)
{
    const int rc = sqlite3_bind_null(m_stmt, index);
    if (rc != SQLITE_OK)
        fail(m_db, rc, m_sql);
    return *this;
}

bool Statement::step()
{
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    fail(m_db, rc, m_sql);
}

void Statement::run()
{
    while (step()) { }
}

void Statement::reset()
{
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
}

std::string Statement::text(int column) const
{
    const auto* p = sqlite3_column_text(m_stmt, column);
    const int size = sqlite3_column_bytes(m_stmt, column);
    return p ? std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(size)) : std::string();
}

std::string Statement::blob(int column) const
{
    const auto* p = sqlite3_column_blob(m_stmt, column);
    const int size = sqlite3_column_bytes(m_stmt, column);
    return p ? std::string(static_cast<const char*>(p), static_cast<std::size_t>(size)) : std::string();
}

std::int64_t Statement::integer(int column) const
{
    return sqlite3_column_int64(m_stmt, column);
}

bool Statement::isNull(int column) const
{
    return sqlite3_column_type(m_stmt, column) == SQLITE_NULL;
}

StatementCache::StatementCache(sqlite3* db)
    : m_db(db)
{
}

StatementCache::~StatementCache() = default;

StatementCache::Loan StatementCache::operator()(std::string_view sql)
{
    auto it = m_kept.find(std::string(sql));
    if (it == m_kept.end())
        it = m_kept.emplace(std::string(sql), Kept { std::make_unique<Statement>(m_db, sql), false }).first;
    Kept& kept = it->second;
    if (kept.busy)
        return Loan(nullptr, nullptr, std::make_unique<Statement>(m_db, sql));
    kept.busy = true;
    return Loan(kept.statement.get(), &kept.busy, nullptr);
}

StatementCache::Loan::Loan(Statement* kept, bool* busy, std::unique_ptr<Statement> own)
    : m_statement(own ? own.get() : kept)
    , m_busy(busy)
    , m_own(std::move(own))
{
}

StatementCache::Loan::~Loan()
{
    if (m_busy) {
        m_statement->reset();
        *m_busy = false;
    }
}

void exec(sqlite3* db, std::string_view sql)
{
    const std::string text(sql);
    char* message = nullptr;
    const int rc = sqlite3_exec(db, text.c_str(), nullptr, nullptr, &message);
    sqlite3_free(message);
    if (rc != SQLITE_OK)
        fail(db, rc, text);
}

} // namespace fplan::sql
