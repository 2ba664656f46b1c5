// SPDX-License-Identifier: EUPL-1.2
#pragma once

// The real fplan-server as a child process, and a TCP proxy that cuts connections on request.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <sys/types.h>
#include <thread>
#include <vector>

namespace fplan::test {

class ServerProcess {
public:
    explicit ServerProcess(std::filesystem::path dataDir);
    ~ServerProcess(); // stops it

    // Starts fplan-server on `listen` ("127.0.0.1:0" picks a free port) and waits until it
    // prints where it listens.
    void start(const std::string& listen = "127.0.0.1:0");
    void stop(); // SIGTERM, then waits
    void kill9(); // SIGKILL, then waits
    bool running() const { return m_pid > 0; }
    unsigned short port() const { return m_port; }
    std::string url() const;

    void addUser(const std::string& name, const std::string& password) const;
    void disableUser(const std::string& name) const;
    std::string fingerprint() const; // as the server prints it
    const std::filesystem::path& dataDir() const { return m_dataDir; }

private:
    void waitForExit();

    std::filesystem::path m_dataDir;
    pid_t m_pid = -1;
    int m_stdout = -1;
    unsigned short m_port = 0;
    std::thread m_drain;
};

// Forwards 127.0.0.1:port() to 127.0.0.1:target. Faults apply to the next `connections`
// connections: CutRequest closes both sides once `bytes` client-to-server bytes have passed
// (the request is cut off); CutResponse forwards the whole request but closes both sides as
// soon as the server answers after `bytes` client-to-server bytes (the server did the work,
// the client never hears of it).
class FaultProxy {
public:
    enum class Fault { None, CutRequest, CutResponse };

    explicit FaultProxy(unsigned short target);
    ~FaultProxy();
    FaultProxy(const FaultProxy&) = delete;
    FaultProxy& operator=(const FaultProxy&) = delete;

    unsigned short port() const { return m_port; }
    void setTarget(unsigned short target) { m_target = target; }
    void inject(Fault fault, std::int64_t bytes, int connections);
    int cuts() const { return m_cuts; } // connections cut so far
    std::string url() const;

private:
    void acceptLoop();
    void pump(int client);

    int m_listen = -1;
    unsigned short m_port = 0;
    std::atomic<unsigned short> m_target;
    std::atomic<int> m_fault { 0 };
    std::atomic<std::int64_t> m_bytes { 0 };
    std::atomic<int> m_faultyConnections { 0 };
    std::atomic<int> m_cuts { 0 };
    std::atomic<bool> m_stopping { false };
    std::thread m_acceptor;
    std::vector<std::thread> m_pumps;
};

// A program running in the background with its standard output on a pipe, read line by line;
// killed (SIGKILL) at destruction if it still runs. `env` entries ("K=V") add to the test's.
class ChildProcess {
public:
    explicit ChildProcess(const std::vector<std::string>& argv, const std::vector<std::string>& env = {});
    ~ChildProcess();
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    // The next line it writes (without the newline), or nothing when none comes within `timeout`
    // or it closed its output.
    std::optional<std::string> readLine(std::chrono::milliseconds timeout);
    void signal(int signal);
    int wait(); // its exit status, or 128 + the signal that ended it

private:
    pid_t m_pid = -1;
    int m_stdout = -1;
    std::string m_buffer;
};

std::filesystem::path serverBinary();
std::filesystem::path fplanBinary();

} // namespace fplan::test
