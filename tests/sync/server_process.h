// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include "tests/support/test_support.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace fplan::test {

// The real fplan-server as a child process on 127.0.0.1, for every suite that talks to it; stopped
// (SIGTERM) at destruction. `extra` are further arguments for every run (e.g. --postgres URL).
class ServerProcess {
public:
    // Starts it on `listen` ("127.0.0.1:0": a free port) and waits until it listens.
    ServerProcess(std::filesystem::path dataDir, std::vector<std::string> extra = {},
        const std::string& listen = "127.0.0.1:0");
    ~ServerProcess();
    ServerProcess(const ServerProcess&) = delete;
    ServerProcess& operator=(const ServerProcess&) = delete;

    void start(const std::string& listen = "127.0.0.1:0"); // again, after stop() or kill()
    int stop(); // SIGTERM, then waits; its exit status (-1 when it was not running)
    void kill(int signal); // and waits
    bool running() const { return m_process && m_process->running(); }
    pid_t pid() const { return m_process ? m_process->pid() : -1; }

    std::uint16_t port() const { return m_port; }
    std::string url() const; // https://127.0.0.1:PORT
    const std::string& fingerprint() const { return m_fingerprint; } // as it printed it at start
    const std::filesystem::path& dataDir() const { return m_dataDir; }

    void addUser(const std::string& name, const std::string& password) const;
    void disableUser(const std::string& name) const;

private:
    std::filesystem::path m_dataDir;
    std::vector<std::string> m_extra;
    std::unique_ptr<ChildProcess> m_process;
    std::uint16_t m_port = 0;
    std::string m_fingerprint;
};

std::filesystem::path serverBinary();
std::filesystem::path fplanBinary();
// `fplan-server --data DIR [extra] user add NAME` with the password in $FPLAN_PASSWORD; the
// server need not run.
void addServerUser(const std::filesystem::path& data, const std::string& name, const std::string& password,
    const std::vector<std::string>& extra = {});

} // namespace fplan::test
