// SPDX-License-Identifier: EUPL-1.2
#include "base/error.h"
#include "core/op.h"
#include "tests/support/test_support.h"

#include <gtest/gtest.h>

using namespace fplan;

TEST(FieldPath, ParsesFieldsCellsAndRows)
{
    const auto field = FieldPath::parse("om_planen.dato");
    EXPECT_EQ("om_planen.dato", field.field);
    EXPECT_TRUE(field.row.empty());

    const auto cell = FieldPath::parse("indsatser[r-1].start");
    EXPECT_EQ("indsatser", cell.table);
    EXPECT_EQ("r-1", cell.row);
    EXPECT_EQ("start", cell.column);
    EXPECT_TRUE(cell.isCell());

    const auto row = FieldPath::parse("indsatser[r-1]");
    EXPECT_TRUE(row.isRow());
    EXPECT_EQ(row.table + "[" + row.row + "]", rowPath("indsatser", "r-1"));
}

TEST(FieldPath, RefusesMalformedPaths)
{
    for (const char* bad : { "", "[x]", "t[]", "t[x", "t[x]y", "t[x].", "a]b" })
        test::expectError(ErrorCode::BadInput, "is not a field path", [&] { FieldPath::parse(bad); });
}

TEST(Op, JsonRoundTrip)
{
    Op op;
    op.id = "a";
    op.caseId = "c";
    op.docId = "d";
    op.kind = OpKind::RowInsert;
    op.path = "t[r]";
    op.value = { { "pos", "i" } };
    op.author = "Jens";
    op.device = "dev";
    op.hlc = 123456789;
    op.parents = { "x", "y" };
    op.textMerge = true;
    const Op back = opFromJson(toJson(op));
    EXPECT_EQ(toJson(op), toJson(back));
    test::expectError(ErrorCode::BadInput, "operation: missing '", [] { opFromJson(Json::object()); });
}

TEST(HybridClock, IsMonotonicAndPassesObservedClocks)
{
    HybridClock clock;
    const auto a = clock.now();
    const auto b = clock.now();
    EXPECT_LT(a, b);
    clock.observe(b + (1000ull << 16));
    EXPECT_GT(clock.now(), b + (1000ull << 16));
    EXPECT_EQ(20u, formatHlcUtc(a).size());
}

// Gap 3: one op from a device whose clock is a year ahead stamped every later local op.
TEST(HybridClock, ARemoteClockFarAheadCannotDragLocalTime)
{
    HybridClock clock;
    const auto before = clock.now();
    const std::uint64_t yearAhead = before + ((365ull * 24 * 3600 * 1000) << 16);
    clock.observe(yearAhead);
    EXPECT_LT(clock.now(), latestAcceptableHlc(physicalHlcNow()));
    clock.observe(before + ((MaxClockSkewMs / 2) << 16)); // within the skew: followed
    EXPECT_GT(clock.now(), before + ((MaxClockSkewMs / 2) << 16));
}
