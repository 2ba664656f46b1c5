// SPDX-License-Identifier: EUPL-1.2
// A store made by an older version (core schema 2, tests/data/stores/README.md) opens with this
// one: the migration runs, the finalised document and its values are all there, and a command that
// only reads migrates it too instead of failing with "needs an upgrade".
#include "core/document.h"
#include "core/store.h"
#include "tests/support/test_support.h"

#include <gtest/gtest.h>

using namespace fplan;

namespace {

constexpr const char* Passphrase = "pakke-test-adgangskode";
constexpr const char* PlanDoc = "020e7dd6-2d69-4d99-bb38-2f34ee675624";

std::filesystem::path copyOldStore(const test::TempDir& dir)
{
    const auto path = dir / "old.fplan";
    test::writeFile(path, test::readFile(test::dataFile("stores/schema2.fplan")));
    test::writeFile(Store::kdfPathFor(path), test::readFile(test::dataFile("stores/schema2.fplan.kdf")));
    return path;
}

std::string schemaVersion(Store& store)
{
    return store.queryText("SELECT value FROM meta WHERE key = 'schema_version'");
}

} // namespace

TEST(StoreUpgrade, ASchema2StoreMigratesOnAReadOnlyOpen)
{
    test::TempDir dir;
    const auto path = copyOldStore(dir);
    const auto key = Store::deriveStoreKey(path, Passphrase); // once: its Argon2 is the real cost
    {
        Store store = Store::openWithKey(path, key, StoreAccess::ReadOnly);
        EXPECT_EQ(schemaVersion(store), std::to_string(Store::latestSchemaVersion()));
        EXPECT_EQ("ok", store.queryText("PRAGMA integrity_check"));
        const auto ops = store.ops(PlanDoc);
        ASSERT_FALSE(ops.empty());
        bool finalized = false;
        bool filled = false;
        for (const auto& op : ops) {
            finalized = finalized || op.kind == OpKind::Finalize;
            filled = filled || op.value.dump().find("Łukasz Şahin") != std::string::npos;
        }
        EXPECT_TRUE(finalized) << "the finalised version was lost";
        EXPECT_TRUE(filled) << "the filled values were lost";
        EXPECT_EQ(store.queryText("SELECT count(*) FROM cases"), "1");
    }
    Store again = Store::openWithKey(path, key); // writable: nothing left to migrate
    EXPECT_EQ(schemaVersion(again), std::to_string(Store::latestSchemaVersion()));
}
