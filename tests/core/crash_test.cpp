// SPDX-License-Identifier: EUPL-1.2
// Kills a writing process with SIGKILL at random moments; after every kill the store must open,
// pass PRAGMA integrity_check, and hold every op whose commit the writer had acknowledged.
#include "core/store.h"
#include "tests/support/test_support.h"

#include <gtest/gtest.h>

#include <csignal>
#include <cstdio>
#include <fcntl.h>
#include <poll.h>
#include <random>
#include <set>
#include <sys/file.h>
#include <sys/wait.h>
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
        int out[2];
        ASSERT_EQ(0, pipe(out));
        const pid_t pid = fork();
        ASSERT_GE(pid, 0);
        if (pid == 0) {
            dup2(out[1], 1);
            close(out[0]);
            close(out[1]);
            const std::string prefix = "k" + std::to_string(kill);
            execl(FPLAN_CRASH_WRITER, FPLAN_CRASH_WRITER, path.c_str(), passphrase.c_str(), prefix.c_str(),
                static_cast<char*>(nullptr));
            _exit(127);
        }
        close(out[1]);
        // Kill only after the writer acknowledged a commit, so every round tests a store that is
        // being written however loaded the machine is; then at a random point of what follows.
        std::string text;
        char buffer[4096];
        ssize_t n;
        pollfd ready { out[0], POLLIN, 0 };
        while (text.find('\n') == std::string::npos && poll(&ready, 1, 30'000) == 1
            && (n = read(out[0], buffer, sizeof buffer)) > 0)
            text.append(buffer, static_cast<std::size_t>(n));
        ASSERT_NE(std::string::npos, text.find('\n')) << "the writer acknowledged nothing within 30 s";
        usleep(static_cast<useconds_t>(delayMicros(rng)));
        ::kill(pid, SIGKILL);
        int status = 0;
        waitpid(pid, &status, 0);
        ASSERT_TRUE(WIFSIGNALED(status)) << "the writer stopped by itself (status " << status << ")";
        // Every complete line is an acknowledged commit.
        while ((n = read(out[0], buffer, sizeof buffer)) > 0)
            text.append(buffer, static_cast<std::size_t>(n));
        close(out[0]);
        for (std::size_t start = 0, nl; (nl = text.find('\n', start)) != std::string::npos; start = nl + 1)
            acknowledged.insert(text.substr(start, nl - start));

        Store store = Store::openWithKey(path, key);
        ASSERT_EQ("ok", store.queryText("PRAGMA integrity_check")) << "after kill " << kill;
        std::set<std::string> stored;
        for (const auto& op : store.ops("doc"))
            stored.insert(op.id);
        for (const auto& id : acknowledged)
            ASSERT_TRUE(stored.count(id)) << "acknowledged op " << id << " lost after kill " << kill;
    }
    EXPECT_GE(acknowledged.size(), static_cast<std::size_t>(Kills));
    std::printf("%d kills, %zu acknowledged ops, all present\n", Kills, acknowledged.size());
}

namespace {

// Starts the writer on `path`; returns its pid and the read end of its acknowledgements.
pid_t startWriter(
    const std::filesystem::path& path, const std::string& passphrase, const std::string& prefix, int& ackFd)
{
    int out[2];
    if (pipe(out) != 0)
        return -1;
    const pid_t pid = fork();
    if (pid == 0) {
        dup2(out[1], 1);
        close(out[0]);
        close(out[1]);
        execl(FPLAN_CRASH_WRITER, FPLAN_CRASH_WRITER, path.c_str(), passphrase.c_str(), prefix.c_str(),
            static_cast<char*>(nullptr));
        _exit(127);
    }
    close(out[1]);
    ackFd = out[0];
    return pid;
}

std::set<std::string> acknowledgedBy(int fd)
{
    std::string text;
    char buffer[4096];
    ssize_t n;
    while ((n = read(fd, buffer, sizeof buffer)) > 0)
        text.append(buffer, static_cast<std::size_t>(n));
    close(fd);
    std::set<std::string> ids;
    for (std::size_t start = 0, nl; (nl = text.find('\n', start)) != std::string::npos; start = nl + 1)
        ids.insert(text.substr(start, nl - start));
    return ids;
}

} // namespace

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
    int ackFd = -1;
    const pid_t writer = startWriter(path, oldPassphrase, "w", ackFd);
    ASSERT_GT(writer, 0);
    usleep(300 * 1000); // it is writing now
    bool changed = false;
    try {
        Store::changePassphrase(path, oldPassphrase, newPassphrase, crypto::KdfParams::freshCheap());
        changed = true;
    } catch (const Error& e) {
        EXPECT_EQ(ErrorCode::Conflict, e.code()) << e.what();
        EXPECT_NE(std::string(e.what()).find("open in another program"), std::string::npos) << e.what();
    }
    usleep(200 * 1000); // the writer keeps acknowledging commits
    ::kill(writer, SIGKILL);
    int status = 0;
    waitpid(writer, &status, 0);
    const auto acknowledged = acknowledgedBy(ackFd);
    ASSERT_GT(acknowledged.size(), 10u);
    EXPECT_FALSE(changed) << "the change went ahead under an open writer";
    Store store = Store::open(path, changed ? newPassphrase : oldPassphrase);
    EXPECT_EQ("ok", store.queryText("PRAGMA integrity_check"));
    std::set<std::string> stored;
    for (const auto& op : store.ops("doc"))
        stored.insert(op.id);
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
    int ackFd = -1;
    const pid_t writer = startWriter(path, "old-passphrase-long", "x", ackFd);
    int status = 0;
    waitpid(writer, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) || WIFSIGNALED(status));
    EXPECT_TRUE(acknowledgedBy(ackFd).empty()) << "a writer wrote during the change";
    ::close(fd);
    Store::changePassphrase(
        path, "old-passphrase-long", "new-passphrase-long", crypto::KdfParams::freshCheap());
    Store store = Store::open(path, "new-passphrase-long");
    EXPECT_EQ("ok", store.queryText("PRAGMA integrity_check"));
}
