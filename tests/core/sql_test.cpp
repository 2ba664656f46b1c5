// SPDX-License-Identifier: EUPL-1.2
// The kept prepared statements of one connection: lent ready to bind, reset when given back.
#include "core/sql.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

namespace fplan {

namespace {

struct MemoryDatabase {
    MemoryDatabase()
    {
        sqlite3_open(":memory:", &db);
        sql::exec(db, "CREATE TABLE t(n INTEGER); INSERT INTO t VALUES (1), (2), (3);");
    }
    ~MemoryDatabase() { sqlite3_close(db); }
    sqlite3* db = nullptr;
};

// Statements of the connection still between their first step and their reset.
int busyStatements(sqlite3* db)
{
    int busy = 0;
    for (sqlite3_stmt* s = sqlite3_next_stmt(db, nullptr); s; s = sqlite3_next_stmt(db, s))
        busy += sqlite3_stmt_busy(s) ? 1 : 0;
    return busy;
}

} // namespace

TEST(StatementCache, LendsOneStatementPerTextAndResetsItWhenGivenBack)
{
    MemoryDatabase m;
    sql::StatementCache cache(m.db);
    sql::Statement* first = nullptr;
    {
        auto s = cache("SELECT n FROM t WHERE n >= ? ORDER BY n");
        first = &*s;
        s->bind(1, std::int64_t { 2 });
        ASSERT_TRUE(s->step()); // one row of two read: the statement holds a read open
        EXPECT_EQ(2, s->integer(0));
        EXPECT_EQ(1, busyStatements(m.db));
    }
    EXPECT_EQ(0, busyStatements(m.db)); // given back: reset
    auto again = cache("SELECT n FROM t WHERE n >= ? ORDER BY n");
    EXPECT_EQ(first, &*again); // compiled once
    EXPECT_FALSE(again->step()); // its binding was cleared: n >= NULL matches no row
}

TEST(StatementCache, ANestedLoanOfTheSameTextGetsAStatementOfItsOwn)
{
    MemoryDatabase m;
    sql::StatementCache cache(m.db);
    const char* text = "SELECT count(*) FROM t WHERE n > ?";
    auto outer = cache(text);
    {
        auto inner = cache(text);
        EXPECT_NE(&*outer, &*inner);
        inner->bind(1, std::int64_t { 1 });
        ASSERT_TRUE(inner->step());
        EXPECT_EQ(2, inner->integer(0));
    }
    outer->bind(1, std::int64_t { 0 });
    ASSERT_TRUE(outer->step());
    EXPECT_EQ(3, outer->integer(0));
}

} // namespace fplan
