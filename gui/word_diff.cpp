// SPDX-License-Identifier: EUPL-1.2
#include "gui/word_diff.h"

#include <algorithm>
#include <cstdint>

namespace fplan::gui {

namespace {

bool isSpace(char c)
{
    return c == ' ' || c == '\n' || c == '\t' || c == '\r';
}

// Words with the white space after them; leading white space is a token of its own.
std::vector<std::string> tokens(const std::string& text)
{
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i < text.size()) {
        const std::size_t start = i;
        while (i < text.size() && !isSpace(text[i]))
            ++i;
        while (i < text.size() && isSpace(text[i]))
            ++i;
        out.push_back(text.substr(start, i - start));
    }
    return out;
}

// Two tokens are the same word when they differ only in the white space after them.
std::string word(const std::string& token)
{
    std::size_t end = token.size();
    while (end > 0 && isSpace(token[end - 1]))
        --end;
    return token.substr(0, end);
}

void append(std::vector<DiffRun>& runs, DiffRun::Kind kind, const std::string& text)
{
    if (text.empty())
        return;
    if (!runs.empty() && runs.back().kind == kind)
        runs.back().text += text;
    else
        runs.push_back({ kind, text });
}

} // namespace

std::vector<DiffRun> wordDiff(const std::string& before, const std::string& after)
{
    const auto a = tokens(before);
    const auto b = tokens(after);
    std::vector<DiffRun> runs;
    if (a.size() > MaxDiffWords || b.size() > MaxDiffWords) {
        append(runs, DiffRun::Kind::Removed, before);
        append(runs, DiffRun::Kind::Added, after);
        return runs;
    }
    // lcs[i][j]: common words of a[i..] and b[j..].
    const std::size_t n = a.size(), m = b.size();
    std::vector<std::uint16_t> lcs((n + 1) * (m + 1), 0);
    auto at = [m, &lcs](std::size_t i, std::size_t j) -> std::uint16_t& { return lcs[i * (m + 1) + j]; };
    for (std::size_t i = n; i-- > 0;)
        for (std::size_t j = m; j-- > 0;)
            at(i, j) = word(a[i]) == word(b[j]) ? static_cast<std::uint16_t>(at(i + 1, j + 1) + 1)
                                                : std::max(at(i + 1, j), at(i, j + 1));
    std::size_t i = 0, j = 0;
    while (i < n || j < m) {
        if (i < n && j < m && word(a[i]) == word(b[j])) {
            // The later text's spacing is what is shown for a shared word.
            append(runs, DiffRun::Kind::Same, b[j]);
            ++i;
            ++j;
        } else if (i < n && (j == m || at(i + 1, j) >= at(i, j + 1))) {
            append(runs, DiffRun::Kind::Removed, a[i++]); // what went comes before what came
        } else {
            append(runs, DiffRun::Kind::Added, b[j++]);
        }
    }
    return runs;
}

} // namespace fplan::gui
