// SPDX-License-Identifier: EUPL-1.2
#include "core/store.h"
#include "core/store_backup.h"
#include "tests/support/test_support.h"

#include <gtest/gtest.h>

using namespace fplan;

namespace {

struct BackupFixture : ::testing::Test {
    test::TempDir dir;
    std::filesystem::path path = dir / "sager.fplan";
    std::string passphrase = "backup-test-passphrase";
    void SetUp() override { Store::create(path, passphrase, crypto::KdfParams::freshCheap()); }
};

} // namespace

TEST_F(BackupFixture, RoundTripKeepsSettingsAndOpensWithTheSamePassphrase)
{
    {
        Store store = Store::open(path, passphrase);
        store.setSetting("municipality.name", "Eksempel Kommune");
    }
    const std::string archive = makeStoreBackup(path, Store::deriveStoreKey(path, passphrase));
    const StoreBackup backup = readStoreBackup(archive, "b.tar");
    EXPECT_EQ(test::readFile(Store::kdfPathFor(path)), backup.kdf);
    EXPECT_EQ(0u, backup.database.size() % 4096);
    EXPECT_FALSE(backup.database.find("Eksempel Kommune") != std::string::npos)
        << "the backup is in plain text";

    const auto restored = dir / "restored.fplan";
    test::writeFile(restored, backup.database);
    test::writeFile(Store::kdfPathFor(restored), backup.kdf);
    Store store = Store::open(restored, passphrase);
    EXPECT_EQ("Eksempel Kommune", store.setting("municipality.name").value_or(""));
    EXPECT_EQ("ok", store.queryText("PRAGMA integrity_check"));
    test::expectError(
        ErrorCode::WrongPassphrase, "wrong passphrase", [&] { Store::open(restored, "another-passphrase"); });
}

TEST_F(BackupFixture, RefusesWhatIsNotABackup)
{
    std::string archive = makeStoreBackup(path, Store::deriveStoreKey(path, passphrase));
    test::expectError(ErrorCode::BadInput, "it ends inside a tar header",
        [&] { readStoreBackup(archive.substr(0, 100), "b.tar"); });
    std::string flipped = archive;
    flipped[10] = 'X'; // a changed member name without a fixed checksum
    test::expectError(ErrorCode::BadInput, "checksum is wrong", [&] { readStoreBackup(flipped, "b.tar"); });
    test::expectError(
        ErrorCode::BadInput, "is cut off", [&] { readStoreBackup(archive.substr(0, 512 + 1000), "b.tar"); });
    test::expectError(ErrorCode::BadInput, "not a POSIX tar archive",
        [&] { readStoreBackup(std::string(1024, 'x'), "b.tar"); });
    // Only the database, then the end: the .kdf is missing.
    const std::size_t databaseEnd = 512 + readStoreBackup(archive, "b.tar").database.size();
    std::string withoutKdf = archive.substr(0, databaseEnd) + std::string(1024, '\0');
    test::expectError(
        ErrorCode::BadInput, "it lacks store.fplan.kdf", [&] { readStoreBackup(withoutKdf, "b.tar"); });
}
