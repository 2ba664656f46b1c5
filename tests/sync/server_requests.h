// SPDX-License-Identifier: EUPL-1.2
#pragma once
// Requests the network suites make of a running fplan-server, and the key of its SQLCipher
// storage, for the tests that look into the database file.

#include "crypto/kdf.h"

#include <filesystem>
#include <set>
#include <string>

namespace fplan::test {

class SyncTestClient;

// Logs in as `user` with the password "password-USER"; the token.
std::string login(SyncTestClient& client, const std::string& user);
// Every op id the account may pull, page by page; also checks that none comes twice.
std::multiset<std::string> pullAllOpIds(SyncTestClient& client, const std::string& token);
// The key of the SQLCipher storage in `data` (its db.key).
crypto::SecretKey serverDbKey(const std::filesystem::path& data);

} // namespace fplan::test
