// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include "sync/server/handler.h"
#include "sync/server/tls_files.h"

#include <cstdint>
#include <memory>
#include <string>

namespace fplan::sync {

struct ListenerOptions {
    std::string address = "127.0.0.1";
    std::uint16_t port = 8443; // 0: any free port (see Listener::port)
    TlsFiles tls;
    int threads = 4;
};

// The sockets around the Handler: TLS, HTTP/1.1 keep-alive sessions with timeouts, and the
// WebSocket live channel. Network errors stay in here; the handler sees whole requests only.
class Listener {
public:
    Listener(Handler& handler, const ListenerOptions& options); // binds; throws Error(Network/BadInput)
    ~Listener();
    Listener(const Listener&) = delete;
    Listener& operator=(const Listener&) = delete;

    std::uint16_t port() const;
    // Serves until stop() or SIGTERM/SIGINT; returns when every thread has finished.
    void run();
    void stop();
    // Tells the live clients that may see `caseId` that it has ops up to `seq` (any thread).
    void notify(const std::string& caseId, std::int64_t seq);

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace fplan::sync
