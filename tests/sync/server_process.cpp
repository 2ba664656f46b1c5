// SPDX-License-Identifier: EUPL-1.2
#include "tests/sync/server_process.h"

#include "base/error.h"

#include <csignal>
#include <regex>

namespace fplan::test {

namespace {

void runServerCommand(const std::filesystem::path& data, const std::vector<std::string>& extra,
    const std::vector<std::string>& command, const std::vector<std::string>& env = {})
{
    std::vector<std::string> argv = { serverBinary().string(), "--data", data.string() };
    argv.insert(argv.end(), extra.begin(), extra.end());
    argv.insert(argv.end(), command.begin(), command.end());
    const auto r = run(argv, env);
    if (r.exitCode != 0)
        throw Error(ErrorCode::Internal, "fplan-server " + command.front() + " failed: " + r.err);
}

} // namespace

std::filesystem::path serverBinary()
{
    return buildDir() / "sync" / "server" / "fplan-server";
}

std::filesystem::path fplanBinary()
{
    return buildDir() / "cli" / "fplan";
}

void addServerUser(const std::filesystem::path& data, const std::string& name, const std::string& password,
    const std::vector<std::string>& extra)
{
    runServerCommand(data, extra, { "user", "add", name }, { "FPLAN_PASSWORD=" + password });
}

ServerProcess::ServerProcess(
    std::filesystem::path dataDir, std::vector<std::string> extra, const std::string& listen)
    : m_dataDir(std::move(dataDir))
    , m_extra(std::move(extra))
{
    start(listen);
}

ServerProcess::~ServerProcess()
{
    stop();
}

void ServerProcess::start(const std::string& listen)
{
    if (running())
        throw Error(ErrorCode::Internal, "fplan-server runs already");
    std::vector<std::string> argv
        = { serverBinary().string(), "--data", m_dataDir.string(), "--listen", listen };
    argv.insert(argv.end(), m_extra.begin(), m_extra.end());
    m_process = std::make_unique<ChildProcess>(argv);
    // It prints its certificate's fingerprint, then where it listens once it accepts connections.
    const std::regex listening("listening on https://[^:\\s]+:(\\d+)");
    const std::regex printed("fingerprint: ([0-9a-f]{64})");
    std::string seen;
    std::smatch m;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    for (;;) {
        const auto line = m_process->readLine(std::chrono::milliseconds(200));
        if (!line) {
            if (std::chrono::steady_clock::now() > deadline || !m_process->running())
                throw Error(ErrorCode::Internal, "fplan-server did not start: " + seen);
            continue;
        }
        seen += *line + "\n";
        if (std::regex_search(*line, m, printed))
            m_fingerprint = m[1].str();
        if (std::regex_search(*line, m, listening)) {
            m_port = static_cast<std::uint16_t>(std::stoi(m[1].str()));
            break;
        }
    }
    if (m_fingerprint.empty())
        throw Error(ErrorCode::Internal, "fplan-server printed no fingerprint: " + seen);
    m_process->discardOutput();
}

int ServerProcess::stop()
{
    if (!running())
        return -1;
    m_process->signal(SIGTERM);
    return m_process->wait();
}

void ServerProcess::kill(int signal)
{
    if (!running())
        return;
    m_process->signal(signal);
    m_process->wait();
}

std::string ServerProcess::url() const
{
    return "https://127.0.0.1:" + std::to_string(m_port);
}

void ServerProcess::addUser(const std::string& name, const std::string& password) const
{
    addServerUser(m_dataDir, name, password, m_extra);
}

void ServerProcess::disableUser(const std::string& name) const
{
    runServerCommand(m_dataDir, m_extra, { "user", "disable", name });
}

} // namespace fplan::test
