// SPDX-License-Identifier: EUPL-1.2
#include "crypto/passphrase_policy.h"
#include "tests/support/test_support.h"

#include <gtest/gtest.h>

namespace fplan::crypto {
namespace {

TEST(PassphrasePolicy, CountsCharactersNotBytes)
{
    EXPECT_EQ(PassphraseProblem::TooShort, checkNewPassphrase("12345678"));
    EXPECT_EQ(PassphraseProblem::TooShort, checkNewPassphrase("æøåæøåæøåæø")); // 22 bytes, 11 characters
    EXPECT_EQ(PassphraseProblem::None, checkNewPassphrase("æøå og en kat"));
}

TEST(PassphrasePolicy, RefusesOneCharacterAndCommonPasswords)
{
    EXPECT_EQ(PassphraseProblem::OneCharacter, checkNewPassphrase(std::string(12, ' ')));
    EXPECT_EQ(PassphraseProblem::OneCharacter, checkNewPassphrase("øøøøøøøøøøøøøø"));
    EXPECT_EQ(PassphraseProblem::Common, checkNewPassphrase("passwordpassword"));
    EXPECT_EQ(PassphraseProblem::Common, checkNewPassphrase("123456789012"));
    EXPECT_EQ(PassphraseProblem::Common, checkNewPassphrase("Adgangskode1234"));
    EXPECT_EQ(PassphraseProblem::None, checkNewPassphrase("grøn kaffe på trappen"));
    test::expectError(
        ErrorCode::BadInput, "common passwords", [] { requireStrongPassphrase("qwertyuiopasdfghjkl"); });
}

} // namespace
} // namespace fplan::crypto
