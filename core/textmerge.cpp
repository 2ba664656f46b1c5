// SPDX-License-Identifier: EUPL-1.2
#include "core/textmerge.h"

#include <algorithm>
#include <cctype>
#include <string_view>
#include <vector>

namespace fplan {

namespace {

// Words and the runs between them are the units of the diff: it keeps edits readable and the
// sequences short enough for Myers' algorithm on long texts.
std::vector<std::string_view> tokenize(std::string_view text)
{
    std::vector<std::string_view> tokens;
    auto isWordByte = [](unsigned char c) { return c >= 0x80 || std::isalnum(c); };
    std::size_t i = 0;
    while (i < text.size()) {
        const bool word = isWordByte(static_cast<unsigned char>(text[i]));
        std::size_t j = i + 1;
        if (word)
            while (j < text.size() && isWordByte(static_cast<unsigned char>(text[j])))
                ++j;
        tokens.push_back(text.substr(i, j - i));
        i = j;
    }
    return tokens;
}

struct Hunk {
    std::size_t begin = 0; // in base tokens
    std::size_t end = 0;
    std::vector<std::string_view> replacement;
};

// Beyond this many token edits the texts are treated as overlapping (a conflict, never a loss).
constexpr int MaxEditDistance = 1000;

// Myers' O(ND) diff; returns nullopt-equivalent (false) when the texts differ too much.
bool diff(
    const std::vector<std::string_view>& a, const std::vector<std::string_view>& b, std::vector<Hunk>& hunks)
{
    const int n = static_cast<int>(a.size());
    const int m = static_cast<int>(b.size());
    const int max = std::min(n + m, MaxEditDistance);
    const int offset = max + 1;
    std::vector<int> v(2 * static_cast<std::size_t>(max) + 3, 0);
    std::vector<std::vector<int>> trace;
    int found = -1;
    for (int d = 0; d <= max && found < 0; ++d) {
        trace.push_back(v);
        for (int k = -d; k <= d; k += 2) {
            int x = (k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1])) ? v[offset + k + 1]
                                                                                   : v[offset + k - 1] + 1;
            int y = x - k;
            while (x < n && y < m && a[x] == b[y]) {
                ++x;
                ++y;
            }
            v[offset + k] = x;
            if (x >= n && y >= m) {
                found = d;
                break;
            }
        }
    }
    if (found < 0)
        return false;

    // Walk back through the trace, collecting edits in reverse.
    struct Edit {
        bool insert;
        int aIndex;
        int bIndex;
    };
    std::vector<Edit> edits;
    int x = n;
    int y = m;
    for (int d = found; d > 0; --d) {
        const auto& pv = trace[static_cast<std::size_t>(d)];
        const int k = x - y;
        const bool down = (k == -d || (k != d && pv[offset + k - 1] < pv[offset + k + 1]));
        const int prevK = down ? k + 1 : k - 1;
        const int prevX = pv[offset + prevK];
        const int prevY = prevX - prevK;
        while (x > prevX && y > prevY) {
            --x;
            --y;
        }
        if (down)
            edits.push_back({ true, x, prevY });
        else
            edits.push_back({ false, prevX, y });
        x = prevX;
        y = prevY;
    }
    std::reverse(edits.begin(), edits.end());
    for (const auto& e : edits) {
        const auto begin = static_cast<std::size_t>(e.aIndex);
        if (hunks.empty() || hunks.back().end != begin) {
            hunks.push_back({ begin, begin, {} });
        }
        if (e.insert)
            hunks.back().replacement.push_back(b[static_cast<std::size_t>(e.bIndex)]);
        else
            hunks.back().end = begin + 1;
    }
    return true;
}

bool overlaps(const Hunk& a, const Hunk& b)
{
    if (a.begin == a.end || b.begin == b.end) // an insertion touching the other edit's range
        return a.begin <= b.end && b.begin <= a.end;
    return a.begin < b.end && b.begin < a.end;
}

} // namespace

std::optional<std::string> mergeText(
    const std::string& base, const std::string& ours, const std::string& theirs)
{
    if (ours == theirs || theirs == base)
        return ours;
    if (ours == base)
        return theirs;
    const auto baseTokens = tokenize(base);
    std::vector<Hunk> mine, other;
    if (!diff(baseTokens, tokenize(ours), mine) || !diff(baseTokens, tokenize(theirs), other))
        return std::nullopt;

    std::vector<const Hunk*> all;
    for (const auto& h : mine) {
        for (const auto& o : other)
            if (overlaps(h, o) && !(h.begin == o.begin && h.end == o.end && h.replacement == o.replacement))
                return std::nullopt;
        all.push_back(&h);
    }
    for (const auto& o : other) {
        const bool same = std::any_of(mine.begin(), mine.end(), [&](const Hunk& h) {
            return h.begin == o.begin && h.end == o.end && h.replacement == o.replacement;
        });
        if (!same)
            all.push_back(&o);
    }
    std::stable_sort(
        all.begin(), all.end(), [](const Hunk* a, const Hunk* b) { return a->begin < b->begin; });

    std::string merged;
    std::size_t pos = 0;
    for (const Hunk* h : all) {
        for (; pos < h->begin; ++pos)
            merged += baseTokens[pos];
        for (const auto& t : h->replacement)
            merged += t;
        pos = std::max(pos, h->end);
    }
    for (; pos < baseTokens.size(); ++pos)
        merged += baseTokens[pos];
    return merged;
}

} // namespace fplan
