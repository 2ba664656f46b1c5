// SPDX-License-Identifier: EUPL-1.2
#include "tests/sync/server_process.h"

#include "base/error.h"
#include "crypto/hash.h"
#include "tests/support/test_support.h"
#include "tests/sync/sync_test_client.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace fplan::test {

std::filesystem::path serverProgram()
{
    return buildDir() / "sync" / "server" / "fplan-server";
}

void addServerUser(const std::filesystem::path& data, const std::string& name, const std::string& password,
    const std::vector<std::string>& extra)
{
    std::vector<std::string> argv = { serverProgram().string(), "--data", data.string() };
    argv.insert(argv.end(), extra.begin(), extra.end());
    argv.insert(argv.end(), { "user", "add", name });
    const auto r = run(argv, { "FPLAN_PASSWORD=" + password });
    if (r.exitCode != 0)
        throw Error(ErrorCode::Internal, "user add " + name + " failed: " + r.err);
}

ServerProcess::ServerProcess(const std::filesystem::path& data, const std::vector<std::string>& extra)
{
    std::vector<std::string> args
        = { serverProgram().string(), "--data", data.string(), "--listen", "127.0.0.1:0" };
    args.insert(args.end(), extra.begin(), extra.end());
    std::vector<char*> argv;
    for (auto& a : args)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    int pipeFds[2];
    if (::pipe(pipeFds) != 0)
        throw Error(ErrorCode::Internal, "pipe failed");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, pipeFds[1], 1);
    posix_spawn_file_actions_addclose(&actions, pipeFds[0]);
    const int rc = posix_spawn(&m_pid, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(pipeFds[1]);
    m_out = pipeFds[0];
    if (rc != 0)
        throw Error(ErrorCode::Internal, "cannot start " + args[0]);
    std::string out;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (out.find("listening on https://127.0.0.1:") == std::string::npos || out.back() != '\n') {
        pollfd pfd { m_out, POLLIN, 0 };
        if (std::chrono::steady_clock::now() > deadline || ::poll(&pfd, 1, 1000) < 0)
            throw Error(ErrorCode::Internal, "fplan-server did not start: " + out);
        if (!(pfd.revents & (POLLIN | POLLHUP)))
            continue;
        char buffer[512];
        const auto n = ::read(m_out, buffer, sizeof buffer);
        if (n <= 0)
            throw Error(ErrorCode::Internal, "fplan-server ended before listening: " + out);
        out.append(buffer, static_cast<std::size_t>(n));
    }
    const auto at
        = out.find("listening on https://127.0.0.1:") + std::string("listening on https://127.0.0.1:").size();
    m_port = static_cast<std::uint16_t>(std::stoi(out.substr(at)));
    const std::string label = "fingerprint: ";
    const auto f = out.find(label);
    if (f == std::string::npos)
        throw Error(ErrorCode::Internal, "fplan-server printed no fingerprint: " + out);
    m_fingerprint = out.substr(f + label.size(), 64);
}

void ServerProcess::kill(int signal)
{
    if (m_pid <= 0)
        return;
    ::kill(m_pid, signal);
    int status = 0;
    ::waitpid(m_pid, &status, 0);
    m_pid = -1;
}

int ServerProcess::stop()
{
    if (m_pid <= 0)
        return -1;
    ::kill(m_pid, SIGTERM);
    int status = 0;
    ::waitpid(m_pid, &status, 0);
    m_pid = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

ServerProcess::~ServerProcess()
{
    stop();
    if (m_out >= 0)
        ::close(m_out);
}

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
