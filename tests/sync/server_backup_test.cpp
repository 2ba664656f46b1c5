// SPDX-License-Identifier: EUPL-1.2
// fplan-server backup / restore with the real program: a backup taken while clients push holds
// every op acknowledged before it began; a restored server serves exactly the backup's ops; a
// restore is refused while a server runs and keeps the old data when the backup is bad.
#include "core/sql.h"
#include "crypto/encrypted_db.h"
#include "tests/support/test_support.h"
#include "tests/sync/server_process.h"
#include "tests/sync/server_requests.h"
#include "tests/sync/sync_fixtures.h"
#include "tests/sync/sync_test_client.h"

#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <sys/stat.h>
#include <thread>

namespace fplan::test {
namespace {

namespace fs = std::filesystem;

class ServerBackupTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        ASSERT_EQ(::chmod(dir.path().c_str(), 0700), 0);
        ASSERT_EQ(::mkdir(data.c_str(), 0700), 0);
        addServerUser(data, "anna", "password-anna");
    }

    RunResult server(std::vector<std::string> args, const fs::path& dataDir)
    {
        std::vector<std::string> argv = { serverBinary().string(), "--data", dataDir.string() };
        argv.insert(argv.end(), args.begin(), args.end());
        return run(argv);
    }

    // The op ids in a backup file, read with the server's key.
    std::set<std::string> opIdsIn(const fs::path& backup)
    {
        const auto db = crypto::openEncryptedDatabase(backup, serverDbKey(data), crypto::OpenMode::ReadOnly);
        sql::Statement s(db.get(), "SELECT op_id FROM ops");
        std::set<std::string> ids;
        while (s.step())
            ids.insert(s.text(0));
        return ids;
    }

    void pushCase(ServerProcess& process)
    {
        SyncTestClient client("127.0.0.1", process.port(), process.fingerprint());
        const auto token = login(client, "anna");
        ASSERT_EQ(
            client.request("POST", "/v1/push", pushBody(caseOps("c1", "d1", "anna", { "anna" }, {})), token)
                .status,
            200);
    }

    std::multiset<std::string> pullAll(ServerProcess& process)
    {
        SyncTestClient client("127.0.0.1", process.port(), process.fingerprint());
        return pullAllOpIds(client, login(client, "anna"));
    }

    TempDir dir;
    fs::path data = dir / "data";
};

TEST_F(ServerBackupTest, BackupUnderPushesHoldsEveryAcknowledgedOpAndRestores)
{
    auto process = std::make_unique<ServerProcess>(data);
    pushCase(*process);
    SyncTestClient setup("127.0.0.1", process->port(), process->fingerprint());
    const auto token = login(setup, "anna");

    std::mutex mutex;
    std::set<std::string> acknowledged;
    std::vector<std::string> refusals;
    std::atomic<bool> stop { false };
    std::atomic<int> batches { 0 };
    std::vector<std::thread> writers;
    // Stops and joins the writers also when an assertion returns early.
    const auto joinWriters = [&] {
        stop = true;
        for (auto& t : writers)
            if (t.joinable())
                t.join();
    };
    const std::unique_ptr<void, std::function<void(void*)>> joinAtExit(
        &writers, [&](void*) { joinWriters(); });
    for (int w = 0; w < 3; ++w)
        writers.emplace_back([&, w] {
            SyncTestClient client("127.0.0.1", process->port(), process->fingerprint());
            for (int b = 0; !stop; ++b) {
                std::vector<Op> ops;
                for (int i = 0; i < 10; ++i) {
                    const auto id
                        = "w" + std::to_string(w) + "-" + std::to_string(b) + "-" + std::to_string(i);
                    ops.push_back(makeOp(id, "c1", "d2", OpKind::Set, "a.b", id, "anna"));
                }
                const auto r = client.request("POST", "/v1/push", pushBody(ops), token);
                std::lock_guard lock(mutex);
                if (r.status != 200) {
                    refusals.push_back(std::to_string(r.status) + " " + r.body);
                    continue;
                }
                const auto answer = Json::parse(r.body); // kept: a loop over a temporary's member dangles
                for (const auto& held : answer["held"])
                    acknowledged.insert(held["id"].get<std::string>());
                ++batches;
            }
        });

    // Three backups while the writers push; each must hold what was acknowledged before it began.
    fs::path last;
    int pushedDuringBackups = 0;
    for (int round = 0; round < 3; ++round) {
        while (batches < 5 * (round + 1))
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        std::set<std::string> before;
        {
            std::lock_guard lock(mutex);
            before = acknowledged;
        }
        const int batchesBefore = batches;
        last = dir / ("backup-" + std::to_string(round) + ".db");
        const auto r = server({ "backup", "--out", last.string() }, data);
        pushedDuringBackups += batches - batchesBefore;
        ASSERT_EQ(r.exitCode, 0) << r.err;
        EXPECT_NE(r.out.find("backed up "), std::string::npos) << r.out;
        struct stat st { };
        ASSERT_EQ(::stat(last.c_str(), &st), 0);
        EXPECT_EQ(st.st_mode & 0777, 0600u);
        const auto held = opIdsIn(last);
        ASSERT_FALSE(before.empty());
        for (const auto& id : before)
            ASSERT_TRUE(held.count(id))
                << id << " was acknowledged before backup " << round << " and is not in it";
    }
    joinWriters();
    EXPECT_TRUE(refusals.empty()) << refusals.size() << " refused, the first: " << refusals.front();
    // Not a guarantee on every machine, but the point of the test: the server kept taking pushes.
    RecordProperty("batches_pushed_during_backups", pushedDuringBackups);

    // An existing file is kept unless --force; while the server runs, a restore is refused.
    EXPECT_EQ(server({ "backup", "--out", last.string() }, data).exitCode, 1);
    const auto refused = server({ "restore", last.string() }, data);
    EXPECT_EQ(refused.exitCode, 1);
    EXPECT_NE(refused.err.find("stop it first"), std::string::npos) << refused.err;
    const auto everything = pullAll(*process);
    const auto caseOpCount = caseOps("c1", "d1", "anna", { "anna" }, {}).size();
    EXPECT_EQ(everything.size(), acknowledged.size() + caseOpCount)
        << "the server lost ops to a refused restore";
    EXPECT_EQ(process->stop(), 0);

    // Restored, the server serves exactly the last backup's ops (later pushes are gone, as they
    // must be), and the replaced database is kept.
    const auto restored = server({ "restore", last.string() }, data);
    ASSERT_EQ(restored.exitCode, 0) << restored.err;
    EXPECT_NE(restored.out.find("the previous database is kept as"), std::string::npos) << restored.out;
    process = std::make_unique<ServerProcess>(data);
    const auto pulled = pullAll(*process);
    const auto inBackup = opIdsIn(last);
    EXPECT_EQ(std::set<std::string>(pulled.begin(), pulled.end()), inBackup);
    EXPECT_EQ(pulled.size(), inBackup.size());
    EXPECT_LT(inBackup.size(), everything.size()) << "the writers pushed nothing after the last backup";
    // The restored server takes pushes again.
    SyncTestClient client("127.0.0.1", process->port(), process->fingerprint());
    EXPECT_EQ(client
                  .request("POST", "/v1/push",
                      pushBody({ makeOp("after-restore", "c1", "d2", OpKind::Set, "a.b", "x", "anna") }),
                      login(client, "anna"))
                  .status,
        200);
    const auto audit = server({ "audit", "verify" }, data);
    EXPECT_EQ(audit.exitCode, 0) << audit.err;
}

TEST_F(ServerBackupTest, RestoreRefusesABadBackupAndKeepsTheOldData)
{
    {
        ServerProcess process(data);
        pushCase(process);
    }
    const auto good = dir / "good.db";
    ASSERT_EQ(server({ "backup", "--out", good.string() }, data).exitCode, 0);
    const auto before = readFile(data / "server.db");

    // Damaged in the middle: SQLCipher's page check fails.
    auto bytes = readFile(good);
    ASSERT_GT(bytes.size(), 3 * 4096u);
    for (std::size_t i = 0; i < 16; ++i)
        bytes[2 * 4096 + 100 + i] ^= 0x5a;
    writeFile(dir / "damaged.db", bytes);
    const auto damaged = server({ "restore", (dir / "damaged.db").string() }, data);
    EXPECT_EQ(damaged.exitCode, 2);
    EXPECT_NE(damaged.err.find("nothing was changed"), std::string::npos) << damaged.err;
    // Cut short.
    writeFile(dir / "short.db", readFile(good).substr(0, 4096));
    EXPECT_EQ(server({ "restore", (dir / "short.db").string() }, data).exitCode, 2);
    // Made by another server (another key).
    TempDir otherDir;
    const auto other = otherDir / "data";
    ASSERT_EQ(::mkdir(other.c_str(), 0700), 0);
    addServerUser(other, "bo", "password-bo");
    ASSERT_EQ(server({ "backup", "--out", (dir / "other.db").string() }, other).exitCode, 0);
    const auto foreign = server({ "restore", (dir / "other.db").string() }, data);
    EXPECT_EQ(foreign.exitCode, 2);
    EXPECT_NE(foreign.err.find("another key"), std::string::npos) << foreign.err;
    EXPECT_EQ(server({ "restore", (dir / "missing.db").string() }, data).exitCode, 2);

    EXPECT_EQ(readFile(data / "server.db"), before) << "a refused restore changed the database";
    for (const auto& entry : fs::directory_iterator(data))
        EXPECT_EQ(entry.path().filename().string().rfind(".restore-", 0), std::string::npos)
            << entry.path() << " was left behind";
    ServerProcess process(data);
    EXPECT_EQ(pullAll(process).size(), caseOps("c1", "d1", "anna", { "anna" }, {}).size());
}

TEST_F(ServerBackupTest, PostgresDataIsBackedUpWithPgDump)
{
    for (const char* command : { "backup", "restore" }) {
        std::vector<std::string> args = { "--postgres", "postgresql:///fplan", command };
        if (std::string(command) == "backup")
            args.insert(args.end(), { "--out", (dir / "x.db").string() });
        else
            args.push_back((dir / "x.db").string());
        const auto r = server(args, data);
        EXPECT_EQ(r.exitCode, 2) << command;
        EXPECT_NE(r.err.find("pg_dump"), std::string::npos) << r.err;
    }
}

} // namespace
} // namespace fplan::test
