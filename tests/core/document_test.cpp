// SPDX-License-Identifier: EUPL-1.2
#include "base/error.h"
#include "core/document.h"
#include "tests/support/test_support.h"

#include <gtest/gtest.h>

using namespace fplan;

namespace {

// Two desks editing one document; each keeps its own op list and folds it.
struct Desk {
    explicit Desk(const std::string& name)
        : factory(name, "device-" + name, clock)
    {
    }
    HybridClock clock;
    OpFactory factory;
    std::vector<Op> ops;
    DocumentState state() const { return DocumentState::fold(ops); }
    void apply(const Op& op) { ops.push_back(op); }
    void receive(const Desk& other) { ops.insert(ops.end(), other.ops.begin(), other.ops.end()); }
    Op set(const std::string& path, Json v, bool text = false)
    {
        Op op = factory.set(state(), "c", "d", path, std::move(v), text);
        apply(op);
        return op;
    }
};

} // namespace

TEST(Document, LaterEditSupersedesTheOneItSaw)
{
    Desk a("a");
    a.set("f", "one");
    a.set("f", "two");
    EXPECT_EQ("two", a.state().value("f"));
    EXPECT_TRUE(a.state().conflicts().empty());
}

TEST(Document, ConcurrentEditsOfOneFieldKeepBothValues)
{
    Desk a("a"), b("b");
    a.set("maal.status", "i_gang");
    b.receive(a);
    a.set("maal.status", "afsluttes");
    b.set("maal.status", "fortsaettes");
    a.receive(b);
    b.receive(a);
    const auto conflicts = a.state().conflicts();
    ASSERT_EQ(1u, conflicts.size());
    EXPECT_EQ("maal.status", conflicts[0].path);
    ASSERT_EQ(2u, conflicts[0].values.size());
    EXPECT_NE(std::find(conflicts[0].values.begin(), conflicts[0].values.end(), Json("afsluttes")),
        conflicts[0].values.end());
    EXPECT_NE(std::find(conflicts[0].values.begin(), conflicts[0].values.end(), Json("fortsaettes")),
        conflicts[0].values.end());
    EXPECT_EQ(a.state().values(), b.state().values());

    // Picking a value is an edit that has seen both: the conflict is gone everywhere.
    a.set("maal.status", "fortsaettes");
    b.receive(a);
    EXPECT_TRUE(b.state().conflicts().empty());
    EXPECT_EQ("fortsaettes", b.state().value("maal.status"));
}

TEST(Document, ConcurrentDisjointTextEditsMerge)
{
    Desk a("a"), b("b");
    a.set("baggrund", "Familien bor i Skjern. Far arbejder på fabrikken.", true);
    b.receive(a);
    a.set("baggrund", "Familien bor i Tarm. Far arbejder på fabrikken.", true);
    b.set("baggrund", "Familien bor i Skjern. Far arbejder på havnen.", true);
    a.receive(b);
    EXPECT_EQ("Familien bor i Tarm. Far arbejder på havnen.", a.state().value("baggrund"));
    EXPECT_TRUE(a.state().conflicts().empty());
}

TEST(Document, ConcurrentOverlappingTextEditsConflict)
{
    Desk a("a"), b("b");
    a.set("baggrund", "Mødet er tirsdag.", true);
    b.receive(a);
    a.set("baggrund", "Mødet er onsdag.", true);
    b.set("baggrund", "Mødet er torsdag.", true);
    a.receive(b);
    ASSERT_EQ(1u, a.state().conflicts().size());
}

TEST(Document, ConcurrentRowInsertsBothSurvive)
{
    Desk a("a"), b("b");
    a.apply(a.factory.insertRow(a.state(), "c", "d", "maal", "r1", positionBetween("", "")));
    b.apply(b.factory.insertRow(b.state(), "c", "d", "maal", "r2", positionBetween("", "")));
    a.receive(b);
    const auto rows = a.state().rows("maal");
    ASSERT_EQ(2u, rows.size());
    EXPECT_EQ("r1", rows[0].id); // same position: ordered by id
    EXPECT_EQ("r2", rows[1].id);
}

TEST(Document, DeleteNeverErasesAConcurrentEdit)
{
    Desk a("a"), b("b");
    a.apply(a.factory.insertRow(a.state(), "c", "d", "indsatser", "r1", "i"));
    a.set(cellPath("indsatser", "r1", "navn"), "Familiebehandling");
    b.receive(a);
    a.apply(a.factory.deleteRow(a.state(), "c", "d", "indsatser", "r1"));
    b.set(cellPath("indsatser", "r1", "timer"), 3);
    a.receive(b);
    b.receive(a);
    for (const Desk* desk : { &a, &b }) {
        const auto rows = desk->state().rows("indsatser");
        ASSERT_EQ(1u, rows.size());
        EXPECT_TRUE(rows[0].resurrected);
        EXPECT_EQ(3, rows[0].cells.at("timer"));
        EXPECT_EQ("Familiebehandling", rows[0].cells.at("navn"));
    }
}

TEST(Document, DeleteAfterSeeingEveryEditRemovesTheRow)
{
    Desk a("a");
    a.apply(a.factory.insertRow(a.state(), "c", "d", "indsatser", "r1", "i"));
    a.set(cellPath("indsatser", "r1", "navn"), "x");
    a.apply(a.factory.deleteRow(a.state(), "c", "d", "indsatser", "r1"));
    EXPECT_TRUE(a.state().rows("indsatser").empty());
    EXPECT_EQ(Json::array(), a.state().values()["indsatser"]);
}

TEST(Document, FinalizeFreezesASnapshotAndNumbersVersions)
{
    Desk a("a");
    a.set("f", "v1");
    a.apply(a.factory.finalize(a.state(), "c", "d"));
    a.set("f", "v2");
    a.apply(a.factory.finalize(a.state(), "c", "d"));
    a.set("f", "draft");
    const DocumentState state = a.state();
    const auto& versions = state.versions();
    ASSERT_EQ(2u, versions.size());
    EXPECT_EQ(1, versions[0].number);
    EXPECT_EQ("v1", versions[0].values["f"]);
    EXPECT_EQ("v2", versions[1].values["f"]);
    EXPECT_EQ("draft", a.state().value("f"));
}

TEST(Document, OpsForValuesWritesOnlyChangesAndReplacesTables)
{
    Desk a("a");
    FieldKinds kinds;
    kinds.tables = { "maal" };
    const Json first = { { "om.dato", "2026-03-12" },
        { "maal",
            { { { "@id", "g1" }, { "tekst", "Alma sover" } },
                { { "@id", "g2" }, { "tekst", "Far i job" } } } } };
    for (auto& op : opsForValues(a.state(), first, kinds, a.factory, "c", "d"))
        a.apply(op);
    EXPECT_EQ(first, a.state().values());
    EXPECT_TRUE(opsForValues(a.state(), first, kinds, a.factory, "c", "d").empty());

    // Reorder, drop g1, add a new row without id.
    const Json second
        = { { "maal", { { { "tekst", "Ny" } }, { { "@id", "g2" }, { "tekst", "Far i job" } } } } };
    for (auto& op : opsForValues(a.state(), second, kinds, a.factory, "c", "d"))
        a.apply(op);
    const auto rows = a.state().rows("maal");
    ASSERT_EQ(2u, rows.size());
    EXPECT_EQ("Ny", rows[0].cells.at("tekst"));
    EXPECT_EQ("g2", rows[1].id);
    EXPECT_EQ("2026-03-12", a.state().value("om.dato"));
}

TEST(Document, OpsForValuesRefusesDuplicateRowIds)
{
    Desk a("a");
    FieldKinds kinds;
    kinds.tables = { "maal" };
    const Json v = { { "maal", { { { "@id", "g1" } }, { { "@id", "g1" } } } } };
    test::expectError(ErrorCode::BadInput, "maal[1].@id: 'g1' appears twice",
        [&] { opsForValues(a.state(), v, kinds, a.factory, "c", "d"); });
}

TEST(Position, BetweenSortsStrictlyBetween)
{
    std::string lo, hi;
    EXPECT_LT(positionBetween("", ""), std::string("z"));
    std::string a = positionBetween("", "");
    std::string b = positionBetween(a, "");
    EXPECT_LT(a, b);
    // Many inserts at the same gap keep working.
    std::string left = a;
    for (int i = 0; i < 200; ++i) {
        const std::string mid = positionBetween(left, b);
        ASSERT_LT(left, mid);
        ASSERT_LT(mid, b);
        left = mid;
    }
    test::expectError(
        ErrorCode::Internal, "positionBetween: 'b' is not before 'a'", [] { positionBetween("b", "a"); });
}

TEST(Document, DeletingARowWithAnEmptiedCellDeletesIt)
{
    // The emptied cell's edit is seen by the person deleting the row: it must not bring it back.
    Desk a("a");
    a.apply(a.factory.insertRow(a.state(), "c", "d", "maal", "r1", positionBetween("", "")));
    a.set(cellPath("maal", "r1", "tekst"), "skole");
    a.set(cellPath("maal", "r1", "tekst"), nullptr);
    a.apply(a.factory.deleteRow(a.state(), "c", "d", "maal", "r1"));
    EXPECT_TRUE(a.state().rows("maal").empty());
}
