// SPDX-License-Identifier: EUPL-1.2
#include "base/error.h"
#include "crypto/kdf.h"
#include "crypto/random.h"
#include "tests/support/test_support.h"

#include <gtest/gtest.h>

#include <cstring>

using namespace fplan;
using namespace fplan::crypto;

TEST(Kdf, SamePassphraseAndSaltGiveSameKey)
{
    const auto params = KdfParams::freshCheap();
    const auto a = deriveKey("hemmelig sætning", params);
    const auto b = deriveKey("hemmelig sætning", params);
    EXPECT_EQ(0, std::memcmp(a.data(), b.data(), SecretKey::Size));
}

TEST(Kdf, DifferentSaltOrPassphraseGiveDifferentKeys)
{
    const auto p1 = KdfParams::freshCheap();
    const auto p2 = KdfParams::freshCheap();
    ASSERT_NE(p1.salt, p2.salt);
    const auto a = deriveKey("x", p1);
    EXPECT_NE(0, std::memcmp(a.data(), deriveKey("x", p2).data(), SecretKey::Size));
    EXPECT_NE(0, std::memcmp(a.data(), deriveKey("y", p1).data(), SecretKey::Size));
}

TEST(Kdf, ParamsRoundTripThroughJson)
{
    const auto p = KdfParams::fresh();
    const auto back = KdfParams::fromJson(p.toJson(), "store.kdf");
    EXPECT_EQ(p.opsLimit, back.opsLimit);
    EXPECT_EQ(p.memLimit, back.memLimit);
    EXPECT_EQ(p.salt, back.salt);
}

TEST(Kdf, DefaultCostIsArgon2idWithRealMemory)
{
    const auto p = KdfParams::fresh();
    EXPECT_GE(p.memLimit, 64u * 1024 * 1024);
    EXPECT_GE(p.opsLimit, 2u);
}

TEST(Kdf, BrokenParamFileNamesTheFile)
{
    test::expectError(ErrorCode::BadInput, "/tmp/s.fplan.kdf: salt", [] {
        KdfParams::fromJson("{\"format\":\"familieplan-kdf\",\"algorithm\":\"argon2id13\","
                            "\"opslimit\":3,\"memlimit\":268435456,\"salt\":\"zz\"}",
            "/tmp/s.fplan.kdf");
    });
    test::expectError(ErrorCode::BadInput, "x: not a Familieplan key-derivation file",
        [] { KdfParams::fromJson("not json", "x"); });
}

TEST(Kdf, MovedFromKeyIsWiped)
{
    auto key = SecretKey::random();
    SecretKey moved = std::move(key);
    const std::uint8_t zero[SecretKey::Size] = {};
    EXPECT_EQ(0, std::memcmp(key.data(), zero, SecretKey::Size)); // NOLINT(bugprone-use-after-move)
    EXPECT_NE(0, std::memcmp(moved.data(), zero, SecretKey::Size));
}

TEST(Random, UuidsAreVersion4AndUnique)
{
    const auto a = newUuid();
    const auto b = newUuid();
    EXPECT_NE(a, b);
    ASSERT_EQ(36u, a.size());
    EXPECT_EQ('4', a[14]);
    EXPECT_NE(std::string("89ab").find(a[19]), std::string::npos);
}
