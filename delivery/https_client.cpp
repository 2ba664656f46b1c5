// SPDX-License-Identifier: EUPL-1.2
// The project's one Boost.Beast client translation unit (each costs ~35 s to compile).
#include "delivery/https_client.h"

#include "base/error.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include <cctype>
#include <deque>
#include <fstream>
#include <mutex>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <tuple>

namespace fplan::delivery {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

struct Url {
    std::string host;
    std::string port;
    std::string target;
};

Url parseUrl(const std::string& url)
{
    const std::string scheme = "https://";
    if (url.rfind(scheme, 0) != 0)
        throw Error(ErrorCode::BadInput, "endpoint '" + url + "' must start with https://");
    const auto rest = url.substr(scheme.size());
    const auto slash = rest.find('/');
    const auto authority = rest.substr(0, slash);
    Url u;
    u.target = slash == std::string::npos ? "/" : rest.substr(slash);
    const auto colon = authority.rfind(':');
    if (colon != std::string::npos && authority.find(']') == std::string::npos) {
        u.host = authority.substr(0, colon);
        u.port = authority.substr(colon + 1);
    } else {
        u.host = authority;
        u.port = "443";
    }
    if (u.host.empty() || u.port.empty() || u.port.find_first_not_of("0123456789") != std::string::npos)
        throw Error(ErrorCode::BadInput, "endpoint '" + url + "' has no usable host and port");
    return u;
}

void requireReadable(const std::filesystem::path& file, const char* what)
{
    std::ifstream in(file);
    if (!in)
        throw Error(ErrorCode::BadInput, std::string("cannot read the ") + what + " " + file.string());
}

// Built per request: certificates may be replaced between attempts.
ssl::context makeContext(const HttpsRequest& request)
{
    ssl::context ctx(ssl::context::tls_client);
    beast::error_code ec;
    ctx.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3
            | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1,
        ec);
    if (!request.ca.empty()) {
        requireReadable(request.ca, "CA certificate");
        ctx.set_verify_mode(ssl::verify_peer, ec);
        if (ctx.load_verify_file(request.ca.string(), ec); ec)
            throw Error(ErrorCode::BadInput,
                request.ca.string() + ": not a PEM CA certificate (" + ec.message() + ")");
    } else {
        // Checked by its fingerprint after the handshake, before anything is sent.
        ctx.set_verify_mode(ssl::verify_none, ec);
    }
    if (!request.clientCert.empty()) {
        requireReadable(request.clientCert, "client certificate");
        if (ctx.use_certificate_chain_file(request.clientCert.string(), ec); ec)
            throw Error(ErrorCode::BadInput,
                request.clientCert.string() + ": no PEM certificate in it (" + ec.message() + ")");
        if (ctx.use_private_key_file(request.clientCert.string(), ssl::context::pem, ec); ec)
            throw Error(ErrorCode::BadInput,
                request.clientCert.string() + ": no PEM private key in it (" + ec.message() + ")");
    }
    return ctx;
}

std::string lowerHex(const unsigned char* bytes, std::size_t size)
{
    static const char* digits = "0123456789abcdef";
    std::string out;
    for (std::size_t i = 0; i < size; ++i) {
        out += digits[bytes[i] >> 4];
        out += digits[bytes[i] & 0xF];
    }
    return out;
}

// The SHA-256 fingerprint of the certificate the server presented; empty if it sent none.
std::string peerFingerprint(SSL* ssl)
{
    X509* cert = SSL_get1_peer_certificate(ssl);
    if (!cert)
        return {};
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    const int ok = X509_digest(cert, EVP_sha256(), digest, &length);
    X509_free(cert);
    return ok == 1 ? lowerHex(digest, length) : std::string();
}

using Stream = beast::ssl_stream<beast::tcp_stream>;

// Resolves, connects and shakes hands, and checks the server (by CA, or by its fingerprint before
// anything is sent); the first failing step leaves its name in `failedStep` and its code in `ec`.
asio::awaitable<void> connectChecked(Stream& stream, const Url& url, const HttpsRequest& request,
    Clock::time_point deadline, HttpsReply& reply, bool& pinMismatch, std::string& failedStep,
    beast::error_code& ec)
{
    auto executor = co_await asio::this_coro::executor;
    auto token = asio::redirect_error(asio::use_awaitable, ec);
    const std::string where = url.host + ":" + url.port;

    tcp::resolver resolver(executor);
    const auto endpoints = co_await resolver.async_resolve(url.host, url.port, token);
    if (ec) {
        failedStep = "cannot find " + url.host;
        co_return;
    }
    auto& tcpStream = beast::get_lowest_layer(stream);
    tcpStream.expires_at(deadline);
    co_await tcpStream.async_connect(endpoints, token);
    if (ec) {
        failedStep = "cannot connect to " + where;
        co_return;
    }
    // SNI (for names only, as RFC 6066 says), and the certificate must name the host we asked for.
    beast::error_code notAnAddress;
    asio::ip::make_address(url.host, notAnAddress);
    if (notAnAddress && !SSL_set_tlsext_host_name(stream.native_handle(), url.host.c_str())) {
        ec = beast::error_code(static_cast<int>(::ERR_get_error()), asio::error::get_ssl_category());
        failedStep = "cannot set the TLS server name for " + url.host;
        co_return;
    }
    if (!request.ca.empty())
        stream.set_verify_callback(ssl::host_name_verification(url.host), ec);
    tcpStream.expires_at(deadline);
    co_await stream.async_handshake(ssl::stream_base::client, token);
    if (ec) {
        failedStep = "TLS handshake with " + where + " failed";
        co_return;
    }
    reply.serverSha256 = peerFingerprint(stream.native_handle());
    if (request.ca.empty()
        && (reply.serverSha256.empty()
            || (!request.pinnedSha256.empty() && reply.serverSha256 != request.pinnedSha256)))
        pinMismatch = true; // not a byte is sent to a server we do not know
}

// The whole exchange; the first failing step leaves its name in `failedStep` and its code in `ec`.
asio::awaitable<void> exchange(ssl::context& ctx, const Url& url, const HttpsRequest& request,
    Clock::time_point deadline, HttpsReply& reply, bool& pinMismatch, std::string& failedStep,
    beast::error_code& ec)
{
    auto executor = co_await asio::this_coro::executor;
    auto token = asio::redirect_error(asio::use_awaitable, ec);
    const std::string where = url.host + ":" + url.port;
    Stream stream(executor, ctx);
    auto& tcpStream = beast::get_lowest_layer(stream);
    co_await connectChecked(stream, url, request, deadline, reply, pinMismatch, failedStep, ec);
    if (ec || pinMismatch || !failedStep.empty())
        co_return;

    http::request<http::string_body> req { request.method == "GET" ? http::verb::get : http::verb::post,
        url.target, 11 };
    req.set(http::field::host, url.host);
    req.set(http::field::user_agent, "Familieplan");
    if (!request.contentType.empty())
        req.set(http::field::content_type, request.contentType);
    for (const auto& [name, value] : request.headers)
        req.set(name, value);
    if (request.method != "GET" || !request.body.empty()) {
        req.body() = request.body;
        req.prepare_payload();
    }
    tcpStream.expires_at(deadline);
    co_await http::async_write(stream, req, token);
    if (ec) {
        failedStep = "cannot send the request to " + where;
        co_return;
    }
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(request.maxReplyBytes);
    tcpStream.expires_at(deadline);
    co_await http::async_read(stream, buffer, parser, token);
    if (ec) {
        failedStep = "no complete answer from " + where;
        co_return;
    }
    reply.status = static_cast<int>(parser.get().result_int());
    reply.body = parser.get().body();
    if (const auto it = parser.get().find(http::field::retry_after); it != parser.get().end())
        reply.retryAfter = std::string(it->value());

    // A polite close, bounded; its outcome changes nothing about the answer we have.
    beast::error_code ignored;
    tcpStream.expires_after(std::chrono::seconds(2));
    co_await stream.async_shutdown(asio::redirect_error(asio::use_awaitable, ignored));
}

} // namespace

std::string normalizeSha256Fingerprint(const std::string& text, const std::string& what)
{
    std::string hex;
    for (const char c : text) {
        if (c == ':')
            continue;
        if (!std::isxdigit(static_cast<unsigned char>(c)))
            throw Error(
                ErrorCode::BadInput, what + ": '" + text + "' is not a SHA-256 fingerprint (64 hex digits)");
        hex += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    if (hex.size() != 64)
        throw Error(
            ErrorCode::BadInput, what + ": '" + text + "' is not a SHA-256 fingerprint (64 hex digits)");
    return hex;
}

namespace {

HttpsRequest withNormalizedPin(HttpsRequest request)
{
    if (!request.pinnedSha256.empty())
        request.pinnedSha256 = normalizeSha256Fingerprint(request.pinnedSha256, "pinned certificate");
    return request;
}

// The network's error codes end here; above this line there is only fplan::Error.
void throwFailure(const HttpsRequest& request, const HttpsReply& reply, bool pinMismatch,
    const std::string& failedStep, const beast::error_code& ec)
{
    if (pinMismatch)
        throw Error(ErrorCode::Conflict,
            request.url + ": the server's certificate has changed: pinned SHA-256 " + request.pinnedSha256
                + ", the server presents " + (reply.serverSha256.empty() ? "none" : reply.serverSha256)
                + "; refused, nothing was sent");
    if (ec == beast::error::timeout)
        throw Error(ErrorCode::Network,
            failedStep + ": no answer within " + std::to_string(request.timeout.count()) + " ms");
    if (ec || !failedStep.empty())
        throw Error(ErrorCode::Network, failedStep + ": " + ec.message());
}

} // namespace

HttpsReply sendHttps(const HttpsRequest& given)
{
    if (given.method != "GET" && given.method != "POST")
        throw Error(ErrorCode::Internal, "HTTPS method '" + given.method + "' is not supported");
    const HttpsRequest request = withNormalizedPin(given);
    const Url url = parseUrl(request.url);
    ssl::context ctx = makeContext(request);
    asio::io_context ioc;
    HttpsReply reply;
    std::string failedStep;
    beast::error_code ec;
    bool pinMismatch = false;
    std::exception_ptr thrown;
    const auto deadline = Clock::now() + request.timeout;
    asio::co_spawn(ioc, exchange(ctx, url, request, deadline, reply, pinMismatch, failedStep, ec),
        [&](std::exception_ptr e) { thrown = e; });
    ioc.run();
    if (thrown) {
        try {
            std::rethrow_exception(thrown);
        } catch (const std::exception& e) {
            throw Error(ErrorCode::Network, request.url + ": " + e.what());
        }
    }
    throwFailure(request, reply, pinMismatch, failedStep, ec);
    return reply;
}

struct WebSocketClient::Impl {
    std::mutex mutex;
    asio::io_context* running = nullptr; // the io_context of the run() in progress
    bool stopped = false;
    std::deque<std::string> outbox; // frames for the channel that is up
    std::shared_ptr<asio::steady_timer> wake; // the writer's, while a channel is up
};

WebSocketClient::WebSocketClient()
    : m_impl(std::make_unique<Impl>())
{
}

WebSocketClient::~WebSocketClient() = default;

void WebSocketClient::stop()
{
    std::lock_guard lock(m_impl->mutex);
    m_impl->stopped = true;
    if (m_impl->running)
        m_impl->running->stop();
}

void WebSocketClient::send(std::string text)
{
    std::lock_guard lock(m_impl->mutex);
    if (!m_impl->wake)
        return;
    m_impl->outbox.push_back(std::move(text));
    asio::post(*m_impl->running, [wake = m_impl->wake] { wake->cancel(); }); // keeps it alive
}

int WebSocketClient::run(const HttpsRequest& given, const std::function<void()>& onOpen,
    const std::function<void(const std::string&)>& onText, std::chrono::milliseconds idle,
    std::size_t maxFrameBytes)
{
    const HttpsRequest request = withNormalizedPin(given);
    const Url url = parseUrl(request.url);
    ssl::context ctx = makeContext(request);
    asio::io_context ioc;
    {
        std::lock_guard lock(m_impl->mutex);
        if (m_impl->stopped)
            return 0;
        m_impl->running = &ioc;
    }
    HttpsReply reply;
    std::string failedStep;
    beast::error_code ec;
    bool pinMismatch = false;
    int refused = 0;
    std::exception_ptr thrown;
    const auto deadline = Clock::now() + request.timeout;
    auto channel = [&]() -> asio::awaitable<void> {
        auto executor = co_await asio::this_coro::executor;
        auto token = asio::redirect_error(asio::use_awaitable, ec);
        // Shared with the writer, which may still be busy when the reading ends.
        auto channelState = std::make_shared<std::pair<websocket::stream<Stream>, asio::steady_timer>>(
            std::piecewise_construct, std::forward_as_tuple(executor, ctx), std::forward_as_tuple(executor));
        auto& ws = channelState->first;
        co_await connectChecked(ws.next_layer(), url, request, deadline, reply, pinMismatch, failedStep, ec);
        if (ec || pinMismatch || !failedStep.empty())
            co_return;
        beast::get_lowest_layer(ws).expires_never(); // the websocket's own timeouts from here on
        websocket::stream_base::timeout timeouts {};
        timeouts.handshake_timeout = request.timeout;
        timeouts.idle_timeout = idle;
        timeouts.keep_alive_pings = true;
        ws.set_option(timeouts);
        ws.read_message_max(maxFrameBytes);
        ws.set_option(websocket::stream_base::decorator([&request](websocket::request_type& req) {
            req.set(http::field::user_agent, "Familieplan");
            for (const auto& [name, value] : request.headers)
                req.set(name, value);
        }));
        websocket::response_type response;
        co_await ws.async_handshake(response, url.host + ":" + url.port, url.target, token);
        if (ec) {
            if (ec == websocket::error::upgrade_declined && response.result_int() != 101) {
                refused = static_cast<int>(response.result_int());
                ec = {};
            } else
                failedStep = "the WebSocket upgrade at " + request.url + " failed";
            co_return;
        }
        {
            std::lock_guard lock(m_impl->mutex);
            m_impl->outbox.clear();
            m_impl->wake = std::shared_ptr<asio::steady_timer>(channelState, &channelState->second);
        }
        // Frames from send(), one write at a time; it ends when the reading below ends.
        auto writer = [](Impl* impl, auto state) -> asio::awaitable<void> {
            beast::error_code wec;
            auto wt = asio::redirect_error(asio::use_awaitable, wec);
            for (;;) {
                std::string next;
                bool more = false;
                {
                    std::lock_guard lock(impl->mutex);
                    if (impl->wake.get() != &state->second)
                        co_return;
                    more = !impl->outbox.empty();
                    if (more) {
                        next = std::move(impl->outbox.front());
                        impl->outbox.pop_front();
                    }
                }
                if (!more) {
                    state->second.expires_at(asio::steady_timer::time_point::max());
                    co_await state->second.async_wait(wt);
                    continue;
                }
                state->first.text(true);
                co_await state->first.async_write(asio::buffer(next), wt);
                if (wec)
                    co_return;
            }
        };
        asio::co_spawn(executor, writer(m_impl.get(), channelState), asio::detached);
        struct EndWriter {
            Impl& impl;
            asio::steady_timer& wake;
            ~EndWriter()
            {
                std::lock_guard lock(impl.mutex);
                if (impl.wake.get() != &wake)
                    return; // run() has ended already (stop()): the io_context is going away
                impl.wake.reset();
                impl.outbox.clear();
                wake.cancel();
            }
        } endWriter { *m_impl, channelState->second };
        onOpen();
        for (;;) {
            beast::flat_buffer buffer;
            co_await ws.async_read(buffer, token);
            if (ec == websocket::error::closed) {
                ec = {};
                co_return;
            }
            if (ec) {
                failedStep = "the WebSocket " + request.url + " was lost";
                co_return;
            }
            if (ws.got_text())
                onText(beast::buffers_to_string(buffer.data()));
        }
    };
    asio::co_spawn(ioc, channel(), [&](std::exception_ptr e) { thrown = e; });
    ioc.run();
    bool stopped = false;
    {
        std::lock_guard lock(m_impl->mutex);
        m_impl->running = nullptr;
        m_impl->wake.reset();
        stopped = m_impl->stopped;
    }
    if (thrown)
        std::rethrow_exception(thrown); // a callback's own exception
    if (stopped)
        return 0;
    throwFailure(request, reply, pinMismatch, failedStep, ec);
    return refused;
}

} // namespace fplan::delivery
