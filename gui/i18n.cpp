// SPDX-License-Identifier: EUPL-1.2
#include "gui/i18n.h"

namespace fplan::gui {

namespace {
Translator& translator()
{
    static Translator instance;
    return instance;
}
PluralTranslator& pluralTranslator()
{
    static PluralTranslator instance;
    return instance;
}
} // namespace

void setPluralTranslator(PluralTranslator t)
{
    pluralTranslator() = std::move(t);
}

std::string trn(const char* singular, const char* plural, unsigned long n)
{
    const auto& t = pluralTranslator();
    return t ? t(singular, plural, n) : std::string(n == 1 ? singular : plural);
}

void setTranslator(Translator t)
{
    translator() = std::move(t);
}

std::string tr(const char* source)
{
    const auto& t = translator();
    return t ? t(source) : std::string(source);
}

std::string format(const std::string& pattern, std::initializer_list<std::string> args)
{
    std::string out;
    out.reserve(pattern.size() + 32);
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        if (pattern[i] == '{' && i + 2 < pattern.size() && pattern[i + 2] == '}' && pattern[i + 1] >= '0'
            && pattern[i + 1] <= '9') {
            const auto index = static_cast<std::size_t>(pattern[i + 1] - '0');
            if (index < args.size())
                out += *(args.begin() + index);
            i += 2;
            continue;
        }
        out += pattern[i];
    }
    return out;
}

} // namespace fplan::gui
