// SPDX-License-Identifier: EUPL-1.2
#include "base/suggest.h"

#include <algorithm>

namespace fplan {

namespace {

// Optimal string alignment distance: insertions, deletions, substitutions and swaps of two
// neighbours each count 1 ("verison" is one swap from "version").
std::size_t distance(std::string_view a, std::string_view b)
{
    std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
    for (std::size_t i = 0; i <= a.size(); ++i)
        d[i][0] = i;
    for (std::size_t j = 0; j <= b.size(); ++j)
        d[0][j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i)
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            d[i][j] = std::min({ d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost });
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
        }
    return d[a.size()][b.size()];
}

} // namespace

std::string closestName(std::string_view typed, const std::vector<std::string>& known)
{
    if (typed.size() > 64)
        return {};
    std::string best;
    std::size_t bestDistance = 0;
    for (const auto& name : known) {
        const std::size_t d = distance(typed, name);
        const std::size_t allowed = std::max<std::size_t>(1, std::min(typed.size(), name.size()) / 3);
        if (d <= allowed && (best.empty() || d < bestDistance)) {
            best = name;
            bestDistance = d;
        }
    }
    return best;
}

} // namespace fplan
