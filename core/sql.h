// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

struct sqlite3;
struct sqlite3_stmt;

namespace fplan::sql {

// A prepared statement in RAII; every SQLite return code is checked and turned into
// Error(Storage) with the statement's text. Parameters are 1-based as in SQLite.
class Statement {
public:
    Statement(sqlite3* db, std::string_view sql);
    ~Statement();
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    Statement& bind(int index, std::string_view text);
    Statement& bind(int index, std::int64_t value);
    Statement& bindNull(int index);
    Statement& bindBlob(int index, std::string_view bytes);

    bool step(); // true while a row is available
    void run(); // steps a statement that returns no rows
    void reset();

    std::string text(int column) const;
    std::string blob(int column) const;
    std::int64_t integer(int column) const;
    bool isNull(int column) const;

private:
    sqlite3* m_db;
    sqlite3_stmt* m_stmt = nullptr;
    std::string m_sql;
};

// One connection's prepared statements, kept for reuse by their text: compiling a statement
// costs more than running a small one. Whoever holds the connection uses its cache (it is not
// thread-safe, like the connection). A statement is lent out ready to bind and is reset, its
// bindings cleared, when the loan ends, so that a kept statement holds no read transaction open.
class StatementCache {
public:
    explicit StatementCache(sqlite3* db);
    ~StatementCache();
    StatementCache(const StatementCache&) = delete;
    StatementCache& operator=(const StatementCache&) = delete;

    class Loan {
    public:
        ~Loan();
        Loan(const Loan&) = delete; // returned as it is made (guaranteed elision), never moved
        Loan& operator=(const Loan&) = delete;
        Statement& operator*() const { return *m_statement; }
        Statement* operator->() const { return m_statement; }

    private:
        friend class StatementCache;
        Loan(Statement* kept, bool* busy, std::unique_ptr<Statement> own);
        Statement* m_statement;
        bool* m_busy; // the kept statement's "lent out" flag; null for a statement of its own
        std::unique_ptr<Statement> m_own; // when the kept one is lent out already (nested use)
    };

    Loan operator()(std::string_view sql);

private:
    struct Kept {
        std::unique_ptr<Statement> statement;
        bool busy = false;
    };
    sqlite3* m_db;
    std::unordered_map<std::string, Kept> m_kept;
};

void exec(sqlite3* db, std::string_view sql);

} // namespace fplan::sql
