// SPDX-License-Identifier: EUPL-1.2
#include "gui/word_diff.h"

#include <gtest/gtest.h>

namespace fplan::gui {
namespace {

std::string joined(const std::vector<DiffRun>& runs, DiffRun::Kind other)
{
    std::string out;
    for (const auto& r : runs)
        if (r.kind == DiffRun::Kind::Same || r.kind == other)
            out += r.text;
    return out;
}

std::string marked(const std::vector<DiffRun>& runs)
{
    std::string out;
    for (const auto& r : runs)
        out += r.kind == DiffRun::Kind::Same   ? r.text
            : r.kind == DiffRun::Kind::Removed ? "[-" + r.text + "-]"
                                               : "{+" + r.text + "+}";
    return out;
}

TEST(WordDiff, MarksOnlyTheWordsThatChanged)
{
    const auto runs
        = wordDiff("Mor henter Emma i skolen hver dag.", "Mor henter Emma i børnehaven hver dag.");
    EXPECT_EQ("Mor henter Emma i [-skolen -]{+børnehaven +}hver dag.", marked(runs));
}

TEST(WordDiff, JoinedRunsGiveBothTexts)
{
    const std::string before = "Familien ønsker ro omkring skolestart.\nFar deltager i møderne.";
    const std::string after
        = "Familien ønsker ro omkring skolestart og fritid.\nFar og mor deltager i møderne.";
    const auto runs = wordDiff(before, after);
    EXPECT_EQ(after, joined(runs, DiffRun::Kind::Added));
    EXPECT_EQ(before, joined(runs, DiffRun::Kind::Removed));
    EXPECT_EQ(
        "Familien ønsker ro omkring [-skolestart.\n-]{+skolestart og fritid.\n+}Far {+og mor +}deltager i "
        "møderne.",
        marked(runs));
}

TEST(WordDiff, EmptySides)
{
    EXPECT_EQ("{+Ny tekst+}", marked(wordDiff("", "Ny tekst")));
    EXPECT_EQ("[-Gammel tekst-]", marked(wordDiff("Gammel tekst", "")));
    EXPECT_TRUE(wordDiff("", "").empty());
    EXPECT_EQ("Uændret", marked(wordDiff("Uændret", "Uændret")));
}

TEST(WordDiff, VeryLongTextsAreComparedAsOneBlock)
{
    std::string before, after;
    for (std::size_t i = 0; i <= MaxDiffWords; ++i) {
        before += "ord ";
        after += "ord ";
    }
    after += "mere";
    const auto runs = wordDiff(before, after);
    ASSERT_EQ(2u, runs.size());
    EXPECT_EQ(DiffRun::Kind::Removed, runs[0].kind);
    EXPECT_EQ(DiffRun::Kind::Added, runs[1].kind);
    EXPECT_EQ(after, runs[1].text);
}

} // namespace
} // namespace fplan::gui
