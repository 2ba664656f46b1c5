// SPDX-License-Identifier: EUPL-1.2
// A backup taken while another process commits ops: it must open, pass integrity_check, and hold
// every op whose commit the writer acknowledged before the backup started.
#include "core/store.h"
#include "core/store_backup.h"
#include "tests/core/writer_process.h"
#include "tests/support/test_support.h"

#include <gtest/gtest.h>

#include <set>

using namespace fplan;

TEST(StoreBackup, ConsistentWhileAnotherProcessWrites)
{
    test::TempDir dir;
    const auto path = dir / "busy.fplan";
    const std::string passphrase = "backup-load-passphrase";
    Store::create(path, passphrase, crypto::KdfParams::freshCheap());
    const auto key = Store::deriveStoreKey(path, passphrase);

    test::WriterProcess writer(path, passphrase, "load");
    std::vector<std::pair<std::set<std::string>, std::string>> backups;
    for (int round = 0; round < 5; ++round) {
        ASSERT_TRUE(writer.waitForAcks(40)) << "the writer stopped";
        backups.emplace_back(writer.acknowledged(), makeStoreBackup(path, key));
    }
    ASSERT_TRUE(writer.waitForAcks(40)) << "the writer stopped"; // still writing after the last backup
    ASSERT_TRUE(writer.kill()) << "the writer stopped by itself";

    std::size_t previous = 0;
    for (std::size_t i = 0; i < backups.size(); ++i) {
        const auto& [before, archive] = backups[i];
        const StoreBackup backup = readStoreBackup(archive, "backup " + std::to_string(i));
        const auto restored = dir / ("restored" + std::to_string(i) + ".fplan");
        test::writeFile(restored, backup.database);
        test::writeFile(Store::kdfPathFor(restored), backup.kdf);
        Store store = Store::openWithKey(restored, key);
        ASSERT_EQ("ok", store.queryText("PRAGMA integrity_check")) << "backup " << i;
        const auto stored = test::storedOpIds(store);
        for (const auto& id : before)
            ASSERT_TRUE(stored.count(id))
                << "op " << id << " acknowledged before backup " << i << " is missing";
        EXPECT_GE(stored.size(), previous) << "a later backup holds fewer ops";
        previous = stored.size();
    }
    Store original = Store::openWithKey(path, key);
    EXPECT_GT(original.ops("doc").size(), previous) << "the writer did not write after the last backup";
}
