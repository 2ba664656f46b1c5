// SPDX-License-Identifier: EUPL-1.2
#include "crypto/passphrase_policy.h"

#include "base/error.h"
#include "crypto/secret_string.h"

#include <algorithm>
#include <functional>
#include <set>

namespace fplan::crypto {

// The list's text, compiled in from data/common-passwords.txt (see crypto/CMakeLists.txt).
extern const char* const CommonPasswordsText;

namespace {

char lowerAscii(char c)
{
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string lower(std::string_view text)
{
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), lowerAscii);
    return out;
}

// The passphrase in lower case, in locked memory like the passphrase itself.
SecretString lowerSecret(std::string_view text)
{
    SecretString out(text);
    std::transform(out.data(), out.data() + out.size(), out.data(), lowerAscii);
    return out;
}

const std::set<std::string, std::less<>>& commonPasswords()
{
    static const std::set<std::string, std::less<>> list = [] {
        std::set<std::string, std::less<>> words;
        std::string_view text = CommonPasswordsText;
        while (!text.empty()) {
            const auto nl = text.find('\n');
            std::string_view line = text.substr(0, nl);
            text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
            if (!line.empty() && line.back() == '\r')
                line.remove_suffix(1);
            if (!line.empty() && line.front() != '#')
                words.insert(lower(line));
        }
        return words;
    }();
    return list;
}

} // namespace

std::size_t utf8Chars(std::string_view text)
{
    return static_cast<std::size_t>(std::count_if(
        text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

PassphraseProblem checkNewPassphrase(std::string_view passphrase)
{
    if (utf8Chars(passphrase) < MinimumPassphraseChars)
        return PassphraseProblem::TooShort;
    // All one character: compare each character (its UTF-8 bytes) with the first.
    std::size_t firstLen = 1;
    while (firstLen < passphrase.size() && (static_cast<unsigned char>(passphrase[firstLen]) & 0xC0) == 0x80)
        ++firstLen;
    const std::string_view first = passphrase.substr(0, firstLen);
    bool same = passphrase.size() % firstLen == 0;
    for (std::size_t i = 0; same && i < passphrase.size(); i += firstLen)
        same = passphrase.substr(i, firstLen) == first;
    if (same)
        return PassphraseProblem::OneCharacter;
    if (commonPasswords().count(lowerSecret(passphrase).view()))
        return PassphraseProblem::Common;
    return PassphraseProblem::None;
}

std::string describe(PassphraseProblem problem)
{
    switch (problem) {
    case PassphraseProblem::TooShort:
        return "the passphrase must have at least " + std::to_string(MinimumPassphraseChars)
            + " characters (a few words in a row are easy to remember)";
    case PassphraseProblem::OneCharacter:
        return "the passphrase is one character repeated; choose one that is hard to guess";
    case PassphraseProblem::Common:
        return "the passphrase is in the list of common passwords that are tried first; choose another";
    case PassphraseProblem::None:
        break;
    }
    return {};
}

void requireStrongPassphrase(std::string_view passphrase)
{
    const auto problem = checkNewPassphrase(passphrase);
    if (problem != PassphraseProblem::None)
        throw Error(ErrorCode::BadInput, describe(problem) + "; nothing changed");
}

} // namespace fplan::crypto
