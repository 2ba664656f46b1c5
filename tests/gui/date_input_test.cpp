// SPDX-License-Identifier: EUPL-1.2
#include "gui/date_input.h"
#include "tests/support/test_support.h"

#include <gtest/gtest.h>

#include <ctime>

using namespace fplan;
using namespace fplan::gui;

TEST(DateInput, ReadsDatesTheWayDanesWriteThem)
{
    EXPECT_EQ("2026-03-12", parseDateText("12.03.2026"));
    EXPECT_EQ("2026-03-12", parseDateText(" 12.3.2026 "));
    EXPECT_EQ("2026-03-02", parseDateText("2-3-2026"));
    EXPECT_EQ("2026-03-12", parseDateText("12/03/2026"));
    EXPECT_EQ("2026-03-12", parseDateText("2026-03-12")); // ISO still works (pasted from elsewhere)
    EXPECT_EQ("2024-02-29", parseDateText("29.02.2024"));
}

TEST(DateInput, RefusesWhatIsNoRealDate)
{
    EXPECT_FALSE(parseDateText(""));
    EXPECT_FALSE(parseDateText("30.02.2026"));
    EXPECT_FALSE(parseDateText("29.02.2025"));
    EXPECT_FALSE(parseDateText("12.13.2026"));
    EXPECT_FALSE(parseDateText("12.03.26")); // a two-digit year is ambiguous
    EXPECT_FALSE(parseDateText("12.03-2026")); // mixed separators
    EXPECT_FALSE(parseDateText("12.03.2026x"));
    EXPECT_EQ("2026-12-03", parseDateText("03/12/2026")); // always day first, never the US order
}

TEST(DateInput, ReadsDateAndTime)
{
    EXPECT_EQ("2026-03-12T14:30", parseDateTimeText("12.03.2026 14:30"));
    EXPECT_EQ("2026-03-12T09:05", parseDateTimeText("12.03.2026 kl. 9.05"));
    EXPECT_EQ("2026-03-12T14:30", parseDateTimeText("2026-03-12T14:30"));
    EXPECT_FALSE(parseDateTimeText("12.03.2026 24:00"));
    EXPECT_FALSE(parseDateTimeText("12.03.2026"));
}

TEST(DateInput, ReadsClockTimesWithoutSeconds)
{
    EXPECT_EQ("14:00", parseTimeText("14:00"));
    EXPECT_EQ("09:05", parseTimeText(" 9.05 "));
    EXPECT_EQ("09:05", parseTimeText("kl. 9:05"));
    EXPECT_FALSE(parseTimeText(""));
    EXPECT_FALSE(parseTimeText("14"));
    EXPECT_FALSE(parseTimeText("14:00:04"));
    EXPECT_FALSE(parseTimeText("24:00"));
    EXPECT_FALSE(parseTimeText("12:60"));
}

TEST(DateInput, DateAndTimeBoxesStoreWhatWasTyped)
{
    EXPECT_EQ(Json("2026-03-12T14:00"), dateTimeValueFromText("12.03.2026", "14:00"));
    EXPECT_TRUE(dateTimeValueFromText("", " ").is_null());
    // An empty time box stays empty: no clock is filled in, and the field asks for the time.
    const Json noTime = dateTimeValueFromText("12.03.2026", "");
    EXPECT_EQ(Json("12.03.2026 "), noTime);
    EXPECT_EQ("Skriv også klokkeslættet (TT:MM).", dateTextProblem(noTime.get<std::string>(), true));
    const auto [day, time] = dateTimeTexts(noTime);
    EXPECT_EQ("12.03.2026", day);
    EXPECT_EQ("", time);
    // A stored meeting time shows as typed, to the minute.
    EXPECT_EQ(std::make_pair(std::string("12.03.2026"), std::string("14:00")),
        dateTimeTexts(Json("2026-03-12T14:00")));
    EXPECT_EQ(std::make_pair(std::string(), std::string()), dateTimeTexts(Json()));
    EXPECT_EQ("»14« er ikke et klokkeslæt; skriv det som TT:MM.", dateTextProblem("12.03.2026 14", true));
}

TEST(DateInput, ANonexistentDateIsToldApartFromAWrongForm)
{
    EXPECT_EQ("Datoen 31.02.2026 findes ikke.", dateTextProblem("31.02.2026", false));
    EXPECT_EQ("Datoen 29.02.2025 findes ikke.", dateTextProblem("29.02.2025", false));
    EXPECT_EQ("Datoen 31.04.2026 findes ikke.", dateTextProblem("31.04.2026 10:00", true));
    EXPECT_EQ("Skriv datoen som DD.MM.ÅÅÅÅ.", dateTextProblem("12.03", false));
    EXPECT_EQ("Skriv datoen som DD.MM.ÅÅÅÅ.", dateTextProblem("i morgen", false));
    EXPECT_EQ("", dateTextProblem("28.02.2026", false));
}

TEST(DateInput, StoresIsoAndShowsDanish)
{
    EXPECT_EQ(Json("2026-03-12"), dateValueFromText("12.03.2026", false));
    EXPECT_TRUE(dateValueFromText("  ", false).is_null());
    EXPECT_EQ(Json("12.03"), dateValueFromText("12.03", false)); // kept, so the field can say why
    EXPECT_EQ("12.03.2026", dateText(Json("2026-03-12"), false));
    EXPECT_EQ("12.03.2026 14:30", dateText(Json("2026-03-12T14:30"), true));
    EXPECT_EQ("", dateText(Json(), false));
    EXPECT_EQ("i morgen", dateText(Json("i morgen"), false));
}

TEST(DateInput, ShowsClockTimesAsLocalDanishTime)
{
    {
        const test::ScopedEnv tz("TZ", "Europe/Copenhagen");
        tzset();
        // 2026-03-12 09:30:00 UTC in the clock's milliseconds << 16; Copenhagen is UTC+1 in March.
        const std::uint64_t hlc = std::uint64_t { 1773307800000 } << 16;
        EXPECT_EQ("12.03.2026 kl. 10:30", hlcText(hlc));
    }
    tzset();
}
