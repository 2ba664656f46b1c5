// SPDX-License-Identifier: EUPL-1.2
#include "tests/sync/client/fault_proxy.h"

#include <algorithm>
#include <arpa/inet.h>
#include <array>
#include <cstring>
#include <netinet/in.h>
#include <poll.h>
#include <stdexcept>
#include <sys/socket.h>
#include <unistd.h>

namespace fplan::test {

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
