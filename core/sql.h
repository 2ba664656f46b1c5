// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

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

void exec(sqlite3* db, std::string_view sql);

} // namespace fplan::sql
