// SPDX-License-Identifier: EUPL-1.2
// The sync tests' and benchmark's one Boost.Beast translation unit (a keep-alive HTTPS client and
// raw bytes; the live channel is the project's own WebSocket client).
#include "tests/sync/sync_test_client.h"

#include "base/error.h"
#include "crypto/hash.h"
#include "delivery/https_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <openssl/x509.h>
#include <thread>

namespace fplan::test {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using Stream = beast::ssl_stream<tcp::socket>;

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
    beast::error_code ec;
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
    asio::io_context ioc;
    ssl::context ctx = makeContext();
    std::unique_ptr<Stream> stream;
    beast::flat_buffer buffer;
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
    if (!m.stream) {
        m.stream = connectTls(m.ioc, m.ctx, m.host, m.port, m.fingerprint);
        m.buffer.clear();
    }
    http::request<http::string_body> req { http::string_to_verb(method), target, 11 };
    req.set(http::field::host, m.host);
    if (!token.empty())
        req.set(http::field::authorization, "Bearer " + token);
    if (!body.empty())
        req.set(http::field::content_type, "application/json");
    req.body() = body;
    req.prepare_payload();
    req.keep_alive(true);
    beast::error_code ec;
    http::write(*m.stream, req, ec);
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    if (!ec)
        http::read(*m.stream, m.buffer, parser, ec);
    if (ec) {
        m.stream.reset();
        throw Error(ErrorCode::Network, method + " " + target + ": " + ec.message());
    }
    const auto& res = parser.get();
    HttpReply reply { static_cast<int>(res.result_int()), res.body(),
        std::string(res[http::field::retry_after]) };
    if (!res.keep_alive())
        m.stream.reset();
    return reply;
}

std::string SyncTestClient::raw(const std::string& bytes, std::size_t max)
{
    auto& m = *m_impl;
    auto stream = connectTls(m.ioc, m.ctx, m.host, m.port, m.fingerprint);
    beast::error_code ec;
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

bool LiveTestClient::closed() const
{
    return m_impl->closed;
}

} // namespace fplan::test
