// SPDX-License-Identifier: EUPL-1.2
// The sync tests' and benchmark's client: requests go through the product's HTTPS client
// (delivery::HttpsClient, kept alive) and the live channel through its WebSocket client; only
// raw() (bytes that are not a well-formed request) has a TLS connection of its own.
#include "tests/sync/sync_test_client.h"

#include "base/error.h"
#include "crypto/hash.h"
#include "delivery/https_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <openssl/x509.h>
#include <thread>

namespace fplan::test {

namespace {

namespace asio = boost::asio;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using Stream = ssl::stream<tcp::socket>;

ssl::context makeContext()
{
    ssl::context ctx(ssl::context::tls_client);
    ctx.set_options(ssl::context::default_workarounds | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
    ctx.set_verify_mode(ssl::verify_none); // checked below by fingerprint, as a pinning client does
    return ctx;
}

void checkFingerprint(Stream& stream, const std::string& expected)
{
    X509* cert = SSL_get1_peer_certificate(stream.native_handle());
    if (!cert)
        throw Error(ErrorCode::Network, "the server sent no certificate");
    unsigned char* der = nullptr;
    const int length = i2d_X509(cert, &der);
    const auto actual = crypto::sha256Hex(std::string_view(reinterpret_cast<const char*>(der), length));
    OPENSSL_free(der);
    X509_free(cert);
    if (actual != expected)
        throw Error(
            ErrorCode::Network, "the server's certificate fingerprint " + actual + " is not " + expected);
}

std::unique_ptr<Stream> connectTls(asio::io_context& ioc, ssl::context& ctx, const std::string& host,
    std::uint16_t port, const std::string& fingerprint)
{
    auto stream = std::make_unique<Stream>(ioc, ctx);
    boost::system::error_code ec;
    tcp::resolver resolver(ioc);
    const auto endpoints = resolver.resolve(host, std::to_string(port), ec);
    if (!ec)
        asio::connect(stream->next_layer(), endpoints, ec);
    if (!ec)
        stream->next_layer().set_option(tcp::no_delay(true), ec);
    if (!ec)
        stream->handshake(ssl::stream_base::client, ec);
    if (ec)
        throw Error(ErrorCode::Network, host + ":" + std::to_string(port) + ": " + ec.message());
    checkFingerprint(*stream, fingerprint);
    return stream;
}

} // namespace

struct SyncTestClient::Impl {
    std::string host;
    std::uint16_t port;
    std::string fingerprint;
    delivery::HttpsClient https; // the product's client: one kept-alive connection
    asio::io_context ioc; // raw() only
    ssl::context ctx = makeContext();
};

SyncTestClient::SyncTestClient(const std::string& host, std::uint16_t port, const std::string& fingerprint)
    : m_impl(std::make_unique<Impl>())
{
    m_impl->host = host;
    m_impl->port = port;
    m_impl->fingerprint = fingerprint;
}

SyncTestClient::~SyncTestClient() = default;

HttpReply SyncTestClient::request(
    const std::string& method, const std::string& target, const std::string& body, const std::string& token)
{
    auto& m = *m_impl;
    delivery::HttpsRequest request;
    request.method = method;
    request.url = "https://" + m.host + ":" + std::to_string(m.port) + target;
    if (!body.empty())
        request.contentType = "application/json";
    request.body = body;
    if (!token.empty())
        request.headers.emplace_back("Authorization", "Bearer " + token);
    request.pinnedSha256 = m.fingerprint;
    request.timeout = std::chrono::seconds(120);
    request.maxReplyBytes = 64 * 1024 * 1024;
    auto reply = m.https.send(request);
    return { reply.status, std::move(reply.body), std::move(reply.retryAfter) };
}

std::size_t SyncTestClient::connectionsOpened() const
{
    return m_impl->https.connectionsOpened();
}

std::string SyncTestClient::raw(const std::string& bytes, std::size_t max)
{
    auto& m = *m_impl;
    auto stream = connectTls(m.ioc, m.ctx, m.host, m.port, m.fingerprint);
    boost::system::error_code ec;
    asio::write(*stream, asio::buffer(bytes), ec);
    std::string answer;
    char chunk[4096];
    while (!ec && answer.size() < max) {
        const auto n = stream->read_some(asio::buffer(chunk), ec);
        answer.append(chunk, n);
    }
    return answer;
}

struct LiveTestClient::Impl {
    delivery::WebSocketClient socket;
    std::thread reader;
    std::mutex mutex;
    std::condition_variable arrived;
    std::deque<std::string> frames;
    bool open = false;
    std::atomic<bool> closed { false };
    std::string failure;
};

LiveTestClient::LiveTestClient(
    const std::string& host, std::uint16_t port, const std::string& fingerprint, const std::string& token)
    : m_impl(std::make_unique<Impl>())
{
    auto& m = *m_impl;
    delivery::HttpsRequest upgrade;
    upgrade.method = "GET";
    upgrade.url = "https://" + host + ":" + std::to_string(port) + "/v1/live";
    upgrade.pinnedSha256 = fingerprint;
    upgrade.headers.emplace_back("Authorization", "Bearer " + token);
    upgrade.timeout = std::chrono::seconds(10);
    m.reader = std::thread([&m, upgrade] {
        std::string failure;
        try {
            const int refused = m.socket.run(
                upgrade,
                [&m] {
                    std::lock_guard lock(m.mutex);
                    m.open = true;
                    m.arrived.notify_all();
                },
                [&m](const std::string& frame) {
                    std::lock_guard lock(m.mutex);
                    m.frames.push_back(frame);
                    m.arrived.notify_all();
                });
            if (refused)
                failure = "live upgrade declined: HTTP " + std::to_string(refused);
        } catch (const std::exception& e) {
            failure = e.what();
        }
        std::lock_guard lock(m.mutex);
        m.failure = failure;
        m.closed = true;
        m.arrived.notify_all();
    });
    std::unique_lock lock(m.mutex);
    m.arrived.wait(lock, [&m] { return m.open || m.closed; });
    if (!m.open) {
        const std::string failure = m.failure;
        lock.unlock();
        m.reader.join();
        throw Error(ErrorCode::Network, failure.empty() ? "live channel closed at once" : failure);
    }
}

LiveTestClient::~LiveTestClient()
{
    m_impl->socket.stop();
    if (m_impl->reader.joinable())
        m_impl->reader.join();
}

std::optional<std::string> LiveTestClient::next(std::chrono::milliseconds timeout)
{
    auto& m = *m_impl;
    std::unique_lock lock(m.mutex);
    if (!m.arrived.wait_for(lock, timeout, [&] { return !m.frames.empty() || m.closed; }) || m.frames.empty())
        return std::nullopt;
    auto frame = std::move(m.frames.front());
    m.frames.pop_front();
    return frame;
}

void LiveTestClient::send(std::string frame)
{
    m_impl->socket.send(std::move(frame));
}

bool LiveTestClient::closed() const
{
    return m_impl->closed;
}

} // namespace fplan::test
