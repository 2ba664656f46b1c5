// SPDX-License-Identifier: EUPL-1.2
#pragma once

// The project's one HTTPS client, a small face of Boost.Beast: https_client.cpp is its only
// translation unit that includes Beast. Delivery (SF1601, mutual TLS against a CA) and the sync
// client (a case store server checked by CA or by a pinned certificate fingerprint) both use it.

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fplan::delivery {

struct HttpsRequest {
    std::string method = "POST"; // GET or POST
    std::string url; // https://host[:port]/path[?query]
    std::string contentType; // sent when not empty
    std::string body;
    // Sent instead of `body` when not empty, straight from the caller's memory (a
    // crypto::SecretString's view, e.g. a sign-in with a password): the client makes no copy.
    std::string_view secretBody;
    std::vector<std::pair<std::string, std::string>> headers;
    std::filesystem::path clientCert; // PEM: certificate chain and private key; empty: none
    // How the server is checked: by `ca` (verify_peer and the host name), or, when `ca` is empty,
    // by the SHA-256 fingerprint of its certificate: it must equal `pinnedSha256` (hex, any case,
    // colons allowed); an empty pin accepts the certificate it meets (first use) and reports it.
    std::filesystem::path ca;
    std::string pinnedSha256;
    std::chrono::milliseconds timeout { 30000 }; // for the whole exchange
    std::size_t maxReplyBytes = 1024 * 1024;
};

struct HttpsReply {
    int status = 0;
    std::string body;
    // Sent instead of `body` when not empty, straight from the caller's memory (a
    // crypto::SecretString's view, e.g. a sign-in with a password): the client makes no copy.
    std::string_view secretBody;
    std::string serverSha256; // SHA-256 of the server certificate's DER bytes, 64 lowercase hex
    std::string retryAfter; // the Retry-After header, if any
};

// An HTTPS client that keeps its connections open (HTTP/1.1 keep-alive): one connection per
// server (host, port, CA and client certificate), reused by the next request to it while the
// server keeps it open and it has been idle for less than `idleLimit`; closed after any failure,
// when the server says "Connection: close", and by close() or the destructor. A kept connection
// the server has closed meanwhile is noticed before it is used, and a new one is opened. Not
// thread-safe: one client per thread.
class HttpsClient {
public:
    explicit HttpsClient(std::chrono::milliseconds idleLimit = std::chrono::seconds(20));
    ~HttpsClient();
    HttpsClient(const HttpsClient&) = delete;
    HttpsClient& operator=(const HttpsClient&) = delete;

    // One request, one reply. Nothing is sent before the server has been checked (on a reused
    // connection: its certificate, checked when it was opened, is checked against this request's
    // pin again). Any failure to get a reply (resolve, connect, handshake, timeout) is
    // Error(Network) naming the step; a certificate other than the pinned one is Error(Conflict)
    // naming both fingerprints; a bad URL or an unreadable certificate file is Error(BadInput).
    HttpsReply send(const HttpsRequest& request);
    // Closes every open connection (a TLS close, bounded to two seconds each).
    void close();
    // Connections opened so far (a reused one is not counted again).
    std::size_t connectionsOpened() const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

// One request, one reply, on its own connection (closed afterwards); as HttpsClient::send.
HttpsReply sendHttps(const HttpsRequest& request);

// A WebSocket over TLS (wss://) on the same checks as sendHttps: the server is checked by `ca`
// or by the pinned fingerprint before the upgrade request is sent. `upgrade.url` is the
// https:// address of the WebSocket; `upgrade.headers` go with the upgrade request (e.g.
// Authorization); `upgrade.timeout` bounds connecting and the upgrade.
class WebSocketClient {
public:
    WebSocketClient();
    ~WebSocketClient();
    WebSocketClient(const WebSocketClient&) = delete;
    WebSocketClient& operator=(const WebSocketClient&) = delete;

    // Connects, upgrades, calls `onOpen` once the channel is up and `onText` for every text frame
    // (at most `maxFrameBytes`), on the calling thread. It pings the server when the channel has
    // been quiet for half of `idle` and gives up when nothing arrives for `idle`. Returns 0 when
    // the server closes the channel or stop() is called, or the HTTP status of a refused upgrade
    // (e.g. 401). Error(Network) when the connection fails or is lost, Error(Conflict) for a
    // certificate other than the pinned one, Error(BadInput) for a bad URL or file; an exception
    // from a callback ends the channel and is passed on.
    int run(const HttpsRequest& upgrade, const std::function<void()>& onOpen,
        const std::function<void(const std::string&)>& onText,
        std::chrono::milliseconds idle = std::chrono::seconds(30), std::size_t maxFrameBytes = 65536);
    // Ends a running run() (or the next one) from any thread.
    void stop();
    // Sends a text frame on the channel that is up, from any thread (in order); dropped when no
    // channel is up. (The client says what it needs to again from `onOpen`.)
    void send(std::string text);

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

// 64 lowercase hex digits for any spelling of a SHA-256 fingerprint (any case, colons or not);
// Error(BadInput) naming `what` if it is not 32 bytes of hex.
std::string normalizeSha256Fingerprint(const std::string& text, const std::string& what);

} // namespace fplan::delivery
