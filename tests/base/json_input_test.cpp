// SPDX-License-Identifier: EUPL-1.2
#include "base/json_input.h"
#include "tests/support/test_support.h"

#include <gtest/gtest.h>

namespace fplan {
namespace {

using test::expectError;

TEST(JsonInput, RefusesDeepNestingWithoutRecursing)
{
    // 100,000 nested arrays: the old code crashed in dump() of its error message.
    const std::string deep = "{\"a\": " + std::string(100000, '[') + std::string(100000, ']') + "}";
    const std::string message = expectError(ErrorCode::BadInput, "values.json: nested deeper than 32",
        [&] { parseJsonInput(deep, "values.json"); });
    EXPECT_NE(message.find("limit"), std::string::npos);
}

TEST(JsonInput, AcceptsNestingUpToTheLimit)
{
    const std::string ok = std::string(limits::JsonDepth, '[') + std::string(limits::JsonDepth, ']');
    EXPECT_TRUE(parseJsonInput(ok, "x").is_array());
    const std::string over
        = std::string(limits::JsonDepth + 1, '[') + std::string(limits::JsonDepth + 1, ']');
    expectError(ErrorCode::BadInput, "nested deeper", [&] { parseJsonInput(over, "x"); });
}

TEST(JsonInput, NamesTheFileForHugeNumbersAndBadJson)
{
    expectError(ErrorCode::BadInput, "bundle.json: a number is out of range",
        [] { parseJsonInput("{\"n\": 1e99999}", "bundle.json"); });
    expectError(
        ErrorCode::BadInput, "bundle.json: not valid JSON", [] { parseJsonInput("{", "bundle.json"); });
}

TEST(JsonInput, ReadingDevZeroFailsFast)
{
    expectError(ErrorCode::BadInput, "/dev/zero",
        [] { readJsonFile("/dev/zero", limits::ValuesBytes, "values file"); });
}

} // namespace
} // namespace fplan
