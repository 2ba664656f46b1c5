// SPDX-License-Identifier: EUPL-1.2
#include "app/documents.h"
#include "base/error.h"
#include "tests/docgen/docgen_fixture.h"

#include <gtest/gtest.h>

using namespace fplan;
using namespace fplan::app;
using namespace fplan::docgen;
using fplan::test::StoreWithCase;

namespace {

class DocumentsTest : public testing::Test {
protected:
    DocumentService docs(const std::string& author = "jr")
    {
        return DocumentService(*m.store, m.templates, author);
    }

    // A family plan with everything required filled, two goals and two interventions.
    std::string finalisedPlan()
    {
        auto d = docs();
        const std::string id = d.create(m.caseId, "familieplan").docId;
        d.fill(id,
            { { "om_planen.dato", "2026-03-12" }, { "om_planen.periode_fra", "2026-03-12" },
                { "om_planen.familieteam", Json::array({ { { "@id", "ft1" }, { "fagperson", "t1" } } }) },
                { "faelles_maal.maal",
                    Json::array({ { { "@id", "g1" }, { "maal", "Vi vil spise morgenmad sammen" } },
                        { { "@id", "g2" }, { "maal", "Ελένη går i skole hver dag" } } }) },
                { "indsatser.indsats",
                    Json::array({ { { "@id", "i1" }, { "indsats", "Familiebehandling" },
                                      { "maal", "Mere ro om morgenen" }, { "start", "2026-04-01" },
                                      { "modtager", "p1" }, { "status", "i_gang" } },
                        { { "@id", "i2" }, { "indsats", "Støttekontaktperson" }, { "maal", "Skolegang" },
                            { "start", "2026-04-01" }, { "modtager", "p3" },
                            { "status", "ikke_startet" } } }) },
                { "opfoelgning.interval", "uger_8" }, { "opfoelgning.naeste_moede", "2026-05-07" },
                { "godkendelse.lavet_sammen_dato", "2026-03-12" } });
        EXPECT_EQ(1, d.finalize(id).version);
        return id;
    }

    std::size_t opCount() const { return m.store->opCount(); }

    StoreWithCase m;
};

} // namespace

class EveryTemplate : public DocumentsTest, public testing::WithParamInterface<std::string> { };

TEST_P(EveryTemplate, EveryFieldRoundTripsThroughFillAndShow)
{
    auto d = docs();
    const Template tmpl = m.templates.load(GetParam());
    const std::string id = d.create(m.caseId, GetParam()).docId;
    const Json values = fplan::test::everyFieldFilled(tmpl);
    // The tables replace the draft's default and seeded rows, which the filler saw ("@seen").
    Json withSeen = values;
    withSeen["@seen"] = d.show(id).at("seen");
    ASSERT_GT(d.fill(id, withSeen).opsStored, 0u);
    const Json shown = d.show(id);
    EXPECT_EQ(values, shown.at("values")) << shown.at("values").dump(1);
    EXPECT_EQ(GetParam(), shown.at("template"));
    EXPECT_EQ(m.caseId, shown.at("case_id"));
    EXPECT_EQ(tmpl.version, shown.at("template_version"));
    EXPECT_TRUE(shown.at("conflicts").empty());
    // Filling what is shown changes nothing.
    EXPECT_EQ(0u, d.fill(id, shown.at("values")).opsStored);
    // And it can be finalised: every required field is filled.
    EXPECT_EQ(1, d.finalize(id).version);
    EXPECT_EQ(values, d.show(id).at("values"));
}

// tests/data/values/<template>.json: every field filled, for other suites (rendering, MeMo) too.
TEST_P(EveryTemplate, FixtureFileFillsEveryFieldAndColumnAndRoundTrips)
{
    const Template tmpl = m.templates.load(GetParam());
    const Json values
        = Json::parse(fplan::test::readFile(fplan::test::dataFile("values/" + GetParam() + ".json")));
    for (const Field* f : tmpl.fields()) {
        ASSERT_TRUE(values.contains(f->path)) << f->path << " is missing from the fixture";
        if (f->type != FieldType::Table)
            continue;
        ASSERT_FALSE(values.at(f->path).empty()) << f->path;
        for (const auto& c : f->columns)
            EXPECT_TRUE(values.at(f->path)[0].contains(c.id)) << f->path << "." << c.id;
    }
    auto d = docs();
    const std::string id = d.create(m.caseId, GetParam()).docId;
    Json withSeen = values;
    withSeen["@seen"] = d.show(id).at("seen");
    d.fill(id, withSeen);
    EXPECT_EQ(values, d.show(id).at("values"));
    EXPECT_EQ(1, d.finalize(id).version);
}

INSTANTIATE_TEST_SUITE_P(Templates, EveryTemplate, testing::ValuesIn(fplan::test::shippedTemplateIds()),
    [](const testing::TestParamInfo<std::string>& p) {
        std::string name = p.param;
        std::erase(name, '-');
        return name;
    });

// The sector plans came with familieplan version 2. A plan made with version 1 keeps the template
// text it was made with (by its hash): no sector plans there, while a new plan has them.
TEST_F(DocumentsTest, APlanMadeBeforeTheSectorPlansKeepsItsTemplate)
{
    test::TempDir old;
    for (const auto& entry : std::filesystem::directory_iterator(test::sourceDir() / "templates"))
        std::filesystem::copy_file(entry.path(), old / entry.path().filename().string());
    std::string text = test::readFile(old / "familieplan.xml");
    const auto from = text.find("  <section id=\"sektorplaner\"");
    const auto to = text.find("</section>", from) + std::string("</section>\n").size();
    ASSERT_NE(std::string::npos, from);
    text.erase(from, to - from);
    text.replace(text.find("version=\"2\""), 11, "version=\"1\"");
    test::writeFile(old / "familieplan.xml", text);
    const TemplateRegistry before(old.path());
    const std::string oldPlan = DocumentService(*m.store, before, "jr").create(m.caseId, "familieplan").docId;

    auto d = docs(); // this installation's templates: version 2
    const Json sectorPlans
        = { { "sektorplaner.plan", Json::array({ { { "art", "jobplan" }, { "ejer", "Jobcenteret" } } }) } };
    EXPECT_EQ("1", d.show(oldPlan).at("template_version"));
    const OpenDocument opened = d.open(oldPlan);
    EXPECT_EQ(nullptr, opened.tmpl.field("sektorplaner.plan"));
    test::expectError(ErrorCode::BadInput, "sektorplaner.plan", [&] { d.fill(oldPlan, sectorPlans); });
    const std::string newPlan = d.create(m.caseId, "familieplan").docId;
    EXPECT_EQ("2", d.show(newPlan).at("template_version"));
    EXPECT_GT(d.fill(newPlan, sectorPlans).opsStored, 0u);
}

TEST_F(DocumentsTest, NewPlanFillsCoordinatorAndVersion)
{
    auto d = docs();
    const Json values = d.show(d.create(m.caseId, "familieplan").docId).at("values");
    EXPECT_EQ("t1", values.at("om_planen.tovholder"));
    EXPECT_EQ("t1", values.at("godkendelse.tovholder"));
    EXPECT_EQ(1, values.at("om_planen.version"));
}

TEST_F(DocumentsTest, UnknownCaseOrTemplateIsNotFound)
{
    auto d = docs();
    test::expectError(
        ErrorCode::NotFound, "no case with id 'nope'", [&] { d.create("nope", "familieplan"); });
    test::expectError(ErrorCode::NotFound, "no template 'nope'", [&] { d.create(m.caseId, "nope"); });
    test::expectError(
        ErrorCode::NotFound, "no document with id 'nope'", [&] { d.fill("nope", Json::object()); });
    test::expectError(ErrorCode::BadInput, "is the case's own data", [&] { d.create(m.caseId, "sag"); });
}

TEST_F(DocumentsTest, BadValueStoresNothingOfTheFill)
{
    auto d = docs();
    const std::string id = d.create(m.caseId, "familieplan").docId;
    const std::size_t before = opCount();
    const auto message = test::expectError(ErrorCode::BadInput, "modtager", [&] {
        d.fill(id,
            { { "om_planen.dato", "2026-03-12" },
                { "faelles_maal.maal", Json::array({ { { "maal", "Godt mål" } } }) },
                { "indsatser.indsats", Json::array({ { { "indsats", "X" }, { "modtager", "p7" } } }) } });
    });
    EXPECT_EQ("indsatser.indsats[0].modtager: no person with id 'p7' in this case", message);
    EXPECT_EQ(before, opCount());
    EXPECT_FALSE(d.show(id).at("values").contains("om_planen.dato"));
}

TEST_F(DocumentsTest, FinalizeRefusesEmptyRequiredFieldsNamingEach)
{
    auto d = docs();
    const std::string id = d.create(m.caseId, "familieplan").docId;
    const auto message
        = test::expectError(ErrorCode::Conflict, "cannot finalise " + id, [&] { d.finalize(id); });
    for (const char* path : { "om_planen.dato", "faelles_maal.maal", "godkendelse.lavet_sammen_dato",
             "opfoelgning.naeste_moede" })
        EXPECT_NE(std::string::npos, message.find(path)) << message;
    EXPECT_NE(std::string::npos, message.find("Planens dato")) << message;
    EXPECT_TRUE(d.show(id).at("versions").empty());
}

TEST_F(DocumentsTest, FinalizeRefusesOpenConflict)
{
    const std::string id = finalisedPlan();
    // Two people change the same field without seeing each other's edit.
    const DocumentState state = m.store->documentState(id);
    OpFactory a("jr", "device-a", m.store->clock());
    OpFactory b("ao", "device-b", m.store->clock());
    m.store->appendOps({ a.set(state, m.caseId, id, "opfoelgning.naeste_moede", "2026-06-01"),
        b.set(state, m.caseId, id, "opfoelgning.naeste_moede", "2026-06-08") });
    auto d = docs();
    const Json shown = d.show(id);
    ASSERT_EQ(1u, shown.at("conflicts").size());
    EXPECT_EQ("opfoelgning.naeste_moede", shown.at("conflicts")[0].at("path"));
    const auto message
        = test::expectError(ErrorCode::Conflict, "cannot finalise " + id, [&] { d.finalize(id); });
    EXPECT_NE(std::string::npos, message.find("opfoelgning.naeste_moede: open conflict")) << message;
    // Picking a value resolves it.
    d.fill(id, { { "opfoelgning.naeste_moede", "2026-06-08" } });
    EXPECT_EQ(2, d.finalize(id).version);
}

TEST_F(DocumentsTest, InterventionGoalReferenceMustNameAGoalRow)
{
    auto d = docs();
    const std::string id = finalisedPlan();
    Json interventions = d.show(id).at("values").at("indsatser.indsats");
    interventions[0]["maal_id"] = "g9";
    const auto message = test::expectError(ErrorCode::BadInput, "is not a row of", [&] {
        d.fill(id, { { "indsatser.indsats", interventions } });
    });
    EXPECT_EQ("indsatser.indsats[0].maal_id: 'g9' is not a row of faelles_maal.maal", message);
    // A goal added in the same fill may be referred to at once.
    Json goals = d.show(id).at("values").at("faelles_maal.maal");
    goals.push_back({ { "@id", "g9" }, { "maal", "Дмитрий cykler selv til skole" } });
    d.fill(id, { { "indsatser.indsats", interventions }, { "faelles_maal.maal", goals } });
    // Removing the goal later leaves the reference dangling: allowed in the draft, not when finalising.
    goals.back()["@delete"] = true;
    d.fill(id, { { "faelles_maal.maal", goals } });
    const auto refused
        = test::expectError(ErrorCode::Conflict, "cannot finalise " + id, [&] { d.finalize(id); });
    EXPECT_NE(std::string::npos,
        refused.find("indsatser.indsats[0].maal_id: 'g9' is not a row of faelles_maal.maal"))
        << refused;
    interventions[0]["maal_id"] = "g1";
    d.fill(id, { { "indsatser.indsats", interventions } });
    EXPECT_EQ(2, d.finalize(id).version);
}

TEST_F(DocumentsTest, VersionsAreKeptAndImmutable)
{
    auto d = docs();
    const std::string id = finalisedPlan();
    const Json v1 = d.show(id).at("values");
    test::expectError(ErrorCode::Conflict, "cannot finalise " + id + ": nothing has changed since version 1",
        [&] { d.finalize(id); }); // nothing changed
    d.fill(id, { { "familiens_bemaerkninger.bemaerkninger", "Vi er glade for planen. — Łukasz" } });
    EXPECT_EQ(2, d.finalize(id).version);
    d.fill(id, { { "familiens_bemaerkninger.bemaerkninger", "Ændret i kladden" } });
    const Json shown = d.show(id);
    ASSERT_EQ(2u, shown.at("versions").size());
    EXPECT_EQ(1, shown.at("versions")[0].at("version"));
    EXPECT_EQ(2, shown.at("versions")[1].at("version"));
    EXPECT_EQ("jr", shown.at("versions")[0].at("finalized_by"));
    EXPECT_EQ(20u, shown.at("versions")[0].at("finalized_at").get<std::string>().size());
    const DocumentState state = m.store->documentState(id);
    EXPECT_EQ(v1, state.versions()[0].values);
    EXPECT_EQ(v1, d.values(id, 1));
    EXPECT_EQ("Ændret i kladden", d.values(id, DraftVersion).at("familiens_bemaerkninger.bemaerkninger"));
    test::expectError(ErrorCode::NotFound, "no version '3'", [&] { d.values(id, 3); });
    EXPECT_EQ("Vi er glade for planen. — Łukasz",
        state.versions()[1].values.at("familiens_bemaerkninger.bemaerkninger"));
}

TEST_F(DocumentsTest, DiffComparesFieldByFieldAndRowByRow)
{
    auto d = docs();
    const std::string id = finalisedPlan();
    const Json shown = d.show(id);
    Json goals = shown.at("values").at("faelles_maal.maal");
    goals[1]["maal"] = "Ελένη går i skole fire dage om ugen";
    goals.push_back({ { "@id", "g3" }, { "maal", "Дмитрий sover i egen seng" } });
    goals.erase(0); // removed: a row this person saw (@seen)
    d.fill(id,
        { { "faelles_maal.maal", goals }, { "opfoelgning.naeste_moede", "2026-05-14" },
            { "familiens_bemaerkninger.bemaerkninger", "Tak" }, { "@seen", shown.at("seen") } });
    EXPECT_EQ(2, d.finalize(id).version);
    std::map<std::string, FieldChange> byPath;
    for (auto& c : d.diff(id, 1, 2))
        byPath[c.path] = c;
    ASSERT_TRUE(byPath.count("opfoelgning.naeste_moede"));
    EXPECT_EQ("changed", byPath["opfoelgning.naeste_moede"].kind);
    EXPECT_EQ("2026-05-07", byPath["opfoelgning.naeste_moede"].before);
    EXPECT_EQ("2026-05-14", byPath["opfoelgning.naeste_moede"].after);
    EXPECT_EQ("added", byPath["familiens_bemaerkninger.bemaerkninger"].kind);
    EXPECT_EQ("changed", byPath["faelles_maal.maal[g2].maal"].kind);
    EXPECT_EQ("Mål", byPath["faelles_maal.maal[g2].maal"].label);
    EXPECT_EQ("row added", byPath["faelles_maal.maal[g3]"].kind);
    EXPECT_EQ("row removed", byPath["faelles_maal.maal[g1]"].kind);
    EXPECT_EQ(5u, byPath.size());
    EXPECT_TRUE(d.diff(id, 2, 2).empty());
    EXPECT_TRUE(d.diff(id, 2, DraftVersion).empty());
    test::expectError(ErrorCode::NotFound, "no version '3'", [&] { d.diff(id, 1, 3); });
}

TEST_F(DocumentsTest, TableWithoutSeenKeepsRowsItLeavesOut)
{
    // A values file written from an older view: it knows goals g1 and g2, and Åse added g3 since.
    const std::string id = finalisedPlan();
    docs("ao").fill(id,
        { { "faelles_maal.maal",
              Json::array({ { { "@id", "g1" } }, { { "@id", "g2" } },
                  { { "@id", "g3" }, { "maal", "Дмитрий sover i egen seng" } } }) },
            { "@seen", docs().show(id).at("seen") } });
    const Json old = Json::array({ { { "@id", "g1" }, { "maal", "Vi vil spise morgenmad sammen hver dag" } },
        { { "@id", "g2" }, { "maal", "Ελένη går i skole hver dag" } } });
    const FillResult filled = docs().fill(id, { { "faelles_maal.maal", old } });
    EXPECT_EQ(1u, filled.opsStored); // g1's text; nothing deleted
    ASSERT_EQ(1u, filled.kept.size());
    EXPECT_EQ("faelles_maal.maal", filled.kept[0].table);
    EXPECT_EQ(std::vector<std::string> { "g3" }, filled.kept[0].rowIds);
    Json goals = docs().show(id).at("values").at("faelles_maal.maal");
    ASSERT_EQ(3u, goals.size());
    EXPECT_EQ("Vi vil spise morgenmad sammen hver dag", goals[0].at("maal"));
    EXPECT_EQ("g3", goals[2].at("@id"));
    // Deleting needs the row named, or "@seen" covering it.
    Json withDelete = old;
    withDelete.push_back({ { "@id", "g3" }, { "@delete", true } });
    EXPECT_TRUE(docs().fill(id, { { "faelles_maal.maal", withDelete } }).kept.empty());
    EXPECT_EQ(2u, docs().show(id).at("values").at("faelles_maal.maal").size());
}

TEST_F(DocumentsTest, FollowUpAgendaIsSeededFromLatestFinalisedPlan)
{
    auto d = docs();
    const std::string plan = finalisedPlan();
    const std::string agenda = d.create(m.caseId, "opfoelgningsmoede").docId;
    const Json values = d.show(agenda).at("values");
    const Json& goals = values.at("opfoelgning_maal.maal");
    ASSERT_EQ(2u, goals.size());
    EXPECT_EQ("g1", goals[0].at("plan_maal_id"));
    EXPECT_EQ("Vi vil spise morgenmad sammen", goals[0].at("maal"));
    EXPECT_EQ("g2", goals[1].at("plan_maal_id"));
    const Json& interventions = values.at("opfoelgning_indsatser.indsats");
    ASSERT_EQ(2u, interventions.size());
    EXPECT_EQ("i1", interventions[0].at("plan_indsats_id"));
    EXPECT_EQ("Familiebehandling", interventions[0].at("indsats"));
    EXPECT_EQ("p1", interventions[0].at("modtager"));
    EXPECT_EQ("i_gang", interventions[0].at("status"));
    // The standard agenda points, in order.
    const Json& points = values.at("dagsorden.punkt");
    ASSERT_EQ(7u, points.size());
    EXPECT_EQ("Velkommen og forventninger", points[0].at("punkt"));
    EXPECT_EQ("Næste møde", points[6].at("punkt"));
    EXPECT_EQ("t1", values.at("moedet.moedeleder"));
    // A plan draft that is not finalised does not seed: the agenda follows the agreed plan.
    Json removed = Json::array();
    const Json planShown = d.show(plan);
    for (const Json& row : planShown.at("values").at("faelles_maal.maal"))
        removed.push_back({ { "@id", row.at("@id") }, { "@delete", true } });
    d.fill(plan, { { "faelles_maal.maal", removed } });
    EXPECT_EQ(2u,
        d.show(d.create(m.caseId, "opfoelgningsmoede").docId)
            .at("values")
            .at("opfoelgning_maal.maal")
            .size());
}

TEST_F(DocumentsTest, SeededCellThatNoLongerFitsIsLeftOut)
{
    auto d = docs();
    finalisedPlan();
    // Ελένη (p3) leaves the case after the plan was finalised.
    const std::string caseDoc = *m.store->caseDocumentId(m.caseId);
    const DocumentState caseState = m.store->documentState(caseDoc);
    OpFactory factory("jr", m.store->deviceId(), m.store->clock());
    m.store->appendOps({ factory.deleteRow(caseState, m.caseId, caseDoc, "personer", "p3") });
    const Json rows = d.show(d.create(m.caseId, "opfoelgningsmoede").docId)
                          .at("values")
                          .at("opfoelgning_indsatser.indsats");
    ASSERT_EQ(2u, rows.size());
    EXPECT_EQ("p1", rows[0].at("modtager"));
    EXPECT_FALSE(rows[1].contains("modtager"));
    EXPECT_EQ("Støttekontaktperson", rows[1].at("indsats"));
}

TEST_F(DocumentsTest, AgendaWithoutPlanStartsEmpty)
{
    auto d = docs();
    const Json values = d.show(d.create(m.caseId, "opfoelgningsmoede").docId).at("values");
    EXPECT_FALSE(values.contains("opfoelgning_maal.maal") && !values.at("opfoelgning_maal.maal").empty());
    EXPECT_EQ(7u, values.at("dagsorden.punkt").size());
}

TEST_F(DocumentsTest, ReviseStartsNextVersionWithAgreedStatuses)
{
    auto d = docs();
    const std::string plan = finalisedPlan();
    const std::string agenda = d.create(m.caseId, "opfoelgningsmoede").docId;
    Json rows = d.show(agenda).at("values").at("opfoelgning_indsatser.indsats");
    rows[0]["status"] = "afsluttes";
    rows[1]["status"] = "fortsaettes";
    d.fill(agenda,
        { { "opfoelgning_indsatser.indsats", rows }, { "moedet.tidspunkt", "2026-05-07T14:00" },
            { "revision.revideres", true },
            { "boernenes_deltagelse.barn",
                Json::array({ { { "barn", "p3" }, { "deltager", false },
                    { "begrundelse", "Skoledag; Ελένη vil hellere høre om det bagefter." } } }) } });
    EXPECT_EQ(1, d.finalize(agenda).version);

    EXPECT_EQ(2, d.revise(plan).version);
    const Json draft = d.show(plan).at("values");
    EXPECT_EQ(2, draft.at("om_planen.version"));
    EXPECT_EQ("afsluttes", draft.at("indsatser.indsats")[0].at("status"));
    EXPECT_EQ("fortsaettes", draft.at("indsatser.indsats")[1].at("status"));
    EXPECT_EQ("Familiebehandling", draft.at("indsatser.indsats")[0].at("indsats"));
    // Version 1 is untouched; the draft becomes version 2.
    EXPECT_EQ(
        "i_gang", m.store->documentState(plan).versions()[0].values.at("indsatser.indsats")[0].at("status"));
    test::expectError(
        ErrorCode::Conflict, "the draft already differs from version 1", [&] { d.revise(plan); });
    EXPECT_EQ(2, d.finalize(plan).version);
    const auto changes = d.diff(plan, 1, 2);
    bool sawStatus = false;
    for (const auto& c : changes)
        sawStatus = sawStatus || c.path == "indsatser.indsats[i1].status";
    EXPECT_TRUE(sawStatus);
}

TEST_F(DocumentsTest, ReviseNeedsAFinalisedVersion)
{
    auto d = docs();
    const std::string plan = d.create(m.caseId, "familieplan").docId;
    test::expectError(ErrorCode::Conflict, "it has no finalised version yet", [&] { d.revise(plan); });
}

TEST_F(DocumentsTest, FindVersionIsOneLookupWithOneMessage)
{
    auto d = docs();
    const std::string id = finalisedPlan();
    const DocumentState state = m.store->documentState(id);
    EXPECT_EQ(1, findVersion(state, id, 0).number); // the latest
    EXPECT_EQ(1, findVersion(state, id, 1).number);
    test::expectError(ErrorCode::NotFound, "document " + id + ": no version '2' (the latest is 1)",
        [&] { findVersion(state, id, 2); });
    test::expectError(ErrorCode::NotFound, "no version '2' (the latest is 1)", [&] { d.printable(id, 2); });
    const std::string draft = d.create(m.caseId, "familieplan").docId;
    test::expectError(ErrorCode::Conflict, "has no finalised version yet",
        [&] { findVersion(m.store->documentState(draft), draft, 0); });
    test::expectError(
        ErrorCode::NotFound, "no version '1' (the latest is none)", [&] { d.values(draft, 1); });
}

TEST_F(DocumentsTest, CaseTableValuesWriteNullOnlyForAClearedColumn)
{
    const Case before = docs().openCase(m.caseId);
    Case after = before;
    after.team[1].role.clear(); // cleared by the person
    after.team[1].phone = "12345678";
    const Json values = caseTableValues(before, after, CaseTable::Team);
    ASSERT_EQ(1u, values.size());
    const Json& rows = values.at("team");
    ASSERT_EQ(before.team.size(), rows.size());
    EXPECT_TRUE(rows[1].contains("rolle"));
    EXPECT_TRUE(rows[1].at("rolle").is_null()); // cleared: written as null so it does not stay
    EXPECT_EQ("12345678", rows[1].at("telefon"));
    EXPECT_FALSE(rows[1].contains("email")); // never set and not touched: not written at all
    EXPECT_FALSE(rows[0].contains("til"));
    const Json handover = caseTableValues(before, after, CaseTable::CoordinatorChange);
    EXPECT_EQ("t1", handover.at("tovholder"));
    EXPECT_TRUE(handover.contains("tovholder_historik"));
}

TEST_F(DocumentsTest, DisciplineSectionRecordsItsAuthor)
{
    const std::string id = docs("jr").create(m.caseId, "familiefaglig-undersoegelse").docId;
    docs("jr").fill(id, { { "faglige_beskrivelser.boern_og_familie.udfordringer", "Morgenerne er svære." } });
    docs("ao").fill(id,
        { { "faglige_beskrivelser.dagtilbud_og_undervisning.ressourcer", "Ελένη er glad for sin klasse." } });
    // jr is not of Sundhed og Omsorg: nothing is recorded for that section.
    docs("jr").fill(id, { { "faglige_beskrivelser.sundhed_og_omsorg.bekymringer", "Tandlæge mangler." } });
    const Json values = docs().show(id).at("values");
    EXPECT_EQ("t1", values.at("faglige_beskrivelser.boern_og_familie.forfatter"));
    EXPECT_EQ("t2", values.at("faglige_beskrivelser.dagtilbud_og_undervisning.forfatter"));
    EXPECT_FALSE(values.contains("faglige_beskrivelser.sundhed_og_omsorg.forfatter"));
    // Naming a professional of another discipline as author is refused.
    test::expectError(ErrorCode::BadInput, "works in Børn og Familie, not in Sundhed og Omsorg", [&] {
        docs().fill(id, { { "faglige_beskrivelser.sundhed_og_omsorg.forfatter", "t1" } });
    });
    docs().fill(id, { { "faglige_beskrivelser.sundhed_og_omsorg.forfatter", "t5" } });
}

TEST_F(DocumentsTest, StoredFieldsUnknownToTheTemplateStillShow)
{
    auto d = docs();
    const std::string id = d.create(m.caseId, "familieplan").docId;
    // A field of an older template version, written by a device that still had it.
    OpFactory old("jr", "old-device", m.store->clock());
    m.store->appendOps(
        { old.set(m.store->documentState(id), m.caseId, id, "gammelt_afsnit.felt", "fra version 0") });
    const Json values = d.show(id).at("values");
    EXPECT_EQ("fra version 0", values.at("gammelt_afsnit.felt"));
    const auto changes = d.diff(id, DraftVersion, DraftVersion);
    EXPECT_TRUE(changes.empty());
    // Filling it anew is refused: only the template's fields are checked and stored.
    test::expectError(ErrorCode::BadInput, "no such field in template familieplan", [&] {
        d.fill(id, { { "gammelt_afsnit.felt", "x" } });
    });
}

TEST_F(DocumentsTest, ShowAndDiffWorkWhenTheTemplateIsGone)
{
    const std::string id = finalisedPlan();
    docs().fill(id, { { "opfoelgning.naeste_moede", "2026-06-04" } });
    // An installation whose templates folder no longer has the plan's template.
    fplan::test::TempDir dir;
    std::filesystem::copy_file(m.templates.schemaPath(), dir / "template.xsd");
    const TemplateRegistry empty(dir.path());
    DocumentService d(*m.store, empty, "jr");
    EXPECT_EQ("2026-06-04", d.show(id).at("values").at("opfoelgning.naeste_moede"));
    const auto changes = d.diff(id, 1, DraftVersion);
    ASSERT_EQ(1u, changes.size());
    EXPECT_EQ("opfoelgning.naeste_moede", changes[0].path);
    // The template the document was made with is kept in the store: labels and checks still work.
    EXPECT_EQ("Dato for næste opfølgningsmøde", changes[0].label);
    EXPECT_EQ(1u, d.fill(id, { { "opfoelgning.naeste_moede", "2026-06-05" } }).opsStored);
}

TEST_F(DocumentsTest, BundleDocumentsAreCheckedAgainstTheirTemplate)
{
    const Case kase = docs().openCase(m.caseId);
    const auto prepared = prepareDocument(
        m.templates, { "familieplan", { { "om_planen.dato", "2026-03-12" } }, "$.documents[0]" }, kase);
    EXPECT_EQ("2", prepared.templateVersion); // 2: the sector plans
    EXPECT_TRUE(prepared.kinds.tables.count("indsatser.indsats"));
    test::expectError(ErrorCode::BadInput, "om_planen.dato: ", [&] {
        prepareDocument(m.templates, { "familieplan", { { "om_planen.dato", "i dag" } }, "" }, kase);
    });
    test::expectError(ErrorCode::NotFound, "no template 'nope'", [&] {
        prepareDocument(m.templates, { "nope", Json::object(), "" }, kase);
    });
}

// Progression: each agenda carries the registrations of the one before (a seed from its own
// template), so the chart of the next meeting shows the whole course.
TEST_F(DocumentsTest, ProgressionIsCarriedFromAgendaToAgenda)
{
    auto d = docs();
    const auto registration = [](const char* month, double value) {
        return Json { { "person", "p3" }, { "indikator", "trivsel" }, { "maaned", month },
            { "vaerdi", value } };
    };
    const std::string first = d.create(m.caseId, "opfoelgningsmoede").docId;
    d.fill(first,
        { { "moedet.tidspunkt", "2026-03-12T09:30" }, { "revision.revideres", false },
            { "progression.maaling",
                Json::array({ registration("2026-01-01", 4), registration("2026-02-01", 5) }) } });
    EXPECT_EQ(1, d.finalize(first).version);
    const std::string firstRowId = d.show(first).at("values").at("progression.maaling")[0].at("@id");

    const std::string second = d.create(m.caseId, "opfoelgningsmoede").docId;
    Json rows = d.show(second).at("values").at("progression.maaling");
    ASSERT_EQ(2u, rows.size());
    EXPECT_EQ(firstRowId, rows[0].at("tidligere_id"));
    EXPECT_EQ("2026-01-01", rows[0].at("maaned"));
    EXPECT_EQ(5, rows[1].at("vaerdi"));
    rows.push_back(registration("2026-03-01", 7));
    d.fill(second,
        { { "moedet.tidspunkt", "2026-05-07T09:30" }, { "revision.revideres", false },
            { "progression.maaling", rows } });
    EXPECT_EQ(1, d.finalize(second).version);
    EXPECT_EQ(3u,
        d.show(d.create(m.caseId, "opfoelgningsmoede").docId).at("values").at("progression.maaling").size());
}

// Goal status agreed at a follow-up goes back into the plan when it is revised, by the same
// <return> as the interventions' status. The shipped family plan has no status column on its
// goals yet, so this runs on a copy of the templates that adds one.
TEST_F(DocumentsTest, ReviseWritesGoalStatusBackFromTheFollowUp)
{
    auto d = docs();
    const std::string planId = d.create(m.caseId, "familieplan").docId;
    d.fill(planId,
        { { "om_planen.dato", "2026-03-12" }, { "om_planen.periode_fra", "2026-03-12" },
            { "om_planen.familieteam", Json::array({ { { "@id", "ft1" }, { "fagperson", "t1" } } }) },
            { "faelles_maal.maal",
                Json::array(
                    { { { "@id", "g1" }, { "maal", "Vi spiser morgenmad sammen" }, { "status", "i_gang" } },
                        { { "@id", "g2" }, { "maal", "Ελένη går i skole hver dag" } } }) },
            { "opfoelgning.interval", "uger_8" }, { "opfoelgning.naeste_moede", "2026-05-07" },
            { "godkendelse.lavet_sammen_dato", "2026-03-12" } });
    ASSERT_EQ(1, d.finalize(planId).version);
    const std::string agenda = d.create(m.caseId, "opfoelgningsmoede").docId;
    Json goals = d.show(agenda).at("values").at("opfoelgning_maal.maal");
    ASSERT_EQ(2u, goals.size());
    goals[0]["status"] = "naaet";
    goals[1]["status"] = "i_gang";
    d.fill(agenda,
        { { "opfoelgning_maal.maal", goals }, { "moedet.tidspunkt", "2026-05-07T14:00" },
            { "revision.revideres", true } });
    ASSERT_EQ(1, d.finalize(agenda).version);
    EXPECT_EQ(2, d.revise(planId).version);
    const Json revised = d.show(planId).at("values").at("faelles_maal.maal");
    EXPECT_EQ("naaet", revised[0].at("status"));
    EXPECT_EQ("i_gang", revised[1].at("status"));
    EXPECT_EQ("Vi spiser morgenmad sammen", revised[0].at("maal"));
}

// The professionals' pre-meeting is for the team: its invitation is never sent to the family,
// and every invitation gives the team a calendar file.
TEST_F(DocumentsTest, TeamOnlyInvitationIsNotSentAndEveryInvitationIsACalendarEntry)
{
    auto d = docs();
    const std::string id = d.create(m.caseId, "invitation").docId;
    Json values = Json::parse(test::readFile(test::dataFile("values/invitation.json")));
    values["moedet.slags"] = "formoede";
    d.fill(id, values);
    ASSERT_EQ(1, d.finalize(id).version);
    SendOrder order;
    order.docId = id;
    order.recipients = { { "0101901234", "Søs Nørgaard" } };
    order.fileName = "invitation.pdf";
    order.pdf = std::string("%PDF-1.7");
    test::expectError(ErrorCode::BadInput,
        "is for the team only (moedet.slags: Fagligt formøde (kun fagpersoner)); it is not sent to the "
        "family",
        [&] { d.prepareSend(order); });
    // The same invitation to a meeting with the family goes.
    d.fill(id, { { "moedet.slags", "familieplansmoede" } });
    ASSERT_EQ(2, d.finalize(id).version);
    EXPECT_EQ(id, d.prepareSend(order).request.docId);

    const auto draft = d.calendarFile(id, VersionRef(DraftVersion));
    EXPECT_NE(std::string::npos, draft.text.find("UID:" + id + "@familieplan\r\n")) << draft.text;
    EXPECT_NE(std::string::npos, draft.text.find("SEQUENCE:0\r\n"));
    const auto v1 = d.calendarFile(id, VersionRef(1));
    EXPECT_NE(std::string::npos, v1.text.find("SEQUENCE:1\r\n"));
    EXPECT_NE(std::string::npos, v1.text.find("SUMMARY:Fagligt formøde (kun fagpersoner) – Familien"));
    // Version 1's DTSTAMP is when it was finalised: the same file every time.
    EXPECT_EQ(v1.text, d.calendarFile(id, VersionRef(1)).text);
    test::expectError(ErrorCode::BadInput, "does not describe a meeting",
        [&] { d.calendarFile(finalisedPlan(), VersionRef(1)); });
}

// The invitation goes out before the meeting, while its agenda is still a draft: the time, the
// place and who comes are taken from the agenda made last, as it stands (source="draft").
TEST_F(DocumentsTest, InvitationTakesTimePlaceAndParticipantsFromTheDraftAgenda)
{
    auto d = docs();
    // No agenda yet: the team writes them.
    const Json blank = d.show(d.create(m.caseId, "invitation").docId).at("values");
    EXPECT_FALSE(blank.contains("moedet.start"));
    EXPECT_FALSE(blank.contains("moedet.sted"));
    EXPECT_EQ("t1", blank.at("moedet.tovholder")); // auto="coordinator" as before

    // The last meeting, finalised, and the next one planned in a draft.
    const std::string last = d.create(m.caseId, "opfoelgningsmoede").docId;
    d.fill(last,
        { { "moedet.tidspunkt", "2026-03-12T10:00" }, { "moedet.sted", "Skolen" },
            { "revision.revideres", false },
            { "moedet.deltagere", Json::array({ { { "@id", "old" }, { "person", "p2" } } }) } });
    ASSERT_EQ(1, d.finalize(last).version);
    const std::string next = d.create(m.caseId, "opfoelgningsmoede").docId;
    d.fill(next,
        { { "moedet.tidspunkt", "2026-05-07T14:00" }, { "moedet.sted", "Rådhuset, mødelokale 2" },
            { "moedet.deltagere",
                Json::array(
                    { { { "@id", "a1" }, { "person", "p1" } }, { { "@id", "a2" }, { "fagperson", "t1" } },
                        { { "@id", "a3" }, { "andre", "Tolk (arabisk)" } } }) } });

    const std::string id = d.create(m.caseId, "invitation").docId;
    const Json values = d.show(id).at("values");
    EXPECT_EQ("2026-05-07T14:00", values.at("moedet.start"));
    EXPECT_EQ("Rådhuset, mødelokale 2", values.at("moedet.sted"));
    const Json& who = values.at("deltagere.deltager");
    ASSERT_EQ(3u, who.size()) << who.dump(1);
    EXPECT_EQ("a1", who[0].at("agenda_deltager_id"));
    EXPECT_EQ("p1", who[0].at("person"));
    EXPECT_EQ("t1", who[1].at("fagperson"));
    EXPECT_EQ("Tolk (arabisk)", who[2].at("andre"));
    EXPECT_FALSE(values.contains("moedet.slut")); // the agenda has no end time
    // Nothing is written back into the draft agenda, and the invitation records no version it
    // was seeded from (a draft has none).
    EXPECT_EQ("Rådhuset, mødelokale 2", d.show(next).at("values").at("moedet.sted"));
    const auto state = m.store->documentState(id); // the creation op lives in it
    const Op* created = state.creation();
    ASSERT_NE(nullptr, created);
    EXPECT_TRUE(!created->value.contains("seeded_from") || created->value.at("seeded_from").empty())
        << created->value.dump();
}

// The family's årshjul: a year of meetings from the plan's next meeting, at the plan's cadence.
TEST_F(DocumentsTest, AarshjulHasAYearOfMeetingsAtThePlansCadence)
{
    auto d = docs();
    const auto dates = [&] {
        std::vector<std::string> out;
        const Json values = d.show(d.create(m.caseId, "aarshjul").docId).at("values");
        EXPECT_EQ("t1", values.at("til_familien.tovholder"));
        if (values.contains("moeder.moede"))
            for (const auto& row : values.at("moeder.moede")) {
                out.push_back(row.at("dato"));
                EXPECT_EQ("opfoelgningsmoede", row.at("hvad"));
            }
        return out;
    };
    EXPECT_TRUE(dates().empty()); // no plan yet: the team writes the dates
    const std::string plan = finalisedPlan(); // every 8 weeks from 2026-05-07
    EXPECT_EQ((std::vector<std::string> { "2026-05-07", "2026-07-02", "2026-08-27", "2026-10-22",
                  "2026-12-17", "2027-02-11", "2027-04-08" }),
        dates());
    // Every 6 weeks across a leap day; a cadence the årshjul does not know gives no dates.
    d.revise(plan);
    d.fill(plan, { { "opfoelgning.interval", "uger_6" }, { "opfoelgning.naeste_moede", "2028-01-20" } });
    d.finalize(plan);
    const auto sixWeeks = dates();
    ASSERT_EQ(9u, sixWeeks.size());
    EXPECT_EQ("2028-03-02", sixWeeks[1]);
    EXPECT_EQ("2028-12-21", sixWeeks.back()); // day 356 of a leap year
    d.revise(plan);
    d.fill(plan, { { "opfoelgning.interval", "andet" }, { "opfoelgning.interval_andet", "Hver 10. uge" } });
    d.finalize(plan);
    EXPECT_TRUE(dates().empty());
}
