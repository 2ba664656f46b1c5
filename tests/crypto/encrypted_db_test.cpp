// SPDX-License-Identifier: EUPL-1.2
#include "base/error.h"
#include "crypto/encrypted_db.h"
#include "tests/support/test_support.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

using namespace fplan;
using namespace fplan::crypto;

namespace {
void exec(sqlite3* db, const char* sql)
{
    ASSERT_EQ(SQLITE_OK, sqlite3_exec(db, sql, nullptr, nullptr, nullptr)) << sqlite3_errmsg(db);
}
} // namespace

TEST(EncryptedDb, ReportsSqlCipherVersion)
{
    test::TempDir dir;
    const auto key = SecretKey::random();
    auto db = openEncryptedDatabase(dir / "a.db", key, OpenMode::CreateNew);
    EXPECT_FALSE(cipherVersion(db.get()).empty());
}

TEST(EncryptedDb, FileHoldsNoPlaintextAndWrongKeyIsRefused)
{
    test::TempDir dir;
    const auto key = SecretKey::random();
    {
        auto db = openEncryptedDatabase(dir / "a.db", key, OpenMode::CreateNew);
        exec(db.get(), "CREATE TABLE t(x TEXT); INSERT INTO t VALUES('Søs Nørgaard 0101901234');");
    }
    EXPECT_FALSE(test::fileContains(dir / "a.db", "Nørgaard"));
    EXPECT_FALSE(test::fileContains(dir / "a.db", "SQLite format 3"));
    EXPECT_FALSE(test::fileContains(dir / "a.db-wal", "0101901234"));
    const std::string message = test::expectError(ErrorCode::WrongPassphrase,
        "wrong passphrase or not a Familieplan store: " + (dir / "a.db").string(),
        [&] { openEncryptedDatabase(dir / "a.db", SecretKey::random(), OpenMode::ExistingOnly); });
    EXPECT_NE(std::string::npos, message.find("restore the store from your backup")) << message;
    auto again = openEncryptedDatabase(dir / "a.db", key, OpenMode::ExistingOnly);
    sqlite3_stmt* stmt = nullptr;
    ASSERT_EQ(SQLITE_OK, sqlite3_prepare_v2(again.get(), "SELECT x FROM t", -1, &stmt, nullptr));
    ASSERT_EQ(SQLITE_ROW, sqlite3_step(stmt));
    EXPECT_STREQ("Søs Nørgaard 0101901234", reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)));
    sqlite3_finalize(stmt);
}

TEST(EncryptedDb, UsesWalAndFullSync)
{
    test::TempDir dir;
    auto db = openEncryptedDatabase(dir / "a.db", SecretKey::random(), OpenMode::CreateNew);
    sqlite3_stmt* stmt = nullptr;
    ASSERT_EQ(SQLITE_OK, sqlite3_prepare_v2(db.get(), "PRAGMA synchronous", -1, &stmt, nullptr));
    ASSERT_EQ(SQLITE_ROW, sqlite3_step(stmt));
    EXPECT_EQ(2, sqlite3_column_int(stmt, 0)); // FULL
    sqlite3_finalize(stmt);
}

TEST(EncryptedDb, RefusesToOverwriteOrOpenMissing)
{
    test::TempDir dir;
    openEncryptedDatabase(dir / "a.db", SecretKey::random(), OpenMode::CreateNew);
    test::expectError(ErrorCode::Conflict, "a.db: a store already exists there",
        [&] { openEncryptedDatabase(dir / "a.db", SecretKey::random(), OpenMode::CreateNew); });
    test::expectError(ErrorCode::NotFound, "b.db: no store there",
        [&] { openEncryptedDatabase(dir / "b.db", SecretKey::random(), OpenMode::ExistingOnly); });
}

TEST(EncryptedDb, ExportedCopyOpensOnlyWithTheNewKey)
{
    test::TempDir dir;
    const auto oldKey = SecretKey::random();
    const auto newKey = SecretKey::random();
    {
        auto db = openEncryptedDatabase(dir / "a.db", oldKey, OpenMode::CreateNew);
        exec(db.get(), "CREATE TABLE t(x TEXT); INSERT INTO t VALUES('Ærø');");
        exportEncryptedCopy(db.get(), dir / "b.db", newKey);
    }
    test::expectError(ErrorCode::WrongPassphrase, "wrong passphrase",
        [&] { openEncryptedDatabase(dir / "b.db", oldKey, OpenMode::ExistingOnly); });
    auto db = openEncryptedDatabase(dir / "b.db", newKey, OpenMode::ExistingOnly);
    sqlite3_stmt* stmt = nullptr;
    ASSERT_EQ(SQLITE_OK, sqlite3_prepare_v2(db.get(), "SELECT x FROM t", -1, &stmt, nullptr));
    ASSERT_EQ(SQLITE_ROW, sqlite3_step(stmt));
    EXPECT_STREQ("Ærø", reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)));
    sqlite3_finalize(stmt);
}
