// SPDX-License-Identifier: EUPL-1.2
// Regression tests of the gaps between two replicas exchanging ops: existence travels as ops,
// versions keep their numbers, causality (not clocks) decides "changed since".
#include "core/case.h"
#include "core/document.h"
#include "core/op_validation.h"
#include "core/sql.h"
#include "core/store.h"
#include "tests/support/test_support.h"

#include <gtest/gtest.h>

#include <algorithm>

using namespace fplan;
namespace fs = std::filesystem;

namespace {

const char* Passphrase = "korrekt hest batteri";

struct TwoStores : ::testing::Test {
    void SetUp() override
    {
        Store::create(dir / "a.fplan", Passphrase, crypto::KdfParams::freshCheap());
        Store::create(dir / "b.fplan", Passphrase, crypto::KdfParams::freshCheap());
    }
    Store open(const char* name) { return Store::open(dir / name, Passphrase); }
    test::TempDir dir;
};

Json cacheRows(const Store& s)
{
    Json out = Json::array();
    for (const auto& c : s.listCases()) {
        Json docs = Json::array();
        for (const auto& d : s.documents(c.id))
            docs.push_back({ d.id, d.templateId, d.templateVersion, d.templateHash, d.createdHlc });
        out.push_back({ c.id, c.title, c.journalNumber, c.searchText, *s.caseDocumentId(c.id), docs });
    }
    return out;
}

} // namespace

// Gap 1: existence did not travel; ops of a case a replica had not seen stayed invisible.
TEST_F(TwoStores, ACaseAndItsDocumentsTravelAsOpsInAnyOrder)
{
    std::vector<Op> all;
    std::string caseId = "case-1", caseDoc = "casedoc-1", plan = "plan-1";
    {
        Store a = open("a.fplan");
        OpFactory f("jr", a.deviceId(), a.clock());
        a.createCase(caseId, caseDoc, "jr");
        a.appendOps({ f.set(a.documentState(caseDoc), caseId, caseDoc, "sag.titel", "Familien Ravn") });
        a.createDocument({ plan, caseId, "handleplan", "2", 0, std::string(64, 'a') }, "jr");
        a.appendOps({ f.set(a.documentState(plan), caseId, plan, "om_planen.dato", "2026-03-12") });
        all = a.allOps();
        EXPECT_EQ(4u, all.size());
    }
    Store b = open("b.fplan");
    std::reverse(all.begin(), all.end()); // content before creation
    b.appendOps({ all[0] }, OpOrigin::Received);
    b.appendOps({ all[2] }, OpOrigin::Received);
    EXPECT_TRUE(b.listCases().empty()); // kept, but no case yet
    EXPECT_FALSE(b.document(plan));
    b.appendOps({ all[1] }, OpOrigin::Received); // the plan's create op: the case is still missing
    b.appendOps({ all[3] }, OpOrigin::Received); // the case's create op
    ASSERT_EQ(1u, b.listCases().size());
    EXPECT_EQ("Familien Ravn", b.listCases()[0].title);
    ASSERT_EQ(1u, b.documents(caseId).size());
    EXPECT_EQ("handleplan", b.documents(caseId)[0].templateId);
    EXPECT_EQ("2", b.documents(caseId)[0].templateVersion);
    EXPECT_EQ(std::string(64, 'a'), b.documents(caseId)[0].templateHash);
    EXPECT_EQ("2026-03-12", b.documentState(plan).value("om_planen.dato"));
    EXPECT_EQ("0", b.queryText("SELECT count(*) FROM upload_queue"));
}

TEST_F(TwoStores, TheCachesEqualARebuildFromTheOps)
{
    Store a = open("a.fplan");
    OpFactory f("jr", a.deviceId(), a.clock());
    for (int i = 0; i < 3; ++i) {
        const std::string c = "case-" + std::to_string(i), cd = "cd-" + std::to_string(i);
        a.createCase(c, cd);
        a.appendOps({ f.set(a.documentState(cd), c, cd, "sag.titel", "Sag " + std::to_string(i)),
            f.set(a.documentState(cd), c, cd, "sag.journalnummer", "27.24." + std::to_string(i)) });
        a.createDocument({ "doc-" + std::to_string(i), c, "handleplan", "1", 0, "" });
    }
    const Json incremental = cacheRows(a);
    EXPECT_EQ(3u, incremental.size());
    a.rebuildCaches();
    EXPECT_EQ(incremental, cacheRows(a));
    sqlite3* db = a.handle();
    sql::exec(db, "UPDATE cases SET title = 'forkert'; DELETE FROM documents WHERE doc_id = 'doc-1'");
    EXPECT_NE(incremental, cacheRows(a));
    a.rebuildCaches();
    EXPECT_EQ(incremental, cacheRows(a));
}

TEST_F(TwoStores, AnOpNamingAnotherCaseIsNotPartOfTheDocument)
{
    Store a = open("a.fplan");
    OpFactory f("jr", a.deviceId(), a.clock());
    a.createCase("case-1", "cd-1");
    a.createDocument({ "doc-1", "case-1", "handleplan", "1", 0, "" });
    Op stray = f.set(a.documentState("doc-1"), "case-2", "doc-1", "felt", "fremmed");
    a.appendOps({ stray }, OpOrigin::Received);
    EXPECT_FALSE(a.documentState("doc-1").value("felt"));
    OpReceiver receiver;
    receiver.caseOfDocument = [&](const std::string& d) -> std::optional<std::string> {
        const auto info = a.document(d);
        return info ? std::optional<std::string>(info->caseId) : std::nullopt;
    };
    EXPECT_TRUE(std::holds_alternative<OpRefusal>(validateOp(toJson(stray), receiver)));
}

// Gap 2: a concurrent finalise arriving later renumbered "version 1" into "version 2".
TEST(StableVersions, ConcurrentFinalisesShareANumberAndNoNumberMoves)
{
    HybridClock ca, cb;
    OpFactory a("anna", "dev-a", ca), b("bo", "dev-b", cb);
    const DocumentState empty;
    const Op edit = a.set(empty, "c", "d", "felt", "x");
    const std::vector<Op> base = { edit };
    const DocumentState s0 = DocumentState::fold(base);
    const Op finA = a.finalize(s0, "c", "d");
    const Op finB = b.finalize(s0, "c", "d");
    DocumentState onA = DocumentState::fold(base);
    onA.apply(finA);
    ASSERT_EQ(1, onA.versions().at(0).number);
    onA.apply(finB); // arrives later, but its clock may be earlier: numbers stay
    ASSERT_EQ(2u, onA.versions().size());
    EXPECT_EQ(1, onA.version(finA.id)->number);
    EXPECT_EQ(1, onA.version(finB.id)->number);
    test::expectError(ErrorCode::Conflict, "finalised twice at once", [&] { onA.resolveVersion("1"); });
    EXPECT_EQ(finB.id, onA.resolveVersion(finB.id).opId);
    const Op settle = b.finalize(onA, "c", "d");
    onA.apply(settle);
    EXPECT_EQ(2, onA.version(settle.id)->number);
    EXPECT_EQ(2, onA.resolveVersion("2").number);
    test::expectError(ErrorCode::NotFound, "no version '7'", [&] { onA.resolveVersion("7"); });
}

// Gap 3: "nothing changed since version N" compared clocks; a concurrent edit with an earlier
// clock was taken as seen, and an edit with a later clock as unseen.
TEST(Causality, ChangedSinceFollowsParentsNotClocks)
{
    HybridClock ca, cb;
    OpFactory a("anna", "dev-a", ca), b("bo", "dev-b", cb);
    const Op edit = a.set(DocumentState(), "c", "d", "felt", "x");
    std::vector<Op> ops = { edit };
    DocumentState s = DocumentState::fold(ops);
    Op concurrent = b.set(s, "c", "d", "andet", "y");
    concurrent.hlc = 1; // an early clock: it must still count as not seen by the version
    const Op fin = a.finalize(s, "c", "d");
    s.apply(fin);
    EXPECT_FALSE(s.changedSince(*s.latestVersion()));
    s.apply(concurrent);
    EXPECT_TRUE(s.changedSince(*s.latestVersion()));
}
