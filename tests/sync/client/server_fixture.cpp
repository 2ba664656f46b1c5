// SPDX-License-Identifier: EUPL-1.2
#include "tests/sync/client/server_fixture.h"

#include "tests/support/test_support.h"

#include <arpa/inet.h>
#include <array>
#include <chrono>
#include <cstring>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <regex>
#include <signal.h>
#include <stdexcept>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

namespace fplan::test {

namespace {

std::string check(const RunResult& r, const std::string& what)
{
    if (r.exitCode != 0)
        throw std::runtime_error(what + " failed (" + std::to_string(r.exitCode) + "): " + r.err);
    return r.out;
}

} // namespace

ChildProcess::ChildProcess(const std::vector<std::string>& argv, const std::vector<std::string>& env)
{
    int out[2];
    if (pipe2(out, O_CLOEXEC))
        throw std::runtime_error("pipe failed");
    std::vector<std::string> argStrings = argv;
    std::vector<std::string> envStrings;
    for (char** e = environ; *e; ++e)
        envStrings.emplace_back(*e);
    envStrings.insert(envStrings.end(), env.begin(), env.end());
    std::vector<char*> args, envs;
    for (auto& a : argStrings)
        args.push_back(a.data());
    args.push_back(nullptr);
    for (auto& e : envStrings)
        envs.push_back(e.data());
    envs.push_back(nullptr);
    m_pid = fork();
    if (m_pid < 0)
        throw std::runtime_error("fork failed");
    if (m_pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL); // it goes with the test, also when the test dies
        dup2(out[1], 1);
        execve(args[0], args.data(), envs.data());
        _exit(127);
    }
    close(out[1]);
    m_stdout = out[0];
}

ChildProcess::~ChildProcess()
{
    if (m_pid > 0) {
        ::kill(m_pid, SIGKILL);
        wait();
    }
    if (m_stdout >= 0)
        close(m_stdout);
}

std::optional<std::string> ChildProcess::readLine(std::chrono::milliseconds timeout)
{
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        if (const auto newline = m_buffer.find('\n'); newline != std::string::npos) {
            std::string line = m_buffer.substr(0, newline);
            m_buffer.erase(0, newline + 1);
            return line;
        }
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0 || m_stdout < 0)
            return std::nullopt;
        pollfd p { m_stdout, POLLIN, 0 };
        if (poll(&p, 1, static_cast<int>(left.count())) <= 0)
            continue;
        char buffer[4096];
        const ssize_t n = read(m_stdout, buffer, sizeof buffer);
        if (n <= 0)
            return std::nullopt;
        m_buffer.append(buffer, static_cast<std::size_t>(n));
    }
}

void ChildProcess::signal(int signal)
{
    if (m_pid > 0)
        ::kill(m_pid, signal);
}

int ChildProcess::wait()
{
    if (m_pid <= 0)
        return -1;
    int status = 0;
    waitpid(m_pid, &status, 0);
    m_pid = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::filesystem::path serverBinary()
{
    return FPLAN_SERVER_BINARY;
}

std::filesystem::path fplanBinary()
{
    return FPLAN_CLI_BINARY;
}

ServerProcess::ServerProcess(std::filesystem::path dataDir)
    : m_dataDir(std::move(dataDir))
{
}

ServerProcess::~ServerProcess()
{
    try {
        stop();
    } catch (...) {
    }
}

std::string ServerProcess::url() const
{
    return "https://127.0.0.1:" + std::to_string(m_port);
}

void ServerProcess::start(const std::string& listen)
{
    if (m_pid > 0)
        throw std::runtime_error("the server runs already");
    int out[2];
    if (pipe2(out, O_CLOEXEC))
        throw std::runtime_error("pipe failed");
    std::vector<std::string> argv
        = { serverBinary().string(), "--data", m_dataDir.string(), "--listen", listen };
    std::vector<char*> args;
    for (auto& a : argv)
        args.push_back(a.data());
    args.push_back(nullptr);
    m_pid = fork();
    if (m_pid < 0)
        throw std::runtime_error("fork failed");
    if (m_pid == 0) {
        // The server goes with the test, also when the test dies.
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        dup2(out[1], 1);
        execv(args[0], args.data());
        _exit(127);
    }
    close(out[1]);
    m_stdout = out[0];
    // Read until "listening on https://ADDR:PORT".
    std::string seen;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    const std::regex listening("listening on https://[^:\\s]+:(\\d+)");
    std::smatch m;
    while (!std::regex_search(seen, m, listening)) {
        if (std::chrono::steady_clock::now() > deadline)
            throw std::runtime_error("fplan-server did not start: " + seen);
        pollfd p { m_stdout, POLLIN, 0 };
        if (poll(&p, 1, 200) <= 0)
            continue;
        char buffer[4096];
        const ssize_t n = read(m_stdout, buffer, sizeof buffer);
        if (n <= 0) {
            waitForExit();
            throw std::runtime_error("fplan-server stopped at start: " + seen);
        }
        seen.append(buffer, static_cast<std::size_t>(n));
    }
    m_port = static_cast<unsigned short>(std::stoi(m[1].str()));
    const int fd = m_stdout;
    m_drain = std::thread([fd] {
        char buffer[4096];
        while (read(fd, buffer, sizeof buffer) > 0) { }
    });
}

void ServerProcess::waitForExit()
{
    if (m_pid > 0) {
        int status = 0;
        waitpid(m_pid, &status, 0);
        m_pid = -1;
    }
    if (m_drain.joinable())
        m_drain.join();
    if (m_stdout >= 0) {
        close(m_stdout);
        m_stdout = -1;
    }
}

void ServerProcess::stop()
{
    if (m_pid > 0)
        ::kill(m_pid, SIGTERM);
    waitForExit();
}

void ServerProcess::kill9()
{
    if (m_pid > 0)
        ::kill(m_pid, SIGKILL);
    waitForExit();
}

void ServerProcess::addUser(const std::string& name, const std::string& password) const
{
    check(run({ serverBinary().string(), "--data", m_dataDir.string(), "user", "add", name },
              { "FPLAN_PASSWORD=" + password }),
        "user add " + name);
}

void ServerProcess::disableUser(const std::string& name) const
{
    check(run({ serverBinary().string(), "--data", m_dataDir.string(), "user", "disable", name }),
        "user disable");
}

std::string ServerProcess::fingerprint() const
{
    std::string out
        = check(run({ serverBinary().string(), "--data", m_dataDir.string(), "fingerprint" }), "fingerprint");
    const std::regex hex("[0-9a-fA-F:]{64,95}");
    std::smatch m;
    if (!std::regex_search(out, m, hex))
        throw std::runtime_error("no fingerprint in: " + out);
    return m.str();
}

FaultProxy::FaultProxy(unsigned short target)
    : m_target(target)
{
    m_listen = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr {};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    if (bind(m_listen, reinterpret_cast<sockaddr*>(&addr), sizeof addr) || listen(m_listen, 64))
        throw std::runtime_error("proxy: cannot listen");
    socklen_t len = sizeof addr;
    getsockname(m_listen, reinterpret_cast<sockaddr*>(&addr), &len);
    m_port = ntohs(addr.sin_port);
    m_acceptor = std::thread([this] { acceptLoop(); });
}

FaultProxy::~FaultProxy()
{
    m_stopping = true;
    shutdown(m_listen, SHUT_RDWR);
    close(m_listen);
    m_acceptor.join();
    for (auto& t : m_pumps)
        t.join();
}

std::string FaultProxy::url() const
{
    return "https://127.0.0.1:" + std::to_string(m_port);
}

void FaultProxy::inject(Fault fault, std::int64_t bytes, int connections)
{
    m_fault = static_cast<int>(fault);
    m_bytes = bytes;
    m_faultyConnections = connections;
}

void FaultProxy::acceptLoop()
{
    while (!m_stopping) {
        const int client = accept4(m_listen, nullptr, nullptr, SOCK_CLOEXEC);
        if (client < 0) {
            if (m_stopping)
                return;
            continue;
        }
        m_pumps.emplace_back([this, client] { pump(client); });
    }
}

void FaultProxy::pump(int client)
{
    Fault fault = Fault::None;
    std::int64_t limit = 0;
    if (m_faultyConnections.fetch_sub(1) > 0) {
        fault = static_cast<Fault>(m_fault.load());
        limit = m_bytes;
    }
    const int server = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr {};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(m_target);
    if (connect(server, reinterpret_cast<sockaddr*>(&addr), sizeof addr)) {
        close(server);
        close(client);
        return;
    }
    std::int64_t upstream = 0; // client-to-server bytes so far
    std::array<pollfd, 2> fds { { { client, POLLIN, 0 }, { server, POLLIN, 0 } } };
    char buffer[16384];
    bool cut = false;
    while (!cut && !m_stopping) {
        if (poll(fds.data(), fds.size(), 200) < 0)
            break;
        bool closed = false;
        for (std::size_t i = 0; i < 2 && !cut && !closed; ++i) {
            if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            std::size_t want = sizeof buffer;
            if (i == 0 && fault == Fault::CutRequest)
                want = static_cast<std::size_t>(std::min<std::int64_t>(want, limit - upstream));
            const ssize_t n = want == 0 ? 0 : read(fds[i].fd, buffer, want);
            if (want == 0 || (i == 1 && n > 0 && fault == Fault::CutResponse && upstream >= limit)) {
                cut = true;
                break;
            }
            if (n <= 0) {
                closed = true;
                break;
            }
            const int to = i == 0 ? server : client;
            std::size_t done = 0;
            while (done < static_cast<std::size_t>(n)) {
                const ssize_t w = write(to, buffer + done, static_cast<std::size_t>(n) - done);
                if (w <= 0) {
                    closed = true;
                    break;
                }
                done += static_cast<std::size_t>(w);
            }
            if (i == 0)
                upstream += n;
            if (i == 0 && fault == Fault::CutRequest && upstream >= limit)
                cut = true;
        }
        if (closed)
            break;
    }
    if (cut)
        ++m_cuts;
    // An abortive close (RST) on both sides: neither peer gets a polite end.
    linger hard { 1, 0 };
    setsockopt(client, SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
    setsockopt(server, SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
    close(client);
    close(server);
}

} // namespace fplan::test
