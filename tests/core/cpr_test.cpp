// SPDX-License-Identifier: EUPL-1.2
#include "core/cpr.h"

#include <gtest/gtest.h>

using namespace fplan;

TEST(Cpr, AcceptsRealDatesWithOrWithoutHyphen)
{
    EXPECT_TRUE(checkCpr("0101901234").valid);
    EXPECT_TRUE(checkCpr("010190-1234").valid);
    EXPECT_EQ("1990-01-01", checkCpr("0101901234").birthDate);
}

TEST(Cpr, RefusesImpossibleDates)
{
    const auto c = checkCpr("3102901234");
    EXPECT_FALSE(c.valid);
    EXPECT_NE(c.reason.find("31.02.1990"), std::string::npos);
    EXPECT_FALSE(checkCpr("0013901234").valid);
    EXPECT_FALSE(checkCpr("0000901234").valid);
}

TEST(Cpr, CenturyComesFromTheSeventhDigit)
{
    EXPECT_EQ("1915-05-12", checkCpr("1205151234").birthDate); // 7th digit 1 -> 1900s
    EXPECT_EQ("2015-05-12", checkCpr("1205154321").birthDate); // 4 and yy <= 36 -> 2000s
    EXPECT_EQ("1940-05-12", checkCpr("1205404321").birthDate); // 4 and yy > 36 -> 1900s
    EXPECT_EQ("2057-05-12", checkCpr("1205575321").birthDate); // 5-8 and yy <= 57 -> 2000s
    EXPECT_EQ("1858-05-12", checkCpr("1205585321").birthDate); // 5-8 and yy > 57 -> 1800s
    EXPECT_EQ("2036-05-12", checkCpr("1205369321").birthDate); // 9 and yy <= 36 -> 2000s
}

TEST(Cpr, LeapDaysFollowTheCentury)
{
    EXPECT_TRUE(checkCpr("2902004321").valid); // 2000 is a leap year
    EXPECT_FALSE(checkCpr("2902001234").valid); // 1900 is not
}

TEST(Cpr, ModulusElevenIsOnlyAWarning)
{
    const auto withoutChecksum = checkCpr("0101901234");
    EXPECT_TRUE(withoutChecksum.valid);
    EXPECT_FALSE(withoutChecksum.modulus11);
    EXPECT_TRUE(checkCpr("0707614285").modulus11);
}

TEST(Cpr, RefusesWrongShapes)
{
    for (const char* bad : { "", "123", "01019012345", "0101-901234", "01019O1234", "010190 1234" })
        EXPECT_FALSE(checkCpr(bad).valid) << bad;
}
