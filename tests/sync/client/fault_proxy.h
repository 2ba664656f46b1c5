// SPDX-License-Identifier: EUPL-1.2
#pragma once

// A TCP proxy that cuts connections on request, between the sync client and the real server.

#include <atomic>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

namespace fplan::test {

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

} // namespace fplan::test
