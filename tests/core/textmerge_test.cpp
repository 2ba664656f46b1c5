// SPDX-License-Identifier: EUPL-1.2
#include "core/textmerge.h"

#include <gtest/gtest.h>

using namespace fplan;

TEST(TextMerge, DisjointEditsAreBothKept)
{
    const std::string base = "Alma går i 3. klasse. Hun har svært ved at sove. Mor arbejder om natten.";
    const std::string ours = "Alma går i 4. klasse. Hun har svært ved at sove. Mor arbejder om natten.";
    const std::string theirs = "Alma går i 3. klasse. Hun har svært ved at sove. Mor arbejder om dagen nu.";
    EXPECT_EQ("Alma går i 4. klasse. Hun har svært ved at sove. Mor arbejder om dagen nu.",
        mergeText(base, ours, theirs));
    EXPECT_EQ(mergeText(base, ours, theirs), mergeText(base, theirs, ours));
}

TEST(TextMerge, OverlappingEditsAreAConflict)
{
    EXPECT_FALSE(mergeText("Mødet er tirsdag.", "Mødet er onsdag.", "Mødet er torsdag."));
}

TEST(TextMerge, InsertionsAtTheSamePlaceAreAConflict)
{
    EXPECT_FALSE(mergeText("a c", "a b c", "a x c"));
}

TEST(TextMerge, IdenticalEditsAreNotDoubled)
{
    EXPECT_EQ("a b c", mergeText("a c", "a b c", "a b c"));
}

TEST(TextMerge, OneSideUnchanged)
{
    EXPECT_EQ("ny", mergeText("gammel", "gammel", "ny"));
    EXPECT_EQ("ny", mergeText("gammel", "ny", "gammel"));
}

TEST(TextMerge, LongTextsMergeParagraphwise)
{
    std::string base;
    for (int i = 0; i < 400; ++i)
        base += "Afsnit " + std::to_string(i) + " om familiens hverdag og ønsker.\n";
    std::string ours = base;
    ours.replace(ours.find("Afsnit 10 "), 9, "Afsnit ti");
    std::string theirs = base;
    theirs += "Et nyt afsnit til sidst.\n";
    const auto merged = mergeText(base, ours, theirs);
    ASSERT_TRUE(merged);
    EXPECT_NE(merged->find("Afsnit ti"), std::string::npos);
    EXPECT_NE(merged->find("Et nyt afsnit til sidst."), std::string::npos);
}
