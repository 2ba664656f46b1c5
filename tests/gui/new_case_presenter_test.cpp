// SPDX-License-Identifier: EUPL-1.2
#include "base/error.h"
#include "gui/case_overview_presenter.h"
#include "gui/new_case_presenter.h"
#include "tests/support/test_support.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>

using namespace fplan;
using namespace fplan::gui;

namespace {

NewCasePresenter validCase()
{
    NewCasePresenter p;
    p.title = "Familien Nørgaard";
    p.journalNumber = "27.24.00-G01-1-26";
    p.kle = "27.24.00";
    p.people = { { "Søs Nørgaard", "010190-1234", "mor", true },
        { "Alma Nørgaard", "1205154321", "barn", false } };
    p.team = { { "Jens Ravn", "Børn og Familie", "myndighedsrådgiver", "jr@kommune.dk", "12345678" },
        { "Pia Holm", "Sundhed og Omsorg", "sundhedsplejerske", "", "" } };
    p.coordinator = 0;
    return p;
}

bool mentions(const std::vector<std::string>& problems, const std::string& text)
{
    return std::any_of(problems.begin(), problems.end(),
        [&](const std::string& p) { return p.find(text) != std::string::npos; });
}

} // namespace

TEST(NewCasePresenter, AValidCaseHasNoProblems)
{
    EXPECT_TRUE(validCase().problems().empty());
}

TEST(NewCasePresenter, EmptyDialogListsWhatIsMissing)
{
    NewCasePresenter p;
    const auto problems = p.problems();
    EXPECT_TRUE(mentions(problems, "Sagens navn skal udfyldes"));
    EXPECT_TRUE(mentions(problems, "mindst ét familiemedlem"));
    EXPECT_TRUE(mentions(problems, "mindst én fagperson"));
}

TEST(NewCasePresenter, NamesThePersonWithABadCprAndTheMissingCoordinator)
{
    auto p = validCase();
    p.people[1].cpr = "3102901234"; // 31 February
    p.team[1].fagomraade.clear();
    p.team[0].email = "jr.kommune.dk";
    p.coordinator = -1;
    const auto problems = p.problems();
    EXPECT_TRUE(mentions(problems, "Alma Nørgaard: CPR-nummeret 3102901234 er ugyldigt")) << problems.front();
    EXPECT_TRUE(mentions(problems, "Pia Holm: vælg et fagområde"));
    EXPECT_TRUE(mentions(problems, "Jens Ravn: e-mailadressen jr.kommune.dk mangler @"));
    EXPECT_TRUE(mentions(problems, "Vælg familiens tovholder"));
    EXPECT_EQ(4u, problems.size());
}

TEST(NewCasePresenter, CreatesACaseThatTheListAndOverviewShow)
{
    test::TempDir dir;
    Store::create(dir / "s.fplan", "hemmelig sætning", crypto::KdfParams::freshCheap());
    Store store = Store::open(dir / "s.fplan", "hemmelig sætning");
    const docgen::TemplateRegistry templates(test::sourceDir() / "templates");
    app::DocumentService documents(store, templates, "jr");

    auto invalid = validCase();
    invalid.title = " ";
    test::expectError(
        ErrorCode::BadInput, "Sagens navn skal udfyldes", [&] { invalid.create(store, "jr", "2026-03-12"); });
    EXPECT_TRUE(store.listCases().empty()); // nothing stored from a refused dialog

    const std::string id = validCase().create(store, "jr", "2026-03-12");
    const auto cases = store.listCases();
    ASSERT_EQ(1u, cases.size());
    EXPECT_EQ(id, cases[0].id);
    EXPECT_EQ("Familien Nørgaard", cases[0].title);
    EXPECT_NE(std::string::npos, cases[0].searchText.find("0101901234")); // CPR stored without hyphen

    CaseOverviewPresenter overview(documents, id, [](const std::string& t) { return "T:" + t; });
    EXPECT_EQ("Familien Nørgaard · 27.24.00-G01-1-26", overview.heading());
    ASSERT_EQ(2u, overview.familyLines().size());
    EXPECT_EQ("Søs Nørgaard (mor) · CPR 010190-1234 · forældremyndighed", overview.familyLines()[0]);
    EXPECT_EQ("Jens Ravn (tovholder) · Børn og Familie · myndighedsrådgiver", overview.teamLines()[0]);
    ASSERT_EQ(1u, overview.coordinatorHistoryLines().size());
    EXPECT_EQ("12.03.2026: Jens Ravn – Valgt da sagen blev oprettet", overview.coordinatorHistoryLines()[0]);
    EXPECT_TRUE(overview.documents().empty());

    test::expectError(ErrorCode::BadInput, "Vælg den nye tovholder blandt fagpersonerne.",
        [&] { overview.changeCoordinator("t9", "2026-05-01", "", "jr"); });
    test::expectError(ErrorCode::BadInput, "allerede tovholder",
        [&] { overview.changeCoordinator("t1", "2026-05-01", "", "jr"); });
    test::expectError(ErrorCode::BadInput, "Skriv datoen som DD.MM.ÅÅÅÅ.",
        [&] { overview.changeCoordinator("t2", "31.04.2026", "", "jr"); }); // no such day
    overview.changeCoordinator("t2", "01.05.2026", "Familien ønskede sundhedsplejersken", "jr");
    EXPECT_EQ("t2", overview.kase().coordinator);
    EXPECT_EQ("2026-05-01", overview.kase().coordinatorHistory.back().date); // typed Danish, stored ISO
    ASSERT_EQ(2u, overview.coordinatorHistoryLines().size());
    EXPECT_EQ(
        "01.05.2026: Pia Holm – Familien ønskede sundhedsplejersken", overview.coordinatorHistoryLines()[1]);
    EXPECT_EQ("Pia Holm (tovholder) · Sundhed og Omsorg · sundhedsplejerske", overview.teamLines()[1]);

    const auto docId = overview.newDocument(FollowUpTemplate);
    ASSERT_EQ(1u, overview.documents().size());
    EXPECT_EQ(docId, overview.documents()[0].id);
    EXPECT_EQ("T:opfoelgningsmoede", overview.documents()[0].title);
    EXPECT_EQ("Kladde", overview.documents()[0].status);
    // Made by the document service, as `fplan doc new` makes it: default points, the tovholder.
    const DocumentState agenda = store.documentState(docId);
    EXPECT_EQ(7u, agenda.rows("dagsorden.punkt").size());
    ASSERT_TRUE(agenda.value("moedet.moedeleder"));
    EXPECT_EQ("t2", agenda.value("moedet.moedeleder")->get<std::string>());
}

class CasePeopleTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        Store::create(m_dir / "s.fplan", "hemmelig sætning", crypto::KdfParams::freshCheap());
        m_store = std::make_unique<Store>(Store::open(m_dir / "s.fplan", "hemmelig sætning"));
        m_caseId = validCase().create(*m_store, "jr", "2026-03-12");
        m_documents = std::make_unique<app::DocumentService>(*m_store, m_templates, "jr");
        m_overview = std::make_unique<CaseOverviewPresenter>(*m_documents, m_caseId, nullptr);
    }
    std::string searchText() const { return m_store->listCases().at(0).searchText; }

    test::TempDir m_dir;
    std::unique_ptr<Store> m_store;
    docgen::TemplateRegistry m_templates { test::sourceDir() / "templates" };
    std::unique_ptr<app::DocumentService> m_documents;
    std::string m_caseId;
    std::unique_ptr<CaseOverviewPresenter> m_overview;
};

TEST_F(CasePeopleTest, AddsAFamilyMemberWithACheckedCpr)
{
    test::expectError(ErrorCode::BadInput, "3102901234", [&] {
        m_overview->savePerson(std::nullopt, { "Bo Nørgaard", "3102901234", "far", true }, "jr");
    });
    EXPECT_EQ(2u, m_overview->kase().people.size()); // nothing stored from a refused dialog
    const auto message = test::expectError(ErrorCode::BadInput, "Familiemedlem 3: navn skal udfyldes", [&] {
        m_overview->savePerson(std::nullopt, { "", "12", "far", true }, "jr");
    });
    EXPECT_NE(std::string::npos, message.find("CPR-nummeret 12 skal have 10 cifre")) << message;

    m_overview->savePerson(std::nullopt, { " Bo Nørgaard ", "020288-1235", "far", true }, "jr");
    ASSERT_EQ(3u, m_overview->kase().people.size());
    EXPECT_EQ("Bo Nørgaard", m_overview->kase().people[2].name);
    EXPECT_EQ("0202881235", m_overview->kase().people[2].cpr);
    EXPECT_EQ("Bo Nørgaard (far) · CPR 020288-1235 · forældremyndighed", m_overview->familyLines()[2]);
    EXPECT_NE(std::string::npos, searchText().find("0202881235")); // the case search finds him at once

    CaseOverviewPresenter reopened(*m_documents, m_caseId, nullptr); // stored, not only shown
    EXPECT_EQ(3u, reopened.kase().people.size());
}

TEST_F(CasePeopleTest, ChangesAndRemovesAFamilyMember)
{
    PersonDraft alma = m_overview->personDraft(1);
    EXPECT_EQ("120515-4321", alma.cpr);
    const std::string almaId = m_overview->kase().people[1].id;
    alma.cpr = ""; // cleared: the old number must not stay behind
    alma.name = "Alma Holm";
    m_overview->savePerson(1, alma, "jr");
    EXPECT_EQ(almaId, m_overview->kase().people[1].id); // the same person: documents still point at her
    EXPECT_EQ("", m_overview->kase().people[1].cpr);
    EXPECT_EQ("Alma Holm", m_overview->kase().people[1].name);
    EXPECT_EQ(std::string::npos, searchText().find("1205154321"));
    EXPECT_NE(std::string::npos, searchText().find("alma holm"));

    m_overview->removePerson(0, "jr");
    ASSERT_EQ(1u, m_overview->kase().people.size());
    EXPECT_EQ("Alma Holm", m_overview->kase().people[0].name);
    test::expectError(ErrorCode::Conflict, "mindst ét familiemedlem",
        [&] { m_overview->removePerson(0, "jr"); }); // a case keeps at least one
}

TEST_F(CasePeopleTest, EditsTheTeamButKeepsTheTovholderAndTheHistory)
{
    test::expectError(ErrorCode::BadInput, "Ida Berg", [&] {
        m_overview->saveTeamMember(std::nullopt, { "Ida Berg", "", "", "ida", "" });
    });
    m_overview->saveTeamMember(std::nullopt, { "Ida Berg", "Dagtilbud og Undervisning", "lærer", "", "" });
    ASSERT_EQ(3u, m_overview->kase().team.size());
    EXPECT_EQ("Ida Berg · Dagtilbud og Undervisning · lærer", m_overview->teamLines()[2]);
    EXPECT_FALSE(m_overview->kase().team[2].from.empty());

    TeamMemberDraft jens = m_overview->teamMemberDraft(0);
    jens.email = "";
    jens.phone = "87654321";
    m_overview->saveTeamMember(0, jens);
    EXPECT_EQ("", m_overview->kase().team[0].email);
    EXPECT_EQ("87654321", m_overview->kase().team[0].phone);
    EXPECT_EQ("t1", m_overview->kase().coordinator);

    test::expectError(ErrorCode::Conflict, "Jens Ravn er tovholder",
        [&] { m_overview->removeTeamMember(0, "jr"); }); // the tovholder
    m_overview->changeCoordinator("t2", "01.05.2026", "", "jr");
    test::expectError(ErrorCode::Conflict, "tovholderhistorikken",
        [&] { m_overview->removeTeamMember(0, "jr"); }); // named in the history
    m_overview->removeTeamMember(2, "jr");
    EXPECT_EQ(2u, m_overview->kase().team.size());
}

TEST_F(CasePeopleTest, TheOverviewShowsTheConsentAndWarnsOfAProfessionalOutsideIt)
{
    EXPECT_EQ((std::vector<std::string> {
                  "Ingen færdig samtykkeerklæring. Fagpersonerne må ikke udveksle oplysninger endnu.",
                  "• Søs Nørgaard har forældremyndighed og har ikke givet samtykke" }),
        m_overview->consentLines());

    const std::string docId = m_overview->newDocument(ConsentTemplate);
    m_documents->fill(docId,
        { { "hvem.giver",
              Json::array({ { { "person", m_overview->kase().people[0].id },
                  { "grundlag", "foraeldremyndighed" }, { "dato", "2026-01-05" }, { "form", "papir" } } }) },
            { "udveksling.formaal", "Planen" },
            { "udveksling.fagomraader", Json::array({ "boern_og_familie", "sundhed_og_omsorg" }) },
            { "udveksling.oplysninger", "Trivsel" }, { "gyldighed.fra", "2026-01-05" },
            { "gyldighed.til", "2099-12-31" }, { "modtaget.dato", "2026-01-05" } });
    m_documents->finalize(docId);
    m_overview->reload();
    EXPECT_EQ((std::vector<std::string> { "Samtykket dækker hele familieteamet (til 31.12.2099)." }),
        m_overview->consentLines());

    EXPECT_EQ("", m_overview->saveTeamMember(std::nullopt, { "Ida Berg", "Sundhed og Omsorg", "", "", "" }));
    const std::string warning
        = m_overview->saveTeamMember(std::nullopt, { "Bo Lind", "Beskæftigelse", "jobkonsulent", "", "" });
    EXPECT_NE(std::string::npos,
        warning.find("Bo Lind (Beskæftigelse): fagområdet eller fagpersonen er ikke med i samtykket"))
        << warning;
    ASSERT_EQ(4u, m_overview->kase().team.size()); // stored all the same
    const auto lines = m_overview->consentLines();
    ASSERT_EQ(2u, lines.size());
    EXPECT_EQ("Samtykket dækker ikke hele familieteamet:", lines[0]);
    EXPECT_EQ("• Bo Lind (Beskæftigelse): fagområdet eller fagpersonen er ikke med i samtykket", lines[1]);

    // Journalisér i ESDH: what the caseworker can put right is said in Danish first.
    const std::string draft = m_overview->newDocument(PlanTemplate);
    test::expectError(ErrorCode::BadInput, "Kun en færdig version", [&] { m_overview->fileDocument(draft); });
    test::expectError(ErrorCode::BadInput, "filing.folder", [&] { m_overview->fileDocument(docId); });
    m_store->setSetting("filing.folder", m_dir.path().string());
    const std::string filed = m_overview->fileDocument(docId);
    EXPECT_NE(std::string::npos, filed.find("Dokumentet er lagt til journalisering:")) << filed;
    EXPECT_NE(std::string::npos, filed.find((m_dir / ("samtykke-" + docId + "-v1.pdf")).string())) << filed;
    EXPECT_NE(std::string::npos, filed.find("Bemærk: samtykket dækker ikke hele familieteamet")) << filed;
    EXPECT_NE(std::string::npos, m_overview->fileDocument(docId).find("allerede journaliseret"));
}
