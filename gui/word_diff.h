// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include <string>
#include <vector>

namespace fplan::gui {

// One run of a word-level comparison of two texts: words both texts share, words only the
// earlier text had, words only the later one has. The spaces and line breaks between words
// belong to the run they follow: joining the runs of kind Same and Added gives the later text;
// Same and Removed give the earlier one (with the later text's spacing after shared words).
struct DiffRun {
    enum class Kind { Same, Removed, Added };
    Kind kind = Kind::Same;
    std::string text;
};

// The shortest word-level difference (longest common subsequence of words). Texts longer than
// MaxDiffWords words each are compared as one block (all removed, all added), to keep the
// comparison bounded.
std::vector<DiffRun> wordDiff(const std::string& before, const std::string& after);

constexpr std::size_t MaxDiffWords = 2000;

} // namespace fplan::gui
