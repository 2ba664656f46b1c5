// SPDX-License-Identifier: EUPL-1.2
#include "tests/core/writer_process.h"

#include "base/error.h"

#include <csignal>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

namespace fplan::test {

WriterProcess::WriterProcess(
    const std::filesystem::path& store, const std::string& passphrase, const std::string& mode)
{
    int out[2];
    if (::pipe(out) != 0)
        throw Error(ErrorCode::Internal, "pipe failed");
    m_pid = ::fork();
    if (m_pid < 0)
        throw Error(ErrorCode::Internal, "fork failed");
    if (m_pid == 0) {
        ::dup2(out[1], 1);
        ::close(out[0]);
        ::close(out[1]);
        ::execl(FPLAN_CRASH_WRITER, FPLAN_CRASH_WRITER, store.c_str(), passphrase.c_str(), mode.c_str(),
            static_cast<char*>(nullptr));
        ::_exit(127);
    }
    ::close(out[1]);
    m_out = out[0];
}

WriterProcess::~WriterProcess()
{
    if (m_pid > 0)
        kill();
    if (m_out >= 0)
        ::close(m_out);
}

bool WriterProcess::readSome(int timeoutMs)
{
    pollfd ready { m_out, POLLIN, 0 };
    if (::poll(&ready, 1, timeoutMs) != 1)
        return false;
    char buffer[4096];
    const ssize_t n = ::read(m_out, buffer, sizeof buffer);
    if (n <= 0)
        return false;
    m_pending.append(buffer, static_cast<std::size_t>(n));
    // Only complete lines are acknowledged commits.
    for (std::size_t nl; (nl = m_pending.find('\n')) != std::string::npos; m_pending.erase(0, nl + 1))
        m_acknowledged.insert(m_pending.substr(0, nl));
    return true;
}

bool WriterProcess::waitForAcks(std::size_t count, std::chrono::milliseconds timeout)
{
    const std::size_t target = m_acknowledged.size() + count;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (m_acknowledged.size() < target) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0 || !readSome(static_cast<int>(left.count())))
            return false;
    }
    return true;
}

bool WriterProcess::kill()
{
    ::kill(m_pid, SIGKILL);
    const int status = wait();
    return WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
}

int WriterProcess::wait()
{
    int status = 0;
    if (m_pid > 0) {
        ::waitpid(m_pid, &status, 0);
        m_pid = -1;
    }
    while (readSome(0) || readSome(100)) { }
    return status;
}

std::set<std::string> storedOpIds(Store& store)
{
    std::set<std::string> ids;
    for (const auto& op : store.ops("doc"))
        ids.insert(op.id);
    return ids;
}

} // namespace fplan::test
