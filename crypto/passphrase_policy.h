// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace fplan::crypto {

// The rule for a new passphrase (a new store, a passphrase change), in one place for the CLI and
// the desktop program: at least MinimumPassphraseChars characters (counted as characters, not
// bytes: "æøå" is three), not all one character, and not in the list of common passwords that
// ships with the program (data/common-passwords.txt, compared without regard to case).
inline constexpr std::size_t MinimumPassphraseChars = 12;

enum class PassphraseProblem { None, TooShort, OneCharacter, Common };

PassphraseProblem checkNewPassphrase(std::string_view passphrase);

// The problem in English, for the CLI (the desktop program says it in Danish itself).
std::string describe(PassphraseProblem problem);

// checkNewPassphrase, throwing Error(BadInput) with describe()'s text when there is a problem.
void requireStrongPassphrase(std::string_view passphrase);

// Characters in UTF-8 text (code points).
std::size_t utf8Chars(std::string_view text);

} // namespace fplan::crypto
