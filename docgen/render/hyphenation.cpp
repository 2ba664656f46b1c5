// SPDX-License-Identifier: EUPL-1.2
#include "docgen/render/hyphenation.h"

#include "base/error.h"
#include "base/utf8.h"

#include <cstdlib>
#include <hyphen.h>
#include <memory>

namespace fplan::docgen {

namespace {

constexpr const char* PatternFile = "/usr/share/hyphen/hyph_da_DK.dic";
constexpr std::size_t MaxWord = 63; // longer "words" are not Danish words (links, codes)

struct DictDeleter {
    void operator()(HyphenDict* d) const { hnj_hyphen_free(d); }
};

// Loaded once per process; libhyphen only reads the dictionary while hyphenating.
HyphenDict* dictionary()
{
    static const std::unique_ptr<HyphenDict, DictDeleter> dict(hnj_hyphen_load(PatternFile));
    if (!dict)
        throw Error(ErrorCode::NotFound,
            std::string("Danish hyphenation patterns ") + PatternFile + " are missing: install hyphen-da");
    return dict.get();
}

// The patterns are ISO 8859-1 and lower case: a letter outside Latin-1 means no hyphenation.
bool toLatin1Lower(std::string_view word, std::string& out)
{
    std::size_t pos = 0;
    while (pos < word.size()) {
        char32_t cp = utf8::next(word, pos);
        if (cp > 0xFF)
            return false;
        if ((cp >= 'A' && cp <= 'Z') || (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7))
            cp += 0x20;
        out += static_cast<char>(static_cast<unsigned char>(cp));
    }
    return true;
}

} // namespace

Hyphenator::Hyphenator()
{
    dictionary();
}

const char* Hyphenator::patternFile()
{
    return PatternFile;
}

const std::vector<std::size_t>& Hyphenator::breaks(std::string_view word)
{
    const std::string key(word);
    if (auto it = m_cache.find(key); it != m_cache.end())
        return it->second;
    std::vector<std::size_t> out;
    std::string latin;
    if (toLatin1Lower(word, latin) && latin.size() >= 5 && latin.size() <= MaxWord) {
        std::vector<char> hyphens(latin.size() + 5, '0');
        char** rep = nullptr;
        int* pos = nullptr;
        int* cut = nullptr;
        const int rc = hnj_hyphen_hyphenate3(dictionary(), latin.data(), static_cast<int>(latin.size()),
            hyphens.data(), nullptr, &rep, &pos, &cut, 2, 2, 2, 2);
        if (rep) { // non-standard hyphenation (none in Danish): ignore it, free what it made
            for (std::size_t i = 0; i < latin.size(); ++i)
                std::free(rep[i]);
            std::free(rep);
            std::free(pos);
            std::free(cut);
        } else if (rc == 0) {
            for (std::size_t i = 1; i + 2 < latin.size(); ++i)
                if (hyphens[i] & 1)
                    out.push_back(i + 1); // break after letter i (0-based): i + 1 letters before it
        }
    }
    return m_cache.emplace(key, std::move(out)).first->second;
}

} // namespace fplan::docgen
