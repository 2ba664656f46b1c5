// SPDX-License-Identifier: EUPL-1.2
#include "base/error.h"
#include "core/bundle.h"
#include "tests/support/test_support.h"

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
    test::expectError(ErrorCode::BadInput,
        "b.json: $.people[0].cpr: 3102901234 is not a real date (31.02.1990)",
        [&] { parseBundle(replaced(Good, "0101901234", "3102901234"), "b.json"); });
}

TEST(Bundle, DuplicateIdsAreRefused)
{
    test::expectError(ErrorCode::BadInput, "b.json: $.people[1].id: duplicate id 'p1'",
        [&] { parseBundle(replaced(Good, "\"p2\"", "\"p1\""), "b.json"); });
    test::expectError(ErrorCode::BadInput, "b.json: $.team[0].id: duplicate id 'p1'",
        [&] { parseBundle(replaced(Good, "\"t1\", \"name\"", "\"p1\", \"name\""), "b.json"); });
}

TEST(Bundle, DanglingCoordinatorIsRefused)
{
    test::expectError(ErrorCode::BadInput, "b.json: $.coordinator: 't9' is not the id of a team member",
        [&] { parseBundle(replaced(Good, "\"coordinator\": \"t1\"", "\"coordinator\": \"t9\""), "b.json"); });
}

TEST(Bundle, MissingRequiredFieldIsRefused)
{
    test::expectError(ErrorCode::BadInput, "b.json: $.people[1]: missing required member 'name'",
        [&] { parseBundle(replaced(Good, "\"name\": \"Alma Nørgaard\",", ""), "b.json"); });
    test::expectError(ErrorCode::BadInput, "b.json: $.case.title: must not be empty",
        [&] { parseBundle(replaced(Good, "Familien Nørgaard", " "), "b.json"); });
    test::expectError(ErrorCode::BadInput, "b.json: $: missing required member 'case'",
        [&] { parseBundle("{}", "b.json"); });
}

TEST(Bundle, WrongTypesAreRefused)
{
    test::expectError(ErrorCode::BadInput, "b.json: $.people[0].custody: must be true or false",
        [&] { parseBundle(replaced(Good, "\"custody\": true", "\"custody\": \"ja\""), "b.json"); });
    test::expectError(ErrorCode::BadInput, "b.json: $.people: must be an array",
        [&] { parseBundle(R"({"case": {"title": "x"}, "people": {}})", "b.json"); });
}

TEST(Bundle, BrokenJsonIsRefusedWithItsPosition)
{
    const std::string message = test::expectError(ErrorCode::BadInput, "b.json: not valid JSON",
        [] { parseBundle("{\"case\": {\"title\": \"x\",}", "b.json"); });
    EXPECT_EQ(0u, message.find("b.json: not valid JSON"));
    EXPECT_NE(message.find("line 1"), std::string::npos);
}
