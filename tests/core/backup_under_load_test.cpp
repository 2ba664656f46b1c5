// SPDX-License-Identifier: EUPL-1.2
// A backup taken while another process commits ops: it must open, pass integrity_check, and hold
// every op whose commit the writer acknowledged before the backup started.
#include "core/store.h"
#include "core/store_backup.h"
#include "tests/support/test_support.h"

#include <gtest/gtest.h>

#include <csignal>
#include <set>
#include <sys/wait.h>
#include <unistd.h>

using namespace fplan;

namespace {

// Reads complete lines from `fd` until at least `count` more have arrived.
void readLines(int fd, std::string& pending, std::set<std::string>& lines, std::size_t count)
{
    const std::size_t target = lines.size() + count;
    char buffer[4096];
    while (lines.size() < target) {
        const ssize_t n = read(fd, buffer, sizeof buffer);
        ASSERT_GT(n, 0) << "the writer stopped";
        pending.append(buffer, static_cast<std::size_t>(n));
        for (std::size_t nl; (nl = pending.find('\n')) != std::string::npos; pending.erase(0, nl + 1))
            lines.insert(pending.substr(0, nl));
    }
}

} // namespace

TEST(StoreBackup, ConsistentWhileAnotherProcessWrites)
{
    test::TempDir dir;
    const auto path = dir / "busy.fplan";
    const std::string passphrase = "backup-load-passphrase";
    Store::create(path, passphrase, crypto::KdfParams::freshCheap());
    const auto key = Store::deriveStoreKey(path, passphrase);

    int out[2];
    ASSERT_EQ(0, pipe(out));
    const pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        dup2(out[1], 1);
        close(out[0]);
        close(out[1]);
        execl(FPLAN_CRASH_WRITER, FPLAN_CRASH_WRITER, path.c_str(), passphrase.c_str(), "load",
            static_cast<char*>(nullptr));
        _exit(127);
    }
    close(out[1]);
    std::string pending;
    std::set<std::string> acknowledged;
    std::vector<std::pair<std::set<std::string>, std::string>> backups;
    for (int round = 0; round < 5; ++round) {
        readLines(out[0], pending, acknowledged, 40);
        backups.emplace_back(acknowledged, makeStoreBackup(path, key));
    }
    readLines(out[0], pending, acknowledged, 40); // still writing after the last backup
    ::kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    close(out[0]);
    ASSERT_TRUE(WIFSIGNALED(status)) << "the writer stopped by itself (status " << status << ")";

    std::size_t previous = 0;
    for (std::size_t i = 0; i < backups.size(); ++i) {
        const auto& [before, archive] = backups[i];
        const StoreBackup backup = readStoreBackup(archive, "backup " + std::to_string(i));
        const auto restored = dir / ("restored" + std::to_string(i) + ".fplan");
        test::writeFile(restored, backup.database);
        test::writeFile(Store::kdfPathFor(restored), backup.kdf);
        Store store = Store::openWithKey(restored, key);
        ASSERT_EQ("ok", store.queryText("PRAGMA integrity_check")) << "backup " << i;
        std::set<std::string> stored;
        for (const auto& op : store.ops("doc"))
            stored.insert(op.id);
        for (const auto& id : before)
            ASSERT_TRUE(stored.count(id))
                << "op " << id << " acknowledged before backup " << i << " is missing";
        EXPECT_GE(stored.size(), previous) << "a later backup holds fewer ops";
        previous = stored.size();
    }
    Store original = Store::openWithKey(path, key);
    EXPECT_GT(original.ops("doc").size(), previous) << "the writer did not write after the last backup";
}
