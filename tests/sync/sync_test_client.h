// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace fplan::test {

struct HttpReply {
    int status = 0;
    std::string body;
    std::string retryAfter;
};

// A blocking HTTPS/1.1 client on one keep-alive connection (the product's delivery::HttpsClient),
// for tests and benchmarks of the sync server. It accepts only a server whose certificate has the
// given SHA-256 fingerprint.
class SyncTestClient {
public:
    SyncTestClient(const std::string& host, std::uint16_t port, const std::string& fingerprint);
    ~SyncTestClient();
    SyncTestClient(const SyncTestClient&) = delete;
    SyncTestClient& operator=(const SyncTestClient&) = delete;

    // Throws Error(Network) when the connection fails (Error(Conflict) for another certificate);
    // reconnects on the next call.
    HttpReply request(const std::string& method, const std::string& target, const std::string& body = {},
        const std::string& token = {});
    std::size_t connectionsOpened() const;
    // Sends raw bytes and returns the raw answer (up to the server closing or `max` bytes).
    std::string raw(const std::string& bytes, std::size_t max = 65536);

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

// A WebSocket on /v1/live that collects the server's frames on a thread of its own.
class LiveTestClient {
public:
    // Throws Error(Network) with the HTTP status in the message when the upgrade is refused.
    LiveTestClient(const std::string& host, std::uint16_t port, const std::string& fingerprint,
        const std::string& token);
    ~LiveTestClient();
    LiveTestClient(const LiveTestClient&) = delete;
    LiveTestClient& operator=(const LiveTestClient&) = delete;

    // The next frame, or nothing after `timeout`.
    std::optional<std::string> next(std::chrono::milliseconds timeout);
    // Sends a text frame (a presence frame) on the open channel.
    void send(std::string frame);
    bool closed() const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace fplan::test
