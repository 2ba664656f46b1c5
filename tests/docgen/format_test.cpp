// SPDX-License-Identifier: EUPL-1.2
#include "docgen/forms/format.h"

#include <gtest/gtest.h>

#include <clocale>

using namespace fplan::docgen;

TEST(Format, DatesAreDanish)
{
    EXPECT_EQ("12.03.2026", formatDate("2026-03-12"));
    EXPECT_EQ("01.01.2027", formatDate("2027-01-01"));
    EXPECT_EQ("12.03.2026 kl. 14:30", formatDateTime("2026-03-12T14:30"));
    EXPECT_EQ("i morgen", formatDate("i morgen")); // not a date: shown as written
}

TEST(Format, NumbersUseDecimalCommaAndThousandsDot)
{
    EXPECT_EQ("2,5", formatNumber(2.5));
    EXPECT_EQ("7", formatNumber(7.0));
    EXPECT_EQ("1.234,5", formatNumber(1234.5));
    EXPECT_EQ("1.000.000", formatNumber(1e6));
    EXPECT_EQ("0,33", formatNumber(1.0 / 3.0));
    EXPECT_EQ("-12,25", formatNumber(-12.25));
    EXPECT_EQ("0", formatNumber(-0.0001));
}

TEST(Format, NumbersDoNotDependOnTheCLocale)
{
    const std::string before = std::setlocale(LC_NUMERIC, nullptr);
    std::setlocale(LC_NUMERIC, "C.UTF-8");
    EXPECT_EQ("3,75", formatNumber(3.75));
    std::setlocale(LC_NUMERIC, before.c_str());
}

TEST(Format, VersionTextAndYesNo)
{
    EXPECT_EQ("Version 2 af 12.03.2026", formatVersion(2, "2026-03-12"));
    EXPECT_EQ("Ja", formatBool(true));
    EXPECT_EQ("Nej", formatBool(false));
}
