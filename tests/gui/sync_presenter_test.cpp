// SPDX-License-Identifier: EUPL-1.2
#include "gui/i18n.h"
#include "gui/sync_presenter.h"
#include "tests/support/test_support.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <ctime>
#include <mutex>
#include <vector>

using namespace fplan;
using namespace fplan::gui;
using sync::SyncLoopStatus;
using sync::SyncProblem;

namespace {

// 14.32 today, local time.
std::chrono::system_clock::time_point at1432()
{
    std::time_t now = std::time(nullptr);
    std::tm local {};
    localtime_r(&now, &local);
    local.tm_hour = 14;
    local.tm_min = 32;
    local.tm_sec = 5;
    return std::chrono::system_clock::from_time_t(std::mktime(&local));
}

SyncLoopStatus failed(SyncProblem problem, std::size_t queued, bool withLast)
{
    SyncLoopStatus s;
    s.phase = SyncLoopStatus::Phase::Failed;
    s.problem = problem;
    s.queued = queued;
    s.queuedKnown = true;
    if (withLast)
        s.lastSynced = at1432();
    return s;
}

} // namespace

TEST(SyncStatusPresenter, SaysWhatTheSyncIsDoingInEachState)
{
    SyncStatusPresenter p;
    p.signedOut();
    EXPECT_EQ("Ikke logget ind på en server – vælg Synkronisering › Log ind …", p.text());
    EXPECT_FALSE(p.needsSignIn());

    SyncLoopStatus syncing;
    p.update(syncing);
    EXPECT_EQ("Synkroniserer …", p.text());

    SyncLoopStatus done;
    done.phase = SyncLoopStatus::Phase::Synced;
    done.queuedKnown = true;
    p.update(done);
    EXPECT_EQ("Synkroniseret", p.text());

    p.update(failed(SyncProblem::Unreachable, 3, false));
    EXPECT_EQ("Offline – 3 ændringer venter", p.text());
    p.update(failed(SyncProblem::Unreachable, 1, true));
    EXPECT_EQ("Offline – 1 ændring venter (sidst synkroniseret 14.32)", p.text());
    p.update(failed(SyncProblem::Unreachable, 0, true));
    EXPECT_EQ("Kan ikke nå serveren (sidst synkroniseret 14.32)", p.text());
    p.update(failed(SyncProblem::Unreachable, 0, false));
    EXPECT_EQ("Kan ikke nå serveren", p.text());
    EXPECT_FALSE(p.needsSignIn());

    p.update(failed(SyncProblem::SignInNeeded, 2, false));
    EXPECT_EQ("Log ind igen for at synkronisere – vælg Synkronisering › Log ind …", p.text());
    EXPECT_TRUE(p.needsSignIn());

    auto refused = failed(SyncProblem::CertificateChanged, 0, false);
    refused.error = std::make_exception_ptr(
        sync::SyncError(ErrorCode::Conflict, SyncProblem::CertificateChanged, "certificate changed"));
    p.update(refused);
    EXPECT_EQ(
        0u, p.text().rfind("Synkronisering stoppet: Serverens certifikat er ikke det samme som sidst.", 0))
        << p.text();
    EXPECT_FALSE(p.needsSignIn());
}

TEST(SyncStatusPresenter, OnlyAFailedSyncIsShownInTheErrorColour)
{
    SyncStatusPresenter p;
    p.signedOut();
    EXPECT_FALSE(p.failed());
    p.update(SyncLoopStatus {}); // syncing
    EXPECT_FALSE(p.failed());
    p.update(failed(SyncProblem::Unreachable, 0, true));
    EXPECT_TRUE(p.failed());
    p.update(failed(SyncProblem::SignInNeeded, 0, false));
    EXPECT_TRUE(p.failed());
    p.update(SyncLoopStatus {}); // the retry starts
    EXPECT_FALSE(p.failed());
    SyncLoopStatus done;
    done.phase = SyncLoopStatus::Phase::Synced;
    p.update(done);
    EXPECT_FALSE(p.failed());
    p.update(failed(SyncProblem::Other, 0, false));
    p.signedOut();
    EXPECT_FALSE(p.failed());
}

// The program starts again while the server is away: the line still says when the store last
// synced, as the store keeps it.
TEST(SyncStatusPresenter, AfterARestartTheLineSaysWhenTheStoreLastSynced)
{
    test::TempDir dir;
    const auto path = dir / "s.fplan";
    const char* passphrase = "hemmelig sætning";
    Store::create(path, passphrase, crypto::KdfParams::freshCheap());
    {
        Store store = Store::open(path, passphrase);
        sync::ClientState state(store);
        // A port nothing listens on: the server cannot be reached.
        state.bind("https://127.0.0.1:1", "jr", std::string(64, '0'), "token");
        state.recordSynced(at1432());
    }
    std::mutex mutex;
    std::condition_variable changed;
    std::vector<SyncLoopStatus> statuses;
    sync::SyncLoopOptions o;
    o.sync.server = "https://127.0.0.1:1";
    o.sync.account = "jr";
    o.sync.timeout = std::chrono::seconds(5);
    o.live = false;
    o.firstRetry = std::chrono::minutes(1);
    o.openStore = [&] { return Store::open(path, passphrase); };
    o.onStatus = [&](const SyncLoopStatus& s) {
        std::lock_guard lock(mutex);
        statuses.push_back(s);
        changed.notify_all();
    };
    sync::SyncLoop loop(std::move(o));
    SyncStatusPresenter p;
    {
        std::unique_lock lock(mutex);
        ASSERT_TRUE(changed.wait_for(lock, std::chrono::seconds(20),
            [&] { return !statuses.empty() && statuses.back().phase == SyncLoopStatus::Phase::Failed; }));
        for (const auto& s : statuses)
            p.update(s);
    }
    loop.stop();
    EXPECT_EQ("Kan ikke nå serveren (sidst synkroniseret 14.32)", p.text());
    EXPECT_TRUE(p.failed());
}

TEST(SyncStatusPresenter, ASyncInProgressKeepsTheLastCountKnown)
{
    SyncStatusPresenter p;
    p.update(failed(SyncProblem::Unreachable, 4, false));
    SyncLoopStatus retrying; // a retry starts: the count is not known yet
    p.update(retrying);
    EXPECT_EQ("Synkroniserer …", p.text());
    p.update(failed(SyncProblem::Unreachable, 4, false));
    EXPECT_EQ("Offline – 4 ændringer venter", p.text());
    SyncLoopStatus later;
    later.phase = SyncLoopStatus::Phase::Synced; // without a count: the last one stays
    p.update(later);
    EXPECT_EQ("Synkroniseret – 4 ændringer venter", p.text());
}

TEST(SyncStatusPresenter, PluralFormsComeFromTheCatalogue)
{
    // The English catalogue's forms, as the app installs them.
    setPluralTranslator([](const char* singular, const char*, unsigned long n) {
        EXPECT_STREQ("{0} ændring venter", singular);
        return std::string(n == 1 ? "{0} change waiting" : "{0} changes waiting");
    });
    SyncStatusPresenter p;
    p.update(failed(SyncProblem::Unreachable, 2, false));
    EXPECT_EQ("Offline – 2 changes waiting", p.text());
    p.update(failed(SyncProblem::Unreachable, 1, false));
    EXPECT_EQ("Offline – 1 change waiting", p.text());
    setPluralTranslator(nullptr);
}

TEST(SyncErrorMessage, EachProblemHasItsOwnDanishMessage)
{
    using sync::SyncError;
    const auto message = [](ErrorCode code, SyncProblem problem, std::string retry = {}) {
        return syncErrorMessage(SyncError(code, problem, "english detail", retry));
    };
    EXPECT_EQ("Forkert brugernavn eller adgangskode.",
        message(ErrorCode::WrongPassphrase, SyncProblem::WrongPassword));
    EXPECT_EQ("Kontoen er låst efter for mange forkerte forsøg. Prøv igen om 299 sekunder.",
        message(ErrorCode::Conflict, SyncProblem::AccountLocked, "299"));
    EXPECT_EQ("Kontoen er låst efter for mange forkerte forsøg. Prøv igen om 1 sekund.",
        message(ErrorCode::Conflict, SyncProblem::AccountLocked, "1"));
    EXPECT_EQ("Kontoen er låst efter for mange forkerte forsøg. Prøv igen senere.",
        message(ErrorCode::Conflict, SyncProblem::AccountLocked));
    EXPECT_EQ("Kontoen er spærret på serveren. Kontakt den, der driver serveren.",
        message(ErrorCode::Conflict, SyncProblem::AccountDisabled));
    EXPECT_EQ(
        0u, message(ErrorCode::Conflict, SyncProblem::CertificateChanged).rfind("Serverens certifikat", 0));
    EXPECT_EQ(0u, message(ErrorCode::Network, SyncProblem::Unreachable).rfind("Serveren kan ikke nås.", 0));
    // A plain Error(Network) from the transport is "unreachable" too.
    EXPECT_EQ(0u,
        syncErrorMessage(Error(ErrorCode::Network, "connect: refused")).rfind("Serveren kan ikke nås.", 0));
    EXPECT_EQ("Denne Familieplan-fil synkroniserer allerede med en anden server eller bruger.",
        message(ErrorCode::Conflict, SyncProblem::BoundElsewhere));
    EXPECT_EQ("Synkroniseringen fejlede: something else",
        syncErrorMessage(Error(ErrorCode::BadInput, "something else")));
}

TEST(SignInPresenter, FirstTimeAsksForServerUserAndPasswordLaterForThePasswordOnly)
{
    SignInPresenter first(std::nullopt);
    EXPECT_FALSE(first.passwordOnly());
    EXPECT_EQ("Log ind på serveren", first.title());
    EXPECT_EQ("Skriv serverens adresse.", first.check("", "jr", "x"));
    EXPECT_EQ(
        0u, first.check("sager.kommune.dk", "jr", "x").rfind("Serverens adresse begynder med https://", 0));
    EXPECT_EQ("Skriv dit brugernavn.", first.check("https://sager.kommune.dk:8443", "", "x"));
    EXPECT_EQ("Skriv adgangskoden.", first.check("https://sager.kommune.dk:8443", "jr", ""));
    EXPECT_EQ("", first.check("https://sager.kommune.dk:8443", "jr", "x"));

    sync::ServerBinding bound;
    bound.url = "https://sager.kommune.dk:8443";
    bound.account = "jr";
    SignInPresenter again(bound);
    EXPECT_TRUE(again.passwordOnly());
    EXPECT_EQ("Log ind igen", again.title());
    EXPECT_NE(std::string::npos, again.explanation().find("https://sager.kommune.dk:8443"));
    EXPECT_EQ("Skriv adgangskoden.", again.check("", "", ""));
    EXPECT_EQ("", again.check("", "", "x"));
}

TEST(SignInPresenter, FingerprintsAreShownInGroupsOfFour)
{
    EXPECT_EQ("0123 4567 89ab cdef 0123 4567 89ab cdef\n0123 4567 89ab cdef 0123 4567 89ab cdef",
        groupedFingerprint("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"));
}
