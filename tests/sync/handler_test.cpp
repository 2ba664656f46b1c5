// SPDX-License-Identifier: EUPL-1.2
#include "core/sql.h"
#include "crypto/encrypted_db.h"
#include "crypto/hash.h"
#include "sync/server/admin.h"
#include "sync/server/handler.h"
#include "sync/server/protocol.h"
#include "tests/support/test_support.h"
#include "tests/sync/sync_fixtures.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <set>
#include <thread>
#include <variant>

namespace fplan::sync {
namespace {

using test::Backend;
using test::caseOps;
using test::makeOp;
using test::pushBody;

constexpr std::int64_t Start = 1'800'000'000'000; // a fixed "now" the tests move by hand
constexpr std::int64_t Minute = 60 * 1000;

class HandlerTest : public ::testing::TestWithParam<Backend> {
protected:
    void SetUp() override
    {
        if (GetParam() == Backend::Postgres) {
            const auto fresh = test::freshPostgresDatabase();
            if (!fresh)
                GTEST_SKIP() << test::NoPostgres;
            url = *fresh;
            storage = openPostgresStorage(url);
        } else
            storage = openSqlStorage(dir.path());
        handler = std::make_unique<Handler>(
            *storage, HandlerOptions { 30 * Minute, 12 * 60 * Minute, [this] { return now; } });
        for (const char* name : { "anna", "bo", "carl", "dora" })
            handler->addAccount(name, std::string("password-") + name, "member", true);
    }

    Response call(const std::string& method, const std::string& target, const std::string& token = {},
        const std::string& body = {})
    {
        return handler->handle({ method, target, token.empty() ? "" : "Bearer " + token, body });
    }

    std::string login(const std::string& user)
    {
        const auto r = call(
            "POST", "/v1/login", {}, Json { { "user", user }, { "password", "password-" + user } }.dump());
        EXPECT_EQ(r.status, 200) << r.body;
        return Json::parse(r.body).value("token", "");
    }

    Response push(const std::string& token, const std::vector<Op>& ops)
    {
        return call("POST", "/v1/push", token, pushBody(ops));
    }

    Json pull(const std::string& token, std::int64_t after = 0, int limit = 1000)
    {
        const auto r = call(
            "GET", "/v1/pull?after=" + std::to_string(after) + "&limit=" + std::to_string(limit), token);
        EXPECT_EQ(r.status, 200) << r.body;
        return Json::parse(r.body);
    }

    std::size_t auditCount() { return storage->auditEntries().size(); }
    AuditEntry lastAudit() { return storage->auditEntries().back(); }

    test::TempDir dir;
    std::string url; // PostgreSQL's database
    std::int64_t now = Start;
    std::unique_ptr<Storage> storage;
    std::unique_ptr<Handler> handler;
};

TEST_P(HandlerTest, LoginGivesA256BitTokenAndRefusesWrongPasswordsAlike)
{
    const auto r = call("POST", "/v1/login", {}, R"({"user":"anna","password":"password-anna"})");
    ASSERT_EQ(r.status, 200);
    const auto body = Json::parse(r.body);
    EXPECT_EQ(body["token"].get<std::string>().size(), 64u);
    EXPECT_EQ(body["idle_expires_s"], 1800);
    EXPECT_EQ(body["expires_at"], formatUtcMs(Start + 12 * 60 * Minute).substr(0, 19) + "Z");
    EXPECT_NE(login("anna"), body["token"].get<std::string>());

    const auto wrong = call("POST", "/v1/login", {}, R"({"user":"anna","password":"nope"})");
    const auto unknown = call("POST", "/v1/login", {}, R"({"user":"zelda","password":"nope"})");
    EXPECT_EQ(wrong.status, 401);
    EXPECT_EQ(unknown.status, 401);
    EXPECT_EQ(Json::parse(wrong.body)["error"], "bad_credentials");
    EXPECT_EQ(Json::parse(unknown.body)["error"], "bad_credentials");
    EXPECT_EQ(lastAudit().action, "login");
    EXPECT_EQ(lastAudit().outcome, "denied");
}

TEST_P(HandlerTest, FailedLoginsAreSlowedThenLocked)
{
    auto attempt = [&](const char* password) {
        return call("POST", "/v1/login", {}, Json { { "user", "bo" }, { "password", password } }.dump());
    };
    EXPECT_EQ(attempt("x").status, 401);
    EXPECT_EQ(attempt("x").status, 401);
    EXPECT_EQ(attempt("x").status, 401); // 3rd: from now on 1 s between attempts
    const auto slowed = attempt("password-bo");
    EXPECT_EQ(slowed.status, 429);
    EXPECT_EQ(Json::parse(slowed.body)["error"], "locked");
    ASSERT_FALSE(slowed.headers.empty());
    EXPECT_EQ(slowed.headers[0], std::make_pair(std::string("Retry-After"), std::string("1")));
    now += 1000;
    EXPECT_EQ(attempt("password-bo").status, 200); // and the count starts again
    for (int i = 0; i < 10; ++i) {
        EXPECT_EQ(attempt("x").status, 401) << i;
        now += 10 * Minute; // waiting out each delay
    }
    now -= 10 * Minute;
    EXPECT_EQ(attempt("password-bo").status, 429); // locked for 15 minutes after the 10th
    now += 14 * Minute;
    EXPECT_EQ(attempt("password-bo").status, 429);
    now += 2 * Minute;
    EXPECT_EQ(attempt("password-bo").status, 200);
}

// Every endpoint against every kind of caller: the exact status, and an audit entry each time.
TEST_P(HandlerTest, AccessMatrix)
{
    const auto annaSetup = login("anna");
    ASSERT_EQ(push(annaSetup, caseOps("c1", "d1", "anna", { "anna" }, { "0101901234" })).status, 200);

    enum Caller { NoToken, Expired, ExpiredAbsolute, Revoked, NonMember, Member, Disabled };
    const std::vector<std::pair<Caller, const char*>> callers = { { NoToken, "no token" },
        { Expired, "idle-expired" }, { ExpiredAbsolute, "expired after 12 h" }, { Revoked, "revoked" },
        { NonMember, "non-member" }, { Member, "member" }, { Disabled, "disabled account" } };
    struct Endpoint {
        const char* name;
        std::map<Caller, int> status;
    };
    const std::vector<Endpoint> endpoints = {
        { "push",
            { { NoToken, 401 }, { Expired, 401 }, { ExpiredAbsolute, 401 }, { Revoked, 401 },
                { NonMember, 403 }, { Member, 200 }, { Disabled, 403 } } },
        { "pull",
            { { NoToken, 401 }, { Expired, 401 }, { ExpiredAbsolute, 401 }, { Revoked, 401 },
                { NonMember, 200 }, { Member, 200 }, { Disabled, 403 } } },
        { "live",
            { { NoToken, 401 }, { Expired, 401 }, { ExpiredAbsolute, 401 }, { Revoked, 401 },
                { NonMember, 101 }, { Member, 101 }, { Disabled, 403 } } },
        { "logout",
            { { NoToken, 401 }, { Expired, 401 }, { ExpiredAbsolute, 401 }, { Revoked, 401 },
                { NonMember, 204 }, { Member, 204 }, { Disabled, 403 } } },
    };
    int serial = 0;
    for (const auto& endpoint : endpoints) {
        for (const auto& [caller, callerName] : callers) {
            now = Start;
            std::string user = caller == NonMember ? "carl" : "anna";
            std::string token;
            if (caller == Disabled)
                user = "dora";
            if (caller != NoToken)
                token = login(user);
            if (caller == Revoked) {
                ASSERT_EQ(call("POST", "/v1/logout", token).status, 204);
            }
            if (caller == Expired)
                now += 31 * Minute;
            if (caller == ExpiredAbsolute) {
                for (int i = 0; i < 25; ++i) { // used every 29 minutes, so never idle
                    now += 29 * Minute;
                    if (now - Start <= 12 * 60 * Minute) {
                        ASSERT_EQ(call("GET", "/v1/pull", token).status, 200) << i;
                    }
                }
            }
            if (caller == Disabled)
                handler->disableAccount("dora");

            const auto before = auditCount();
            int status = 0;
            const std::string opId = std::string(endpoint.name) + "-" + std::to_string(++serial);
            if (std::string(endpoint.name) == "push")
                status = push(token, { makeOp(opId, "c1", "d2", OpKind::Set, "x.y", "v", user) }).status;
            else if (std::string(endpoint.name) == "pull")
                status = call("GET", "/v1/pull", token).status;
            else if (std::string(endpoint.name) == "logout")
                status = call("POST", "/v1/logout", token).status;
            else {
                auto live
                    = handler->acceptLive({ "GET", "/v1/live", token.empty() ? "" : "Bearer " + token, "" });
                status = std::holds_alternative<LiveIdentity>(live) ? 101 : std::get<Response>(live).status;
            }
            EXPECT_EQ(status, endpoint.status.at(caller)) << endpoint.name << " by " << callerName;
            EXPECT_GT(auditCount(), before) << endpoint.name << " by " << callerName;
            const auto entry = lastAudit();
            EXPECT_EQ(entry.action, endpoint.name) << callerName;
            const bool allowed = status < 400;
            EXPECT_EQ(entry.outcome, allowed ? "ok" : "denied") << endpoint.name << " by " << callerName;
            if (caller == Disabled)
                storage->setDisabled("dora", false);
        }
    }
    // A non-member's pull carries nothing of the case; a member's carries all of it.
    EXPECT_TRUE(pull(login("carl"))["ops"].empty());
    EXPECT_FALSE(pull(login("anna"))["ops"].empty());
}

TEST_P(HandlerTest, PushIsIdempotentByOpIdAndAnswersSequenceNumbers)
{
    const auto token = login("anna");
    const auto ops = caseOps("c1", "d1", "anna", { "anna" }, { "0101901234" });
    const auto first = push(token, ops);
    ASSERT_EQ(first.status, 200) << first.body;
    const auto held = Json::parse(first.body)["held"];
    ASSERT_EQ(held.size(), ops.size());
    for (std::size_t i = 0; i < ops.size(); ++i) {
        EXPECT_EQ(held[i]["id"], ops[i].id);
        EXPECT_EQ(held[i]["seq"], static_cast<std::int64_t>(i + 1));
    }
    const auto again = push(token, ops);
    EXPECT_EQ(again.status, 200);
    EXPECT_EQ(Json::parse(again.body)["held"], held);
    EXPECT_EQ(storage->lastSeq(), static_cast<std::int64_t>(ops.size()));
    // Part old, part new: the old keep their numbers.
    auto more = ops;
    more.push_back(makeOp("extra", "c1", "d2", OpKind::Set, "a.b", "text", "anna"));
    const auto mixed = Json::parse(push(token, more).body)["held"];
    EXPECT_EQ(mixed[0]["seq"], 1);
    EXPECT_EQ(mixed.back()["seq"], static_cast<std::int64_t>(ops.size() + 1));
}

TEST_P(HandlerTest, ALargePushResentWithNewOpsBetweenKeepsEveryHeldNumber)
{
    // More ops than the storage looks up at once, held ones and new ones interleaved.
    const auto token = login("anna");
    ASSERT_EQ(push(token, caseOps("c1", "d1", "anna", { "anna" }, {})).status, 200);
    const auto base = storage->lastSeq();
    std::vector<Op> ops;
    for (int i = 0; i < 150; ++i)
        ops.push_back(makeOp("op" + std::to_string(i), "c1", "d2", OpKind::Set, "a.f" + std::to_string(i),
            "text " + std::to_string(i), "anna"));
    std::vector<Op> everyOther;
    for (std::size_t i = 0; i < ops.size(); i += 2)
        everyOther.push_back(ops[i]);
    const auto first = Json::parse(push(token, everyOther).body)["held"];
    ASSERT_EQ(first.size(), everyOther.size());
    const auto all = push(token, ops);
    ASSERT_EQ(all.status, 200) << all.body;
    const auto held = Json::parse(all.body)["held"];
    ASSERT_EQ(held.size(), ops.size());
    for (std::size_t i = 0; i < ops.size(); ++i) {
        EXPECT_EQ(held[i]["id"], ops[i].id);
        if (i % 2 == 0)
            EXPECT_EQ(held[i]["seq"], first[i / 2]["seq"]) << i;
        else
            EXPECT_EQ(held[i]["seq"], base + static_cast<std::int64_t>(everyOther.size() + (i + 1) / 2)) << i;
    }
    EXPECT_EQ(storage->lastSeq(), base + static_cast<std::int64_t>(ops.size()));
}

TEST_P(HandlerTest, ABadOpIsNamedAndNothingOfThePushIsStored)
{
    const auto token = login("anna");
    auto ops = caseOps("c1", "d1", "anna", { "anna" }, {});
    Json body = Json::parse(pushBody(ops));
    body["ops"][1].erase("kind");
    const auto r = call("POST", "/v1/push", token, body.dump());
    EXPECT_EQ(r.status, 400);
    const auto error = Json::parse(r.body);
    EXPECT_EQ(error["error"], "bad_op");
    EXPECT_EQ(error["op_id"], ops[1].id);
    EXPECT_EQ(error["index"], 1);
    EXPECT_NE(error["reason"].get<std::string>().find("kind"), std::string::npos);
    EXPECT_EQ(storage->lastSeq(), 0);

    ops[2].author = "bo"; // an op written in another account's name
    const auto forged = push(token, ops);
    EXPECT_EQ(forged.status, 400);
    EXPECT_NE(Json::parse(forged.body)["reason"].get<std::string>().find("author 'bo'"), std::string::npos);
    EXPECT_EQ(storage->lastSeq(), 0);

    ops[2].author = "anna";
    ops.push_back(ops[0]); // the same id twice
    EXPECT_EQ(push(token, ops).status, 400);
    EXPECT_EQ(storage->lastSeq(), 0);
}

TEST_P(HandlerTest, APushTouchingAnotherTeamsCaseIsRefusedWhole)
{
    const auto anna = login("anna");
    const auto bo = login("bo");
    ASSERT_EQ(push(anna, caseOps("c1", "d1", "anna", { "anna" }, { "0101901234" })).status, 200);
    const auto last = storage->lastSeq();
    auto ops = caseOps("c2", "d3", "bo", { "bo" }, {});
    ops.push_back(makeOp("intrusion", "c1", "d2", OpKind::Set, "a.b", "x", "bo"));
    const auto r = push(bo, ops);
    EXPECT_EQ(r.status, 403);
    EXPECT_EQ(Json::parse(r.body)["case_id"], "c1");
    EXPECT_EQ(storage->lastSeq(), last);
    EXPECT_EQ(lastAudit().outcome, "denied");
    EXPECT_EQ(lastAudit().cprs, std::vector<std::string> { "0101901234" });
    // A new case whose team does not name the pusher is refused too.
    EXPECT_EQ(push(bo, caseOps("c3", "d4", "bo", { "anna" }, {})).status, 403);
    EXPECT_EQ(storage->lastSeq(), last);
}

TEST_P(HandlerTest, TeamChangesCountFromTheOpThatMakesThem)
{
    const auto anna = login("anna");
    const auto bo = login("bo");
    const auto carl = login("carl");
    ASSERT_EQ(push(anna, caseOps("c1", "d1", "anna", { "anna", "bo" }, {})).status, 200);
    EXPECT_EQ(pull(carl)["ops"].size(), 0u);
    // Anna adds Carl: he now sees the whole case, history included.
    ASSERT_EQ(push(anna,
                  { makeOp("add-carl", "c1", "d1", OpKind::RowInsert, "team[t9]", { { "pos", "z" } }, "anna"),
                      makeOp("add-carl-user", "c1", "d1", OpKind::Set, "team[t9].bruger", "carl", "anna") })
                  .status,
        200);
    EXPECT_EQ(pull(carl)["ops"].size(), storage->lastSeq());
    // Bo removes himself (having seen his row) and then writes: the write after the removal is refused, so
    // nothing is.
    const auto last = storage->lastSeq();
    auto leave = makeOp("bo-leaves", "c1", "d1", OpKind::RowDelete, "team[t1]", nullptr, "bo");
    leave.parents = { "c1-t1", "c1-t1-user" };
    const auto r = push(bo,
        { makeOp("bo-1", "c1", "d2", OpKind::Set, "a.b", "1", "bo"), leave,
            makeOp("bo-2", "c1", "d2", OpKind::Set, "a.b", "2", "bo") });
    EXPECT_EQ(r.status, 403);
    EXPECT_EQ(storage->lastSeq(), last);
    // Without the late write the removal is accepted, and from then on Bo sees nothing new.
    ASSERT_EQ(push(bo, { leave }).status, 200);
    const auto removal = storage->lastSeq();
    EXPECT_EQ(push(bo, { makeOp("bo-3", "c1", "d2", OpKind::Set, "a.b", "3", "bo") }).status, 403);
    ASSERT_EQ(push(anna, { makeOp("anna-after", "c1", "d2", OpKind::Set, "a.b", "4", "anna") }).status, 200);
    EXPECT_TRUE(pull(bo, removal)["ops"].empty());
    const auto all = pull(bo);
    EXPECT_EQ(all["last"], removal); // up to and with the op that removed him
    EXPECT_EQ(all["ops"].back()["op"]["op_id"], "bo-leaves");
}

// Reads follow the team as of each op in the server's order: a removed member gets nothing after
// the op that removed them; a member added later gets the case's whole history (they need it to
// fold the case), delivered at the place of the op that added them, whatever their cursor.
TEST_P(HandlerTest, ReadsFollowTheTeamAsOfEachOp)
{
    const auto anna = login("anna");
    const auto carl = login("carl");
    ASSERT_EQ(push(anna, caseOps("c1", "d1", "anna", { "anna" }, { "0101901234" })).status, 200);
    ASSERT_EQ(push(anna, { makeOp("a1", "c1", "d2", OpKind::Set, "a.b", "1", "anna") }).status, 200);
    ASSERT_EQ(push(carl, caseOps("c2", "d3", "carl", { "carl" }, {})).status, 200);
    const auto carlCursor = pull(carl)["last"].get<std::int64_t>(); // beyond all of c1 so far
    ASSERT_EQ(carlCursor, storage->lastSeq());
    const auto c1Ops = carlCursor - 4; // c2's four ops came after all of c1's

    ASSERT_EQ(push(anna,
                  { makeOp("add-carl", "c1", "d1", OpKind::RowInsert, "team[t9]", { { "pos", "z" } }, "anna"),
                      makeOp("add-carl-user", "c1", "d1", OpKind::Set, "team[t9].bruger", "carl", "anna") })
                  .status,
        200);
    const auto added = storage->lastSeq();
    ASSERT_EQ(push(anna, { makeOp("a2", "c1", "d2", OpKind::Set, "a.b", "2", "anna") }).status, 200);

    // A small page still brings the whole history at once: a cursor cannot stop inside it.
    auto page = pull(carl, carlCursor, 2);
    ASSERT_EQ(page["ops"].size(), static_cast<std::size_t>(c1Ops + 2)) << page.dump(); // and the two adding
    EXPECT_EQ(page["last"], added);
    EXPECT_TRUE(page["more"].get<bool>());
    for (const auto& entry : page["ops"]) {
        EXPECT_EQ(entry["op"]["case_id"], "c1");
        EXPECT_EQ(entry.value("at", entry["seq"].get<std::int64_t>()), added) << entry.dump();
    }
    page = pull(carl, added);
    ASSERT_EQ(page["ops"].size(), 1u);
    EXPECT_EQ(page["ops"][0]["op"]["op_id"], "a2");
    EXPECT_FALSE(page["ops"][0].contains("at"));

    // Anna removes Carl; what she writes afterwards never reaches him.
    auto remove = makeOp("remove-carl", "c1", "d1", OpKind::RowDelete, "team[t9]", nullptr, "anna");
    remove.parents = { "add-carl", "add-carl-user" };
    ASSERT_EQ(push(anna, { remove }).status, 200);
    const auto removed = storage->lastSeq();
    ASSERT_EQ(push(anna, { makeOp("a3", "c1", "d2", OpKind::Set, "a.b", "3", "anna") }).status, 200);
    page = pull(carl, added);
    ASSERT_EQ(page["ops"].size(), 2u);
    EXPECT_EQ(page["ops"][1]["op"]["op_id"], "remove-carl");
    EXPECT_EQ(page["last"], removed);
    EXPECT_TRUE(pull(carl, removed)["ops"].empty());
    EXPECT_EQ(pull(anna, removed)["ops"].size(), 1u);

    // Added again: the history comes again (the client skips what it has), a3 included.
    ASSERT_EQ(push(anna,
                  { makeOp("re-add", "c1", "d1", OpKind::RowInsert, "team[t8]", { { "pos", "y" } }, "anna"),
                      makeOp("re-add-user", "c1", "d1", OpKind::Set, "team[t8].bruger", "carl", "anna") })
                  .status,
        200);
    page = pull(carl, removed);
    std::set<std::string> ids;
    for (const auto& entry : page["ops"])
        ids.insert(entry["op"]["op_id"].get<std::string>());
    EXPECT_TRUE(ids.count("a3"));
    EXPECT_TRUE(ids.count("c1-create"));
    EXPECT_EQ(ids.size(), page["ops"].size()); // each op once
}

TEST_P(HandlerTest, TransactionsArrivingDuringACommitShareTheNextAndAFailingOneSpoilsNone)
{
    // The first transaction holds the commit while six more arrive; they form one group, run on
    // one thread (not all their callers'), and the one that throws loses only its own writes.
    std::atomic<int> arrived { 0 };
    std::atomic<bool> holding { false };
    std::thread first([&] {
        storage->transaction([&] {
            holding = true;
            storage->addAccount({ "first", "x", "member", false, 0, 0 });
            while (arrived < 6)
                std::this_thread::sleep_for(std::chrono::milliseconds(5));
            std::this_thread::sleep_for(std::chrono::milliseconds(200)); // they are queued by now
        });
    });
    std::vector<std::thread> others;
    std::vector<std::thread::id> ranOn(6);
    std::vector<std::thread::id> callers(6);
    std::vector<int> failed(6, 0);
    for (int i = 0; i < 6; ++i)
        others.emplace_back([&, i] {
            callers[i] = std::this_thread::get_id();
            while (!holding) // the first must hold the commit before the six arrive
                std::this_thread::sleep_for(std::chrono::milliseconds(1));
            ++arrived;
            try {
                storage->transaction([&] {
                    ranOn[i] = std::this_thread::get_id();
                    storage->addAccount({ "user" + std::to_string(i), "x", "member", false, 0, 0 });
                    handler->addAccount("nested" + std::to_string(i), "password-x", "member", true);
                    if (i == 3)
                        throw Error(ErrorCode::Conflict, "the third refuses");
                });
            } catch (const Error& e) {
                failed[i] = e.code() == ErrorCode::Conflict ? 1 : 2;
            }
        });
    first.join();
    for (auto& t : others)
        t.join();
    const std::set<std::thread::id> threads(ranOn.begin(), ranOn.end());
    EXPECT_EQ(threads.size(), 1u) << "the six waiting transactions were not committed together";
    EXPECT_NE(ranOn, callers);
    for (int i = 0; i < 6; ++i) {
        EXPECT_EQ(failed[i], i == 3 ? 1 : 0) << i;
        EXPECT_EQ(storage->account("user" + std::to_string(i)).has_value(), i != 3) << i;
        EXPECT_EQ(storage->account("nested" + std::to_string(i)).has_value(), i != 3) << i;
    }
    EXPECT_TRUE(storage->account("first"));
    // The audit entries the grouped transactions wrote form one unbroken chain.
    const auto entries = storage->auditEntries();
    EXPECT_FALSE(verifyAuditChain(entries));
    EXPECT_EQ(entries.size(), 4u + 5u); // the fixture's four accounts and the five that stayed
}

TEST_P(HandlerTest, ConcurrentPushesAreAllOrNothingEach)
{
    const auto anna = login("anna");
    const auto bo = login("bo");
    ASSERT_EQ(push(anna, caseOps("c1", "d1", "anna", { "anna" }, {})).status, 200);
    ASSERT_EQ(push(bo, caseOps("c2", "d2", "bo", { "bo" }, {})).status, 200);
    const auto before = storage->lastSeq();
    std::vector<int> status(24, 0);
    std::vector<std::thread> threads;
    for (int t = 0; t < 24; ++t)
        threads.emplace_back([&, t] {
            std::vector<Op> ops;
            const auto id = "p" + std::to_string(t);
            if (t % 4 == 3) // Bo's own case and, in the same push, Anna's: refused whole
                ops = { makeOp(id + "-own", "c2", "d2x", OpKind::Set, "a.b", "1", "bo"),
                    makeOp(id + "-intrusion", "c1", "d1x", OpKind::Set, "a.b", "1", "bo") };
            else
                for (int k = 0; k < 5; ++k)
                    ops.push_back(makeOp(id + "-" + std::to_string(k), "c1", "d1x", OpKind::Set,
                        "a.f" + std::to_string(k), "v", "anna"));
            status[t] = push(t % 4 == 3 ? bo : anna, ops).status;
        });
    for (auto& t : threads)
        t.join();
    for (int t = 0; t < 24; ++t)
        EXPECT_EQ(status[t], t % 4 == 3 ? 403 : 200) << t;
    EXPECT_EQ(storage->lastSeq(), before + 18 * 5); // numbers without gaps: nothing of a refused push
    const auto ops = pull(anna)["ops"];
    std::int64_t previous = 0;
    for (const auto& entry : ops) {
        EXPECT_GT(entry["seq"].get<std::int64_t>(), previous);
        previous = entry["seq"].get<std::int64_t>();
        EXPECT_EQ(entry["op"]["op_id"].get<std::string>().find("intrusion"), std::string::npos);
    }
    EXPECT_TRUE(pull(bo, 0)["ops"].size() == caseOps("c2", "d2", "bo", { "bo" }, {}).size());
    EXPECT_FALSE(verifyAuditChain(storage->auditEntries()));
}

TEST_P(HandlerTest, PullPagesInServerOrderAndOnlyTheAccountsCases)
{
    const auto anna = login("anna");
    const auto bo = login("bo");
    ASSERT_EQ(push(anna, caseOps("c1", "d1", "anna", { "anna" }, {})).status, 200);
    ASSERT_EQ(push(bo, caseOps("c2", "d2", "bo", { "bo" }, {})).status, 200);
    ASSERT_EQ(
        push(anna, { makeOp("late", "c1", "d1", OpKind::Set, "sag.kle", "27.24.00", "anna") }).status, 200);
    std::vector<std::int64_t> seqs;
    std::int64_t cursor = 0;
    for (;;) {
        const auto page = pull(anna, cursor, 2);
        for (const auto& item : page["ops"]) {
            EXPECT_EQ(item["op"]["case_id"], "c1");
            seqs.push_back(item["seq"].get<std::int64_t>());
        }
        cursor = page["last"].get<std::int64_t>();
        if (!page["more"].get<bool>())
            break;
    }
    ASSERT_EQ(seqs.size(), 5u); // c1: create, title, one team row and its account, one later edit
    EXPECT_TRUE(std::is_sorted(seqs.begin(), seqs.end()));
    EXPECT_EQ(seqs.back(), storage->lastSeq());
    EXPECT_EQ(cursor, storage->lastSeq());
    const auto ahead = call("GET", "/v1/pull?after=" + std::to_string(storage->lastSeq() + 1), anna);
    EXPECT_EQ(ahead.status, 409);
    EXPECT_EQ(Json::parse(ahead.body)["last_seq"], storage->lastSeq());
}

TEST_P(HandlerTest, AServerMadeBeforeDocumentsWereListedListsThemWhenItStarts)
{
    const auto anna = login("anna");
    auto ops = caseOps("c1", "c1-doc", "anna", { "anna", "bo" }, {});
    ops.push_back(makeOp("n1", "c1", "c1-notes", OpKind::Set, "plan.tekst", "noter", "anna"));
    ASSERT_EQ(push(anna, ops).status, 200);
    handler.reset();
    storage.reset();

    // As the previous version left it: no document listed, ops indexed by case.
    const char* older = "DELETE FROM documents; CREATE INDEX ops_case ON ops(case_id, seq);";
    if (GetParam() == Backend::Postgres) {
        test::queryPostgres(url, older);
        storage = openPostgresStorage(url);
        EXPECT_EQ(
            test::queryPostgres(url, "SELECT count(*) FROM pg_indexes WHERE indexname = 'ops_case'"), "0");
    } else {
        {
            auto db = crypto::openEncryptedDatabase(
                dir.path() / "server.db", serverKey(dir.path()), crypto::OpenMode::ExistingOnly);
            sql::exec(db.get(), older);
            sql::exec(db.get(), "PRAGMA user_version = 2");
        }
        storage = openSqlStorage(dir.path());
    }
    handler = std::make_unique<Handler>(
        *storage, HandlerOptions { 30 * Minute, 12 * 60 * Minute, [this] { return now; } });

    // Both documents are the case's again: a team member reads every op, and neither document
    // can be written into another case.
    const auto page = pull(login("bo"));
    EXPECT_EQ(page["ops"].size(), ops.size());
    const auto moved = push(anna, { makeOp("n2", "c2", "c1-notes", OpKind::Set, "plan.tekst", "x", "anna") });
    EXPECT_EQ(moved.status, 400) << moved.body;
    EXPECT_NE(moved.body.find("belongs to case c1"), std::string::npos) << moved.body;

    if (GetParam() == Backend::SqlCipher) {
        handler.reset();
        storage.reset();
        auto db = crypto::openEncryptedDatabase(
            dir.path() / "server.db", serverKey(dir.path()), crypto::OpenMode::ExistingOnly);
        sql::Statement index(db.get(), "SELECT count(*) FROM sqlite_master WHERE name = 'ops_case'");
        ASSERT_TRUE(index.step());
        EXPECT_EQ(index.integer(0), 0);
    }
}

TEST_P(HandlerTest, ADocumentNeverMovesToAnotherCase)
{
    // What the validation cannot see: a push committed after it looked (two pushes racing to
    // start the same document in two cases). The later one stores nothing.
    storage->insertOps({ { 0, "x1", "case-a", "d1", "anna", R"({"op_id":"x1"})", 0 } });
    try {
        storage->insertOps({ { 0, "x2", "case-b", "d2", "anna", R"({"op_id":"x2"})", 0 },
            { 0, "x3", "case-b", "d1", "anna", R"({"op_id":"x3"})", 0 } });
        ADD_FAILURE() << "an op moved document d1 to case-b";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::Conflict) << e.what();
    }
    EXPECT_EQ(storage->heldOps({ "x1", "x2", "x3" }).size(), 1u);
    EXPECT_EQ(storage->caseOfDocument("d1"), std::optional<std::string>("case-a"));
    EXPECT_EQ(storage->caseOfDocument("d2"), std::nullopt);
}

TEST_P(HandlerTest, ADocumentsCaseIsKeptOnlyOnceCommitted)
{
    // A listing read inside a transaction that is then rolled back must not be remembered.
    try {
        storage->transaction([&] {
            storage->insertOps({ { 0, "y1", "case-a", "d9", "anna", R"({"op_id":"y1"})", 0 } });
            EXPECT_EQ(storage->caseOfDocument("d9"), std::optional<std::string>("case-a"));
            throw std::runtime_error("changed my mind");
        });
        ADD_FAILURE() << "the transaction did not fail";
    } catch (const std::runtime_error&) {
    }
    EXPECT_EQ(storage->caseOfDocument("d9"), std::nullopt);
    storage->insertOps({ { 0, "y2", "case-b", "d9", "anna", R"({"op_id":"y2"})", 0 } });
    EXPECT_EQ(storage->caseOfDocument("d9"), std::optional<std::string>("case-b"));
    EXPECT_EQ(storage->caseOfDocument("d9"), std::optional<std::string>("case-b"));
}

TEST_P(HandlerTest, AStatementThatFailsLeavesTheStorageUsable)
{
    if (GetParam() != Backend::Postgres)
        GTEST_SKIP() << "PostgreSQL's connections and pipelines";
    storage->insertOps({ { 0, "z1", "case-a", "d1", "anna", R"({"op_id":"z1"})", 0 } });
    // More failures than the pool has connections: each connection that saw one is used again.
    for (int i = 0; i < 12; ++i) {
        try {
            storage->insertOps({ { 0, "z1", "case-a", "d1", "anna", R"({"op_id":"z1"})", 0 } });
            ADD_FAILURE() << "an op id was stored twice";
        } catch (const Error& e) {
            EXPECT_EQ(e.code(), ErrorCode::Storage) << e.what();
        }
    }
    storage->insertOps({ { 0, "z2", "case-a", "d1", "anna", R"({"op_id":"z2"})", 0 } });
    const auto view = storage->pushView({ "z1", "z2", "z3" }, { "case-a" });
    EXPECT_EQ(view.held.size(), 2u);
    EXPECT_EQ(storage->lastSeq(), 2);
}

TEST_P(HandlerTest, AViewReadAheadIsCheckedWhenItsTransactionCommits)
{
    const auto anna = login("anna");
    ASSERT_EQ(push(anna, caseOps("case-a", "casedoc-a", "anna", { "anna" }, {})).status, 200);
    const auto ahead = storage->pushViewAhead({ "w1" }, { "case-a", "case-new" });
    if (GetParam() == Backend::SqlCipher) {
        // Its reads cost no round trip: the view is read inside the transaction.
        EXPECT_FALSE(ahead.has_value());
        return;
    }
    ASSERT_TRUE(ahead.has_value());
    ASSERT_EQ(ahead->facts.count("case-a"), 1u);
    EXPECT_EQ(ahead->facts.at("case-a").members, std::vector<std::string> { "anna" });
    const auto insertWith = [&](const std::string& opId) {
        storage->transaction([&] {
            const auto view = storage->pushView({ opId }, { "case-a", "case-new" }, ahead);
            EXPECT_EQ(view.facts.size(), 1u);
            storage->insertOps({ { 0, opId, "case-a", "d1", "anna", R"({"op_id":")" + opId + "\"}", 0 } });
        });
    };
    const auto expectStale = [&](const std::string& opId, const char* why) {
        const auto before = storage->lastSeq();
        try {
            insertWith(opId);
            ADD_FAILURE() << "a view read ahead was trusted after " << why;
        } catch (const Storage::StaleView&) {
        }
        EXPECT_EQ(storage->lastSeq(), before) << why;
    };
    insertWith("w1"); // still true
    EXPECT_EQ(storage->heldOps({ "w1" }).size(), 1u);

    // An op stored meanwhile (the view said none was held).
    expectStale("w1", "its op was stored");

    // A case's team changed meanwhile.
    storage->setCaseFacts({ "case-a", "casedoc-a", { "anna", "bo" }, {} });
    expectStale("w2", "its case's team changed");
    storage->setCaseFacts(ahead->facts.at("case-a"));
    insertWith("w2");

    // A case it did not know was made meanwhile.
    storage->setCaseFacts({ "case-new", "casedoc-new", { "bo" }, {} });
    expectStale("w3", "another of its cases was made");
    EXPECT_EQ(storage->heldOps({ "w1", "w2", "w3" }).size(), 2u);
}

TEST_P(HandlerTest, APushRefusedOnATeamReadBeforeTheWriteLockIsDecidedAgainUnderIt)
{
    if (GetParam() != Backend::Postgres)
        GTEST_SKIP() << "only PostgreSQL reads a push's view before its transaction";
    const auto anna = login("anna");
    ASSERT_EQ(push(anna, caseOps("case-a", "casedoc-a", "anna", { "anna" }, {})).status, 200);
    const auto bo = login("bo");
    // Another server process on the same database adds bo to the team, and holds the write lock
    // until bo's push has read the team (without bo) and waits for the lock.
    auto other = openPostgresStorage(url);
    std::promise<void> holding;
    std::thread teamChange([&] {
        other->transaction([&] {
            auto facts = *other->caseFacts("case-a");
            facts.members = { "anna", "bo" };
            other->setCaseFacts(facts);
            holding.set_value();
            std::this_thread::sleep_for(std::chrono::milliseconds(300));
        });
    });
    holding.get_future().wait();
    const auto r = push(bo, { makeOp("b1", "case-a", "doc-b", OpKind::Set, "plan.felt", "tekst", "bo") });
    teamChange.join();
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(storage->heldOps({ "b1" }).size(), 1u);
}

TEST_P(HandlerTest, ACaseTeamRememberedFromAnEarlierPushIsCheckedUnderTheWriteLock)
{
    if (GetParam() != Backend::Postgres)
        GTEST_SKIP() << "only PostgreSQL reads a push's view before its transaction";
    const auto anna = login("anna");
    const auto bo = login("bo");
    ASSERT_EQ(push(anna, caseOps("case-a", "casedoc-a", "anna", { "anna" }, {})).status, 200);
    ASSERT_EQ(
        push(bo, { makeOp("b0", "case-a", "doc-a", OpKind::Set, "plan.felt", "nul", "bo") }).status, 403);
    // A push that read the team of case-a before its transaction: this process remembers it.
    ASSERT_EQ(
        push(anna, { makeOp("a1", "case-a", "doc-a", OpKind::Set, "plan.felt", "en", "anna") }).status, 200);
    // Another server process on the same database makes bo the team instead of anna.
    auto other = openPostgresStorage(url);
    other->transaction([&] {
        auto facts = *other->caseFacts("case-a");
        facts.members = { "bo" };
        other->setCaseFacts(facts);
    });
    const auto a2 = push(anna, { makeOp("a2", "case-a", "doc-a", OpKind::Set, "plan.felt", "tre", "anna") });
    EXPECT_EQ(a2.status, 403) << a2.body;
    const auto b1 = push(bo, { makeOp("b1", "case-a", "doc-a", OpKind::Set, "plan.felt", "fire", "bo") });
    EXPECT_EQ(b1.status, 200) << b1.body;
    EXPECT_TRUE(storage->heldOps({ "a2" }).empty());
    EXPECT_EQ(storage->heldOps({ "b1" }).size(), 1u);
}

TEST_P(HandlerTest, ASessionRememberedForPushesIsCheckedUnderTheWriteLock)
{
    if (GetParam() != Backend::Postgres)
        GTEST_SKIP() << "only PostgreSQL remembers sessions for pushes";
    const auto anna = login("anna");
    ASSERT_EQ(push(anna, caseOps("case-a", "casedoc-a", "anna", { "anna" }, {})).status, 200);
    ASSERT_EQ(
        push(anna, { makeOp("a1", "case-a", "doc-a", OpKind::Set, "plan.felt", "en", "anna") }).status, 200);
    // Another server process on the same database revokes the session this process remembers.
    auto other = openPostgresStorage(url);
    other->revokeSession(crypto::sha256Hex(anna));
    const auto revoked
        = push(anna, { makeOp("a2", "case-a", "doc-a", OpKind::Set, "plan.felt", "to", "anna") });
    EXPECT_EQ(revoked.status, 401) << revoked.body;
    // ... or disables the account.
    const auto again = login("anna");
    ASSERT_EQ(
        push(again, { makeOp("a3", "case-a", "doc-a", OpKind::Set, "plan.felt", "tre", "anna") }).status,
        200);
    other->setDisabled("anna", true);
    const auto disabled
        = push(again, { makeOp("a4", "case-a", "doc-a", OpKind::Set, "plan.felt", "fire", "anna") });
    EXPECT_EQ(disabled.status, 403) << disabled.body;
    EXPECT_EQ(Json::parse(disabled.body)["error"], "account_disabled");
    EXPECT_TRUE(storage->heldOps({ "a2", "a4" }).empty());
    EXPECT_EQ(storage->heldOps({ "a1", "a3" }).size(), 2u);
}

TEST_P(HandlerTest, TemplatesTravelWithTheirCase)
{
    const auto anna = login("anna");
    const std::string xml = "<template id=\"x\"/>";
    const std::string hash = crypto::sha256Hex(xml);
    Json body = Json::parse(pushBody(caseOps("c1", "d1", "anna", { "anna" }, {})));
    body["templates"] = { { hash, xml } };
    ASSERT_EQ(call("POST", "/v1/push", anna, body.dump()).status, 200);
    const auto page = pull(anna);
    EXPECT_EQ(page["templates"][hash], xml);
    EXPECT_TRUE(pull(anna, page["last"].get<std::int64_t>())["templates"].empty());
    body["templates"] = { { std::string(64, '0'), xml } };
    const auto bad = call("POST", "/v1/push", anna, body.dump());
    EXPECT_EQ(bad.status, 400);
    EXPECT_EQ(Json::parse(bad.body)["error"], "bad_template");
}

// Hostile and broken requests: a 4xx each, and nothing changes.
TEST_P(HandlerTest, HostileInputChangesNothing)
{
    const auto anna = login("anna");
    ASSERT_EQ(push(anna, caseOps("c1", "d1", "anna", { "anna" }, {})).status, 200);
    const auto last = storage->lastSeq();
    const std::string good = pushBody({ makeOp("n1", "c1", "d2", OpKind::Set, "a.b", "x", "anna") });
    Json manyOps = Json::parse(good);
    for (int i = 0; i < 5000; ++i)
        manyOps["ops"].push_back(manyOps["ops"][0]);
    const std::vector<std::pair<std::string, int>> bodies = {
        { "", 400 },
        { "{", 400 },
        { good.substr(0, good.size() / 2), 400 }, // truncated
        { "[]", 400 },
        { R"({"ops": {}})", 400 },
        { R"({"ops": [], "extra": 1})", 400 },
        { R"({"ops": [1]})", 400 },
        { R"({"ops": [{"op_id": 5}]})", 400 },
        { std::string(100, '[') + std::string(100, ']'), 400 },
        { "{\"ops\": [\"\xff\xfe\"]}", 400 },
        { std::string(MaxBodyBytes + 1, ' '), 413 },
        { manyOps.dump(), 413 },
    };
    for (const auto& [body, status] : bodies) {
        const auto r = call("POST", "/v1/push", anna, body);
        EXPECT_EQ(r.status, status) << body.substr(0, 60);
        EXPECT_TRUE(Json::accept(r.body)) << r.body;
        EXPECT_EQ(storage->lastSeq(), last);
    }
    for (const auto& target : { "/v1/pull?after=-1", "/v1/pull?limit=0", "/v1/pull?limit=5001",
             "/v1/pull?after=1&after=2", "/v1/pull?x=1", "/v1/pull?after", "/v1/pull?after=1x" })
        EXPECT_EQ(call("GET", target, anna).status, 400) << target;
    EXPECT_EQ(call("GET", "/v1/push", anna).status, 405);
    EXPECT_EQ(call("POST", "/v1/pull", anna).status, 405);
    EXPECT_EQ(call("GET", "/v1/live", anna).status, 426);
    EXPECT_EQ(call("GET", "/v2/anything", anna).status, 404);
    EXPECT_EQ(call("POST", "/v1/login", {}, R"({"user": "anna"})").status, 400);
    EXPECT_EQ(
        call("POST", "/v1/login", {}, R"({"user": "anna", "password": "password-anna", "x": 1})").status,
        400);
    EXPECT_EQ(handler->handle({ "GET", "/v1/pull", "Bearer " + std::string(64, 'g'), "" }).status, 401);
    EXPECT_EQ(handler->handle({ "GET", "/v1/pull", "Basic abc", "" }).status, 401);
    EXPECT_EQ(storage->lastSeq(), last);
    EXPECT_FALSE(verifyAuditChain(storage->auditEntries()));
}

TEST_P(HandlerTest, TheAuditLogIsAChainAndAnswersForAPerson)
{
    const auto anna = login("anna");
    const auto carl = login("carl");
    ASSERT_EQ(
        push(anna, caseOps("c1", "d1", "anna", { "anna" }, { "0101901234", "0202021234" })).status, 200);
    pull(anna);
    EXPECT_EQ(push(carl, { makeOp("peek", "c1", "d2", OpKind::Set, "a.b", "x", "carl") }).status, 403);
    const auto entries = storage->auditEntries();
    EXPECT_FALSE(verifyAuditChain(entries));
    const auto mine = auditForPerson(entries, "010190-1234");
    ASSERT_EQ(mine.size(), 3u);
    EXPECT_EQ(mine[0].action, "push");
    EXPECT_EQ(mine[1].action, "pull");
    EXPECT_EQ(mine[2].account, "carl");
    EXPECT_EQ(mine[2].outcome, "denied");
    EXPECT_TRUE(auditForPerson(entries, "0303031234").empty());
    test::expectError(ErrorCode::BadInput, "not a CPR number", [&] { auditForPerson(entries, "12"); });

    auto changed = entries;
    changed[2].detail = "something else";
    ASSERT_TRUE(verifyAuditChain(changed));
    EXPECT_EQ(verifyAuditChain(changed)->seq, changed[2].seq);
    auto removed = entries;
    removed.erase(removed.begin() + 1);
    ASSERT_TRUE(verifyAuditChain(removed));
    EXPECT_EQ(verifyAuditChain(removed)->seq, entries[2].seq);
}

TEST_P(HandlerTest, LiveChannelIsToldAfterCommitAndEndsWithItsSession)
{
    std::vector<std::pair<std::string, std::int64_t>> told;
    handler->onOpsCommitted([&](const std::string& c, std::int64_t seq) { told.emplace_back(c, seq); });
    const auto anna = login("anna");
    const auto live = handler->acceptLive({ "GET", "/v1/live", "Bearer " + anna, "" });
    ASSERT_TRUE(std::holds_alternative<LiveIdentity>(live));
    const auto who = std::get<LiveIdentity>(live);
    EXPECT_EQ(who.account, "anna");
    ASSERT_EQ(push(anna, caseOps("c1", "d1", "anna", { "anna" }, {})).status, 200);
    ASSERT_EQ(told.size(), 1u);
    EXPECT_EQ(told[0], std::make_pair(std::string("c1"), storage->lastSeq()));
    EXPECT_EQ(handler->caseMembers("c1"), std::vector<std::string> { "anna" });
    EXPECT_TRUE(handler->sessionValid(who));
    now += 31 * Minute;
    EXPECT_FALSE(handler->sessionValid(who));
}

TEST_P(HandlerTest, AccountsAreCheckedWhenAdded)
{
    test::expectError(ErrorCode::Conflict, "exists already",
        [&] { handler->addAccount("anna", "password-x", "member", true); });
    test::expectError(
        ErrorCode::BadInput, "at least 8", [&] { handler->addAccount("eve", "short", "member", true); });
    test::expectError(ErrorCode::BadInput, "admin or member",
        [&] { handler->addAccount("eve", "password-x", "root", true); });
    test::expectError(ErrorCode::NotFound, "no account 'zed'", [&] { handler->disableAccount("zed"); });
    EXPECT_EQ(storage->accounts().size(), 4u);
}

TEST_P(HandlerTest, TextIsComparedByteByByteOnEveryStorage)
{
    // Ids, hashes and names are compared as bytes, whatever the database's language: the same
    // order on both storages, and no language's collation run on every index lookup. (The test
    // cluster is Danish where the machine has the locale, where æ, ø and å come after z.)
    for (const char* name : { "zeta", "øre", "åse", "æble" })
        handler->addAccount(name, std::string("password-") + name, "member", true);
    std::vector<std::string> names;
    for (const auto& a : storage->accounts())
        names.push_back(a.name);
    EXPECT_EQ(
        names, (std::vector<std::string> { "anna", "bo", "carl", "dora", "zeta", "åse", "æble", "øre" }));
}

INSTANTIATE_TEST_SUITE_P(Storage, HandlerTest, ::testing::Values(Backend::SqlCipher, Backend::Postgres),
    [](const auto& param) { return test::backendName(param.param); });

} // namespace
} // namespace fplan::sync
