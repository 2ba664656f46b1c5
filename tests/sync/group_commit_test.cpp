// SPDX-License-Identifier: EUPL-1.2
// The group commit on a database that records what it is asked to do: a group's callers return
// only after their commit is durable, the next group commits while the disk is still busy, and
// one thread of the group commit's own commits every group.
#include "base/error.h"
#include "sync/server/storage.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

namespace fplan::sync {
namespace {

using namespace std::chrono_literals;

// Counts commits; while `diskHeld` is set every call of makeDurable() waits until releaseDisk(),
// and every call throws while `diskFails` is set.
class RecordingDatabase final : public GroupCommit::Database {
public:
    void begin() override { }
    void commit() override
    {
        std::lock_guard lock(mutex);
        ++commits;
        changed.notify_all();
    }
    void rollback() noexcept override { }
    void makeDurable() override
    {
        std::unique_lock lock(mutex);
        ++syncsStarted;
        changed.notify_all();
        changed.wait(lock, [&] { return !diskHeld; });
        if (diskFails)
            throw Error(ErrorCode::Storage, "the disk refused the sync");
        ++syncsDone;
    }

    // Waits (at most 10 s) until `condition` holds.
    template <typename Condition> bool waitFor(Condition condition)
    {
        std::unique_lock lock(mutex);
        return changed.wait_for(lock, 10s, condition);
    }
    void releaseDisk()
    {
        std::lock_guard lock(mutex);
        diskHeld = false;
        changed.notify_all();
    }

    std::mutex mutex;
    std::condition_variable changed;
    int commits = 0;
    int syncsStarted = 0;
    int syncsDone = 0;
    bool diskHeld = false;
    bool diskFails = false;
};

TEST(GroupCommit, ACallerReturnsOnlyOnceItsCommitIsDurableAndTheNextGroupDoesNotWaitForTheDisk)
{
    RecordingDatabase database;
    database.diskHeld = true; // no sync ends until releaseDisk()
    std::atomic<int> ran { 0 };
    std::atomic<int> returned { 0 };
    std::vector<std::thread> callers;
    {
        GroupCommit group(database);
        const auto call = [&] {
            group.run([&] { ++ran; });
            ++returned;
        };
        // The first caller's group is committed, and its sync waits for the disk.
        callers.emplace_back(call);
        const bool firstSyncing
            = database.waitFor([&] { return database.syncsStarted == 1 && database.commits == 1; });

        // Two more callers: their works run and are committed (each committed group's sync
        // started) while that sync still waits.
        callers.emplace_back(call);
        callers.emplace_back(call);
        const bool committed = database.waitFor(
            [&] { return ran == 3 && database.commits >= 2 && database.syncsStarted == database.commits; });
        std::this_thread::sleep_for(50ms);
        const int returnedEarly = returned;

        database.releaseDisk(); // before any assertion can end the test with the callers waiting
        for (auto& t : callers)
            t.join();
        EXPECT_TRUE(firstSyncing) << "the first group was not committed and syncing";
        EXPECT_TRUE(committed) << "the next group waited for the first one's sync";
        EXPECT_EQ(returnedEarly, 0) << "a caller returned before its commit was durable";
    }
    EXPECT_EQ(returned, 3);
    EXPECT_EQ(database.syncsDone, database.syncsStarted);
    EXPECT_EQ(database.syncsDone, database.commits) << "a committed group was not made durable";
}

TEST(GroupCommit, AFailedSyncFailsEveryCallerOfItsGroup)
{
    RecordingDatabase database;
    GroupCommit group(database);
    database.diskFails = true;
    for (int i = 0; i < 2; ++i) {
        try {
            group.run([] {});
            ADD_FAILURE() << "a commit that was not made durable was reported as done";
        } catch (const Error& e) {
            EXPECT_EQ(e.code(), ErrorCode::Storage);
        }
    }
    EXPECT_EQ(database.commits, 2);
    EXPECT_EQ(database.syncsDone, 0);
}

TEST(GroupCommit, EveryGroupIsCommittedByOneThreadOfItsOwnNotByACaller)
{
    // A caller's thread that committed would have to be woken and scheduled before the write
    // lock is used again; the committing thread goes straight on with the next group.
    RecordingDatabase database;
    GroupCommit group(database);
    std::mutex mutex;
    std::set<std::thread::id> callers;
    std::set<std::thread::id> committers;
    std::vector<std::thread> threads;
    for (int i = 0; i < 8; ++i)
        threads.emplace_back([&] {
            for (int k = 0; k < 20; ++k)
                group.run([&] {
                    std::lock_guard lock(mutex);
                    committers.insert(std::this_thread::get_id());
                });
            std::lock_guard lock(mutex);
            callers.insert(std::this_thread::get_id());
        });
    for (auto& t : threads)
        t.join();
    EXPECT_EQ(committers.size(), 1u);
    for (const auto& id : committers)
        EXPECT_EQ(callers.count(id), 0u) << "a caller's thread committed a group";
    EXPECT_EQ(database.syncsDone, database.commits) << "a committed group was not made durable";
}

// The first commit of three works answers that the second one's write failed (as a database does
// that sends a work's write with a later round trip). The works count themselves in `works`.
class LateAnsweringDatabase final : public GroupCommit::Database {
public:
    void begin() override { works = 0; }
    void commit() override
    {
        if (works == 3 && !answered) {
            answered = true;
            throw GroupCommit::WorkFailed { 1,
                std::make_exception_ptr(Error(ErrorCode::Conflict, "the second work's write failed")) };
        }
    }
    void rollback() noexcept override { ++rollbacks; }
    std::atomic<int> works { 0 };
    bool answered = false;
    int rollbacks = 0;
};

TEST(GroupCommit, AWriteAnsweredLaterFailsOnlyTheWorkItBelongsTo)
{
    LateAnsweringDatabase database;
    GroupCommit group(database);
    // The first caller holds its group until three more wait; they form the next group.
    std::atomic<bool> opened { false };
    std::atomic<bool> close { false };
    std::thread first([&] {
        group.run([&] {
            ++database.works;
            opened = true;
            while (!close)
                std::this_thread::sleep_for(1ms);
        });
    });
    while (!opened)
        std::this_thread::sleep_for(1ms);
    std::mutex mutex;
    std::vector<int> secondAt(3, -1); // caller -> its work's place in the group's first run
    std::vector<int> outcome(3, 0); // 1 done, 2 failed with Conflict
    std::vector<std::thread> callers;
    for (int i = 0; i < 3; ++i)
        callers.emplace_back([&, i] {
            try {
                group.run([&] {
                    ++database.works;
                    std::lock_guard lock(mutex);
                    if (secondAt[i] < 0)
                        secondAt[i] = static_cast<int>(GroupCommit::currentWork());
                });
                outcome[i] = 1;
            } catch (const Error& e) {
                outcome[i] = e.code() == ErrorCode::Conflict ? 2 : 3;
            }
        });
    // All three wait before the first group ends, so they form the next group together.
    const auto until = std::chrono::steady_clock::now() + 10s;
    while (group.waiting() < 3 && std::chrono::steady_clock::now() < until)
        std::this_thread::sleep_for(1ms);
    EXPECT_EQ(group.waiting(), 3u);
    close = true;
    first.join();
    for (auto& t : callers)
        t.join();
    // The three callers' group failed the one at place 1, and ran again without it.
    ASSERT_TRUE(database.answered);
    EXPECT_EQ(database.rollbacks, 1);
    for (int i = 0; i < 3; ++i)
        EXPECT_EQ(outcome[i], secondAt[i] == 1 ? 2 : 1) << "caller " << i << " ran at " << secondAt[i];
}

} // namespace
} // namespace fplan::sync
