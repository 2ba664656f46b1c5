// SPDX-License-Identifier: EUPL-1.2
// The background sync loop (the desktop's and `fplan sync --watch`'s) against the real
// fplan-server: it syncs at start, after a request, when the live channel tells it, retries while
// the server cannot be reached, and never holds up writes on another connection to the store.
#include "base/error.h"
#include "core/bundle.h"
#include "core/case.h"
#include "core/store.h"
#include "core/store_connections.h"
#include "crypto/random.h"
#include "sync/client/client_state.h"
#include "sync/client/live_client.h"
#include "sync/client/sync_client.h"
#include "sync/client/sync_loop.h"
#include "tests/support/test_support.h"
#include "tests/sync/server_process.h"

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

using namespace fplan;
using namespace fplan::sync;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

const char* Passphrase = "korrekt hest batteri";

// Every event a callback reported (on its thread), for the test's thread to wait on.
template <class Event> class EventLog {
public:
    void add(const Event& e)
    {
        std::lock_guard lock(m_mutex);
        m_all.push_back(e);
        m_changed.notify_all();
    }
    // Waits until an event after the first `from` ones matches; returns its index.
    std::optional<std::size_t> waitFor(std::size_t from, const std::function<bool(const Event&)>& match,
        std::chrono::milliseconds limit = 20s)
    {
        std::unique_lock lock(m_mutex);
        std::optional<std::size_t> found;
        m_changed.wait_for(lock, limit, [&] {
            for (std::size_t i = from; i < m_all.size(); ++i)
                if (match(m_all[i])) {
                    found = i;
                    return true;
                }
            return false;
        });
        return found;
    }
    std::size_t size()
    {
        std::lock_guard lock(m_mutex);
        return m_all.size();
    }
    Event at(std::size_t i)
    {
        std::lock_guard lock(m_mutex);
        return m_all.at(i);
    }
    std::vector<Event> all()
    {
        std::lock_guard lock(m_mutex);
        return m_all;
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::vector<Event> m_all;
};

using StatusLog = EventLog<SyncLoopStatus>;
using PresenceLog = EventLog<PresenceNotice>;

// A case with jr and mm on its team, written on `store` by `author`; its id.
std::string writeCase(Store& store, const std::string& author = "jr")
{
    const char* bundle = R"({
      "case": {"title": "Familien Nørgaard", "journal_number": "27.24.00-G01-1-26", "kle": "27.24.00"},
      "people": [{"id": "p1", "name": "Søs Nørgaard", "cpr": "0101901234", "relation": "mor"}],
      "team": [{"id": "t1", "name": "Jens Ravn", "user": "jr"}, {"id": "t2", "name": "Mette Mø", "user": "mm"}],
      "coordinator": "t1"
    })";
    OpFactory factory(author, store.deviceId(), store.clock());
    return importBundle(store, parseBundle(bundle, "b.json"), factory,
        [](const BundleDocument&, const Case&) { return PreparedDocument {}; });
}

bool synced(const SyncLoopStatus& s)
{
    return s.phase == SyncLoopStatus::Phase::Synced;
}

class SyncLoopServer : public ::testing::Test {
protected:
    void SetUp() override
    {
        test::addServerUser(dir / "server", "jr", "hemmeligt-jr");
        test::addServerUser(dir / "server", "mm", "hemmeligt-mm");
        server = std::make_unique<test::ServerProcess>(dir / "server");
    }

    // A store bound to the server as `account` (signed in once with the password).
    Store boundStore(const std::string& name, const std::string& account)
    {
        const fs::path path = dir / (name + ".fplan");
        Store::create(path, Passphrase, crypto::KdfParams::freshCheap());
        Store store = Store::open(path, Passphrase);
        syncWithServer(store, options(account, true));
        return store;
    }

    SyncOptions options(const std::string& account, bool withPassword)
    {
        SyncOptions o;
        o.server = server->url();
        o.account = account;
        if (withPassword)
            o.password = [account] { return crypto::SecretString("hemmeligt-" + account); };
        o.timeout = 2000ms;
        return o;
    }

    // The desktop's loop: no password, its own connection, statuses into `log`.
    std::unique_ptr<SyncLoop> loopFor(Store& store, const std::string& account, StatusLog& log)
    {
        SyncLoopOptions o;
        o.sync = options(account, false);
        auto connections = std::make_shared<StoreConnections>(store.path(), crypto::SecretString(Passphrase));
        o.openStore = [connections] { return connections->open(); };
        o.onStatus = [&log](const SyncLoopStatus& s) { log.add(s); };
        o.firstRetry = 200ms;
        o.maxRetry = 1000ms;
        return std::make_unique<SyncLoop>(std::move(o));
    }

    test::TempDir dir;
    std::unique_ptr<test::ServerProcess> server;
};

TEST_F(SyncLoopServer, SyncsAtStartAfterARequestAndWhenTheLiveChannelSaysACaseChanged)
{
    Store mine = boundStore("mine", "jr");
    Store theirs = boundStore("theirs", "mm");
    StatusLog log;
    auto loop = loopFor(mine, "jr", log);
    ASSERT_TRUE(log.waitFor(0, synced)) << "no sync at start";

    // A local write (on the UI's connection) and a request: the loop pushes it.
    writeCase(mine);
    const auto before = log.size();
    loop->request();
    const auto pushed
        = log.waitFor(before, [](const SyncLoopStatus& s) { return synced(s) && s.report->pushed > 0; });
    ASSERT_TRUE(pushed) << "the request did not push the new case";
    EXPECT_EQ(0u, log.at(*pushed).queued);

    // Another account pushes a case with this one on its team: the live channel makes the loop
    // pull it without being asked.
    const std::string theirCase = writeCase(theirs, "mm");
    const auto mark = log.size();
    syncWithServer(theirs, options("mm", true));
    const auto pulled
        = log.waitFor(mark, [](const SyncLoopStatus& s) { return synced(s) && s.report->pulled > 0; });
    ASSERT_TRUE(pulled) << "the live channel's notice did not make the loop pull";
    EXPECT_TRUE(log.at(*pulled).report->casesNew.count(theirCase));
    EXPECT_TRUE(mine.hasCase(theirCase)); // the UI's connection sees what the loop stored
    loop->stop();
}

TEST_F(SyncLoopServer, AStuckServerHoldsUpNoWriteAndTheLoopRetriesUntilItIsBack)
{
    Store mine = boundStore("mine", "jr");
    const std::uint16_t port = server->port();
    server->stop();
    // Something that takes connections on the server's port and never answers.
    const int stuck = ::socket(AF_INET, SOCK_STREAM, 0);
    ASSERT_GE(stuck, 0);
    const int one = 1;
    ::setsockopt(stuck, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in address {};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(0, ::bind(stuck, reinterpret_cast<sockaddr*>(&address), sizeof address));
    ASSERT_EQ(0, ::listen(stuck, 16));

    StatusLog log;
    auto loop = loopFor(mine, "jr", log);
    // The loop's connection arrives: from here on it waits for an answer that does not come.
    pollfd incoming { stuck, POLLIN, 0 };
    ASSERT_EQ(1, ::poll(&incoming, 1, 10000)) << "the loop did not connect";
    const int held = ::accept(stuck, nullptr, nullptr);
    ASSERT_GE(held, 0);
    // The loop now waits for an answer that does not come; writing goes on meanwhile.
    const auto started = std::chrono::steady_clock::now();
    for (int i = 0; i < 5; ++i)
        writeCase(mine);
    const auto took = std::chrono::steady_clock::now() - started;
    const std::size_t written = ClientState(mine).pendingCount();
    EXPECT_GT(written, 5u);
    EXPECT_EQ(1u, log.size()) << "the sync was not stuck while the writes went on";
    EXPECT_EQ(SyncLoopStatus::Phase::Syncing, log.at(0).phase);
    EXPECT_LT(took, 1500ms) << "writes waited for the stuck sync";
    const auto failed
        = log.waitFor(0, [](const SyncLoopStatus& s) { return s.phase == SyncLoopStatus::Phase::Failed; });
    ASSERT_TRUE(failed);
    const auto offline = log.at(*failed);
    EXPECT_EQ(SyncProblem::Unreachable, offline.problem) << offline.message;
    EXPECT_TRUE(offline.retryIn.has_value());
    EXPECT_TRUE(offline.queuedKnown);
    EXPECT_EQ(written, offline.queued);
    // The sign-in's sync, made before this loop started, is the last one that went through.
    const auto signedIn = ClientState(mine).binding()->synced;
    ASSERT_TRUE(signedIn.has_value());
    ASSERT_TRUE(offline.lastSynced == signedIn) << "the loop does not say when the store last synced";

    // The server comes back on its port: a retry (not a request) pushes everything.
    ::close(held);
    ::close(stuck);
    server->start("127.0.0.1:" + std::to_string(port));
    const auto back = log.waitFor(
        *failed, [](const SyncLoopStatus& s) { return synced(s); }, 30s);
    ASSERT_TRUE(back) << "the loop did not retry by itself";
    EXPECT_EQ(written, log.at(*back).report->pushed);
    EXPECT_EQ(0u, log.at(*back).queued);
    EXPECT_EQ(0u, ClientState(mine).pendingCount());
}

TEST_F(SyncLoopServer, AnExpiredSessionStopsTheLoopUntilAskedAgainWithoutAPassword)
{
    Store mine = boundStore("mine", "jr");
    ClientState(mine).setToken("not-a-session");
    StatusLog log;
    auto loop = loopFor(mine, "jr", log);
    const auto failed
        = log.waitFor(0, [](const SyncLoopStatus& s) { return s.phase == SyncLoopStatus::Phase::Failed; });
    ASSERT_TRUE(failed);
    EXPECT_EQ(SyncProblem::SignInNeeded, log.at(*failed).problem) << log.at(*failed).message;
    EXPECT_FALSE(log.at(*failed).retryIn.has_value());
    // Not retried by itself.
    std::this_thread::sleep_for(1500ms);
    EXPECT_EQ(*failed + 1, log.size());
    // A sign-in (a sync with the password, as the dialog does) and a request: the loop goes on.
    syncWithServer(mine, options("jr", true));
    loop->request();
    EXPECT_TRUE(log.waitFor(*failed, synced));
}

} // namespace

namespace {

class PresenceRelay : public SyncLoopServer {
protected:
    void SetUp() override
    {
        test::addServerUser(dir / "server", "ab", "hemmeligt-ab");
        SyncLoopServer::SetUp();
    }

    // A live channel as `account` (signed in through a store of its own), presence into `log`.
    std::unique_ptr<LiveClient> channel(const std::string& account, PresenceLog& log)
    {
        stores.push_back(
            std::make_unique<Store>(boundStore(account + std::to_string(stores.size()), account)));
        const auto binding = ClientState(*stores.back()).binding();
        LiveOptions o;
        o.server = server->url();
        o.fingerprint = binding->fingerprint;
        o.token = [token = binding->token] { return token; };
        o.onPresence = [&log](const PresenceNotice& n) { log.add(n); };
        auto up = std::make_shared<std::promise<void>>();
        auto once = std::make_shared<std::once_flag>();
        o.onConnection = [up, once](bool isUp, const std::string&, int) {
            if (isUp)
                std::call_once(*once, [&] { up->set_value(); });
        };
        auto client = std::make_unique<LiveClient>(std::move(o));
        EXPECT_EQ(std::future_status::ready, up->get_future().wait_for(10s))
            << account << ": no live channel";
        return client;
    }

    std::vector<std::unique_ptr<Store>> stores;
};

} // namespace

TEST_F(PresenceRelay, IsRelayedToTheCasesOtherMembersWithTheAccountAndEndsWhenTheDocumentCloses)
{
    // jr's case, with mm on its team and ab not, on the server.
    Store jrStore = boundStore("jr-case", "jr");
    const std::string caseId = writeCase(jrStore);
    syncWithServer(jrStore, options("jr", true));

    PresenceLog jrSees, mmSees, abSees;
    auto mm = channel("mm", mmSees);
    auto ab = channel("ab", abSees);
    auto jr = channel("jr", jrSees);

    jr->setPresence(sync::Presence { caseId, "doc-1", "familiens_maal" });
    const auto seenAt = mmSees.waitFor(0, [](const PresenceNotice& n) { return !n.gone; });
    ASSERT_TRUE(seenAt) << "mm was not told where jr is";
    const auto seen = mmSees.at(*seenAt);
    EXPECT_EQ("jr", seen.account);
    EXPECT_EQ(caseId, seen.caseId);
    EXPECT_EQ("doc-1", seen.docId);
    EXPECT_EQ("familiens_maal", seen.section);

    // Another section, then the document closes.
    jr->setPresence(sync::Presence { caseId, "doc-1", "netvaerk" });
    ASSERT_TRUE(mmSees.waitFor(0, [](const PresenceNotice& n) { return n.section == "netvaerk"; }));
    jr->setPresence(std::nullopt);
    const auto closed = mmSees.waitFor(0, [](const PresenceNotice& n) { return n.gone; });
    ASSERT_TRUE(closed) << "mm was not told that jr closed the document";
    EXPECT_EQ(seen.client, mmSees.at(*closed).client);

    // A member who connects later is told where the others are at once.
    jr->setPresence(sync::Presence { caseId, "doc-1", "" });
    PresenceLog lateSees;
    auto late = channel("mm", lateSees);
    const auto told
        = lateSees.waitFor(0, [](const PresenceNotice& n) { return !n.gone && n.account == "jr"; });
    ASSERT_TRUE(told) << "a new channel was not told the current presence";
    EXPECT_EQ("", lateSees.at(*told).section);

    // A channel that goes away ends its presence.
    jr->stop();
    EXPECT_TRUE(lateSees.waitFor(0, [](const PresenceNotice& n) { return n.gone && n.account == "jr"; }))
        << "jr's disconnection did not end the presence";

    // ab, not on the team, was told nothing; and what ab says about the case reaches no one.
    ab->setPresence(sync::Presence { caseId, "doc-1", "familiens_maal" });
    std::this_thread::sleep_for(1500ms);
    EXPECT_TRUE(abSees.all().empty())
        << "a non-member received " << abSees.all().size() << " presence frames";
    for (const auto& n : mmSees.all())
        EXPECT_NE("ab", n.account) << "a non-member's presence was relayed";
    for (const auto& n : jrSees.all())
        EXPECT_NE("jr", n.account) << "a client was told its own presence";
}

TEST(LiveFrames, NoticesAndPresenceParseAndAnythingElseIsRefused)
{
    const auto notice = std::get<LiveNotice>(parseLiveFrame(R"({"case": "c1", "seq": 7})"));
    EXPECT_EQ("c1", notice.caseId);
    EXPECT_EQ(7, notice.seq);
    const auto here = std::get<PresenceNotice>(parseLiveFrame(
        R"({"presence": {"client": 3, "account": "mm", "case": "c1", "doc": "d1", "section": "s"}})"));
    EXPECT_EQ(3u, here.client);
    EXPECT_EQ("s", here.section);
    EXPECT_FALSE(here.gone);
    const auto gone = std::get<PresenceNotice>(
        parseLiveFrame(R"({"presence": {"client": 3, "account": "mm", "case": "c1", "doc": null}})"));
    EXPECT_TRUE(gone.gone);
    for (const char* bad : { "[]", "{\"presence\": {}}",
             R"({"presence": {"client": -1, "account": "mm", "case": "c", "doc": "d"}})",
             R"({"presence": {"client": 1, "account": "", "case": "c", "doc": "d"}})",
             R"({"case": "c", "seq": 0})", "not json" })
        test::expectError(ErrorCode::BadInput, "live channel", [&] { parseLiveFrame(bad); });
    EXPECT_EQ(R"({"presence":null})", presenceFrame(std::nullopt));
    EXPECT_EQ(R"({"presence":{"case":"c","doc":"d","section":"s"}})",
        presenceFrame(sync::Presence { "c", "d", "s" }));
}
