// SPDX-License-Identifier: EUPL-1.2
// Kills a writing process with SIGKILL at random moments; after every kill the store must open,
// pass PRAGMA integrity_check, and hold every op whose commit the writer had acknowledged.
#include "core/store.h"
#include "tests/core/writer_process.h"
#include "tests/support/test_support.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fcntl.h>
#include <random>
#include <set>
#include <sys/file.h>
#include <unistd.h>

using namespace fplan;

TEST(CrashSafety, AcknowledgedOpsSurviveSigkill)
{
    test::TempDir dir;
    const auto path = dir / "crash.fplan";
    const std::string passphrase = "crash-test-passphrase";
    Store::create(path, passphrase, crypto::KdfParams::freshCheap());
    const auto key = Store::deriveStoreKey(path, passphrase);

    std::mt19937 rng(12345);
    std::uniform_int_distribution<int> delayMicros(0, 40000);
    std::set<std::string> acknowledged;
    constexpr int Kills = 200;
    for (int kill = 0; kill < Kills; ++kill) {
        test::WriterProcess writer(path, passphrase, "k" + std::to_string(kill));
        // Kill only after the writer acknowledged a commit, so every round tests a store that is
        // being written however loaded the machine is; then at a random point of what follows.
        ASSERT_TRUE(writer.waitForAcks(1)) << "the writer acknowledged nothing within 30 s";
        usleep(static_cast<useconds_t>(delayMicros(rng)));
        ASSERT_TRUE(writer.kill()) << "the writer stopped by itself";
        acknowledged.insert(writer.acknowledged().begin(), writer.acknowledged().end());

        Store store = Store::openWithKey(path, key);
        ASSERT_EQ("ok", store.queryText("PRAGMA integrity_check")) << "after kill " << kill;
        const auto stored = test::storedOpIds(store);
        for (const auto& id : acknowledged)
            ASSERT_TRUE(stored.count(id)) << "acknowledged op " << id << " lost after kill " << kill;
    }
    EXPECT_GE(acknowledged.size(), static_cast<std::size_t>(Kills));
    std::printf("%d kills, %zu acknowledged ops, all present\n", Kills, acknowledged.size());
}

// The lost edit of issue 10: a passphrase change while another process writes. The change must
// either be refused while the writer has the store open, or happen without the writer's
// acknowledged commits going anywhere but into the store.
TEST(CrashSafety, APassphraseChangeNeverLosesAConcurrentWritersEdits)
{
    test::TempDir dir;
    const auto path = dir / "rekey.fplan";
    const std::string oldPassphrase = "old-passphrase-long";
    const std::string newPassphrase = "new-passphrase-long";
    Store::create(path, oldPassphrase, crypto::KdfParams::freshCheap());
    test::WriterProcess writer(path, oldPassphrase, "w");
    ASSERT_TRUE(writer.waitForAcks(1)); // it is writing now
    bool changed = false;
    try {
        Store::changePassphrase(path, oldPassphrase, newPassphrase, crypto::KdfParams::freshCheap());
        changed = true;
    } catch (const Error& e) {
        EXPECT_EQ(ErrorCode::Conflict, e.code()) << e.what();
        EXPECT_NE(std::string(e.what()).find("open in another program"), std::string::npos) << e.what();
    }
    usleep(200 * 1000); // the writer keeps acknowledging commits
    writer.kill();
    const auto& acknowledged = writer.acknowledged();
    ASSERT_GT(acknowledged.size(), 10u);
    EXPECT_FALSE(changed) << "the change went ahead under an open writer";
    Store store = Store::open(path, changed ? newPassphrase : oldPassphrase);
    EXPECT_EQ("ok", store.queryText("PRAGMA integrity_check"));
    const auto stored = test::storedOpIds(store);
    for (const auto& id : acknowledged)
        ASSERT_TRUE(stored.count(id)) << "acknowledged op " << id << " was lost";
}

// While a change holds the store, another process's open waits and then fails clearly instead
// of writing into a file that is being re-keyed; once the change is done it opens with the new
// passphrase.
TEST(CrashSafety, APassphraseChangeInProgressKeepsWritersOut)
{
    test::TempDir dir;
    const auto path = dir / "held.fplan";
    Store::create(path, "old-passphrase-long", crypto::KdfParams::freshCheap());
    const int fd = ::open(path.c_str(), O_RDONLY);
    ASSERT_GE(fd, 0);
    ASSERT_EQ(0, ::flock(fd, LOCK_EX)); // what a running change holds
    test::WriterProcess writer(path, "old-passphrase-long", "x");
    writer.wait();
    EXPECT_TRUE(writer.acknowledged().empty()) << "a writer wrote during the change";
    ::close(fd);
    Store::changePassphrase(
        path, "old-passphrase-long", "new-passphrase-long", crypto::KdfParams::freshCheap());
    Store store = Store::open(path, "new-passphrase-long");
    EXPECT_EQ("ok", store.queryText("PRAGMA integrity_check"));
}
