// SPDX-License-Identifier: EUPL-1.2
// The sync client against the real fplan-server: first sign-in and pinning, the CLI command,
// offline work, convergence of several clients, and connections cut mid-request and
// mid-response. Nothing acknowledged may be lost and nothing applied twice.
#include "base/error.h"
#include "core/bundle.h"
#include "core/case.h"
#include "core/sql.h"
#include "core/store.h"
#include "crypto/random.h"
#include "delivery/https_client.h"
#include "sync/client/client_state.h"
#include "sync/client/sync_client.h"
#include "tests/support/test_support.h"
#include "tests/sync/client/fault_proxy.h"
#include "tests/sync/server_process.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <numeric>
#include <random>

using namespace fplan;
using namespace fplan::sync;
namespace fs = std::filesystem;

namespace {

const char* Passphrase = "korrekt hest batteri";
const std::vector<std::string> Accounts = { "jr", "mm", "ab", "kl" };

// With what the sign-in body must escape (quote, backslash, a control character) and UTF-8.
std::string passwordOf(const std::string& account)
{
    return "hemmeligt\t\"æ\\-" + account;
}

// Every account is on the team, so every client may read and write the case.
const char* BundleText = R"({
  "case": {"title": "Familien Nørgaard", "journal_number": "27.24.00-G01-1-26", "kle": "27.24.00"},
  "people": [{"id": "p1", "name": "Søs Nørgaard", "cpr": "0101901234", "relation": "mor"}],
  "team": [{"id": "t1", "name": "Jens Ravn", "user": "jr"}, {"id": "t2", "name": "Mette Mø", "user": "mm"},
           {"id": "t3", "name": "Ali Bek", "user": "ab"}, {"id": "t4", "name": "Karen Lund", "user": "kl"}],
  "coordinator": "t1"
})";

struct Client {
    fs::path path;
    std::string account;
};

class SyncClientServer : public ::testing::Test {
protected:
    void SetUp() override
    {
        for (const auto& a : Accounts)
            test::addServerUser(dir / "server", a, passwordOf(a));
        server = std::make_unique<test::ServerProcess>(dir / "server");
    }

    Client makeClient(const std::string& name, const std::string& account)
    {
        Client c { dir / (name + ".fplan"), account };
        Store::create(c.path, Passphrase, crypto::KdfParams::freshCheap());
        return c;
    }

    SyncReport sync(const Client& c, const std::string& url, const fs::path& ca = {})
    {
        Store store = Store::open(c.path, Passphrase);
        SyncOptions options;
        options.server = url;
        options.account = c.account;
        options.ca = ca;
        options.password = [account = c.account] { return crypto::SecretString(passwordOf(account)); };
        options.timeout = std::chrono::milliseconds(10000);
        return syncWithServer(store, options);
    }

    // Syncs until it succeeds (faults are injected for a bounded number of connections).
    SyncReport syncUntilDone(const Client& c, const std::string& url, int& failures)
    {
        for (int attempt = 0; attempt < 50; ++attempt) {
            try {
                return sync(c, url);
            } catch (const Error& e) {
                EXPECT_EQ(ErrorCode::Network, e.code()) << e.what();
                ++failures;
            }
        }
        throw std::runtime_error("sync never succeeded");
    }

    static std::string importCase(const Client& c)
    {
        Store store = Store::open(c.path, Passphrase);
        OpFactory factory(store.setting("user.name").value(), store.deviceId(), store.clock());
        return importBundle(store, parseBundle(BundleText, "b.json"), factory,
            [](const BundleDocument&, const Case&) { return PreparedDocument {}; });
    }

    test::RunResult fplan(
        const Client& c, std::vector<std::string> args, const std::vector<std::string>& env = {})
    {
        args.insert(args.begin(), test::fplanBinary().string());
        args.insert(args.end(), { "--store", c.path.string() });
        std::vector<std::string> fullEnv
            = { std::string("FPLAN_PASSPHRASE=") + Passphrase, "FPLAN_PASSWORD=" + passwordOf(c.account) };
        fullEnv.insert(fullEnv.end(), env.begin(), env.end());
        return test::run(args, fullEnv);
    }

    // What a person sees of the case: `case export` through the CLI, and the case document's
    // fold (values, conflicts, resurrected rows, versions with ids, numbers and snapshots).
    std::string caseShown(const Client& c, const std::string& caseId)
    {
        const auto r = fplan(c, { "case", "export", caseId });
        EXPECT_EQ(0, r.exitCode) << r.err;
        Store store = Store::open(c.path, Passphrase);
        const DocumentState state = store.documentState(*store.caseDocumentId(caseId));
        Json conflicts = Json::array();
        for (const auto& k : state.conflicts())
            conflicts.push_back({ { "path", k.path }, { "values", k.values } });
        Json versions = Json::array();
        for (const auto& v : state.versions())
            versions.push_back({ { "number", v.number }, { "id", v.opId }, { "values", v.values } });
        Json resurrected = Json::array();
        for (const auto& table : state.tables())
            for (const auto& row : state.rows(table))
                if (row.resurrected)
                    resurrected.push_back({ { "path", table }, { "row", row.id } });
        const Json shown = { { "export", r.out }, { "values", state.values() }, { "conflicts", conflicts },
            { "versions", versions }, { "resurrected", resurrected } };
        return shown.dump(2);
    }

    test::TempDir dir;
    std::unique_ptr<test::ServerProcess> server;
};

// One random offline edit of the case document: fields, long text, table rows, deletes,
// finalise.
void randomEdit(Store& store, const std::string& caseId, std::mt19937& rng)
{
    const std::string docId = *store.caseDocumentId(caseId);
    const DocumentState state = store.documentState(docId);
    OpFactory f(store.setting("user.name").value(), store.deviceId(), store.clock());
    std::vector<Op> ops;
    const auto pick = std::uniform_int_distribution<int>(0, 9)(rng);
    const auto word
        = [&] { return "ord-" + std::to_string(std::uniform_int_distribution<int>(0, 99999)(rng)); };
    const auto people = state.rows("personer");
    const auto history = state.rows("tovholder_historik");
    if (pick <= 2) {
        ops.push_back(f.set(state, caseId, docId, pick == 0 ? "sag.titel" : "sag.kommune", word()));
    } else if (pick <= 4) {
        // A long text, edited in the middle so that concurrent edits may merge.
        if (history.empty()) {
            const std::string row = crypto::newUuid();
            ops.push_back(
                f.insertRow(state, caseId, docId, "tovholder_historik", row, positionBetween("", "")));
            std::string text;
            for (int i = 0; i < 300; ++i)
                text += "Linje " + std::to_string(i) + " om overdragelsen.\n";
            ops.push_back(
                f.set(state, caseId, docId, cellPath("tovholder_historik", row, "aarsag"), text, true));
        } else {
            const Row& row = history[std::uniform_int_distribution<std::size_t>(0, history.size() - 1)(rng)];
            std::string text;
            if (auto it = row.cells.find("aarsag"); it != row.cells.end() && it->second.is_string())
                text = it->second.get<std::string>();
            const auto at = std::uniform_int_distribution<std::size_t>(0, text.size())(rng);
            text.insert(at, " " + word() + " ");
            ops.push_back(
                f.set(state, caseId, docId, cellPath("tovholder_historik", row.id, "aarsag"), text, true));
        }
    } else if (pick <= 6) {
        const std::string row = crypto::newUuid();
        const std::string last = people.empty() ? std::string() : people.back().position;
        ops.push_back(f.insertRow(state, caseId, docId, "personer", row, positionBetween(last, "")));
        ops.push_back(f.set(state, caseId, docId, cellPath("personer", row, "navn"), "Barn " + word()));
    } else if (pick <= 8 && !people.empty()) {
        const Row& row = people[std::uniform_int_distribution<std::size_t>(0, people.size() - 1)(rng)];
        ops.push_back(f.deleteRow(state, caseId, docId, "personer", row.id));
    } else {
        ops.push_back(f.finalize(state, caseId, docId));
    }
    store.appendOps(ops);
}

std::set<std::string> heldIds(const Client& c)
{
    Store store = Store::open(c.path, Passphrase);
    ClientState state(store);
    std::set<std::string> ids;
    sql::Statement s(store.handle(), "SELECT op_id FROM sync_held");
    while (s.step())
        ids.insert(s.text(0));
    return ids;
}

std::set<std::string> opIds(const Client& c, const std::string& caseId)
{
    Store store = Store::open(c.path, Passphrase);
    std::set<std::string> ids;
    for (const Op& op : store.ops(*store.caseDocumentId(caseId)))
        ids.insert(op.id);
    return ids;
}

} // namespace

TEST_F(SyncClientServer, TheCliSignsInPinsPushesAndPulls)
{
    const Client jr = makeClient("jr", "jr");
    const Client mm = makeClient("mm", "mm");
    auto r = fplan(jr, { "sync", "--server", server->url(), "--user", "jr" });
    ASSERT_EQ(0, r.exitCode) << r.err;
    EXPECT_NE(std::string::npos, r.out.find("signed in to " + server->url() + " as jr")) << r.out;
    EXPECT_NE(std::string::npos, r.out.find(server->fingerprint() + " pinned")) << r.out;
    EXPECT_NE(std::string::npos, r.out.find("pushed 0, pulled 0, cases new 0, updated 0")) << r.out;

    const std::string caseId = importCase(jr);
    std::size_t written = 0;
    {
        Store store = Store::open(jr.path, Passphrase);
        written = store.opCount();
        for (const Op& op : store.ops(*store.caseDocumentId(caseId)))
            EXPECT_EQ("jr", op.author); // the account writes from the first sign-in on
    }
    r = fplan(jr, { "sync", "--server", server->url(), "--user", "jr", "--json" });
    ASSERT_EQ(0, r.exitCode) << r.err;
    Json report = Json::parse(r.out);
    EXPECT_EQ(written, report["pushed"]);
    EXPECT_EQ(0, report["queued"]);
    EXPECT_EQ(false, report["signed_in"]); // the session from the first sync is reused

    r = fplan(mm, { "sync", "--server", server->url(), "--user", "mm", "--json" });
    ASSERT_EQ(0, r.exitCode) << r.err;
    report = Json::parse(r.out);
    EXPECT_EQ(written, report["pulled"]);
    EXPECT_EQ(Json::array({ caseId }), report["cases_new"]);
    EXPECT_EQ(Json::array(), report["cases_updated"]);
    EXPECT_EQ(true, report["first_sign_in"]);
    EXPECT_EQ(server->fingerprint(), report["fingerprint"]);

    EXPECT_EQ(caseShown(jr, caseId), caseShown(mm, caseId));
}

TEST_F(SyncClientServer, WatchPullsWithinASecondOfAnotherClientsPushAndStopsOnSigterm)
{
    using namespace std::chrono_literals;
    using Clock = std::chrono::steady_clock;
    const Client jr = makeClient("jr", "jr");
    const Client mm = makeClient("mm", "mm");
    sync(jr, server->url()); // signs in: from now on jr writes as the account
    const std::string caseId = importCase(jr);
    sync(jr, server->url());
    test::ChildProcess watch({ test::fplanBinary().string(), "sync", "--watch", "--json", "--server",
                                 server->url(), "--user", "mm", "--store", mm.path.string() },
        { std::string("FPLAN_PASSPHRASE=") + Passphrase, "FPLAN_PASSWORD=" + passwordOf("mm") });
    auto report = [&](std::chrono::milliseconds timeout) -> Json {
        const auto line = watch.readLine(timeout);
        return line ? Json::parse(*line) : Json();
    };
    // The first sync brings the case; when the live channel opens, a second one catches up.
    const Json first = report(30s);
    ASSERT_TRUE(first.is_object());
    EXPECT_EQ(Json::array({ caseId }), first["cases_new"]);
    ASSERT_TRUE(report(30s).is_object()) << "no sync after the live channel opened";

    std::mt19937 rng(12);
    for (int round = 0; round < 3; ++round) {
        {
            Store store = Store::open(jr.path, Passphrase);
            randomEdit(store, caseId, rng);
        }
        sync(jr, server->url());
        const auto pushed = Clock::now();
        const Json r = report(10s);
        const auto seen = Clock::now() - pushed;
        ASSERT_TRUE(r.is_object()) << "round " << round << ": the watch did not sync";
        EXPECT_GE(r["pulled"].get<int>(), 1) << r.dump();
        EXPECT_LT(seen, 1s) << "round " << round << ": "
                            << std::chrono::duration_cast<std::chrono::milliseconds>(seen).count() << " ms";
    }

    // The server goes away and comes back on the same port: the watch reconnects and catches up.
    const auto port = server->port();
    server->stop();
    {
        Store store = Store::open(jr.path, Passphrase);
        randomEdit(store, caseId, rng);
    }
    server->start("127.0.0.1:" + std::to_string(port));
    sync(jr, server->url());
    Json caughtUp;
    for (auto until = Clock::now() + 60s; Clock::now() < until;) {
        caughtUp = report(5s);
        if (caughtUp.is_object() && caughtUp["pulled"].get<int>() >= 1)
            break;
    }
    ASSERT_TRUE(caughtUp.is_object() && caughtUp["pulled"].get<int>() >= 1)
        << "no catch-up after the restart";
    EXPECT_EQ(opIds(jr, caseId), opIds(mm, caseId));

    watch.signal(SIGTERM);
    EXPECT_EQ(0, watch.wait());
    EXPECT_EQ(caseShown(jr, caseId), caseShown(mm, caseId));
}

TEST_F(SyncClientServer, ASyncUsesOneConnectionAndAConnectionTheServerClosedIsReplaced)
{
    const Client jr = makeClient("jr", "jr");
    const SyncReport first = sync(jr, server->url()); // sign-in, push, pull
    EXPECT_TRUE(first.signedIn);
    EXPECT_EQ(1u, first.connections);
    importCase(jr);
    const SyncReport second = sync(jr, server->url());
    EXPECT_GT(second.pushed, 0u);
    EXPECT_EQ(1u, second.connections);

    delivery::HttpsClient https;
    delivery::HttpsRequest request;
    request.method = "GET";
    request.url = server->url() + "/v1/pull?after=0";
    request.pinnedSha256 = server->fingerprint();
    EXPECT_EQ(401, https.send(request).status);
    EXPECT_EQ(401, https.send(request).status);
    EXPECT_EQ(1u, https.connectionsOpened());
    // The server goes away and comes back: the kept connection is seen closed and replaced.
    const auto port = server->port();
    server->stop();
    server->start("127.0.0.1:" + std::to_string(port));
    EXPECT_EQ(401, https.send(request).status);
    EXPECT_EQ(2u, https.connectionsOpened());
    // A pin the kept connection's certificate does not match: refused, nothing sent.
    request.pinnedSha256 = std::string(64, '0');
    test::expectError(ErrorCode::Conflict, "certificate has changed", [&] { https.send(request); });
}

TEST_F(SyncClientServer, AWrongPasswordOrAnotherServerIsRefusedWithAClearMessage)
{
    const Client jr = makeClient("jr", "jr");
    auto r = fplan(jr, { "sync", "--server", server->url(), "--user", "jr" }, { "FPLAN_PASSWORD=forkert" });
    EXPECT_EQ(1, r.exitCode);
    EXPECT_NE(std::string::npos, r.err.find("wrong user name or password for jr")) << r.err;
    r = fplan(jr, { "sync", "--server", server->url(), "--user", "jr" });
    ASSERT_EQ(0, r.exitCode) << r.err;
    r = fplan(jr, { "sync", "--server", server->url(), "--user", "mm" });
    EXPECT_EQ(1, r.exitCode);
    EXPECT_NE(std::string::npos, r.err.find("this store syncs with " + server->url() + " as jr")) << r.err;
    r = fplan(jr, { "sync", "--user", "jr" });
    EXPECT_EQ(2, r.exitCode);
    EXPECT_NE(std::string::npos, r.err.find("--server is required")) << r.err;
}

TEST_F(SyncClientServer, OfflineWorkQueuesAndReconnectingSyncsIt)
{
    const Client jr = makeClient("jr", "jr");
    const Client mm = makeClient("mm", "mm");
    sync(jr, server->url());
    sync(mm, server->url());
    const std::string caseId = importCase(jr);
    const std::string url = server->url();
    const auto port = server->port();
    server->stop();
    std::size_t written = 0;
    {
        Store store = Store::open(jr.path, Passphrase);
        written = store.opCount();
    }
    auto r = fplan(jr, { "sync", "--server", url, "--user", "jr" });
    EXPECT_EQ(1, r.exitCode);
    EXPECT_NE(std::string::npos, r.err.find("cannot connect")) << r.err;
    {
        Store store = Store::open(jr.path, Passphrase);
        EXPECT_EQ(written, ClientState(store).pendingCount());
    }
    server->start("127.0.0.1:" + std::to_string(port));
    EXPECT_EQ(written, sync(jr, url).pushed);
    const auto pulled = sync(mm, url);
    EXPECT_EQ(written, pulled.pulled);
    EXPECT_EQ(std::set<std::string> { caseId }, pulled.casesNew);
}

TEST_F(SyncClientServer, AChangedServerCertificateIsRefusedNamingBothFingerprints)
{
    const Client jr = makeClient("jr", "jr");
    const std::string url = server->url();
    const auto port = server->port();
    const std::string pinned = sync(jr, url).fingerprint;
    EXPECT_EQ(server->fingerprint(), pinned);
    importCase(jr);

    // Another server (its own certificate) on the same address.
    server->stop();
    test::addServerUser(dir / "impostor", "jr", passwordOf("jr"));
    test::ServerProcess impostor(dir / "impostor", {}, "127.0.0.1:" + std::to_string(port));
    const std::string other = impostor.fingerprint();
    ASSERT_NE(pinned, other);
    std::size_t queued = 0;
    {
        Store store = Store::open(jr.path, Passphrase);
        queued = ClientState(store).pendingCount();
    }
    const auto r = fplan(jr, { "sync", "--server", url, "--user", "jr" });
    EXPECT_EQ(1, r.exitCode);
    EXPECT_NE(std::string::npos, r.err.find("certificate has changed")) << r.err;
    EXPECT_NE(std::string::npos, r.err.find(pinned)) << r.err;
    EXPECT_NE(std::string::npos, r.err.find(other)) << r.err;
    {
        Store store = Store::open(jr.path, Passphrase);
        ClientState state(store);
        EXPECT_EQ(queued, state.pendingCount());
        EXPECT_EQ(pinned, state.binding()->fingerprint);
    }
    // A CA file that vouches for the new certificate replaces the pin.
    const auto withCa = fplan(jr,
        { "sync", "--server", url, "--user", "jr", "--ca", (dir / "impostor" / "tls.crt").string(),
            "--json" });
    ASSERT_EQ(0, withCa.exitCode) << withCa.err;
    EXPECT_EQ(other, Json::parse(withCa.out)["fingerprint"]);
}

TEST_F(SyncClientServer, ClientsConvergeAfterRandomOfflineEditsResentPushesAndRestarts)
{
    std::mt19937 rng(20261201);
    std::vector<Client> clients;
    for (const auto& a : Accounts)
        clients.push_back(makeClient(a, a));
    const auto port = server->port();
    const std::string url = server->url();
    for (const auto& c : clients)
        sync(c, url);
    const std::string caseId = importCase(clients[0]);
    sync(clients[0], url);
    for (std::size_t i = 1; i < clients.size(); ++i)
        EXPECT_EQ(std::set<std::string> { caseId }, sync(clients[i], url).casesNew);

    for (int round = 0; round < 6; ++round) {
        for (const auto& c : clients) {
            Store store = Store::open(c.path, Passphrase);
            const int edits = std::uniform_int_distribution<int>(1, 6)(rng);
            for (int e = 0; e < edits; ++e)
                randomEdit(store, caseId, rng);
            // Re-sent pushes: some ops the server already holds go back into the queue.
            if (std::bernoulli_distribution(0.5)(rng))
                sql::exec(store.handle(),
                    "INSERT OR IGNORE INTO upload_queue(seq) SELECT seq FROM ops "
                    "WHERE op_id IN (SELECT op_id FROM sync_held ORDER BY random() LIMIT 5)");
        }
        std::vector<std::size_t> order(clients.size());
        std::iota(order.begin(), order.end(), 0);
        std::shuffle(order.begin(), order.end(), rng);
        for (const auto i : order)
            if (std::bernoulli_distribution(0.7)(rng))
                sync(clients[i], url);
        if (round % 2 == 1) {
            server->stop();
            server->start("127.0.0.1:" + std::to_string(port));
        }
    }
    for (int pass = 0; pass < 2; ++pass)
        for (const auto& c : clients) {
            const auto report = sync(c, url);
            EXPECT_EQ(0u, report.queued);
        }

    const std::string expected = caseShown(clients[0], caseId);
    const auto expectedIds = opIds(clients[0], caseId);
    std::set<std::string> acknowledged;
    for (const auto& c : clients) {
        EXPECT_EQ(expected, caseShown(c, caseId)) << c.account;
        EXPECT_EQ(expectedIds, opIds(c, caseId)) << c.account;
        const auto held = heldIds(c);
        acknowledged.insert(held.begin(), held.end());
    }
    // Every acknowledged op is on the server: a fresh store pulls them all.
    const Client fresh = makeClient("fresh", "ab");
    sync(fresh, url);
    const auto onServer = opIds(fresh, caseId);
    for (const auto& id : acknowledged)
        EXPECT_TRUE(onServer.count(id)) << id;
    EXPECT_EQ(expectedIds, onServer);
    EXPECT_EQ(expected, caseShown(fresh, caseId));
}

TEST_F(SyncClientServer, ConnectionsCutMidRequestOrMidResponseLoseNothingAndApplyNothingTwice)
{
    test::FaultProxy proxy(server->port());
    const std::string url = proxy.url();
    const Client jr = makeClient("jr", "jr");
    const Client mm = makeClient("mm", "mm");
    sync(jr, url);
    sync(mm, url);
    const std::string caseId = importCase(jr);
    sync(jr, url);
    sync(mm, url);
    std::mt19937 rng(7);
    const auto edit = [&](const Client& c, int n) {
        Store store = Store::open(c.path, Passphrase);
        for (int i = 0; i < n; ++i)
            randomEdit(store, caseId, rng);
        return ClientState(store).pendingCount();
    };
    const auto pending = [&](const Client& c) {
        Store store = Store::open(c.path, Passphrase);
        return ClientState(store).pendingCount();
    };

    // Cut mid-request: the server never sees the whole push and stores nothing.
    const std::size_t queued = edit(jr, 20);
    ASSERT_GT(queued, 0u);
    proxy.inject(test::FaultProxy::Fault::CutRequest, 3000, 1);
    test::expectError(ErrorCode::Network, "", [&] { sync(jr, url); });
    EXPECT_EQ(1, proxy.cuts());
    EXPECT_EQ(queued, pending(jr));
    EXPECT_EQ(0u, sync(mm, url).pulled);

    // Cut mid-response: the server stored the push, the client never heard so.
    proxy.inject(test::FaultProxy::Fault::CutResponse, 3000, 1);
    test::expectError(ErrorCode::Network, "", [&] { sync(jr, url); });
    EXPECT_EQ(2, proxy.cuts());
    EXPECT_EQ(queued, pending(jr));
    EXPECT_EQ(queued, sync(mm, url).pulled); // it is on the server
    const auto again = sync(jr, url); // pushed again: held once, not applied twice
    EXPECT_EQ(queued, again.pushed);
    EXPECT_EQ(0u, again.pulled);
    EXPECT_EQ(0u, sync(mm, url).pulled);

    // A pull cut mid-response moves no cursor; the next one brings each op exactly once.
    const std::size_t more = edit(mm, 10);
    EXPECT_EQ(more, sync(mm, url).pushed);
    proxy.inject(test::FaultProxy::Fault::CutResponse, 700, 1);
    test::expectError(ErrorCode::Network, "", [&] { sync(jr, url); });
    EXPECT_EQ(more, sync(jr, url).pulled);

    // Random cuts in both directions while both write.
    int failures = 0;
    for (int round = 0; round < 10; ++round) {
        edit(jr, 3);
        edit(mm, 3);
        const auto fault = std::bernoulli_distribution(0.5)(rng) ? test::FaultProxy::Fault::CutRequest
                                                                 : test::FaultProxy::Fault::CutResponse;
        proxy.inject(fault, std::uniform_int_distribution<std::int64_t>(200, 20000)(rng), 1);
        syncUntilDone(round % 2 ? jr : mm, url, failures);
        syncUntilDone(round % 2 ? mm : jr, url, failures);
    }
    proxy.inject(test::FaultProxy::Fault::None, 0, 0);
    for (int pass = 0; pass < 2; ++pass) {
        sync(jr, url);
        sync(mm, url);
    }
    EXPECT_EQ(0u, pending(jr));
    EXPECT_EQ(0u, pending(mm));
    EXPECT_EQ(opIds(jr, caseId), opIds(mm, caseId));
    EXPECT_EQ(caseShown(jr, caseId), caseShown(mm, caseId));
    EXPECT_GT(proxy.cuts(), 3);
}
