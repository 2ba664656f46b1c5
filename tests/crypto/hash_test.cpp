// SPDX-License-Identifier: EUPL-1.2
#include "crypto/hash.h"

#include <gtest/gtest.h>

#include <string>

using namespace fplan::crypto;

// The FIPS 180-2 test vectors: the store, the sync protocol and the template cache compare these
// hashes with ones made by other programs, so the function must be plain SHA-256.
TEST(Hash, Sha256MatchesTheStandardsVectors)
{
    EXPECT_EQ("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", sha256Hex(""));
    EXPECT_EQ("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", sha256Hex("abc"));
    EXPECT_EQ("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
        sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"));
    EXPECT_EQ("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0",
        sha256Hex(std::string(1000000, 'a')));
}

TEST(Hash, RawDigestIsTheHexDigits)
{
    const auto digest = sha256("abc");
    EXPECT_EQ(sha256Hex("abc"), toHex(digest.data(), digest.size()));
}

// BLAKE2b with a 16-byte digest, as RFC 7693 defines it (the values of Python's hashlib).
TEST(Hash, Digest128IsBlake2bOf16Bytes)
{
    const auto empty = digest128("");
    EXPECT_EQ("cae66941d9efbd404e4d88758ea67670", toHex(empty.data(), empty.size()));
    const auto abc = digest128("abc");
    EXPECT_EQ("cf4ab791c62b8d2b2109c90275287816", toHex(abc.data(), abc.size()));
}

TEST(Hash, Digest256IsBlake2bOf32Bytes)
{
    const auto empty = digest256("");
    EXPECT_EQ("0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8",
        toHex(empty.data(), empty.size()));
    const auto abc = digest256("abc");
    EXPECT_EQ(
        "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319", toHex(abc.data(), abc.size()));
}
