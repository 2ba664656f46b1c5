// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include "crypto/kdf.h"

#include <cstdint>
#include <filesystem>
#include <set>
#include <string>
#include <sys/types.h>
#include <vector>

namespace fplan::test {

// A running fplan-server on 127.0.0.1 with a free port; stopped (SIGTERM) at destruction.
class ServerProcess {
public:
    // `extra` are further arguments (e.g. --postgres URL). Waits until it listens.
    ServerProcess(const std::filesystem::path& data, const std::vector<std::string>& extra = {});
    ~ServerProcess();
    ServerProcess(const ServerProcess&) = delete;
    ServerProcess& operator=(const ServerProcess&) = delete;

    std::uint16_t port() const { return m_port; }
    const std::string& fingerprint() const { return m_fingerprint; }
    void kill(int signal); // and wait for it to end
    int stop(); // SIGTERM; the exit status

private:
    pid_t m_pid = -1;
    int m_out = -1;
    std::uint16_t m_port = 0;
    std::string m_fingerprint;
};

std::filesystem::path serverProgram();
// `fplan-server --data DIR [extra] user add NAME` with the password in $FPLAN_PASSWORD.
void addServerUser(const std::filesystem::path& data, const std::string& name, const std::string& password,
    const std::vector<std::string>& extra = {});

class SyncTestClient;

// Logs in as `user` with the password "password-USER"; the token.
std::string login(SyncTestClient& client, const std::string& user);
// Every op id the account may pull, page by page; also checks that none comes twice.
std::multiset<std::string> pullAllOpIds(SyncTestClient& client, const std::string& token);
// The key of the SQLCipher storage in `data` (its db.key).
crypto::SecretKey serverDbKey(const std::filesystem::path& data);

} // namespace fplan::test
