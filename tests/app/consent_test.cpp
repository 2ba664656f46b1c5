// SPDX-License-Identifier: EUPL-1.2
// The consent gate (app/consent.h) through the document service: consent documents as the
// caseworker fills and finalises them, a team change, withdrawals, dates, who must consent.
#include "app/documents.h"
#include "tests/docgen/docgen_fixture.h"

#include <gtest/gtest.h>

using namespace fplan;
using namespace fplan::app;
using fplan::test::StoreWithCase;

namespace {

const Json AllFive = Json::array({ "boern_og_familie", "dagtilbud_og_undervisning", "handicap_og_psykiatri",
    "beskaeftigelse", "sundhed_og_omsorg" });

class ConsentTest : public testing::Test {
protected:
    DocumentService docs() { return DocumentService(*m.store, m.templates, "jr"); }

    // A consent signed by both custody holders for `disciplines` from..to; finalised unless told.
    std::string consent(const Json& disciplines, const std::string& from = "2026-03-01",
        const std::string& to = "2027-02-28", bool finalise = true)
    {
        auto d = docs();
        const std::string id = d.create(m.caseId, ConsentTemplateId).docId;
        d.fill(id,
            { { "hvem.giver",
                  Json::array({ { { "person", "p1" }, { "grundlag", "foraeldremyndighed" }, { "dato", from },
                                    { "form", "papir" } },
                      { { "person", "p2" }, { "grundlag", "foraeldremyndighed" }, { "dato", from },
                          { "form", "papir" } } }) },
                { "udveksling.formaal", "Familiens fælles plan" }, { "udveksling.fagomraader", disciplines },
                { "udveksling.oplysninger", "Skolegang og trivsel" }, { "gyldighed.fra", from },
                { "gyldighed.til", to }, { "modtaget.dato", from } });
        if (finalise) {
            EXPECT_EQ(1, d.finalize(id).version);
        }
        return id;
    }

    void withdraw(const std::string& docId, const std::string& date, const Json& disciplines)
    {
        auto d = docs();
        Json rows = d.show(docId).at("values").value("tilbagekaldelse.tilbagekald", Json::array());
        Json row = { { "dato", date }, { "hvem", "p2" }, { "noteret_af", "t1" },
            { "omfang", disciplines.empty() ? "hele" : "fagomraader" } };
        if (!disciplines.empty())
            row["fagomraader"] = disciplines;
        rows.push_back(row);
        d.fill(docId, { { "tilbagekaldelse.tilbagekald", rows } });
    }

    static std::vector<std::string> gapIds(const ConsentStatus& s)
    {
        std::vector<std::string> ids;
        for (const auto& g : s.gaps)
            ids.push_back(g.teamMemberId);
        return ids;
    }

    StoreWithCase m;
};

} // namespace

TEST_F(ConsentTest, WithoutAFinalisedConsentNoOneIsCovered)
{
    auto d = docs();
    auto status = d.consent(m.caseId, "2026-04-01");
    EXPECT_FALSE(status.covered());
    EXPECT_EQ((std::vector<std::string> { "t1", "t2", "t3", "t4", "t5" }), gapIds(status));
    EXPECT_EQ(ConsentGapKind::NoConsent, status.gaps[0].kind);
    // A draft grants nothing: the family has not signed what is not finished.
    consent(AllFive, "2026-03-01", "2027-02-28", false);
    status = d.consent(m.caseId, "2026-04-01");
    EXPECT_TRUE(status.documents.empty());
    EXPECT_EQ(5u, status.gaps.size());
}

TEST_F(ConsentTest, CoversTheDisciplinesItNamesWithinItsPeriod)
{
    consent(Json::array(
        { "boern_og_familie", "dagtilbud_og_undervisning", "handicap_og_psykiatri", "sundhed_og_omsorg" }));
    auto d = docs();
    const auto status = d.consent(m.caseId, "2026-04-01");
    EXPECT_FALSE(status.covered());
    ASSERT_EQ((std::vector<std::string> { "t4" }), gapIds(status)); // Beskæftigelse is not named
    EXPECT_EQ(ConsentGapKind::NotNamed, status.gaps[0].kind);
    EXPECT_EQ("Mette Skov (Beskæftigelse): the consent does not name this discipline or professional",
        describe(status.gaps[0]));
    EXPECT_TRUE(status.missing.empty());
    EXPECT_EQ("2027-02-28", status.validUntil);

    const auto before = d.consent(m.caseId, "2026-02-28");
    EXPECT_EQ(5u, before.gaps.size());
    EXPECT_EQ(ConsentGapKind::NotYetValid, before.gaps[0].kind);
    EXPECT_EQ("2026-03-01", before.gaps[0].date);
    const auto after = d.consent(m.caseId, "2027-03-01");
    EXPECT_EQ(ConsentGapKind::Expired, after.gaps[0].kind);
    EXPECT_EQ("2027-02-28", after.gaps[0].date);
    EXPECT_TRUE(d.consent(m.caseId, "2027-02-28").gapOf("t1") == nullptr); // the last day counts
}

TEST_F(ConsentTest, ATeamChangeOutsideTheConsentIsStoredAndNamesTheGap)
{
    consent(AllFive, "2026-01-01", "2099-12-31"); // a team change is judged on today
    auto d = docs();
    EXPECT_TRUE(d.consent(m.caseId).covered());

    TeamMember inside;
    inside.name = "Ida Berg";
    inside.fagomraade = "Dagtilbud og Undervisning";
    const auto covered = d.saveTeamMember(m.caseId, inside);
    EXPECT_EQ(nullptr, covered.gap());
    EXPECT_TRUE(covered.consent.covered());

    TeamMember outside;
    outside.name = "Bo Lind";
    outside.fagomraade = "Socialpsykiatri";
    const auto change = d.saveTeamMember(m.caseId, outside);
    ASSERT_NE(nullptr, change.gap());
    EXPECT_EQ("Bo Lind", change.gap()->name);
    EXPECT_EQ(ConsentGapKind::NotNamed, change.gap()->kind);
    EXPECT_EQ(1u, change.consent.gaps.size());
    // Stored all the same: the gate warns, the team is the caseworker's to decide.
    const Case kase = d.openCase(m.caseId);
    ASSERT_EQ(7u, kase.team.size());
    EXPECT_EQ("Socialpsykiatri", kase.team.back().fagomraade);
    EXPECT_EQ(change.teamMemberId, kase.team.back().id);
    EXPECT_FALSE(d.consent(m.caseId).covered());

    // Moving a covered professional to a discipline outside the consent is a change too.
    TeamMember moved = *kase.teamMember("t2");
    moved.fagomraade = "Socialpsykiatri";
    ASSERT_NE(nullptr, d.saveTeamMember(m.caseId, moved).gap());
    test::expectError(ErrorCode::BadInput, "needs a discipline", [&] {
        TeamMember none;
        none.name = "Ny";
        d.saveTeamMember(m.caseId, none);
    });
}

TEST_F(ConsentTest, AWithdrawalStopsWhatItCoversFromItsDate)
{
    const std::string id = consent(AllFive);
    withdraw(id, "2026-06-01", Json::array({ "sundhed_og_omsorg" })); // written, not finalised
    auto d = docs();
    EXPECT_TRUE(d.consent(m.caseId, "2026-05-31").covered());
    const auto partial = d.consent(m.caseId, "2026-06-01");
    ASSERT_EQ((std::vector<std::string> { "t5" }), gapIds(partial));
    EXPECT_EQ(ConsentGapKind::Withdrawn, partial.gaps[0].kind);
    EXPECT_EQ("2026-06-01", partial.gaps[0].date);
    EXPECT_TRUE(partial.missing.empty()); // the rest still stands, with its signatures

    withdraw(id, "2026-07-01", Json::array()); // the whole consent
    const auto whole = d.consent(m.caseId, "2026-07-01");
    EXPECT_EQ(5u, whole.gaps.size());
    for (const auto& g : whole.gaps)
        EXPECT_EQ(ConsentGapKind::Withdrawn, g.kind) << g.name;
    EXPECT_EQ("2026-06-01", whole.gapOf("t5")->date); // the earliest withdrawal that covers it
    EXPECT_EQ("2026-07-01", whole.gapOf("t1")->date);
    EXPECT_EQ(2u, whole.missing.size()); // no consent in force: the custody holders have not consented
    EXPECT_TRUE(d.consent(m.caseId, "2026-05-31").covered()); // what was before stays as it was

    // A new consent after the withdrawal covers again.
    consent(AllFive, "2026-08-01", "2027-07-31");
    EXPECT_TRUE(d.consent(m.caseId, "2026-08-01").covered());
}

TEST_F(ConsentTest, NamedProfessionalsRestrictTheDisciplines)
{
    auto d = docs();
    const std::string id = consent(AllFive, "2026-03-01", "2027-02-28", false);
    d.fill(id,
        { { "udveksling.fagpersoner",
            Json::array({ { { "fagperson", "t1" } }, { { "fagperson", "t5" } } }) } });
    d.finalize(id);
    EXPECT_EQ((std::vector<std::string> { "t2", "t3", "t4" }), gapIds(d.consent(m.caseId, "2026-04-01")));
}

TEST_F(ConsentTest, CustodyHoldersAndTheYoungFromFifteenMustConsent)
{
    auto d = docs();
    const std::string id = d.create(m.caseId, ConsentTemplateId).docId;
    d.fill(id,
        { { "hvem.giver",
              Json::array({ { { "person", "p1" }, { "grundlag", "foraeldremyndighed" },
                  { "dato", "2029-01-01" }, { "form", "papir" } } }) },
            { "udveksling.formaal", "Planen" }, { "udveksling.fagomraader", AllFive },
            { "udveksling.oplysninger", "Trivsel" }, { "gyldighed.fra", "2029-01-01" },
            { "gyldighed.til", "2031-12-31" }, { "modtaget.dato", "2029-01-01" } });
    d.finalize(id);
    // p3 (born 12.05.2015) turns 15 on 12.05.2030; p2 has custody and has not signed.
    const auto young = d.consent(m.caseId, "2030-05-11");
    ASSERT_EQ(1u, young.missing.size());
    EXPECT_EQ("p2", young.missing[0].personId);
    EXPECT_TRUE(young.missing[0].custody);
    EXPECT_TRUE(young.gaps.empty());
    EXPECT_FALSE(young.covered());
    const auto fifteen = d.consent(m.caseId, "2030-05-12");
    ASSERT_EQ(2u, fifteen.missing.size());
    EXPECT_EQ("p3", fifteen.missing[1].personId);
    EXPECT_FALSE(fifteen.missing[1].custody);
    EXPECT_EQ("Ελένη Şahin (15 years or older) has not given consent", describe(fifteen.missing[1]));
}
