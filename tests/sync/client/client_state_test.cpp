// SPDX-License-Identifier: EUPL-1.2
// The sync client's state machine against a real store: the upload queue, what the server
// holds, the pull cursor, each step one transaction.
#include "base/error.h"
#include "core/bundle.h"
#include "core/store.h"
#include "crypto/hash.h"
#include "sync/client/client_state.h"
#include "tests/support/test_support.h"

#include <gtest/gtest.h>

using namespace fplan;
using namespace fplan::sync;
namespace fs = std::filesystem;

namespace {

const char* Passphrase = "korrekt hest batteri";
const char* Url = "https://127.0.0.1:8443";
const char* Fingerprint = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

const char* BundleText = R"({
  "case": {"title": "Familien Nørgaard", "journal_number": "27.24.00-G01-1-26", "kle": "27.24.00"},
  "people": [{"id": "p1", "name": "Søs Nørgaard", "cpr": "0101901234", "relation": "mor"}],
  "team": [{"id": "t1", "name": "Jens Ravn", "user": "jr"}],
  "coordinator": "t1"
})";

PulledPage pageOf(std::vector<Op> ops, std::int64_t last)
{
    return { std::move(ops), last, {} };
}

class ClientStateTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        Store::create(dir / "a.fplan", Passphrase, crypto::KdfParams::freshCheap());
        Store::create(dir / "b.fplan", Passphrase, crypto::KdfParams::freshCheap());
    }
    Store open(const char* name) { return Store::open(dir / name, Passphrase); }

    static std::string importExample(Store& store, const std::string& author)
    {
        OpFactory factory(author, store.deviceId(), store.clock());
        return importBundle(store, parseBundle(BundleText, "b.json"), factory,
            [](const BundleDocument&, const Case&) { return PreparedDocument {}; });
    }

    static Op setTitle(Store& store, const std::string& caseId, const std::string& title)
    {
        const std::string docId = *store.caseDocumentId(caseId);
        OpFactory factory(store.setting("user.name").value_or("jr"), store.deviceId(), store.clock());
        Op op = factory.set(store.documentState(docId), caseId, docId, "sag.titel", title);
        store.appendOps({ op });
        return op;
    }

    static std::vector<std::string> ids(const std::vector<Op>& ops)
    {
        std::vector<std::string> out;
        for (const auto& op : ops)
            out.push_back(op.id);
        return out;
    }

    test::TempDir dir;
};

} // namespace

TEST_F(ClientStateTest, TheQueueIsInLocalOrderAndOpsLeaveItOnlyWhenHeld)
{
    Store store = open("a.fplan");
    ClientState state(store);
    const std::string caseId = importExample(store, "jr");
    setTitle(store, caseId, "Ny titel");
    const auto all = state.pending(1000);
    ASSERT_EQ(store.opCount(), all.size());
    EXPECT_EQ(all.size(), state.pendingCount());
    // The first batch is the oldest ops, in the order they were written.
    const auto first = state.pending(3);
    ASSERT_EQ(3u, first.size());
    const auto allIds = ids(all);
    EXPECT_EQ(std::vector<std::string>(allIds.begin(), allIds.begin() + 3), ids(first));

    std::vector<HeldOp> held;
    for (std::size_t i = 0; i < first.size(); ++i)
        held.push_back({ first[i].id, static_cast<std::int64_t>(100 + i) });
    EXPECT_EQ(3u, state.recordHeld(held));
    EXPECT_EQ(all.size() - 3, state.pendingCount());
    EXPECT_EQ(all[3].id, state.pending(1).at(0).id);
    EXPECT_EQ(101, state.serverSeq(first[1].id));
    // A repeated answer (the push was re-sent) changes nothing.
    EXPECT_EQ(0u, state.recordHeld(held));
    EXPECT_EQ(all.size() - 3, state.pendingCount());
    EXPECT_EQ(3u, state.heldCount());
    // Ops from elsewhere never enter the queue.
    EXPECT_FALSE(state.serverSeq(all.back().id));
}

TEST_F(ClientStateTest, TheStateSurvivesReopening)
{
    std::string firstId;
    {
        Store store = open("a.fplan");
        ClientState state(store);
        importExample(store, "jr");
        state.bind(Url, "jr", Fingerprint, "token-1");
        firstId = state.pending(1).at(0).id;
        state.recordHeld({ { firstId, 7 } });
        EXPECT_FALSE(state.binding()->synced.has_value());
        state.recordSynced(
            std::chrono::system_clock::time_point(std::chrono::milliseconds(1'796'000'000'123)));
    }
    Store store = open("a.fplan");
    ClientState state(store);
    const auto b = state.binding();
    ASSERT_TRUE(b);
    EXPECT_EQ(Url, b->url);
    EXPECT_EQ("jr", b->account);
    EXPECT_EQ(Fingerprint, b->fingerprint);
    EXPECT_EQ("token-1", b->token);
    EXPECT_EQ(0, b->cursor);
    ASSERT_TRUE(b->synced.has_value());
    EXPECT_EQ(1'796'000'000'123,
        std::chrono::duration_cast<std::chrono::milliseconds>(b->synced->time_since_epoch()).count());
    EXPECT_EQ(7, state.serverSeq(firstId));
    EXPECT_EQ(store.opCount() - 1, state.pendingCount());
}

TEST_F(ClientStateTest, TheFirstSignInMakesTheAccountTheAuthorOfQueuedOps)
{
    Store store = open("a.fplan");
    ClientState state(store);
    const std::string caseId = importExample(store, "lokal");
    const std::string heldId = state.pending(1).at(0).id;
    state.recordHeld({ { heldId, 1 } }); // as if an earlier server had it: never rewritten
    state.bind(Url, "jr", Fingerprint, "t");
    EXPECT_EQ("jr", store.setting("user.name"));
    for (const Op& op : state.pending(1000))
        EXPECT_EQ("jr", op.author) << op.id;
    for (const Op& op : store.ops(*store.caseDocumentId(caseId))) {
        if (op.id == heldId) {
            EXPECT_EQ("lokal", op.author);
        }
    }
    // A store is bound once: another server or account is refused, nothing changed.
    test::expectError(ErrorCode::Conflict, "already syncs with https://127.0.0.1:8443 as jr",
        [&] { state.bind("https://other:1", "mm", Fingerprint, "t2"); });
    EXPECT_EQ("t", state.binding()->token);
}

TEST_F(ClientStateTest, PulledPagesAreStoredWithTheirCursorAndRepeatingOneIsHarmless)
{
    std::string caseId;
    {
        Store a = open("a.fplan");
        caseId = importExample(a, "jr");
    }
    // b starts as a copy of a (both have the case); then a writes on.
    fs::copy_file(dir / "a.fplan", dir / "c.fplan");
    fs::copy_file(Store::kdfPathFor(dir / "a.fplan"), Store::kdfPathFor(dir / "c.fplan"));
    Store a = open("a.fplan");
    const Op first = setTitle(a, caseId, "Første titel");
    const Op second = setTitle(a, caseId, "Anden titel");

    Store b = open("c.fplan");
    ClientState state(b);
    state.bind(Url, "mm", Fingerprint, "t");
    const std::size_t before = b.opCount();
    PullApplied applied = state.applyPulled(pageOf({ first }, 10));
    EXPECT_EQ(1u, applied.newOps);
    EXPECT_EQ(std::set<std::string> { caseId }, applied.updatedCases);
    EXPECT_TRUE(applied.newCases.empty());
    EXPECT_EQ(10, state.binding()->cursor);
    EXPECT_EQ("Første titel", b.listCases().at(0).title);

    // The same page again (an answer lost on the way): nothing new, nothing twice.
    applied = state.applyPulled(pageOf({ first }, 10));
    EXPECT_EQ(0u, applied.newOps);
    EXPECT_TRUE(applied.updatedCases.empty());
    EXPECT_EQ(before + 1, b.opCount());

    // A page that ends behind the cursor is refused whole.
    test::expectError(ErrorCode::BadInput, "behind this store's cursor 10",
        [&] { state.applyPulled(pageOf({ second }, 9)); });
    EXPECT_EQ(10, state.binding()->cursor);
    EXPECT_EQ(before + 1, b.opCount());

    applied = state.applyPulled(pageOf({ second }, 12));
    EXPECT_EQ(12, state.binding()->cursor);
    EXPECT_EQ("Anden titel", b.listCases().at(0).title);
}

TEST_F(ClientStateTest, APulledCaseIsNewAndLaterOpsOfItAreUpdates)
{
    Store a = open("a.fplan");
    const std::string caseId = importExample(a, "jr");
    const Op edit = setTitle(a, caseId, "Ændret titel");
    const std::vector<Op> all = ClientState(a).pending(1000);
    ASSERT_EQ(a.opCount(), all.size());

    Store b = open("b.fplan");
    ClientState state(b);
    state.bind(Url, "mm", Fingerprint, "t");
    PullApplied applied = state.applyPulled(pageOf(std::vector<Op>(all.begin(), all.end() - 1), 10));
    EXPECT_EQ(all.size() - 1, applied.newOps);
    EXPECT_EQ(std::set<std::string> { caseId }, applied.newCases);
    EXPECT_TRUE(applied.updatedCases.empty());
    ASSERT_EQ(1u, b.listCases().size());
    EXPECT_EQ("Familien Nørgaard", b.listCases().at(0).title);
    EXPECT_EQ(0u, state.pendingCount()); // received ops are never pushed back

    applied = state.applyPulled(pageOf({ edit }, 12));
    EXPECT_EQ(1u, applied.newOps);
    EXPECT_TRUE(applied.newCases.empty());
    EXPECT_EQ(std::set<std::string> { caseId }, applied.updatedCases);
    EXPECT_EQ("Ændret titel", b.listCases().at(0).title);
}

TEST_F(ClientStateTest, PulledTemplatesAreKeptWithTheirPageAndAWrongHashStoresNothing)
{
    Store b = open("b.fplan");
    ClientState state(b);
    state.bind(Url, "mm", Fingerprint, "t");
    const std::string text = "<template id=\"plan\" version=\"2\"/>";
    const std::string hash = crypto::sha256Hex(text);
    PulledPage bad { {}, 4, { { std::string(64, '0'), "plan", "2", text } } };
    EXPECT_THROW(state.applyPulled(bad), Error);
    EXPECT_EQ(0, state.binding()->cursor);
    EXPECT_FALSE(b.templateText(std::string(64, '0')));
    state.applyPulled({ {}, 4, { { hash, "plan", "2", text } } });
    EXPECT_EQ(text, b.templateText(hash));
    EXPECT_EQ(4, state.binding()->cursor);
}

TEST_F(ClientStateTest, OurOwnOpsPulledBackLeaveTheQueue)
{
    // A copy of the store (same device id) pushed them already: the server holds them.
    Store a = open("a.fplan");
    ClientState state(a);
    importExample(a, "jr");
    state.bind(Url, "jr", Fingerprint, "t");
    const auto queued = state.pending(1000);
    ASSERT_FALSE(queued.empty());
    state.applyPulled(pageOf(queued, static_cast<std::int64_t>(queued.size())));
    EXPECT_EQ(0u, state.pendingCount());
}

TEST_F(ClientStateTest, AFailedStepChangesNothing)
{
    Store a = open("a.fplan");
    const std::string caseId = importExample(a, "jr");
    const auto ops = ClientState(a).pending(1000);
    Store b = open("b.fplan");
    ClientState state(b);
    state.bind(Url, "mm", Fingerprint, "t");
    // A cut in the middle of storing a page (here: the transaction throws after the ops went in).
    EXPECT_THROW(b.transaction([&] {
        state.applyPulled(pageOf(ops, 5));
        throw Error(ErrorCode::Storage, "cut");
    }),
        Error);
    EXPECT_EQ(0u, b.opCount());
    EXPECT_EQ(0, state.binding()->cursor);
    EXPECT_FALSE(b.hasCase(caseId));
}
