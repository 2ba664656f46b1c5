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
#include <map>
#include <mutex>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <poll.h>
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

// Built per connection: certificates may be replaced between connections.
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
    // A request's header and body go out as separate TLS records: without this, Nagle's algorithm
    // holds the body back until the server acknowledges the header (up to 40 ms per request).
    tcpStream.socket().set_option(tcp::no_delay(true), ec);
    ec = {};
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

// An open connection to one server, kept for the next request while the server keeps it open.
struct Connection {
    std::unique_ptr<ssl::context> ctx; // outlives the stream
    std::unique_ptr<Stream> stream;
    std::string serverSha256; // checked when it was opened
    Clock::time_point lastUsed;
};

// What a connection may be reused for: the same server, checked the same way, with the same
// client certificate (the pin is compared again on every request).
std::string connectionKey(const Url& url, const HttpsRequest& request)
{
    return url.host + '\n' + url.port + '\n' + request.ca.string() + '\n' + request.clientCert.string();
}

// A polite TLS close, bounded; its outcome changes nothing.
asio::awaitable<void> shutdown(Stream& stream)
{
    beast::error_code ignored;
    beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(2));
    co_await stream.async_shutdown(asio::redirect_error(asio::use_awaitable, ignored));
}

// Whether a kept connection may carry the next request: idle for less than `idleLimit` (well
// below a server's idle timeout) and not closed by the server meanwhile (an idle connection
// with something to read has been closed or broken by the server: nothing else comes unasked).
bool stillOpen(Connection& connection, std::chrono::milliseconds idleLimit)
{
    if (Clock::now() - connection.lastUsed > idleLimit)
        return false;
    pollfd fd { beast::get_lowest_layer(*connection.stream).socket().native_handle(), POLLIN | POLLRDHUP, 0 };
    return ::poll(&fd, 1, 0) == 0;
}

// What one request ended with; the first failing step leaves its name in `failedStep` and its code
// in `ec`.
struct Outcome {
    HttpsReply reply;
    bool pinMismatch = false;
    bool keepAlive = false;
    std::string failedStep;
    beast::error_code ec;
    bool failed() const { return ec || pinMismatch || !failedStep.empty(); }
};

// One request on `connection` (opened first when it has no stream).
asio::awaitable<void> exchange(Connection& connection, const Url& url, const HttpsRequest& request,
    Clock::time_point deadline, Outcome& outcome)
{
    auto executor = co_await asio::this_coro::executor;
    auto& ec = outcome.ec;
    auto token = asio::redirect_error(asio::use_awaitable, ec);
    const std::string where = url.host + ":" + url.port;
    if (!connection.stream) {
        connection.stream = std::make_unique<Stream>(executor, *connection.ctx);
        co_await connectChecked(*connection.stream, url, request, deadline, outcome.reply,
            outcome.pinMismatch, outcome.failedStep, ec);
        if (outcome.failed())
            co_return;
        connection.serverSha256 = outcome.reply.serverSha256;
    } else {
        outcome.reply.serverSha256 = connection.serverSha256;
        if (request.ca.empty() && !request.pinnedSha256.empty()
            && connection.serverSha256 != request.pinnedSha256) {
            outcome.pinMismatch = true;
            co_return;
        }
    }
    auto& stream = *connection.stream;
    auto& tcpStream = beast::get_lowest_layer(stream);

    // The body goes out from the caller's memory (no copy: it may be a secret).
    const std::string_view body
        = request.secretBody.empty() ? std::string_view(request.body) : request.secretBody;
    http::request<http::span_body<const char>> req {
        request.method == "GET" ? http::verb::get : http::verb::post, url.target, 11
    };
    req.set(http::field::host, url.host);
    req.set(http::field::user_agent, "Familieplan");
    if (!request.contentType.empty())
        req.set(http::field::content_type, request.contentType);
    for (const auto& [name, value] : request.headers)
        req.set(name, value);
    if (request.method != "GET" || !body.empty()) {
        req.body() = beast::span<const char>(body.data(), body.size());
        req.prepare_payload();
    }
    req.keep_alive(true);
    tcpStream.expires_at(deadline);
    co_await http::async_write(stream, req, token);
    if (ec) {
        outcome.failedStep = "cannot send the request to " + where;
        co_return;
    }
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(request.maxReplyBytes);
    tcpStream.expires_at(deadline);
    co_await http::async_read(stream, buffer, parser, token);
    if (ec) {
        outcome.failedStep = "no complete answer from " + where;
        co_return;
    }
    outcome.reply.status = static_cast<int>(parser.get().result_int());
    outcome.reply.body = std::move(parser.get().body());
    if (const auto it = parser.get().find(http::field::retry_after); it != parser.get().end())
        outcome.reply.retryAfter = std::string(it->value());
    outcome.keepAlive = parser.get().keep_alive() && buffer.size() == 0;
    if (!outcome.keepAlive)
        co_await shutdown(stream);
    else
        tcpStream.expires_never();
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

struct HttpsClient::Impl {
    std::chrono::milliseconds idleLimit;
    asio::io_context ioc;
    std::map<std::string, Connection> connections;
    std::size_t opened = 0;

    // Runs `work` on the io_context until it is done; an exception from it is Error(Network).
    void run(asio::awaitable<void> work, const std::string& url)
    {
        std::exception_ptr thrown;
        ioc.restart();
        asio::co_spawn(ioc, std::move(work), [&](std::exception_ptr e) { thrown = e; });
        ioc.run();
        if (thrown) {
            try {
                std::rethrow_exception(thrown);
            } catch (const Error&) {
                throw;
            } catch (const std::exception& e) {
                throw Error(ErrorCode::Network, url + ": " + e.what());
            }
        }
    }
};

HttpsClient::HttpsClient(std::chrono::milliseconds idleLimit)
    : m_impl(std::make_unique<Impl>())
{
    m_impl->idleLimit = idleLimit;
}

HttpsClient::~HttpsClient()
{
    try {
        close();
    } catch (...) {
        // closing is a courtesy to the server
    }
}

void HttpsClient::close()
{
    auto& m = *m_impl;
    auto connections = std::move(m.connections);
    m.connections.clear();
    m.run(
        [&]() -> asio::awaitable<void> {
            for (auto& [key, connection] : connections)
                if (connection.stream)
                    co_await shutdown(*connection.stream);
        }(),
        "closing connections");
}

std::size_t HttpsClient::connectionsOpened() const
{
    return m_impl->opened;
}

HttpsReply HttpsClient::send(const HttpsRequest& given)
{
    if (given.method != "GET" && given.method != "POST")
        throw Error(ErrorCode::Internal, "HTTPS method '" + given.method + "' is not supported");
    auto& m = *m_impl;
    const HttpsRequest request = withNormalizedPin(given);
    const Url url = parseUrl(request.url);
    const std::string key = connectionKey(url, request);
    const auto deadline = Clock::now() + request.timeout;
    if (auto it = m.connections.find(key); it != m.connections.end() && !stillOpen(it->second, m.idleLimit))
        m.connections.erase(it);
    auto it = m.connections.find(key);
    if (it == m.connections.end()) {
        Connection fresh;
        fresh.ctx = std::make_unique<ssl::context>(makeContext(request)); // may throw: nothing kept
        it = m.connections.emplace(key, std::move(fresh)).first;
        ++m.opened;
    }
    Outcome outcome;
    try {
        m.run(exchange(it->second, url, request, deadline, outcome), request.url);
    } catch (...) {
        m.connections.erase(it);
        throw;
    }
    if (outcome.failed() || !outcome.keepAlive)
        m.connections.erase(it);
    else
        it->second.lastUsed = Clock::now();
    throwFailure(request, outcome.reply, outcome.pinMismatch, outcome.failedStep, outcome.ec);
    return std::move(outcome.reply);
}

HttpsReply sendHttps(const HttpsRequest& request)
{
    HttpsClient client;
    auto reply = client.send(request);
    client.close();
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
