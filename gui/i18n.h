// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include <functional>
#include <string>

namespace fplan::gui {

// Presenters cannot include wx, so the app installs wx's translation lookup here; without one
// (tests) the source text is used. Source strings are Danish: the default UI is Danish.
using Translator = std::function<std::string(const char* source)>;
void setTranslator(Translator translator);
std::string tr(const char* source);

// ngettext for presenters: the form of "{0} konflikt" / "{0} konflikter" that fits `n`, by the
// catalogue's Plural-Forms. Without a translator (tests) the Danish rule: singular for n == 1.
using PluralTranslator
    = std::function<std::string(const char* singular, const char* plural, unsigned long n)>;
void setPluralTranslator(PluralTranslator translator);
std::string trn(const char* singular, const char* plural, unsigned long n);

// "{0} er ikke udfyldt" with {0}, {1}, ... replaced by the arguments.
std::string format(const std::string& pattern, std::initializer_list<std::string> args);

} // namespace fplan::gui
