// SPDX-License-Identifier: EUPL-1.2
#include "tests/support/test_support.h"

#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

namespace fplan::test {
namespace {

void throwNotFound()
{
    throw Error(ErrorCode::NotFound, "doc 42: no version 3");
}

TEST(ExpectError, PassesOnTheRightCodeAndText)
{
    EXPECT_EQ("doc 42: no version 3", expectError(ErrorCode::NotFound, "no version 3", throwNotFound));
}

TEST(ExpectError, FailsWhenNothingIsThrown)
{
    EXPECT_NONFATAL_FAILURE(expectError(ErrorCode::NotFound, "x", [] {}), "nothing was thrown");
}

TEST(ExpectError, FailsOnAnotherCode)
{
    EXPECT_NONFATAL_FAILURE(
        expectError(ErrorCode::BadInput, "no version", throwNotFound), "expected error code");
}

TEST(ExpectError, FailsOnAnotherMessage)
{
    EXPECT_NONFATAL_FAILURE(
        expectError(ErrorCode::NotFound, "no such case", throwNotFound), "containing \"no such case\"");
}

} // namespace
} // namespace fplan::test
