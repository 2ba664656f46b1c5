// SPDX-License-Identifier: EUPL-1.2
// The real fplan-server on loopback with real TLS: push, pull and the live channel; killed in
// the middle of pushes; two processes sharing one PostgreSQL.
#include "base/fd.h"
#include "core/sql.h"
#include "crypto/encrypted_db.h"
#include "tests/support/test_support.h"
#include "tests/sync/server_process.h"
#include "tests/sync/server_requests.h"
#include "tests/sync/sync_fixtures.h"
#include "tests/sync/sync_test_client.h"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <atomic>
#include <csignal>
#include <memory>
#include <mutex>
#include <netinet/in.h>
#include <openssl/ssl.h>
#include <regex>
#include <set>
#include <sys/socket.h>
#include <sys/stat.h>
#include <thread>

namespace fplan::test {
namespace {

class ServerProcessTest : public ::testing::TestWithParam<Backend> {
protected:
    void SetUp() override
    {
        ASSERT_EQ(::chmod(dir.path().c_str(), 0700), 0);
        if (GetParam() == Backend::Postgres) {
            const auto url = freshPostgresDatabase();
            if (!url)
                GTEST_SKIP() << NoPostgres;
            extra = { "--postgres", *url };
        }
        for (const char* name : { "anna", "bo" })
            addServerUser(dir.path(), name, std::string("password-") + name, extra);
    }

    TempDir dir;
    std::vector<std::string> extra;
};

TEST_P(ServerProcessTest, PushPullAndLiveOverRealTls)
{
    ServerProcess server(dir.path(), extra);
    const auto printed = run({ serverBinary().string(), "--data", dir.path().string(), "fingerprint" });
    ASSERT_EQ(printed.exitCode, 0) << printed.err;
    EXPECT_EQ(printed.out, server.fingerprint() + "\n");
    struct stat st { };
    ASSERT_EQ(::stat((dir.path() / "tls.key").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);

    SyncTestClient anna("127.0.0.1", server.port(), server.fingerprint());
    SyncTestClient bo("127.0.0.1", server.port(), server.fingerprint());
    const auto annaToken = login(anna, "anna");
    const auto boToken = login(bo, "bo");
    ASSERT_EQ(anna.request("POST", "/v1/push", pushBody(caseOps("c1", "d1", "anna", { "anna", "bo" }, {})),
                      annaToken)
                  .status,
        200);
    LiveTestClient live("127.0.0.1", server.port(), server.fingerprint(), boToken);
    const auto r = anna.request("POST", "/v1/push",
        pushBody({ makeOp("edit-1", "c1", "d2", OpKind::Set, "plan.maal", "Skolestart", "anna") }),
        annaToken);
    ASSERT_EQ(r.status, 200) << r.body;
    const auto seq = Json::parse(r.body)["held"][0]["seq"];
    const auto frame = live.next(std::chrono::seconds(5));
    ASSERT_TRUE(frame);
    EXPECT_EQ(Json::parse(*frame), (Json { { "case", "c1" }, { "seq", seq } }));
    const auto page = Json::parse(bo.request("GET", "/v1/pull?after=0", {}, boToken).body);
    EXPECT_EQ(page["ops"].back()["op"]["value"], "Skolestart");
    EXPECT_EQ(page["last"], seq);

    // A live channel without a valid token is refused at the upgrade.
    const auto refused
        = anna.raw("GET /v1/live HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
                   "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                   "Authorization: Bearer "
            + std::string(64, 'a') + "\r\n\r\n");
    EXPECT_EQ(refused.rfind("HTTP/1.1 401 ", 0), 0u) << refused;
    expectError(ErrorCode::Network, "declined",
        [&] { LiveTestClient("127.0.0.1", server.port(), server.fingerprint(), std::string(64, 'a')); });
    // Broken HTTP and an oversized body are answered with 4xx, not a crash.
    EXPECT_NE(anna.raw("GARBAGE\r\n\r\n").find("400"), std::string::npos);
    EXPECT_NE(anna.raw("POST /v1/push HTTP/1.1\r\nHost: x\r\nContent-Length: 9000000\r\n\r\n").find(" 413 "),
        std::string::npos);
    EXPECT_EQ(anna.request("GET", "/v1/pull", {}, annaToken).status, 200); // still serving
    EXPECT_EQ(server.stop(), 0);
}

TEST_P(ServerProcessTest, RunsWithoutCoreDumpsAndWritesPrivately)
{
    // It holds the storage key, session tokens and case data: a crash must not write them to a
    // core file, and what it creates is for its own user only.
    ServerProcess server(dir.path(), extra);
    const std::string proc = "/proc/" + std::to_string(server.pid());
    const std::string limits = readFile(proc + "/limits");
    EXPECT_TRUE(std::regex_search(limits, std::regex("Max core file size +0 +0 "))) << limits;
    const std::string status = readFile(proc + "/status");
    EXPECT_TRUE(std::regex_search(status, std::regex("Umask:\\s+0077\\b"))) << status;
}

// A client keeps its connection rather than resume a TLS session, so the server hands out no
// session tickets (TLS 1.3) or cached sessions (TLS 1.2): after the handshake it sends nothing
// before its answer to a request.
TEST(ServerTls, HandsOutNoSessionToResume)
{
    TempDir dir;
    ASSERT_EQ(::chmod(dir.path().c_str(), 0700), 0);
    ServerProcess server(dir.path());
    for (const int version : { TLS1_3_VERSION, TLS1_2_VERSION }) {
        SCOPED_TRACE(version == TLS1_3_VERSION ? "TLS 1.3" : "TLS 1.2");
        std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> ctx(SSL_CTX_new(TLS_client_method()), SSL_CTX_free);
        ASSERT_TRUE(ctx);
        SSL_CTX_set_min_proto_version(ctx.get(), version);
        SSL_CTX_set_max_proto_version(ctx.get(), version);
        // Every session the server offers to resume reaches this callback.
        SSL_CTX_set_session_cache_mode(
            ctx.get(), SSL_CTX_get_session_cache_mode(ctx.get()) | SSL_SESS_CACHE_CLIENT);
        static std::atomic<int> offered;
        offered = 0;
        SSL_CTX_sess_set_new_cb(ctx.get(), [](SSL*, SSL_SESSION*) {
            ++offered;
            return 0;
        });
        const Fd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
        ASSERT_GE(fd.get(), 0);
        sockaddr_in address {};
        address.sin_family = AF_INET;
        address.sin_port = htons(server.port());
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        ASSERT_EQ(::connect(fd.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address), 0);
        std::unique_ptr<SSL, decltype(&SSL_free)> ssl(SSL_new(ctx.get()), SSL_free);
        SSL_set_fd(ssl.get(), fd.get());
        ASSERT_EQ(SSL_connect(ssl.get()), 1);
        const std::string request = "GET /v1/pull HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
        ASSERT_EQ(SSL_write(ssl.get(), request.data(), static_cast<int>(request.size())),
            static_cast<int>(request.size()));
        std::string answer;
        char buffer[4096];
        for (int n; (n = SSL_read(ssl.get(), buffer, sizeof buffer)) > 0;)
            answer.append(buffer, static_cast<std::size_t>(n));
        EXPECT_EQ(answer.rfind("HTTP/1.1 401 ", 0), 0u) << answer.substr(0, 200);
        EXPECT_EQ(offered, 0) << "the server offered a session to resume";
        EXPECT_FALSE(SSL_session_reused(ssl.get()));
    }
}

// Pushes run while the server is SIGKILLed: every op it acknowledged is there after a restart, once.
TEST_P(ServerProcessTest, SigkillDuringPushesLosesNothingAcknowledged)
{
    auto server = std::make_unique<ServerProcess>(dir.path(), extra);
    SyncTestClient setup("127.0.0.1", server->port(), server->fingerprint());
    const auto token = login(setup, "anna");
    ASSERT_EQ(setup.request("POST", "/v1/push", pushBody(caseOps("c1", "d1", "anna", { "anna" }, {})), token)
                  .status,
        200);

    std::mutex mutex;
    std::set<std::string> acknowledged;
    std::atomic<bool> stop { false };
    std::atomic<int> batches { 0 };
    std::vector<std::string> refusals; // any answer but 200 is a bug
    std::vector<std::thread> writers;
    for (int w = 0; w < 3; ++w)
        writers.emplace_back([&, w] {
            SyncTestClient client("127.0.0.1", server->port(), server->fingerprint());
            for (int b = 0; !stop; ++b) {
                std::vector<Op> ops;
                for (int i = 0; i < 20; ++i) {
                    const auto id
                        = "w" + std::to_string(w) + "-" + std::to_string(b) + "-" + std::to_string(i);
                    ops.push_back(makeOp(id, "c1", "d2", OpKind::Set, "a.b", id, "anna"));
                }
                try {
                    const auto r = client.request("POST", "/v1/push", pushBody(ops), token);
                    if (r.status != 200) {
                        std::lock_guard lock(mutex);
                        refusals.push_back(std::to_string(r.status) + " " + r.body);
                        continue;
                    }
                    const auto answer = Json::parse(r.body);
                    std::lock_guard lock(mutex);
                    for (const auto& held : answer["held"])
                        acknowledged.insert(held["id"].get<std::string>());
                    ++batches;
                } catch (const Error&) {
                    return; // the server is gone
                }
            }
        });
    while (batches < 10 && refusals.size() < 10)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    server->kill(SIGKILL);
    stop = true;
    for (auto& t : writers)
        t.join();

    server = std::make_unique<ServerProcess>(dir.path(), extra);
    SyncTestClient reader("127.0.0.1", server->port(), server->fingerprint());
    const auto readToken = login(reader, "anna");
    const auto pulled = pullAllOpIds(reader, readToken);
    const std::set<std::string> held(pulled.begin(), pulled.end());
    EXPECT_EQ(held.size(), pulled.size()) << "an op was stored twice";
    EXPECT_GE(acknowledged.size(), 200u);
    EXPECT_TRUE(refusals.empty()) << refusals.size() << " refused, the first: " << refusals.front();
    for (const auto& id : acknowledged)
        EXPECT_TRUE(held.count(id)) << id << " was acknowledged and then lost";
}

TEST_P(ServerProcessTest, CommandsForAccountsAndTheAuditLog)
{
    const std::vector<std::string> base = [&] {
        std::vector<std::string> v = { serverBinary().string(), "--data", dir.path().string() };
        v.insert(v.end(), extra.begin(), extra.end());
        return v;
    }();
    auto cli = [&](std::vector<std::string> args, const std::string& input = {}) {
        auto argv = base;
        argv.insert(argv.end(), args.begin(), args.end());
        return run(argv, {}, input);
    };
    {
        ServerProcess server(dir.path(), extra);
        SyncTestClient client("127.0.0.1", server.port(), server.fingerprint());
        const auto token = login(client, "anna");
        ASSERT_EQ(client
                      .request("POST", "/v1/push",
                          pushBody(caseOps("c1", "d1", "anna", { "anna" }, { "0101901234" })), token)
                      .status,
            200);
        const auto boToken = login(client, "bo");
        EXPECT_EQ(client
                      .request("POST", "/v1/push",
                          pushBody({ makeOp("x", "c1", "d2", OpKind::Set, "a.b", "x", "bo") }), boToken)
                      .status,
            403);
    }
    const auto list = cli({ "user", "list", "--json" });
    ASSERT_EQ(list.exitCode, 0) << list.err;
    EXPECT_EQ(Json::parse(list.out).size(), 2u);
    ASSERT_EQ(cli({ "user", "add", "carl" }, "password-carl\n").exitCode, 0); // the password from stdin
    EXPECT_EQ(cli({ "user", "disable", "carl" }).exitCode, 0);
    EXPECT_NE(cli({ "user", "list" }).out.find("carl  member  disabled"), std::string::npos);
    EXPECT_EQ(cli({ "user", "disable", "nobody" }).exitCode, 2);
    EXPECT_EQ(cli({ "user", "frobnicate" }).exitCode, 2);
    EXPECT_EQ(cli({ "--bogus" }).exitCode, 2);

    const auto exported = cli({ "audit", "export", "--cpr", "010190-1234", "--json" });
    ASSERT_EQ(exported.exitCode, 0) << exported.err;
    const auto entries = Json::parse(exported.out);
    ASSERT_EQ(entries.size(), 2u);
    EXPECT_EQ(entries[0]["action"], "push");
    EXPECT_EQ(entries[1]["account"], "bo");
    EXPECT_EQ(entries[1]["outcome"], "denied");
    const auto verified = cli({ "audit", "verify" });
    EXPECT_EQ(verified.exitCode, 0) << verified.err;
    EXPECT_EQ(cli({ "--check-config" }).exitCode, 0);

    if (GetParam() == Backend::SqlCipher) {
        // The log refuses changes; a change made around that (trigger dropped) breaks the chain.
        {
            auto db = crypto::openEncryptedDatabase(
                dir.path() / "server.db", serverDbKey(dir.path()), crypto::OpenMode::ExistingOnly);
            expectError(ErrorCode::Storage, "append-only",
                [&] { sql::exec(db.get(), "UPDATE audit SET detail = 'x'"); });
            sql::exec(db.get(), "DROP TRIGGER audit_no_update");
            sql::exec(db.get(), "UPDATE audit SET account = 'someone else' WHERE seq = 3");
        }
        const auto broken = cli({ "audit", "verify" });
        EXPECT_EQ(broken.exitCode, 1);
        EXPECT_NE(broken.err.find("entry 3"), std::string::npos) << broken.err;
        EXPECT_EQ(cli({ "--check-config" }).exitCode, 2);
    }
}

TEST_P(ServerProcessTest, CheckConfigNamesTheProblem)
{
    auto check = [&](std::vector<std::string> more) {
        std::vector<std::string> argv
            = { serverBinary().string(), "--data", dir.path().string(), "--check-config" };
        argv.insert(argv.end(), extra.begin(), extra.end());
        argv.insert(argv.end(), more.begin(), more.end());
        return run(argv);
    };
    EXPECT_EQ(check({}).exitCode, 0);
    const auto missing = check(
        { "--cert", (dir.path() / "nope.crt").string(), "--key", (dir.path() / "nope.key").string() });
    EXPECT_EQ(missing.exitCode, 2);
    EXPECT_NE(missing.err.find("nope.crt"), std::string::npos);
    EXPECT_EQ(check({ "--listen", "127.0.0.1" }).exitCode, 2);
    ASSERT_EQ(::chmod(dir.path().c_str(), 0755), 0);
    const auto open = check({});
    EXPECT_EQ(open.exitCode, 2);
    EXPECT_NE(open.err.find("0755"), std::string::npos) << open.err;
}

INSTANTIATE_TEST_SUITE_P(Storage, ServerProcessTest, ::testing::Values(Backend::SqlCipher, Backend::Postgres),
    [](const auto& param) { return backendName(param.param); });

// Two server processes on one PostgreSQL database: anna signs in to the first, bo and cai (made
// through the second process) to the second; case c1's team is anna and bo.
class TwoServersOnOnePostgres : public ::testing::Test {
protected:
    void SetUp() override
    {
        const auto url = freshPostgresDatabase();
        if (!url)
            GTEST_SKIP() << NoPostgres;
        ASSERT_EQ(::chmod(a.path().c_str(), 0700), 0);
        ASSERT_EQ(::chmod(b.path().c_str(), 0700), 0);
        const std::vector<std::string> postgres { "--postgres", *url };
        addServerUser(a.path(), "anna", "password-anna", postgres);
        addServerUser(b.path(), "bo", "password-bo", postgres);
        addServerUser(b.path(), "cai", "password-cai", postgres);
        first = std::make_unique<ServerProcess>(a.path(), postgres);
        second = std::make_unique<ServerProcess>(b.path(), postgres);
        anna = std::make_unique<SyncTestClient>("127.0.0.1", first->port(), first->fingerprint());
        bo = std::make_unique<SyncTestClient>("127.0.0.1", second->port(), second->fingerprint());
        annaToken = login(*anna, "anna");
        boToken = login(*bo, "bo"); // an account made through the other process
        caiToken = login(*bo, "cai");
        ASSERT_EQ(anna->request("POST", "/v1/push",
                          pushBody(caseOps("c1", "d1", "anna", { "anna", "bo" }, {})), annaToken)
                      .status,
            200);
    }
    TempDir a;
    TempDir b;
    std::unique_ptr<ServerProcess> first;
    std::unique_ptr<ServerProcess> second;
    std::unique_ptr<SyncTestClient> anna;
    std::unique_ptr<SyncTestClient> bo;
    std::string annaToken;
    std::string boToken;
    std::string caiToken;
};

// A push to one process reaches a live client of the other.
TEST_F(TwoServersOnOnePostgres, APushReachesALiveClientOfTheOther)
{
    LiveTestClient live("127.0.0.1", second->port(), second->fingerprint(), boToken);
    const auto r = anna->request("POST", "/v1/push",
        pushBody({ makeOp("from-first", "c1", "d2", OpKind::Set, "a.b", "hej", "anna") }), annaToken);
    ASSERT_EQ(r.status, 200);
    const auto seq = Json::parse(r.body)["held"][0]["seq"].get<std::int64_t>();
    // The notice of the set-up's push may reach the second process only now: this one follows.
    auto frame = live.next(std::chrono::seconds(5));
    while (frame && Json::parse(*frame)["seq"].get<std::int64_t>() < seq)
        frame = live.next(std::chrono::seconds(5));
    ASSERT_TRUE(frame) << "the second process never told its live client";
    EXPECT_EQ(Json::parse(*frame), (Json { { "case", "c1" }, { "seq", seq } }));
    const auto page = Json::parse(bo->request("GET", "/v1/pull", {}, boToken).body);
    EXPECT_EQ(page["ops"].back()["op"]["op_id"], "from-first");
}

// The next presence frame a live client is told, skipping "case has ops" frames.
std::optional<Json> nextPresence(LiveTestClient& live, std::chrono::milliseconds timeout)
{
    const auto until = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < until) {
        const auto frame = live.next(
            std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now()));
        if (!frame)
            return std::nullopt;
        const auto json = Json::parse(*frame);
        if (json.contains("presence"))
            return json["presence"];
    }
    return std::nullopt;
}

// Who writes where is told across the processes, to members only (cai is not on the team), and
// ends when the channel does.
TEST_F(TwoServersOnOnePostgres, PresenceTravelsBetweenThem)
{
    LiveTestClient boLive("127.0.0.1", second->port(), second->fingerprint(), boToken);
    LiveTestClient caiLive("127.0.0.1", second->port(), second->fingerprint(), caiToken);
    {
        LiveTestClient annaLive("127.0.0.1", first->port(), first->fingerprint(), annaToken);
        annaLive.send(R"({"presence": {"case": "c1", "doc": "d2", "section": "familiens_maal"}})");
        const auto here = nextPresence(boLive, std::chrono::seconds(5));
        ASSERT_TRUE(here) << "the second process never told its client where anna writes";
        EXPECT_EQ((*here)["account"], "anna");
        EXPECT_EQ((*here)["case"], "c1");
        EXPECT_EQ((*here)["doc"], "d2");
        EXPECT_EQ((*here)["section"], "familiens_maal");
        // A client that connects later is told at once.
        LiveTestClient boAgain("127.0.0.1", second->port(), second->fingerprint(), boToken);
        const auto told = nextPresence(boAgain, std::chrono::seconds(5));
        ASSERT_TRUE(told) << "a new channel on the second process was not told anna's presence";
        EXPECT_EQ((*told)["client"], (*here)["client"]);
    }
    const auto gone = nextPresence(boLive, std::chrono::seconds(5));
    ASSERT_TRUE(gone) << "anna's closed channel did not end her presence on the second process";
    EXPECT_EQ((*gone)["account"], "anna");
    EXPECT_TRUE((*gone)["doc"].is_null());
    EXPECT_FALSE(nextPresence(caiLive, std::chrono::milliseconds(300))) << "a non-member was told";
}

} // namespace
} // namespace fplan::test
