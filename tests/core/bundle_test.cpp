// SPDX-License-Identifier: EUPL-1.2
#include "core/bundle.h"

#include "base/error.h"

#include <gtest/gtest.h>

using namespace fplan;

namespace {

const char* Good = R"({
  "case": {"title": "Familien Nørgaard", "journal_number": "27.24.00-G01-1-26", "kle": "27.24.00"},
  "people": [
    {"id": "p1", "name": "Søs Nørgaard", "cpr": "0101901234", "relation": "mor", "custody": true},
    {"id": "p2", "name": "Alma Nørgaard", "cpr": "1205154321", "relation": "barn"}
  ],
  "team": [{"id": "t1", "name": "Jens Ravn", "fagomraade": "Børn og Familie", "user": "jr"}],
  "coordinator": "t1"
})";

std::string errorOf(const std::string& text)
{
    try {
        parseBundle(text, "b.json");
    } catch (const Error& e) {
        EXPECT_EQ(ErrorCode::BadInput, e.code());
        return e.what();
    }
    return "accepted";
}

std::string replaced(std::string text, const std::string& from, const std::string& to)
{
    text.replace(text.find(from), from.size(), to);
    return text;
}

} // namespace

TEST(Bundle, ParsesTheExampleFromTheContract)
{
    const Bundle b = parseBundle(Good, "b.json");
    EXPECT_EQ("Familien Nørgaard", b.kase.title);
    ASSERT_EQ(2u, b.kase.people.size());
    EXPECT_TRUE(b.kase.people[0].custody);
    EXPECT_EQ("t1", b.kase.coordinator);
    ASSERT_EQ(1u, b.kase.coordinatorHistory.size());
    EXPECT_EQ("t1", b.kase.coordinatorHistory[0].teamMemberId);
}

TEST(Bundle, ExportedJsonParsesBackToTheSameJson)
{
    const Json once = bundleToJson(parseBundle(Good, "b.json"));
    EXPECT_EQ(once, bundleToJson(parseBundle(once.dump(), "again.json")));
}

TEST(Bundle, ImpossibleCprNamesPathAndDate)
{
    EXPECT_EQ("b.json: $.people[0].cpr: 3102901234 is not a real date (31.02.1990)",
              errorOf(replaced(Good, "0101901234", "3102901234")));
}

TEST(Bundle, DuplicateIdsAreRefused)
{
    EXPECT_EQ("b.json: $.people[1].id: duplicate id 'p1'", errorOf(replaced(Good, "\"p2\"", "\"p1\"")));
    EXPECT_EQ("b.json: $.team[0].id: duplicate id 'p1'", errorOf(replaced(Good, "\"t1\", \"name\"", "\"p1\", \"name\"")));
}

TEST(Bundle, DanglingCoordinatorIsRefused)
{
    EXPECT_EQ("b.json: $.coordinator: 't9' is not the id of a team member",
              errorOf(replaced(Good, "\"coordinator\": \"t1\"", "\"coordinator\": \"t9\"")));
}

TEST(Bundle, MissingRequiredFieldIsRefused)
{
    EXPECT_EQ("b.json: $.people[1]: missing required member 'name'",
              errorOf(replaced(Good, "\"name\": \"Alma Nørgaard\",", "")));
    EXPECT_EQ("b.json: $.case.title: must not be empty", errorOf(replaced(Good, "Familien Nørgaard", " ")));
    EXPECT_EQ("b.json: $: missing required member 'case'", errorOf("{}"));
}

TEST(Bundle, WrongTypesAreRefused)
{
    EXPECT_EQ("b.json: $.people[0].custody: must be true or false",
              errorOf(replaced(Good, "\"custody\": true", "\"custody\": \"ja\"")));
    EXPECT_EQ("b.json: $.people: must be an array", errorOf(R"({"case": {"title": "x"}, "people": {}})"));
}

TEST(Bundle, BrokenJsonIsRefusedWithItsPosition)
{
    const std::string message = errorOf("{\"case\": {\"title\": \"x\",}");
    EXPECT_EQ(0u, message.find("b.json: not valid JSON"));
    EXPECT_NE(message.find("line 1"), std::string::npos);
}
