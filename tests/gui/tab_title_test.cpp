// SPDX-License-Identifier: EUPL-1.2
#include "gui/tab_title.h"

#include <gtest/gtest.h>

namespace fplan::gui {
namespace {

TEST(TabTitle, ShortTitlesStayWhole)
{
    EXPECT_EQ("Familieplan", shortTabTitle("Familieplan"));
    EXPECT_EQ("Familien Øberg-Şahin", shortTabTitle("Familien Øberg-Şahin", 20));
}

TEST(TabTitle, LongTitlesAreCutAtAWordWithAnEllipsis)
{
    EXPECT_EQ("Familiefaglig…", shortTabTitle("Familiefaglig undersøgelse – Familien Nørgaard", 20));
    EXPECT_EQ(
        "Familiefaglig undersøgelse…", shortTabTitle("Familiefaglig undersøgelse – Familien Nørgaard", 30));
}

TEST(TabTitle, TheTemplatesFitTheDefault)
{
    EXPECT_EQ("Familieplan", shortTabTitle("Familieplan"));
    EXPECT_EQ("Familiefaglig…", shortTabTitle("Familiefaglig undersøgelse"));
    EXPECT_EQ("Dagsorden for…", shortTabTitle("Dagsorden for opfølgningsmøde"));
}

TEST(TabTitle, CountsLettersNotBytes)
{
    // 12 letters, 24 bytes: not cut.
    EXPECT_EQ("ææææææææææææ", shortTabTitle("ææææææææææææ", 12));
    // No space to cut at: cut inside the word, never inside a letter.
    EXPECT_EQ("æææææææææææ…", shortTabTitle("æææææææææææææææææææ", 12));
}

} // namespace
} // namespace fplan::gui
