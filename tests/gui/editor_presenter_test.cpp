// SPDX-License-Identifier: EUPL-1.2
#include "base/error.h"
#include "gui/case_overview_presenter.h"
#include "gui/editor_presenter.h"
#include "gui/new_case_presenter.h"
#include "tests/support/test_support.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>

using namespace fplan;
using namespace fplan::gui;

namespace {

FormField field(std::string path, FieldKind kind, std::string label, bool required, std::size_t maxLength = 0,
    std::vector<FormChoice> choices = {})
{
    FormField f;
    f.path = std::move(path);
    f.kind = kind;
    f.label = std::move(label);
    f.required = required;
    f.maxLength = maxLength;
    f.choices = std::move(choices);
    return f;
}

FormSpec planSpec()
{
    FormSpec spec;
    spec.templateId = "familieplan";
    spec.title = "Familieplan";
    spec.version = "1";
    FormSection om;
    om.label = "Om planen";
    om.fields = { field("om_planen.dato", FieldKind::Date, "Planens dato", true),
        field("om_planen.tovholder", FieldKind::TeamMember, "Tovholder", true),
        field("om_planen.timer", FieldKind::Number, "Timer", false) };
    FormSection bem;
    bem.label = "Familiens bemærkninger";
    bem.fields = { field("bemaerkninger.tekst", FieldKind::LongText, "Bemærkninger", false, 20) };
    bem.fields[0].help = "Skriv med familiens egne ord.";
    FormField maal = field("maal", FieldKind::Table, "Familiens fælles mål", false);
    maal.columns = { field("maal", FieldKind::LongText, "Mål", true, 2000),
        field("sigt", FieldKind::Choice, "Sigt", false, 0,
            { { "kort", "Kort sigt" }, { "lang", "Lang sigt" } }) };
    FormSection maalSection;
    maalSection.label = "Familiens fælles mål";
    maalSection.fields = { maal };
    spec.sections = { om, maalSection, bem };
    spec.kinds.tables = { "maal" };
    spec.kinds.mergeableText = { "bemaerkninger.tekst", "maal.maal" };
    return spec;
}

class EditorTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        Store::create(m_dir / "s.fplan", "hemmelig sætning", crypto::KdfParams::freshCheap());
        m_store = std::make_unique<Store>(Store::open(m_dir / "s.fplan", "hemmelig sætning"));
        NewCasePresenter n;
        n.title = "Familien Nørgaard";
        n.people = { { "Søs Nørgaard", "0101901234", "mor", true } };
        n.team = { { "Jens Ravn", "Børn og Familie", "", "", "" } };
        n.coordinator = 0;
        m_caseId = n.create(*m_store, "jr", "2026-03-12");
        CaseOverviewPresenter overview(*m_store, m_caseId, {});
        m_docId = overview.newDocument("familieplan", "1");
        m_case = overview.kase();
    }
    std::unique_ptr<EditorPresenter> editor()
    {
        return std::make_unique<EditorPresenter>(*m_store, m_docId, planSpec(), m_case, "jr");
    }

    test::TempDir m_dir;
    std::unique_ptr<Store> m_store;
    std::string m_caseId;
    std::string m_docId;
    Case m_case;
};

bool mentions(const std::vector<std::string>& problems, const std::string& text)
{
    return std::any_of(problems.begin(), problems.end(),
        [&](const std::string& p) { return p.find(text) != std::string::npos; });
}

} // namespace

TEST_F(EditorTest, TypedValuesReachTheStoreOnlyOnFlush)
{
    auto e = editor();
    e->setValue("bemaerkninger.tekst", "Vi vil");
    EXPECT_TRUE(e->dirty());
    EXPECT_EQ(0u, m_store->documentState(m_docId).opCount());
    EXPECT_EQ(1u, e->flush());
    EXPECT_FALSE(e->dirty());
    EXPECT_EQ("Vi vil", m_store->documentState(m_docId).value("bemaerkninger.tekst")->get<std::string>());
    EXPECT_EQ(0u, e->flush()); // nothing pending: nothing written

    auto again = editor(); // a reopened editor shows what was stored
    EXPECT_EQ("Vi vil", again->text("bemaerkninger.tekst"));
}

TEST_F(EditorTest, ValidationMessagesNameTheProblem)
{
    auto e = editor();
    e->setValue("om_planen.dato", "2026-02-30");
    EXPECT_EQ("Skriv datoen som DD.MM.ÅÅÅÅ.", e->message("om_planen.dato"));
    e->setValue("om_planen.dato", "2026-02-28");
    EXPECT_EQ("", e->message("om_planen.dato"));
    e->setValue("bemaerkninger.tekst", "Æblerne på træet er røde");
    EXPECT_EQ("Højst 20 tegn (der står 24).", e->message("bemaerkninger.tekst"));
    e->setValue("om_planen.tovholder", "t9");
    EXPECT_EQ("Vælg en af mulighederne.", e->message("om_planen.tovholder"));
    e->setValue("om_planen.tovholder", "t1");
    EXPECT_EQ("", e->message("om_planen.tovholder"));
    e->setValue("om_planen.timer", "fire");
    EXPECT_EQ("Skal være et tal.", e->message("om_planen.timer"));
}

TEST_F(EditorTest, PersonAndTeamFieldsChooseAmongTheCasesPeople)
{
    auto e = editor();
    const auto choices = e->choicesFor(*e->spec().field("om_planen.tovholder"));
    ASSERT_EQ(1u, choices.size());
    EXPECT_EQ("t1", choices[0].id);
    EXPECT_EQ("Jens Ravn (Børn og Familie)", choices[0].label);
}

TEST_F(EditorTest, UndoTakesBackAWordAtATimeAndRedoRestoresIt)
{
    auto e = editor();
    std::vector<std::string> changed;
    e->onValueChanged = [&](const std::string& path) { changed.push_back(path); };
    for (const char* typed : { "V", "Vi", "Vi ", "Vi v", "Vi vi", "Vi vil" })
        e->setValue("bemaerkninger.tekst", typed);
    e->undo();
    EXPECT_EQ("Vi ", e->text("bemaerkninger.tekst"));
    e->undo();
    EXPECT_EQ("", e->text("bemaerkninger.tekst"));
    EXPECT_FALSE(e->canUndo());
    e->redo();
    e->redo();
    EXPECT_EQ("Vi vil", e->text("bemaerkninger.tekst"));
    EXPECT_EQ(4u, changed.size());
    e->flush();
    EXPECT_EQ("Vi vil", m_store->documentState(m_docId).value("bemaerkninger.tekst")->get<std::string>());
}

TEST_F(EditorTest, TableRowsCanBeAddedMovedAndRemoved)
{
    auto e = editor();
    const auto a = e->addRow("maal");
    e->setCell("maal", a, "maal", "Alma kommer i skole hver dag");
    const auto b = e->addRow("maal");
    e->setCell("maal", b, "maal", "Søs får et job");
    e->setCell("maal", b, "sigt", "lang");
    EXPECT_EQ(0u, e->moveRow("maal", b, -1));
    e->flush();
    auto rows = m_store->documentState(m_docId).rows("maal");
    ASSERT_EQ(2u, rows.size());
    EXPECT_EQ("Søs får et job", rows[0].cells.at("maal").get<std::string>());
    e->removeRow("maal", 0);
    e->flush();
    rows = m_store->documentState(m_docId).rows("maal");
    ASSERT_EQ(1u, rows.size());
    EXPECT_EQ("Alma kommer i skole hver dag", rows[0].cells.at("maal").get<std::string>());
    e->undo(); // the removed row comes back
    EXPECT_EQ(2u, e->rowCount("maal"));
}

TEST_F(EditorTest, FinaliseListsWhatIsMissingFirst)
{
    auto e = editor();
    e->addRow("maal");
    const auto missing = e->missingForFinalize();
    EXPECT_TRUE(mentions(missing, "Om planen › Planens dato: skal udfyldes."));
    EXPECT_TRUE(mentions(missing, "Om planen › Tovholder: skal udfyldes."));
    EXPECT_TRUE(mentions(missing, "Familiens fælles mål, række 1: Mål skal udfyldes."));
    EXPECT_THROW(e->finalize(), Error);
    EXPECT_TRUE(m_store->documentState(m_docId).versions().empty());

    e->setValue("om_planen.dato", "2026-03-12");
    e->setValue("om_planen.tovholder", "t1");
    e->setCell("maal", 0, "maal", "Alma kommer i skole");
    EXPECT_TRUE(e->missingForFinalize().empty());
    EXPECT_EQ(0, e->unchangedVersion());
    EXPECT_EQ(1, e->finalize());
    EXPECT_EQ(1, e->unchangedVersion()); // a PDF now prints "version 1"
    EXPECT_TRUE(mentions(e->missingForFinalize(), "Intet er ændret siden version 1."));

    e->setCell("maal", 0, "sigt", "kort");
    e->setValue("om_planen.dato", "2026-05-01");
    EXPECT_EQ(0, e->unchangedVersion());
    const auto lines = e->diff(1, -1);
    ASSERT_EQ(2u, lines.size());
    EXPECT_EQ("Om planen › Planens dato", lines[0].label);
    EXPECT_EQ("12.03.2026", lines[0].before); // dates read the Danish way
    EXPECT_EQ("01.05.2026", lines[0].after);
    EXPECT_EQ("Familiens fælles mål › Sigt", lines[1].label);
    EXPECT_EQ("Kort sigt", lines[1].after);
    EXPECT_EQ(2, e->finalize());
    EXPECT_EQ(2u, e->versions().size());
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
    const FormField& dato = *e->spec().field("om_planen.dato");
    EXPECT_EQ("12.03.2026", e->displayText(dato, Json("2026-03-12")));
    EXPECT_EQ("19.03.2026", e->displayText(dato, Json("2026-03-19")));
    EXPECT_EQ("Jens Ravn (Børn og Familie)",
        e->displayText(*e->spec().field("om_planen.tovholder"), Json("t1"))); // a name, not an id
    const FormField& sigt = e->spec().field("maal")->columns[1];
    EXPECT_EQ("Kort sigt", e->displayText(sigt, Json("kort"))); // a choice's label, not its id

    e->resolve("om_planen.dato", values[0]); // the value already shown: still a real decision
    e->flush();
    EXPECT_TRUE(m_store->documentState(m_docId).conflicts().empty());
    EXPECT_TRUE(e->conflictValues("om_planen.dato").empty());
    EXPECT_EQ(values[0], e->value("om_planen.dato"));
}
