// SPDX-License-Identifier: EUPL-1.2
// Passphrases in locked memory that is wiped when the text shrinks, moves or goes.
#include "crypto/secret_string.h"

#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <utility>

using fplan::crypto::SecretString;

namespace {

// The kilobytes this process has locked in memory (VmLck in /proc/self/status).
long lockedKb()
{
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind("VmLck:", 0) == 0)
            return std::stol(line.substr(6));
    return -1;
}

bool allZero(const char* bytes, std::size_t size)
{
    for (std::size_t i = 0; i < size; ++i)
        if (bytes[i] != 0)
            return false;
    return true;
}

} // namespace

TEST(SecretString, HoldsItsTextInLockedMemory)
{
#if defined(__SANITIZE_ADDRESS__)
    GTEST_SKIP() << "AddressSanitizer turns mlock into a no-op, so VmLck cannot show the lock";
#endif
    const long before = lockedKb();
    ASSERT_GE(before, 0);
    SecretString secret("correct horse battery staple");
    EXPECT_GT(lockedKb(), before);
    EXPECT_EQ("correct horse battery staple", secret.view());
}

TEST(SecretString, WipesWhatItDrops)
{
    SecretString secret("correct horse battery staple");
    const char* bytes = secret.data();
    const std::size_t capacity = secret.capacity();
    secret.truncate(7);
    EXPECT_EQ("correct", secret.view());
    EXPECT_TRUE(allZero(bytes + 7, capacity - 7));
    secret.clear();
    EXPECT_TRUE(secret.empty());
    EXPECT_TRUE(allZero(bytes, capacity)); // still this string's memory: nothing of the text left
}

TEST(SecretString, GrowsMovesAndComparesWithoutCopies)
{
    SecretString typed;
    for (char c : std::string("en lang adgangskode, skrevet tegn for tegn på terminalen ......"))
        typed.push_back(c);
    typed.append(" og lidt mere");
    EXPECT_EQ("en lang adgangskode, skrevet tegn for tegn på terminalen ...... og lidt mere", typed.view());
    EXPECT_GE(typed.capacity(), typed.size());

    SecretString moved(std::move(typed));
    EXPECT_TRUE(typed.empty()); // NOLINT(bugprone-use-after-move): a moved-from secret holds nothing
    EXPECT_EQ(nullptr, typed.data());
    SecretString same(moved.view());
    EXPECT_TRUE(moved == same);
    same.truncate(same.size() - 1);
    EXPECT_FALSE(moved == same);
    same.push_back('X');
    EXPECT_FALSE(moved == same);
}
