// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace fplan::docgen {

// Danish hyphenation with libhyphen and the hyphen-da patterns (/usr/share/hyphen/hyph_da_DK.dic).
// The patterns know only ordinary words: callers decide what is prose (not names, numbers,
// CPR numbers or choice labels) before asking. Not thread-safe (it caches): one per thread.
class Hyphenator {
public:
    // Throws Error(NotFound) when the patterns are not installed.
    Hyphenator();

    // Where `word` (letters only, UTF-8) may break: indexes of code points after which a hyphen
    // can go, at least two letters from either end. Empty for words it does not know how to split.
    const std::vector<std::size_t>& breaks(std::string_view word);

    // The patterns' file, for messages and docs.
    static const char* patternFile();

private:
    std::unordered_map<std::string, std::vector<std::size_t>> m_cache;
};

} // namespace fplan::docgen
