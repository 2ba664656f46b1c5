// SPDX-License-Identifier: EUPL-1.2
#include "base/error.h"
#include "base/limits.h"
#include "docgen/forms/values.h"
#include "tests/docgen/docgen_fixture.h"
#include "tests/support/test_support.h"

#include <gtest/gtest.h>

using namespace fplan;
using namespace fplan::docgen;

namespace {

class Values : public testing::Test {
protected:
    Values()
    {
        m_case.people
            = { { "p1", "Søs Nørgaard", "0101901234", "mor", true }, { "p2", "Ελένη", "", "barn", false } };
        m_case.team = { { "t1", "Jens Ravn", "Børn og Familie", "", "", "", "jr", "", "" },
            { "t2", "Åse Øberg", "Dagtilbud og Undervisning", "", "", "", "", "", "" } };
    }

    // The first problem's "PATH: reason", or "" when the values fit.
    std::string problem(const std::string& templateId, const Json& values)
    {
        const auto problems = findValueProblems(m_templates.load(templateId), values, &m_case);
        return problems.empty() ? "" : describe(problems.front());
    }

    TemplateRegistry m_templates { fplan::test::sourceDir() / "templates" };
    Case m_case;
};

bool startsWith(const std::string& text, const std::string& prefix)
{
    return text.rfind(prefix, 0) == 0;
}

} // namespace

TEST_F(Values, GoodValuesPass)
{
    EXPECT_EQ("",
        problem("familieplan",
            { { "om_planen.dato", "2024-02-29" }, { "om_planen.tovholder", "t1" },
                { "opfoelgning.interval", "uger_8" },
                { "familiens_bemaerkninger.bemaerkninger", "Łukasz\nΕλένη\tДмитрий" },
                { "indsatser.indsats",
                    Json::array({ { { "@id", "a" }, { "indsats", "Familiebehandling" }, { "modtager", "p1" },
                        { "timer_pr_uge", 3 }, { "status", "i_gang" } } }) },
                { "om_planen.periode_til", nullptr } }));
    EXPECT_EQ("", problem("opfoelgningsmoede", { { "moedet.tidspunkt", "2026-03-12T09:30" } }));
}

TEST_F(Values, DatesMustBeRealDays)
{
    EXPECT_TRUE(
        startsWith(problem("familieplan", { { "om_planen.dato", "2026-02-29" } }), "om_planen.dato: "));
    EXPECT_NE("", problem("familieplan", { { "om_planen.dato", "12-03-2026" } }));
    EXPECT_NE("", problem("familieplan", { { "om_planen.dato", "2026-13-01" } }));
    EXPECT_NE("", problem("familieplan", { { "om_planen.dato", 20260312 } }));
    EXPECT_NE("", problem("opfoelgningsmoede", { { "moedet.tidspunkt", "2026-03-12 09:30" } }));
    EXPECT_NE("", problem("opfoelgningsmoede", { { "moedet.tidspunkt", "2026-03-12T24:00" } }));
    EXPECT_TRUE(isRealDate("2000-02-29"));
    EXPECT_FALSE(isRealDate("1900-02-29"));
}

TEST_F(Values, ChoicesNumbersAndBooleans)
{
    EXPECT_NE(std::string::npos,
        problem("familieplan", { { "opfoelgning.interval", "hver_uge" } }).find("not one of the choices"));
    const Json badStatus = Json::array({ { { "status", "faerdig" } } });
    EXPECT_TRUE(startsWith(
        problem("familieplan", { { "indsatser.indsats", badStatus } }), "indsatser.indsats[0].status: "));
    EXPECT_NE("",
        problem("familieplan", { { "indsatser.indsats", Json::array({ { { "timer_pr_uge", "tre" } } }) } }));
    EXPECT_NE("",
        problem("familieplan", { { "indsatser.indsats", Json::array({ { { "timer_pr_uge", 200 } } }) } }));
    EXPECT_NE(
        "", problem("familieplan", { { "indsatser.indsats", Json::array({ { { "timer_pr_uge", -1 } } }) } }));
    EXPECT_NE("", problem("opfoelgningsmoede", { { "revision.revideres", "ja" } }));
    EXPECT_EQ("", problem("opfoelgningsmoede", { { "revision.revideres", true } }));
}

TEST_F(Values, MultipleChoice)
{
    const char* path = "baggrund.samtykke_fagomraader";
    EXPECT_EQ("",
        problem("familiefaglig-undersoegelse",
            { { path, Json::array({ "boern_og_familie", "beskaeftigelse" }) } }));
    EXPECT_EQ("", problem("familiefaglig-undersoegelse", { { path, Json::array() } }));
    EXPECT_NE(std::string::npos,
        problem("familiefaglig-undersoegelse", { { path, Json::array({ "skolen" }) } })
            .find("not one of the choices"));
    EXPECT_NE(std::string::npos,
        problem("familiefaglig-undersoegelse", { { path, Json::array({ "andet", "andet" }) } })
            .find("chosen twice"));
    EXPECT_NE("", problem("familiefaglig-undersoegelse", { { path, "andet" } }));
}

TEST_F(Values, CprIsChecked)
{
    const auto row = [](const char* cpr) { return Json::array({ { { "navn", "X" }, { "cpr", cpr } } }); };
    EXPECT_EQ("", problem("familiefaglig-undersoegelse", { { "familien.medlem", row("010190-1234") } }));
    const auto message = problem("familiefaglig-undersoegelse", { { "familien.medlem", row("3102901234") } });
    EXPECT_TRUE(startsWith(message, "familien.medlem[0].cpr: '3102901234' is not a CPR number")) << message;
    EXPECT_NE("", problem("familiefaglig-undersoegelse", { { "familien.medlem", row("12345") } }));
}

TEST_F(Values, PeopleAndTeamMembersMustBelongToTheCase)
{
    EXPECT_EQ("om_planen.tovholder: no team member with id 't9' in this case",
        problem("familieplan", { { "om_planen.tovholder", "t9" } }));
    EXPECT_EQ("familiens_behov.behov[0].person: no person with id 'p9' in this case",
        problem("familieplan", { { "familiens_behov.behov", Json::array({ { { "person", "p9" } } }) } }));
    // A discipline's section is written by a professional of that discipline.
    EXPECT_EQ("",
        problem(
            "familiefaglig-undersoegelse", { { "faglige_beskrivelser.boern_og_familie.forfatter", "t1" } }));
    const auto message = problem("familiefaglig-undersoegelse",
        { { "faglige_beskrivelser.dagtilbud_og_undervisning.forfatter", "t1" } });
    EXPECT_NE(std::string::npos, message.find("not in Dagtilbud og Undervisning")) << message;
}

TEST_F(Values, TextLengthTypeAndShape)
{
    EXPECT_NE(std::string::npos,
        problem("familieplan", { { "opfoelgning.interval_andet", std::string(201, 'x') } })
            .find("at most 200"));
    // Length counts characters, not bytes.
    std::string greek;
    for (int i = 0; i < 200; ++i)
        greek += "Ω";
    EXPECT_EQ("", problem("familieplan", { { "opfoelgning.interval_andet", greek } }));
    EXPECT_NE("", problem("familieplan", { { "opfoelgning.interval_andet", "to\nlinjer" } }));
    EXPECT_NE("", problem("familieplan", { { "opfoelgning.interval_andet", 8 } }));
    EXPECT_EQ("nope.felt: no such field in template familieplan (version 2)",
        problem("familieplan", { { "nope.felt", "x" } }));
    EXPECT_NE("", problem("familieplan", { { "faelles_maal.maal", "ikke en tabel" } }));
    EXPECT_NE(std::string::npos,
        problem("familieplan", { { "faelles_maal.maal", Json::array({ { { "farve", "rød" } } }) } })
            .find("no column 'farve'"));
    EXPECT_NE(std::string::npos,
        problem("familieplan",
            { { "faelles_maal.maal", Json::array({ { { "@id", "a" } }, { { "@id", "a" } } }) } })
            .find("appears twice"));
    EXPECT_NE("", problem("familieplan", { { "faelles_maal.maal", Json::array({ { { "@id", "a.b" } } }) } }));
    EXPECT_NE("", problem("familieplan", Json::array()));
}

TEST_F(Values, LongBadValueIsCutAtACharacterBoundary)
{
    std::string greek;
    for (int i = 0; i < 100; ++i)
        greek += "Ωx";
    const auto message = problem("familieplan", { { "om_planen.dato", greek } });
    ASSERT_NE("", message);
    EXPECT_NO_THROW((void)Json(message).dump()) << "the message must be valid UTF-8";
    EXPECT_NE(std::string::npos, message.find("...")) << message;
}

TEST_F(Values, CheckValuesThrowsBadInputWithPathAndCount)
{
    const std::string message = test::expectError(ErrorCode::BadInput, "(and 1 more)", [&] {
        checkValues(m_templates.load("familieplan"),
            { { "om_planen.dato", "i morgen" }, { "om_planen.tovholder", "t9" } }, &m_case);
    });
    EXPECT_TRUE(startsWith(message, "om_planen.dato: ")) << message;
}

TEST_F(Values, MissingRequiredNamesEachField)
{
    const auto missing = findMissingRequired(m_templates.load("familieplan"),
        { { "faelles_maal.maal", Json::array({ { { "@id", "a" }, { "sigt", "kort" } } }) } });
    std::vector<std::string> paths;
    for (const auto& m : missing)
        paths.push_back(m.path.text());
    EXPECT_NE(std::find(paths.begin(), paths.end(), "om_planen.dato"), paths.end());
    EXPECT_NE(std::find(paths.begin(), paths.end(), "faelles_maal.maal[0].maal"), paths.end());
    EXPECT_NE(std::find(paths.begin(), paths.end(), "godkendelse.lavet_sammen_dato"), paths.end());
    EXPECT_EQ(std::find(paths.begin(), paths.end(), "faelles_maal.maal"), paths.end());
}

// A table whose template names no max-rows still has a limit (limits::TableRows): 100,000 rows
// in a values file once made a 1 GB store.
TEST_F(Values, ATableWithoutMaxRowsHasTheDefaultLimit)
{
    const Template plan = m_templates.load("familieplan");
    const Field* table = nullptr;
    for (const Field* f : plan.fields())
        if (f->type == FieldType::Table && f->maxRows == 0)
            table = f;
    ASSERT_NE(nullptr, table) << "familieplan has no table without max-rows any more";
    Json rows = Json::array();
    for (std::size_t i = 0; i < limits::TableRows; ++i)
        rows.push_back({ { "@id", "r" + std::to_string(i) } });
    EXPECT_EQ("", problem("familieplan", { { table->path, rows } }));
    rows.push_back({ { "@id", "one-more" } });
    EXPECT_EQ(table->path + ": has " + std::to_string(limits::TableRows + 1) + " rows; at most "
            + std::to_string(limits::TableRows) + " are allowed",
        problem("familieplan", { { table->path, rows } }));
}
