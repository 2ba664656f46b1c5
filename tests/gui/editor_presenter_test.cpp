// SPDX-License-Identifier: EUPL-1.2
// The editor presenter on the real templates (templates/), through the document service.
#include "app/documents.h"
#include "base/error.h"
#include "gui/case_overview_presenter.h"
#include "gui/editor_presenter.h"
#include "gui/new_case_presenter.h"
#include "gui/store_watch.h"
#include "tests/support/test_support.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <set>

using namespace fplan;
using namespace fplan::gui;

namespace {

class EditorTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        Store::create(m_dir / "s.fplan", "hemmelig sætning", crypto::KdfParams::freshCheap());
        m_store = std::make_unique<Store>(Store::open(m_dir / "s.fplan", "hemmelig sætning"));
        m_documents = std::make_unique<app::DocumentService>(*m_store, m_templates, "jr");
        NewCasePresenter n;
        n.title = "Familien Nørgaard";
        n.people = { { "Søs Nørgaard", "0101901234", "mor", true } };
        n.team = { { "Jens Ravn", "Børn og Familie", "", "", "" } };
        n.coordinator = 0;
        m_caseId = n.create(*m_store, "jr", "2026-03-12");
        m_docId = newDocument("familieplan");
    }
    std::string newDocument(const char* templateId)
    {
        CaseOverviewPresenter overview(*m_documents, m_caseId, {});
        return overview.newDocument(templateId);
    }
    std::unique_ptr<EditorPresenter> editor(const std::string& docId = {})
    {
        return std::make_unique<EditorPresenter>(*m_documents, docId.empty() ? m_docId : docId);
    }
    std::optional<Json> stored(const std::string& path, const std::string& docId = {}) const
    {
        return m_store->documentState(docId.empty() ? m_docId : docId).value(path);
    }

    test::TempDir m_dir;
    std::unique_ptr<Store> m_store;
    docgen::TemplateRegistry m_templates { test::sourceDir() / "templates" };
    std::unique_ptr<app::DocumentService> m_documents;
    std::string m_caseId;
    std::string m_docId;
};

// Everything the plan needs to be finalised (its first goal row must exist).
void fillForFinalize(EditorPresenter& e)
{
    e.setValue("om_planen.dato", "2026-03-12");
    e.setValue("om_planen.periode_fra", "2026-03-12");
    e.setCell("faelles_maal.maal", 0, "maal", "Alma kommer i skole");
    const auto member = e.addRow("om_planen.familieteam");
    e.setCell("om_planen.familieteam", member, "fagperson", "t1");
    e.setValue("opfoelgning.interval", "uger_8");
    e.setValue("opfoelgning.naeste_moede", "2026-05-07");
    e.setValue("godkendelse.lavet_sammen_dato", "2026-03-12");
}

bool mentions(const std::vector<std::string>& problems, const std::string& text)
{
    return std::any_of(problems.begin(), problems.end(),
        [&](const std::string& p) { return p.find(text) != std::string::npos; });
}

} // namespace

TEST_F(EditorTest, TypedValuesReachTheStoreOnlyOnFlush)
{
    auto e = editor();
    const auto before = m_store->documentState(m_docId).opCount();
    e->setValue("familiens_bemaerkninger.bemaerkninger", "Vi vil");
    EXPECT_TRUE(e->dirty());
    EXPECT_EQ(before, m_store->documentState(m_docId).opCount());
    EXPECT_EQ(1u, e->flush());
    EXPECT_FALSE(e->dirty());
    EXPECT_EQ("Vi vil", stored("familiens_bemaerkninger.bemaerkninger")->get<std::string>());
    EXPECT_EQ(0u, e->flush()); // nothing pending: nothing written

    auto again = editor(); // a reopened editor shows what was stored
    EXPECT_EQ("Vi vil", again->text("familiens_bemaerkninger.bemaerkninger"));
}

TEST_F(EditorTest, ANewPlanHasItsAutomaticValues)
{
    auto e = editor();
    EXPECT_EQ("t1", e->value("om_planen.tovholder").get<std::string>()); // the case's tovholder
    EXPECT_EQ(1, e->value("om_planen.version").get<int>());
}

TEST_F(EditorTest, ValidationMessagesNameTheProblem)
{
    auto e = editor();
    e->setValue("om_planen.dato", "2026-02-30");
    EXPECT_EQ("Datoen 2026-02-30 findes ikke.", e->message("om_planen.dato"));
    e->setValue("om_planen.dato", "31.02.2026"); // as typed: no such date, not a wrong form
    EXPECT_EQ("Datoen 31.02.2026 findes ikke.", e->message("om_planen.dato"));
    e->setValue("om_planen.dato", "12.03");
    EXPECT_EQ("Skriv datoen som DD.MM.ÅÅÅÅ.", e->message("om_planen.dato"));
    e->setValue("om_planen.dato", "2026-02-28");
    EXPECT_EQ("", e->message("om_planen.dato"));
    e->setValue("opfoelgning.interval_andet", std::string(198, 'a') + "æøå");
    EXPECT_EQ("Højst 200 tegn (der står 201).", e->message("opfoelgning.interval_andet"));
    e->setValue("om_planen.tovholder", "t9");
    EXPECT_EQ("»t9« er ikke en af mulighederne. Vælg en af: Jens Ravn (Børn og Familie).",
        e->message("om_planen.tovholder"));
    e->setValue("om_planen.tovholder", "t1");
    EXPECT_EQ("", e->message("om_planen.tovholder"));
    e->setValue("om_planen.version", "fire");
    EXPECT_EQ("Skal være et tal.", e->message("om_planen.version"));
}

TEST_F(EditorTest, PersonAndTeamFieldsChooseAmongTheCasesPeople)
{
    auto e = editor();
    const auto choices = e->choicesFor(*e->tmpl().field("om_planen.tovholder"));
    ASSERT_EQ(1u, choices.size());
    EXPECT_EQ("t1", choices[0].id);
    EXPECT_EQ("Jens Ravn (Børn og Familie)", choices[0].label);
}

TEST_F(EditorTest, TypedTextInAChoiceCellIsKeptAndNamesTheChoices)
{
    auto e = editor(newDocument("familiefaglig-undersoegelse"));
    const std::string table = "familien.medlem";
    const docgen::Field& relation = *e->tmpl().field(table)->column("relation");
    const auto row = e->addRow(table);
    // A label typed the way a person writes it finds its choice.
    EXPECT_EQ(Json("mor"), e->choiceFromText(relation, "mor"));
    EXPECT_EQ(Json("plejeforaelder"), e->choiceFromText(relation, " PLEJEFORÆLDER "));
    EXPECT_TRUE(e->choiceFromText(relation, "  ").is_null());
    // Text that names no choice is kept as typed, never emptied, and the cell says what to pick.
    const Json typed = e->choiceFromText(relation, "Mormor");
    EXPECT_EQ(Json("Mormor"), typed);
    e->setCell(table, row, "relation", typed);
    EXPECT_EQ(Json("Mormor"), e->cell(table, row, "relation"));
    EXPECT_EQ("Mormor", e->displayText(relation, e->cell(table, row, "relation")));
    const std::string why
        = "»Mormor« er ikke en af mulighederne. Vælg en af: Mor, Far, Barn, Plejeforælder, Andet.";
    EXPECT_EQ(why, e->cellMessage(table, row, "relation"));
    EXPECT_EQ("Række 1, Relation / rolle: " + why, e->message(table));
    // Yes/no cells read "ja" and "nej".
    docgen::Field yes;
    yes.type = docgen::FieldType::Bool;
    EXPECT_EQ(Json(true), e->choiceFromText(yes, "ja"));
    EXPECT_EQ(Json(false), e->choiceFromText(yes, "Nej"));
    // Fixed: the cell stores the choice and the message goes.
    e->setCell(table, row, "relation", e->choiceFromText(relation, "Andet"));
    EXPECT_EQ("", e->cellMessage(table, row, "relation"));
}

TEST_F(EditorTest, UndoTakesBackAWordAtATimeAndRedoRestoresIt)
{
    auto e = editor();
    const std::string path = "familiens_bemaerkninger.bemaerkninger";
    std::vector<std::string> changed;
    e->onValueChanged = [&](const std::string& p) { changed.push_back(p); };
    for (const char* typed : { "V", "Vi", "Vi ", "Vi v", "Vi vi", "Vi vil" })
        e->setValue(path, typed);
    e->undo();
    EXPECT_EQ("Vi ", e->text(path));
    e->undo();
    EXPECT_EQ("", e->text(path));
    EXPECT_FALSE(e->canUndo());
    e->redo();
    e->redo();
    EXPECT_EQ("Vi vil", e->text(path));
    EXPECT_EQ(4u, changed.size());
    e->flush();
    EXPECT_EQ("Vi vil", stored(path)->get<std::string>());
}

TEST_F(EditorTest, TableRowsCanBeAddedMovedAndRemoved)
{
    auto e = editor();
    const std::string goals = "faelles_maal.maal";
    const auto a = e->addRow(goals);
    e->setCell(goals, a, "maal", "Alma kommer i skole hver dag");
    const auto b = e->addRow(goals);
    e->setCell(goals, b, "maal", "Søs får et job");
    e->setCell(goals, b, "sigt", "lang");
    EXPECT_EQ(0u, e->moveRow(goals, b, -1));
    e->flush();
    auto rows = m_store->documentState(m_docId).rows(goals);
    ASSERT_EQ(2u, rows.size());
    EXPECT_EQ("Søs får et job", rows[0].cells.at("maal").get<std::string>());
    e->removeRow(goals, 0);
    e->flush();
    rows = m_store->documentState(m_docId).rows(goals);
    ASSERT_EQ(1u, rows.size());
    EXPECT_EQ("Alma kommer i skole hver dag", rows[0].cells.at("maal").get<std::string>());
    e->undo(); // the removed row comes back
    EXPECT_EQ(2u, e->rowCount(goals));
}

TEST_F(EditorTest, FinaliseListsWhatIsMissingFirst)
{
    auto e = editor();
    e->addRow("faelles_maal.maal");
    const auto missing = e->missingForFinalize();
    EXPECT_TRUE(mentions(missing, "Om planen › Planens dato: skal udfyldes."));
    EXPECT_TRUE(mentions(missing, "Godkendelse › Planen er lavet sammen med familien den: skal udfyldes."));
    EXPECT_TRUE(mentions(missing, "Mål, række 1: Mål skal udfyldes."));
    test::expectError(
        ErrorCode::BadInput, "Om planen › Planens dato: skal udfyldes.", [&] { e->finalize(); });
    EXPECT_TRUE(m_store->documentState(m_docId).versions().empty());

    fillForFinalize(*e);
    for (const auto& m : e->missingForFinalize())
        ADD_FAILURE() << m;
    EXPECT_EQ(0, e->unchangedVersion());
    EXPECT_EQ(1, e->finalize());
    EXPECT_EQ(1, e->unchangedVersion()); // a PDF now prints "version 1"
    EXPECT_TRUE(mentions(e->missingForFinalize(), "Intet er ændret siden version 1."));

    e->setCell("faelles_maal.maal", 0, "sigt", "kort");
    e->setValue("om_planen.dato", "2026-05-01");
    EXPECT_EQ(0, e->unchangedVersion());
    const auto lines = e->diff(1, -1);
    ASSERT_EQ(2u, lines.size());
    EXPECT_EQ("Mål › Kort eller lang sigt", lines[0].label); // template order: the goals come first
    EXPECT_EQ("Kort sigt", lines[0].after); // a choice's label, not its id
    EXPECT_EQ("Om planen › Planens dato", lines[1].label);
    EXPECT_EQ("12.03.2026", lines[1].before); // dates read the Danish way
    EXPECT_EQ("01.05.2026", lines[1].after);
    EXPECT_EQ(2, e->finalize());
    EXPECT_EQ(2u, e->versions().size());
}

TEST_F(EditorTest, TheNextVersionIsStartedFromTheEditorAndTheOverview)
{
    auto e = editor();
    test::expectError(ErrorCode::BadInput, "ingen færdig version endnu", [&] { e->startNextVersion(); });
    e->addRow("faelles_maal.maal");
    fillForFinalize(*e);
    ASSERT_EQ(1, e->finalize());
    EXPECT_EQ(Json(1), e->value("om_planen.version"));
    // The document service's revise, as `fplan doc revise`: "Udgave" is filled in.
    EXPECT_EQ(2, e->startNextVersion());
    EXPECT_EQ(Json(2), e->value("om_planen.version"));
    EXPECT_EQ(Json(2), *stored("om_planen.version"));
    EXPECT_FALSE(e->dirty());
    // Started already: said in Danish, from the overview too, and nothing changes.
    CaseOverviewPresenter overview(*m_documents, m_caseId, {});
    test::expectError(ErrorCode::BadInput,
        "Næste version er allerede startet: kladden er ændret siden version 1",
        [&] { overview.startNextVersion(m_docId); });
    EXPECT_EQ(2, e->finalize());
    EXPECT_EQ(3, overview.startNextVersion(m_docId));
    EXPECT_EQ(Json(3), *stored("om_planen.version"));
    EXPECT_EQ("Version 2 + ændringer", overview.documents()[0].status);
}

TEST_F(EditorTest, AConflictShowsBothValuesUntilSomeonePicks)
{
    // Two people edit the same field from the same state: both values stand.
    const DocumentState base = m_store->documentState(m_docId);
    OpFactory anna("anna", "device-a", m_store->clock());
    OpFactory bo("bo", "device-b", m_store->clock());
    m_store->appendOps({ anna.set(base, m_caseId, m_docId, "om_planen.dato", "2026-03-12"),
        bo.set(base, m_caseId, m_docId, "om_planen.dato", "2026-03-19") });
    auto e = editor();
    auto values = e->conflictValues("om_planen.dato");
    ASSERT_EQ(2u, values.size());
    EXPECT_TRUE(mentions(e->missingForFinalize(), "Planens dato: to personer har skrevet forskelligt"));
    // The banner shows each value the way the field does: a Danish date, not the stored ISO text.
    const docgen::Field& dato = *e->tmpl().field("om_planen.dato");
    EXPECT_EQ("12.03.2026", e->displayText(dato, Json("2026-03-12")));
    EXPECT_EQ("19.03.2026", e->displayText(dato, Json("2026-03-19")));
    EXPECT_EQ("Jens Ravn (Børn og Familie)",
        e->displayText(*e->tmpl().field("om_planen.tovholder"), Json("t1"))); // a name, not an id
    const docgen::Field& sigt = *e->tmpl().field("faelles_maal.maal")->column("sigt");
    EXPECT_EQ("Kort sigt", e->displayText(sigt, Json("kort"))); // a choice's label, not its id

    e->resolve("om_planen.dato", values[0]); // the value already shown: still a real decision
    e->flush();
    EXPECT_TRUE(m_store->documentState(m_docId).conflicts().empty());
    EXPECT_TRUE(e->conflictValues("om_planen.dato").empty());
    EXPECT_EQ(values[0], e->value("om_planen.dato"));
}

// The desktop refuses exactly what `fplan doc fill` refuses: both go through the document
// service's checked fill. Each case: the editor keeps the value unsaved with a Danish message,
// finalising is refused, and the command line's fill of the same values fails with its English one.
struct RefusedCell {
    const char* templateId;
    const char* table;
    std::vector<std::pair<const char*, Json>> cells; // the last one is the bad one
    const char* danish;
    const char* english;
};

class DesktopRefusesWhatTheCliRefuses : public EditorTest,
                                        public ::testing::WithParamInterface<RefusedCell> { };

TEST_P(DesktopRefusesWhatTheCliRefuses, InTheEditorAndInDocFill)
{
    const RefusedCell& c = GetParam();
    const std::string docId
        = std::string(c.templateId) == "familieplan" ? m_docId : newDocument(c.templateId);
    auto e = editor(docId);
    const auto rowsBefore = m_store->documentState(docId).rows(c.table).size();
    const auto row = e->addRow(c.table);
    Json cli = Json::object();
    for (const auto& [column, v] : c.cells) {
        e->setCell(c.table, row, column, v);
        cli[column] = v;
    }
    e->flush();
    EXPECT_TRUE(e->dirty()); // still pending: refused, not lost
    EXPECT_EQ(rowsBefore, m_store->documentState(docId).rows(c.table).size()); // nothing stored
    EXPECT_EQ(c.danish, e->message(c.table));
    EXPECT_TRUE(mentions(e->missingForFinalize(), c.danish));
    test::expectError(ErrorCode::BadInput, c.danish, [&] { e->finalize(); });
    EXPECT_TRUE(m_store->documentState(docId).versions().empty());

    cli["@id"] = "r1";
    test::expectError(ErrorCode::BadInput, c.english, [&] {
        m_documents->fill(docId, Json { { c.table, Json::array({ cli }) } });
    });
    EXPECT_EQ(rowsBefore, m_store->documentState(docId).rows(c.table).size());
}

INSTANTIATE_TEST_SUITE_P(RealTemplates, DesktopRefusesWhatTheCliRefuses,
    ::testing::Values(RefusedCell { "familieplan", "om_planen.familieteam",
                          { { "fagperson", "t1" }, { "email", "not-an-address" } },
                          "Række 1, E-mail: »not-an-address« er ikke en e-mailadresse.",
                          "om_planen.familieteam[0].email: 'not-an-address' is not an e-mail address" },
        RefusedCell { "familieplan", "indsatser.indsats",
            { { "indsats", "Familiebehandling" }, { "maal", "Ro om morgenen" }, { "start", "2026-04-01" },
                { "timer_pr_uge", 9999 } },
            "Række 1, Timer pr. uge: Højst 168 (der står 9999).",
            "indsatser.indsats[0].timer_pr_uge: 9999 is more than 168" },
        RefusedCell { "familiefaglig-undersoegelse", "familien.medlem",
            { { "navn", "Bo Nørgaard" }, { "relation", "far" }, { "cpr", "3102901234" } },
            "Række 1, CPR-nummer: »3102901234« er ikke et gyldigt CPR-nummer.",
            "familien.medlem[0].cpr: '3102901234' is not a CPR number" }));

TEST_F(EditorTest, ACorrectedValueIsStoredAtTheNextSave)
{
    auto e = editor();
    const auto row = e->addRow("om_planen.familieteam");
    e->setCell("om_planen.familieteam", row, "fagperson", "t1");
    e->setCell("om_planen.familieteam", row, "email", "not-an-address");
    e->flush();
    EXPECT_TRUE(m_store->documentState(m_docId).rows("om_planen.familieteam").empty());
    e->setCell("om_planen.familieteam", row, "email", "jr@kommune.dk");
    e->flush();
    EXPECT_FALSE(e->dirty());
    const auto rows = m_store->documentState(m_docId).rows("om_planen.familieteam");
    ASSERT_EQ(1u, rows.size());
    EXPECT_EQ("jr@kommune.dk", rows[0].cells.at("email").get<std::string>());
}

// Live co-authoring: a co-author writes through a second connection of the same store file (as
// the background sync and `fplan sync` do); the store watch hands the editor what arrived.
class LiveEditorTest : public EditorTest {
protected:
    void SetUp() override
    {
        EditorTest::SetUp();
        m_other = std::make_unique<Store>(Store::open(m_dir / "s.fplan", "hemmelig sætning"));
        m_mette = std::make_unique<app::DocumentService>(*m_other, m_templates, "mette");
    }
    // Mette's edit, written on her connection from what the store holds now.
    void metteWrites(const Json& values) { m_mette->fill(m_docId, values); }
    std::vector<std::string> follow(EditorPresenter& e, StoreWatch& watch, const std::string& held = "")
    {
        return e.applyIncoming(watch.poll().opsOf(m_docId), held);
    }

    std::unique_ptr<Store> m_other;
    std::unique_ptr<app::DocumentService> m_mette;
};

const std::string Remarks = "familiens_bemaerkninger.bemaerkninger";
const std::string Contact = "opfoelgning.kontakt";

TEST_F(LiveEditorTest, IncomingEditsUpdateOtherFieldsAndKeepWhatIsBeingTyped)
{
    auto e = editor();
    StoreWatch watch(*m_store);
    e->setValue(Remarks, "Vi vil gerne"); // typed here, not saved yet
    metteWrites({ { Contact, "Ring efter kl. 9." } });
    const auto changed = follow(*e, watch, Remarks);
    EXPECT_EQ(std::vector<std::string> { Contact }, changed);
    EXPECT_EQ("Ring efter kl. 9.", e->text(Contact));
    EXPECT_EQ("Vi vil gerne", e->text(Remarks)); // the field the person is in is untouched
    // The pending edit was stored against what the person saw, before the state moved on.
    EXPECT_FALSE(e->dirty());
    EXPECT_EQ("Vi vil gerne", stored(Remarks)->get<std::string>());
    EXPECT_EQ("Ring efter kl. 9.", stored(Contact)->get<std::string>()); // not overwritten by the save
    // This desk's own ops come back from the watch too: nothing changes, nothing is written.
    const auto ops = m_store->opCount();
    EXPECT_TRUE(follow(*e, watch).empty());
    EXPECT_EQ(ops, m_store->opCount());
}

TEST_F(LiveEditorTest, EditsOfOneTextThatDoNotOverlapMerge)
{
    metteWrites({ { Remarks, "Første linje.\nAnden linje.\nTredje linje." } });
    auto e = editor();
    StoreWatch watch(*m_store);
    e->setValue(Remarks, "Første linje, rettet.\nAnden linje.\nTredje linje.");
    metteWrites({ { Remarks, "Første linje.\nAnden linje.\nTredje linje, rettet af Mette." } });
    const auto changed = follow(*e, watch, Remarks);
    EXPECT_EQ(std::vector<std::string> { Remarks }, changed);
    EXPECT_EQ("Første linje, rettet.\nAnden linje.\nTredje linje, rettet af Mette.", e->text(Remarks));
    EXPECT_TRUE(e->conflictVersions(Remarks).empty());
}

TEST_F(LiveEditorTest, OverlappingEditsInTheFocusedFieldBecomeAConflictWithNames)
{
    metteWrites({ { Remarks, "Vi vil gerne have hjælp." } });
    auto e = editor();
    StoreWatch watch(*m_store);
    e->setValue(Remarks, "Vi vil helst have hjælp om morgenen.");
    metteWrites({ { Remarks, "Vi vil ikke have hjælp." } });
    follow(*e, watch, Remarks);
    // The person keeps seeing what they wrote; both versions stand, each with its author.
    EXPECT_EQ("Vi vil helst have hjælp om morgenen.", e->text(Remarks));
    const auto versions = e->conflictVersions(Remarks);
    ASSERT_EQ(2u, versions.size());
    std::set<std::string> authors;
    for (const auto& v : versions) {
        authors.insert(v.author);
        EXPECT_NE(0u, v.hlc);
        EXPECT_NE(std::string::npos, e->authorLine(v).find(v.author + ", "));
        EXPECT_NE(std::string::npos, e->authorLine(v).find(" kl. "));
    }
    EXPECT_EQ((std::set<std::string> { "jr", "mette" }), authors);

    // An unfocused field in conflict shows the stored value (the first standing one).
    auto other = editor();
    EXPECT_EQ(versions[0].value, other->value(Remarks));

    // Taking Mette's version is an op whose parents are both standing ops.
    const auto& mettes = versions[0].author == "mette" ? versions[0] : versions[1];
    e->resolve(Remarks, mettes.value);
    e->flush();
    const auto ops = m_store->ops(m_docId);
    const Op& last = ops.back();
    EXPECT_EQ(Remarks, last.path);
    EXPECT_EQ("jr", last.author);
    EXPECT_EQ((std::set<std::string> { versions[0].opId, versions[1].opId }),
        std::set<std::string>(last.parents.begin(), last.parents.end()));
    EXPECT_TRUE(m_store->documentState(m_docId).conflicts().empty());
    EXPECT_EQ("Vi vil ikke have hjælp.", e->text(Remarks));
}

TEST_F(LiveEditorTest, AConflictOnAFieldThePersonIsNotInShowsTheStoredValue)
{
    auto e = editor();
    StoreWatch watch(*m_store);
    e->setValue("om_planen.dato", "2026-03-19");
    metteWrites({ { "om_planen.dato", "2026-03-26" } });
    const auto changed = follow(*e, watch); // the person has left the field
    EXPECT_EQ(2u, e->conflictVersions("om_planen.dato").size());
    EXPECT_EQ(e->conflictValues("om_planen.dato")[0], e->value("om_planen.dato"));
    EXPECT_EQ(e->conflictValues("om_planen.dato")[0] != Json("2026-03-19"),
        std::find(changed.begin(), changed.end(), "om_planen.dato") != changed.end());
}

TEST_F(LiveEditorTest, ATableWhoseCellIsBeingEditedIsUpdatedAfterwards)
{
    const std::string goals = "faelles_maal.maal";
    auto e = editor();
    StoreWatch watch(*m_store);
    metteWrites({ { goals, Json::array({ { { "@id", "r-mette" }, { "maal", "Alma sover hjemme" } } }) } });
    EXPECT_TRUE(follow(*e, watch, goals).empty()); // a cell editor is open: the rows stay put
    EXPECT_EQ(0u, e->rowCount(goals));
    EXPECT_EQ(std::vector<std::string> { goals }, e->applyIncoming({}));
    ASSERT_EQ(1u, e->rowCount(goals));
    EXPECT_EQ("Alma sover hjemme", e->cell(goals, 0, "maal").get<std::string>());
}

class ResurrectedRowTest : public LiveEditorTest, public ::testing::WithParamInterface<bool> { };

TEST_P(ResurrectedRowTest, KeepOrRemoveWritesAnOpAndTheMarkGoes)
{
    const bool keep = GetParam();
    const std::string goals = "faelles_maal.maal";
    metteWrites({ { goals, Json::array({ { { "@id", "r1" }, { "maal", "Alma kommer i skole" } } }) } });
    auto e = editor();
    StoreWatch watch(*m_store);
    e->setCell(goals, 0, "sigt", "kort"); // edited here ...
    metteWrites({ { goals,
        Json::array({ { { "@id", "r1" }, { "@delete", true } } }) } }); // ... while Mette deletes the row
    follow(*e, watch);
    const auto marked = e->resurrectedRows(goals);
    ASSERT_EQ(1u, marked.size());
    EXPECT_EQ("r1", marked[0].rowId);
    EXPECT_EQ(0u, marked[0].index);
    EXPECT_EQ("mette", marked[0].deletedBy);
    ASSERT_EQ(1u, e->rowCount(goals)); // shown, not silently gone

    const auto ops = m_store->opCount();
    if (keep)
        e->keepRow(goals, "r1");
    else
        e->removeResurrectedRow(goals, "r1");
    EXPECT_EQ(ops + 1, m_store->opCount());
    EXPECT_EQ(keep ? OpKind::RowInsert : OpKind::RowDelete, m_store->ops(m_docId).back().kind);
    EXPECT_TRUE(e->resurrectedRows(goals).empty());
    EXPECT_EQ(keep ? 1u : 0u, e->rowCount(goals));
    const auto rows = m_store->documentState(m_docId).rows(goals);
    ASSERT_EQ(keep ? 1u : 0u, rows.size());
    if (keep) {
        EXPECT_FALSE(rows[0].resurrected);
    }
    // Mette's editor sees the choice too.
    EXPECT_EQ(keep ? 1u : 0u, m_mette->show(m_docId).at("values").at(goals).size());
}

INSTANTIATE_TEST_SUITE_P(KeepOrRemove, ResurrectedRowTest, ::testing::Values(true, false),
    [](const auto& param) { return param.param ? std::string("Keep") : std::string("Remove"); });

TEST_F(LiveEditorTest, AKeepOfARowThatIsNotResurrectedIsRefused)
{
    auto e = editor();
    test::expectError(
        ErrorCode::NotFound, "no resurrected row nope", [&] { e->keepRow("faelles_maal.maal", "nope"); });
}
