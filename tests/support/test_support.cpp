// SPDX-License-Identifier: EUPL-1.2
#include "tests/support/test_support.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <poll.h>
#include <random>
#include <spawn.h>
#include <sstream>
#include <stdexcept>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace fplan::test {

TempDir::TempDir()
{
    std::random_device rd;
    for (int attempt = 0; attempt < 100; ++attempt) {
        auto candidate = std::filesystem::temp_directory_path()
            / ("fplan-test-" + std::to_string(rd()) + std::to_string(attempt));
        if (std::filesystem::create_directory(candidate)) {
            m_path = candidate;
            return;
        }
    }
    throw std::runtime_error("cannot create a temporary directory");
}

TempDir::~TempDir()
{
    std::error_code ec;
    std::filesystem::remove_all(m_path, ec);
}

ScopedEnv::ScopedEnv(const char* name, const std::string& value)
    : m_name(name)
{
    if (const char* old = std::getenv(name))
        m_old = old;
    ::setenv(name, value.c_str(), 1);
}

ScopedEnv::~ScopedEnv()
{
    if (m_old)
        ::setenv(m_name, m_old->c_str(), 1);
    else
        ::unsetenv(m_name);
}

RunResult run(
    const std::vector<std::string>& argv, const std::vector<std::string>& env, const std::string& input)
{
    int inPipe[2], outPipe[2], errPipe[2];
    if (pipe2(inPipe, O_CLOEXEC) || pipe2(outPipe, O_CLOEXEC) || pipe2(errPipe, O_CLOEXEC))
        throw std::runtime_error("pipe failed");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, inPipe[0], 0);
    posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1);
    posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2);

    std::vector<std::string> envStrings;
    for (char** e = environ; *e; ++e)
        envStrings.emplace_back(*e);
    for (const auto& entry : env) {
        const auto key = entry.substr(0, entry.find('=') + 1);
        std::erase_if(envStrings, [&](const std::string& s) { return s.rfind(key, 0) == 0; });
        envStrings.push_back(entry);
    }
    std::vector<char*> envp, args;
    for (auto& s : envStrings)
        envp.push_back(s.data());
    envp.push_back(nullptr);
    std::vector<std::string> argvCopy = argv;
    for (auto& s : argvCopy)
        args.push_back(s.data());
    args.push_back(nullptr);

    pid_t pid = 0;
    const int rc = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    close(inPipe[0]);
    close(outPipe[1]);
    close(errPipe[1]);
    if (rc != 0) {
        close(inPipe[1]);
        close(outPipe[0]);
        close(errPipe[0]);
        throw std::runtime_error("cannot start " + argv[0] + ": " + std::strerror(rc));
    }
    if (!input.empty() && write(inPipe[1], input.data(), input.size()) < 0) {
        // the child may not read its input; that is its business
    }
    close(inPipe[1]);

    RunResult result;
    std::array<pollfd, 2> fds { { { outPipe[0], POLLIN, 0 }, { errPipe[0], POLLIN, 0 } } };
    int open = 2;
    char buffer[65536];
    while (open > 0) {
        if (poll(fds.data(), fds.size(), -1) < 0)
            break;
        for (std::size_t i = 0; i < fds.size(); ++i) {
            if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP)))
                continue;
            const ssize_t n = read(fds[i].fd, buffer, sizeof buffer);
            if (n <= 0) {
                close(fds[i].fd);
                fds[i].fd = -1;
                --open;
            } else {
                (i == 0 ? result.out : result.err).append(buffer, static_cast<std::size_t>(n));
            }
        }
    }
    int status = 0;
    waitpid(pid, &status, 0);
    result.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return result;
}

std::filesystem::path sourceDir()
{
    return FPLAN_TEST_SOURCE_DIR;
}

std::filesystem::path buildDir()
{
    return FPLAN_TEST_BUILD_DIR;
}

std::filesystem::path dataFile(const std::string& relative)
{
    return sourceDir() / "tests" / "data" / relative;
}

std::vector<std::string> shippedTemplateIds()
{
    std::vector<std::string> ids;
    for (const auto& entry : std::filesystem::directory_iterator(sourceDir() / "templates"))
        if (entry.path().extension() == ".xml")
            ids.push_back(entry.path().stem().string());
    std::sort(ids.begin(), ids.end());
    return ids;
}

std::string readFile(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw std::runtime_error("cannot read " + path.string());
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

void writeFile(const std::filesystem::path& path, const std::string& content)
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << content;
    if (!out)
        throw std::runtime_error("cannot write " + path.string());
}

bool fileContains(const std::filesystem::path& path, const std::string& needle)
{
    std::error_code ec;
    if (!std::filesystem::exists(path, ec))
        return false;
    return readFile(path).find(needle) != std::string::npos;
}

std::string expectError(ErrorCode code, std::string_view substring, const std::function<void()>& action,
    std::source_location where)
{
    try {
        action();
    } catch (const Error& e) {
        const std::string message = e.what();
        if (e.code() != code) {
            ADD_FAILURE_AT(where.file_name(), static_cast<int>(where.line()))
                << "expected error code " << static_cast<int>(code) << ", got " << static_cast<int>(e.code())
                << ": " << message;
            return {};
        }
        if (message.find(substring) == std::string::npos) {
            ADD_FAILURE_AT(where.file_name(), static_cast<int>(where.line()))
                << "expected an error message containing \"" << substring << "\", got: " << message;
            return {};
        }
        return message;
    }
    ADD_FAILURE_AT(where.file_name(), static_cast<int>(where.line()))
        << "expected an error (code " << static_cast<int>(code) << ", \"" << substring
        << "\"), but nothing was thrown";
    return {};
}

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
    if (m_drain.joinable())
        m_drain.join();
    if (m_stdout >= 0)
        close(m_stdout);
}

void ChildProcess::discardOutput()
{
    if (m_drain.joinable() || m_stdout < 0)
        return;
    m_drain = std::thread([fd = m_stdout] {
        char buffer[4096];
        while (read(fd, buffer, sizeof buffer) > 0) { }
    });
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
    if (m_drain.joinable())
        m_drain.join(); // the pipe's writer is gone: the reader ends
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

} // namespace fplan::test
