// SPDX-License-Identifier: EUPL-1.2
// The tests' one Boost.Beast translation unit.
#include "tests/delivery/memo_receiver.h"

#include "delivery/memo.h"

// clang-format off
#include <utility> // first: Asio 1.74's awaitable.hpp uses std::exchange without including it
// clang-format on

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

#include <atomic>
#include <mutex>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <stdexcept>
#include <thread>

namespace fplan::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

struct MemoReceiver::State {
    asio::io_context ioc;
    ssl::context ctx { ssl::context::tls_server };
    tcp::acceptor acceptor { ioc };
    std::thread thread;
    std::atomic<Mode> mode { Mode::Accept };
    std::atomic<long> hangMs { 3000 };

    mutable std::mutex mutex;
    std::map<std::string, int> accepted;
    int requests = 0;
    int refusedHandshakes = 0;
    std::string lastSubject;
    std::string lastBody;
    std::string lastTransactionId;
};

namespace {

std::string peerSubject(SSL* ssl)
{
    X509* cert = SSL_get_peer_certificate(ssl);
    if (!cert)
        return {};
    char buffer[512];
    X509_NAME_oneline(X509_get_subject_name(cert), buffer, sizeof buffer);
    X509_free(cert);
    return buffer;
}

// The state outlives every coroutine: the destructor stops and joins before releasing it.
asio::awaitable<void> serve(MemoReceiver::State* state, tcp::socket socket)
{
    beast::error_code ec;
    auto token = asio::redirect_error(asio::use_awaitable, ec);
    beast::ssl_stream<beast::tcp_stream> stream(std::move(socket), state->ctx);
    beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(10));
    co_await stream.async_handshake(ssl::stream_base::server, token);
    if (ec) {
        std::lock_guard lock(state->mutex);
        ++state->refusedHandshakes;
        co_return;
    }
    beast::flat_buffer buffer;
    http::request_parser<http::string_body> parser;
    parser.body_limit(200 * 1024 * 1024);
    co_await http::async_read(stream, buffer, parser, token);
    if (ec) {
        // With TLS 1.3 a refused client certificate shows up here rather than in the handshake.
        std::lock_guard lock(state->mutex);
        ++state->refusedHandshakes;
        co_return;
    }
    const auto& request = parser.get();
    const std::string uuid = delivery::findMessageUuid(request.body());
    const auto mode = state->mode.load();
    {
        std::lock_guard lock(state->mutex);
        ++state->requests;
        state->lastSubject = peerSubject(stream.native_handle());
        state->lastBody = request.body();
        state->lastTransactionId = std::string(request["x-TransaktionsId"]);
        const bool takes
            = mode == MemoReceiver::Mode::Accept || mode == MemoReceiver::Mode::AcceptThenTimeout;
        if (takes && !uuid.empty())
            ++state->accepted[uuid];
    }
    if (mode == MemoReceiver::Mode::Timeout || mode == MemoReceiver::Mode::AcceptThenTimeout) {
        asio::steady_timer timer(co_await asio::this_coro::executor);
        timer.expires_after(std::chrono::milliseconds(state->hangMs.load()));
        co_await timer.async_wait(token);
        co_return;
    }
    http::response<http::string_body> response;
    response.version(request.version());
    response.keep_alive(false);
    response.set(http::field::content_type, "application/xml");
    switch (mode) {
    case MemoReceiver::Mode::Accept:
        response.result(uuid.empty() ? http::status::bad_request : http::status::ok);
        response.body() = "<kombi_response><status>" + std::string(uuid.empty() ? "no message" : "OK")
            + "</status></kombi_response>";
        break;
    case MemoReceiver::Mode::Refuse5xx:
        response.result(http::status::service_unavailable);
        response.body() = "<fejl>Tjenesten er midlertidigt utilgængelig</fejl>";
        break;
    default:
        response.result(http::status::bad_request);
        response.body() = "<fejl>Ugyldig forespørgsel</fejl>";
        break;
    }
    response.prepare_payload();
    co_await http::async_write(stream, response, token);
    co_await stream.async_shutdown(token);
}

asio::awaitable<void> acceptLoop(MemoReceiver::State* state)
{
    for (;;) {
        beast::error_code ec;
        tcp::socket socket
            = co_await state->acceptor.async_accept(asio::redirect_error(asio::use_awaitable, ec));
        if (ec)
            co_return;
        asio::co_spawn(state->ioc, serve(state, std::move(socket)), asio::detached);
    }
}

} // namespace

MemoReceiver::MemoReceiver(const std::filesystem::path& serverCert, const std::filesystem::path& serverKey,
    const std::filesystem::path& clientCa)
    : m_state(std::make_shared<State>())
{
    auto& ctx = m_state->ctx;
    ctx.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3);
    ctx.use_certificate_chain_file(serverCert.string());
    ctx.use_private_key_file(serverKey.string(), ssl::context::pem);
    ctx.load_verify_file(clientCa.string());
    ctx.set_verify_mode(ssl::verify_peer | ssl::verify_fail_if_no_peer_cert);

    const tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), 0);
    m_state->acceptor.open(endpoint.protocol());
    m_state->acceptor.set_option(tcp::acceptor::reuse_address(true));
    m_state->acceptor.bind(endpoint);
    m_state->acceptor.listen();
    asio::co_spawn(m_state->ioc, acceptLoop(m_state.get()), asio::detached);
    m_state->thread = std::thread([state = m_state.get()] { state->ioc.run(); });
}

MemoReceiver::~MemoReceiver()
{
    m_state->ioc.stop();
    if (m_state->thread.joinable())
        m_state->thread.join();
}

unsigned short MemoReceiver::port() const
{
    return m_state->acceptor.local_endpoint().port();
}
void MemoReceiver::setMode(Mode mode)
{
    m_state->mode = mode;
}
void MemoReceiver::setHang(std::chrono::milliseconds hang)
{
    m_state->hangMs = hang.count();
}

int MemoReceiver::accepted(const std::string& messageUuid) const
{
    std::lock_guard lock(m_state->mutex);
    const auto it = m_state->accepted.find(messageUuid);
    return it == m_state->accepted.end() ? 0 : it->second;
}

std::size_t MemoReceiver::letters() const
{
    std::lock_guard lock(m_state->mutex);
    return m_state->accepted.size();
}

std::map<std::string, int> MemoReceiver::acceptedAll() const
{
    std::lock_guard lock(m_state->mutex);
    return m_state->accepted;
}

int MemoReceiver::requests() const
{
    std::lock_guard lock(m_state->mutex);
    return m_state->requests;
}

int MemoReceiver::refusedHandshakes() const
{
    std::lock_guard lock(m_state->mutex);
    return m_state->refusedHandshakes;
}

std::string MemoReceiver::lastClientSubject() const
{
    std::lock_guard lock(m_state->mutex);
    return m_state->lastSubject;
}

std::string MemoReceiver::lastBody() const
{
    std::lock_guard lock(m_state->mutex);
    return m_state->lastBody;
}

std::string MemoReceiver::lastTransactionId() const
{
    std::lock_guard lock(m_state->mutex);
    return m_state->lastTransactionId;
}

} // namespace fplan::test
