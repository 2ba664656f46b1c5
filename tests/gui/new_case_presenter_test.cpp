// SPDX-License-Identifier: EUPL-1.2
#include "core/error.h"
#include "gui/case_overview_presenter.h"
#include "gui/new_case_presenter.h"
#include "tests/support/test_support.h"

#include <gtest/gtest.h>

#include <algorithm>

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

    auto invalid = validCase();
    invalid.title = " ";
    EXPECT_THROW(invalid.create(store, "jr", "2026-03-12"), Error);
    EXPECT_TRUE(store.listCases().empty()); // nothing stored from a refused dialog

    const std::string id = validCase().create(store, "jr", "2026-03-12");
    const auto cases = store.listCases();
    ASSERT_EQ(1u, cases.size());
    EXPECT_EQ(id, cases[0].id);
    EXPECT_EQ("Familien Nørgaard", cases[0].title);
    EXPECT_NE(std::string::npos, cases[0].searchText.find("0101901234")); // CPR stored without hyphen

    CaseOverviewPresenter overview(store, id, [](const std::string& t) { return "T:" + t; });
    EXPECT_EQ("Familien Nørgaard · 27.24.00-G01-1-26", overview.heading());
    ASSERT_EQ(2u, overview.familyLines().size());
    EXPECT_EQ("Søs Nørgaard (mor) · CPR 010190-1234 · forældremyndighed", overview.familyLines()[0]);
    EXPECT_EQ("Jens Ravn · Børn og Familie · myndighedsrådgiver · tovholder", overview.teamLines()[0]);
    ASSERT_EQ(1u, overview.coordinatorHistoryLines().size());
    EXPECT_EQ("12.03.2026: Jens Ravn – Valgt da sagen blev oprettet", overview.coordinatorHistoryLines()[0]);
    EXPECT_TRUE(overview.documents().empty());

    EXPECT_THROW(overview.changeCoordinator("t9", "2026-05-01", "", "jr"), Error);
    EXPECT_THROW(overview.changeCoordinator("t1", "2026-05-01", "", "jr"), Error); // already tovholder
    EXPECT_THROW(overview.changeCoordinator("t2", "31.04.2026", "", "jr"), Error); // no such day
    overview.changeCoordinator("t2", "01.05.2026", "Familien ønskede sundhedsplejersken", "jr");
    EXPECT_EQ("t2", overview.kase().coordinator);
    EXPECT_EQ("2026-05-01", overview.kase().coordinatorHistory.back().date); // typed Danish, stored ISO
    ASSERT_EQ(2u, overview.coordinatorHistoryLines().size());
    EXPECT_EQ(
        "01.05.2026: Pia Holm – Familien ønskede sundhedsplejersken", overview.coordinatorHistoryLines()[1]);
    EXPECT_EQ("Pia Holm · Sundhed og Omsorg · sundhedsplejerske · tovholder", overview.teamLines()[1]);

    const auto docId = overview.newDocument(FollowUpTemplate, "1");
    ASSERT_EQ(1u, overview.documents().size());
    EXPECT_EQ(docId, overview.documents()[0].id);
    EXPECT_EQ("T:opfoelgningsmoede", overview.documents()[0].title);
    EXPECT_EQ("Kladde", overview.documents()[0].status);
}
