// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include "sync/server/handler.h"
#include "sync/server/tls_files.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <variant>
#include <vector>

namespace fplan::sync {

struct ListenerOptions {
    std::string address = "127.0.0.1";
    std::uint16_t port = 8443; // 0: any free port (see Listener::port)
    TlsFiles tls;
    int threads = 4; // network threads (TLS, HTTP)
    int workers = 64; // threads that run the service's requests (they mostly wait for commits)
};

// What the network layer serves: the Handler, or a stand-in (the benchmark's do-nothing handler).
class Service {
public:
    virtual ~Service() = default;
    virtual Response handle(const Request& request) = 0;
    virtual std::variant<LiveIdentity, Response> acceptLive(const Request& request) = 0;
    virtual bool sessionValid(const LiveIdentity& who) = 0;
    virtual std::vector<std::string> caseMembers(const std::string& caseId) = 0;
};

// The Handler as the network layer's service.
class HandlerService final : public Service {
public:
    explicit HandlerService(Handler& handler)
        : m_handler(handler)
    {
    }
    Response handle(const Request& request) override { return m_handler.handle(request); }
    std::variant<LiveIdentity, Response> acceptLive(const Request& request) override
    {
        return m_handler.acceptLive(request);
    }
    bool sessionValid(const LiveIdentity& who) override { return m_handler.sessionValid(who); }
    std::vector<std::string> caseMembers(const std::string& caseId) override
    {
        return m_handler.caseMembers(caseId);
    }

private:
    Handler& m_handler;
};

// The sockets around the Handler: TLS, HTTP/1.1 keep-alive sessions with timeouts, and the
// WebSocket live channel. Network errors stay in here; the handler sees whole requests only.
class Listener {
public:
    Listener(Service& service, const ListenerOptions& options); // binds; throws Error(Network/BadInput)
    ~Listener();
    Listener(const Listener&) = delete;
    Listener& operator=(const Listener&) = delete;

    std::uint16_t port() const;
    // Serves until stop() or SIGTERM/SIGINT; returns when every thread has finished.
    void run();
    void stop();
    // Tells the live clients that may see `caseId` that it has ops up to `seq` (any thread).
    void notify(const std::string& caseId, std::int64_t seq);
    // Presence across processes that share one storage: `publish` sends what this process's live
    // clients say (presence frames) to the others, and remotePresence() takes theirs, `origin`
    // telling the processes apart (any thread). Each process says its presences again every 20 s;
    // another process's presence not heard of for a minute is gone. Call sharePresence before run().
    void sharePresence(std::function<void(const std::string&)> publish);
    void remotePresence(const std::string& origin, const std::string& frame);

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace fplan::sync
