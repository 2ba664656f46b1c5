// SPDX-License-Identifier: EUPL-1.2
#include "tests/sync/server_requests.h"

#include "base/error.h"
#include "crypto/hash.h"
#include "tests/support/test_support.h"
#include "tests/sync/sync_test_client.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace fplan::test {

std::string login(SyncTestClient& client, const std::string& user)
{
    const auto r = client.request(
        "POST", "/v1/login", nlohmann::json { { "user", user }, { "password", "password-" + user } }.dump());
    EXPECT_EQ(r.status, 200) << r.body;
    return nlohmann::json::parse(r.body).value("token", "");
}

std::multiset<std::string> pullAllOpIds(SyncTestClient& client, const std::string& token)
{
    std::multiset<std::string> ids;
    std::set<std::int64_t> seqs;
    std::int64_t cursor = 0;
    for (bool more = true; more;) {
        const auto r
            = client.request("GET", "/v1/pull?after=" + std::to_string(cursor) + "&limit=5000", {}, token);
        EXPECT_EQ(r.status, 200) << r.body;
        const auto page = nlohmann::json::parse(r.body);
        for (const auto& item : page["ops"]) {
            ids.insert(item["op"]["op_id"].get<std::string>());
            EXPECT_TRUE(seqs.insert(item["seq"].get<std::int64_t>()).second)
                << "a sequence number came twice";
        }
        cursor = page["last"].get<std::int64_t>();
        more = page["more"].get<bool>();
    }
    return ids;
}

crypto::SecretKey serverDbKey(const std::filesystem::path& data)
{
    crypto::SecretKey key;
    const auto hex = readFile(data / "db.key");
    if (hex.size() < 64 || !crypto::fromHex(hex.substr(0, 64), key.data(), key.Size))
        throw Error(ErrorCode::Internal, (data / "db.key").string() + ": not a key");
    return key;
}

} // namespace fplan::test
