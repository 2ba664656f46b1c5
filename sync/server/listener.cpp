// SPDX-License-Identifier: EUPL-1.2
// The server's one Boost.Beast translation unit (each costs ~35 s to compile).
#include "sync/server/listener.h"

#include "base/error.h"
#include "sync/server/protocol.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <nlohmann/json.hpp>

#include <deque>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

namespace fplan::sync {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using Stream = beast::ssl_stream<beast::tcp_stream>;

constexpr auto HandshakeTimeout = std::chrono::seconds(10);
constexpr auto IdleTimeout = std::chrono::seconds(60);
constexpr auto SessionRecheck = std::chrono::seconds(15);
// Presence shared with other processes is sent again this often; one not heard again in three
// times that is gone (its process ended without saying so).
constexpr auto PresenceRefresh = std::chrono::seconds(20);
constexpr std::uint32_t MaxHeaderBytes = 16 * 1024;

// One connected live channel; all its members are touched only on its strand.
struct LiveClient : std::enable_shared_from_this<LiveClient> {
    LiveClient(websocket::stream<Stream> s, LiveIdentity id)
        : ws(std::move(s))
        , who(std::move(id))
        , wake(ws.get_executor())
    {
        wake.expires_at(asio::steady_timer::time_point::max());
    }
    websocket::stream<Stream> ws;
    LiveIdentity who;
    asio::steady_timer wake;
    std::deque<std::string> queue;
    std::map<std::string, std::int64_t> sent; // case -> highest seq told
    bool closed = false;
    std::uint64_t number = 0; // tells this channel's presence from another of the same account
};

// What a live client last said it is doing, with the members of that case when it said so (who
// is told, and who is told when it ends). Guarded by the listener's liveMutex.
struct PresenceState {
    PresenceMessage what;
    std::set<std::string> members;
};

// The service's answer, computed on a worker thread: the service blocks (on its storage), and
// while one request waits for its group's commit the network threads go on serving others.
asio::awaitable<Response> handleOn(Service& service, Request request)
{
    co_return service.handle(request);
}

asio::awaitable<std::variant<LiveIdentity, Response>> acceptLiveOn(Service& service, Request request)
{
    co_return service.acceptLive(request);
}

asio::awaitable<std::vector<std::string>> caseMembersOn(Service& service, std::string caseId)
{
    co_return service.caseMembers(caseId);
}

// Another process's live client, as far as its presence goes: `number` is this process's number
// for it (what its frames carry here), `heard` when its process last said where it is.
struct RemotePresence {
    std::uint64_t number = 0;
    std::string account;
    PresenceState state;
    std::chrono::steady_clock::time_point heard;
};

// {"presence": {"client", "account", "case", "doc", "section"}}; doc null: it has left.
std::string presenceFrame(
    std::uint64_t client, const std::string& account, const PresenceMessage& what, bool gone)
{
    nlohmann::json p = { { "client", client }, { "account", account }, { "case", what.caseId } };
    if (gone) {
        p["doc"] = nullptr;
    } else {
        p["doc"] = what.doc;
        p["section"] = what.section;
    }
    return nlohmann::json { { "presence", p } }.dump();
}

} // namespace

struct Listener::Impl {
    Impl(Service& h, const ListenerOptions& o)
        : handler(h)
        , options(o)
        , ssl(ssl::context::tls_server)
        , acceptor(ioc)
        , signals(ioc, SIGINT, SIGTERM)
        , workers(static_cast<std::size_t>(std::max(1, o.workers)))
    {
        ssl.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3
            | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
        // No session resumption: a client keeps its connection instead of resuming one. So the
        // server makes no session tickets, which would cost it two encryptions on every
        // connection and send bytes after the handshake that no request asked for.
        SSL_CTX_set_options(ssl.native_handle(), SSL_OP_NO_TICKET);
        SSL_CTX_set_num_tickets(ssl.native_handle(), 0);
        SSL_CTX_set_session_cache_mode(ssl.native_handle(), SSL_SESS_CACHE_OFF);
        beast::error_code ec;
        ssl.use_certificate_chain_file(o.tls.certificate.string(), ec);
        if (ec)
            throw Error(ErrorCode::BadInput, o.tls.certificate.string() + ": " + ec.message());
        ssl.use_private_key_file(o.tls.privateKey.string(), ssl::context::pem, ec);
        if (ec)
            throw Error(ErrorCode::BadInput, o.tls.privateKey.string() + ": " + ec.message());
        const auto address = asio::ip::make_address(o.address, ec);
        if (ec)
            throw Error(ErrorCode::BadInput, "--listen address '" + o.address + "' is not an IP address");
        const tcp::endpoint endpoint(address, o.port);
        acceptor.open(endpoint.protocol(), ec);
        if (!ec)
            acceptor.set_option(asio::socket_base::reuse_address(true), ec);
        if (!ec)
            acceptor.bind(endpoint, ec);
        if (!ec)
            acceptor.listen(asio::socket_base::max_listen_connections, ec);
        if (ec)
            throw Error(ErrorCode::Network,
                "cannot listen on " + o.address + ":" + std::to_string(o.port) + ": " + ec.message());
    }

    asio::awaitable<void> accept()
    {
        for (;;) {
            beast::error_code ec;
            auto socket = co_await acceptor.async_accept(
                asio::make_strand(ioc), asio::redirect_error(asio::use_awaitable, ec));
            if (ec) {
                if (ec == asio::error::operation_aborted || !acceptor.is_open())
                    co_return;
                continue;
            }
            auto executor = socket.get_executor();
            asio::co_spawn(executor, session(Stream(std::move(socket), ssl)), asio::detached);
        }
    }

    static Request toRequest(const http::request<http::string_body>& req)
    {
        return { std::string(req.method_string()), std::string(req.target()),
            std::string(req[http::field::authorization]), req.body() };
    }

    static http::response<http::string_body> toResponse(const Response& r, unsigned version, bool keepAlive)
    {
        http::response<http::string_body> res { static_cast<http::status>(r.status), version };
        res.set(http::field::server, "fplan-server");
        if (!r.body.empty())
            res.set(http::field::content_type, "application/json");
        for (const auto& [name, value] : r.headers)
            res.set(name, value);
        res.keep_alive(keepAlive);
        res.body() = r.body;
        res.prepare_payload();
        return res;
    }

    asio::awaitable<void> session(Stream stream)
    {
        beast::error_code ec;
        auto t = asio::redirect_error(asio::use_awaitable, ec);
        beast::get_lowest_layer(stream).expires_after(HandshakeTimeout);
        co_await stream.async_handshake(ssl::stream_base::server, t);
        if (ec)
            co_return;
        beast::flat_buffer buffer;
        for (;;) {
            http::request_parser<http::string_body> parser;
            parser.header_limit(MaxHeaderBytes);
            parser.body_limit(MaxBodyBytes);
            beast::get_lowest_layer(stream).expires_after(IdleTimeout);
            co_await http::async_read(stream, buffer, parser, t);
            if (ec) {
                if (ec == http::error::body_limit || ec == http::error::header_limit
                    || ec == http::error::bad_target
                    || ec.category() == http::make_error_code(http::error::bad_method).category()) {
                    const bool tooLarge = ec == http::error::body_limit || ec == http::error::header_limit;
                    const ProtocolError e = tooLarge
                        ? ProtocolError(413, "too_large", "the request is too large")
                        : ProtocolError(400, "bad_request", "not a valid HTTP request");
                    auto res = toResponse({ e.status, errorBody(e), {} }, 11, false);
                    beast::get_lowest_layer(stream).expires_after(HandshakeTimeout);
                    co_await http::async_write(stream, res, t);
                }
                break;
            }
            auto req = parser.release();
            if (websocket::is_upgrade(req) && req.target() == "/v1/live") {
                auto accepted = co_await asio::co_spawn(
                    workers, acceptLiveOn(handler, toRequest(req)), asio::use_awaitable);
                if (auto* who = std::get_if<LiveIdentity>(&accepted)) {
                    beast::get_lowest_layer(stream).expires_never();
                    co_await live(
                        std::make_shared<LiveClient>(websocket::stream<Stream>(std::move(stream)), *who),
                        std::move(req));
                    co_return;
                }
                auto res = toResponse(std::get<Response>(accepted), req.version(), false);
                co_await http::async_write(stream, res, t);
                break;
            }
            const Response response
                = co_await asio::co_spawn(workers, handleOn(handler, toRequest(req)), asio::use_awaitable);
            auto res = toResponse(response, req.version(), req.keep_alive());
            beast::get_lowest_layer(stream).expires_after(IdleTimeout);
            co_await http::async_write(stream, res, t);
            if (ec || !res.keep_alive())
                break;
        }
        beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(2));
        co_await stream.async_shutdown(t);
    }

    asio::awaitable<void> live(std::shared_ptr<LiveClient> client, http::request<http::string_body> req)
    {
        beast::error_code ec;
        auto t = asio::redirect_error(asio::use_awaitable, ec);
        client->ws.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
        client->ws.read_message_max(4096);
        co_await client->ws.async_accept(req, t);
        if (ec)
            co_return;
        {
            std::lock_guard lock(liveMutex);
            client->number = ++liveNumbers;
            liveClients.insert(client);
            // Who else is where, as far as this account may know.
            for (const auto& [other, state] : presences)
                if (state.members.count(client->who.account))
                    enqueue(client, presenceFrame(other->number, other->who.account, state.what, false));
            for (const auto& [key, remote] : remotePresences)
                if (remote.state.members.count(client->who.account))
                    enqueue(client, presenceFrame(remote.number, remote.account, remote.state.what, false));
        }
        asio::co_spawn(client->ws.get_executor(), writer(client), asio::detached);
        // The client sends pings (answered inside Beast) and presence frames; anything else ends
        // the channel.
        for (;;) {
            beast::flat_buffer buffer;
            co_await client->ws.async_read(buffer, t);
            if (ec)
                break;
            std::optional<PresenceMessage> said;
            try {
                if (client->ws.got_text())
                    said = decodePresence(beast::buffers_to_string(buffer.data()));
            } catch (const std::exception&) {
                // not a presence frame: the channel ends below
            }
            if (!said) {
                co_await client->ws.async_close(
                    websocket::close_reason(websocket::close_code::policy_error), t);
                break;
            }
            std::set<std::string> members;
            if (!said->caseId.empty()) {
                const auto fresh = co_await asio::co_spawn(
                    workers, caseMembersOn(handler, said->caseId), asio::use_awaitable);
                members.insert(fresh.begin(), fresh.end());
            }
            // Only a member of the case is seen in it; anyone else's word is dropped (and ends
            // what it said before).
            if (said->caseId.empty() || !members.count(client->who.account))
                leave(client);
            else
                announce(client, PresenceState { std::move(*said), std::move(members) });
        }
        leave(client);
        client->closed = true;
        client->wake.cancel();
        std::lock_guard lock(liveMutex);
        liveClients.erase(client);
    }

    // Queues a frame for one client, on its strand (any thread).
    static void enqueue(const std::shared_ptr<LiveClient>& client, std::string frame)
    {
        asio::post(client->ws.get_executor(), [client, frame = std::move(frame)]() mutable {
            if (client->closed)
                return;
            client->queue.push_back(std::move(frame));
            client->wake.cancel();
        });
    }

    // Tells the other channels of the case's members where `client` is now.
    void announce(const std::shared_ptr<LiveClient>& client, PresenceState state)
    {
        std::lock_guard lock(liveMutex);
        if (auto old = presences.find(client.get());
            old != presences.end() && old->second.what.caseId != state.what.caseId)
            tellOthers(client, old->second, true);
        tellOthers(client, state, false);
        presences[client.get()] = std::move(state);
    }

    // Ends what `client` said (the document closed, the channel gone).
    void leave(const std::shared_ptr<LiveClient>& client)
    {
        std::lock_guard lock(liveMutex);
        auto old = presences.find(client.get());
        if (old == presences.end())
            return;
        tellOthers(client, old->second, true);
        presences.erase(old);
    }

    // With liveMutex held: the members' channels here, and the other processes.
    void tellOthers(const std::shared_ptr<LiveClient>& from, const PresenceState& state, bool gone)
    {
        const std::string frame = presenceFrame(from->number, from->who.account, state.what, gone);
        tellMembers(frame, state.members, from.get());
        share(frame);
    }

    // With liveMutex held: the channels here whose account is one of `members`, except `except`.
    void tellMembers(const std::string& frame, const std::set<std::string>& members, const LiveClient* except)
    {
        for (const auto& other : liveClients)
            if (other.get() != except && members.count(other->who.account))
                enqueue(other, frame);
    }

    // Sends a frame to the other processes, in the order they were said, off the network threads
    // (the storage blocks).
    void share(std::string frame)
    {
        if (!publishPresence)
            return;
        asio::post(publishStrand, [this, frame = std::move(frame)] {
            try {
                publishPresence(frame);
            } catch (const std::exception& e) {
                std::cerr << "presence not shared with the other processes: " << e.what() << std::endl;
            }
        });
    }

    // Another process's client said where it is (a frame as presenceFrame makes). Called from the
    // storage's thread; looks the case's members up here, as for a client of this process.
    void remotePresence(const std::string& origin, const std::string& frame)
    {
        nlohmann::json p;
        std::pair<std::string, std::uint64_t> key;
        PresenceMessage what;
        std::string account;
        bool gone = false;
        try {
            p = nlohmann::json::parse(frame).at("presence");
            key = { origin, p.at("client").get<std::uint64_t>() };
            account = p.at("account").get<std::string>();
            what.caseId = p.at("case").get<std::string>();
            gone = p.at("doc").is_null();
            if (!gone) {
                what.doc = p.at("doc").get<std::string>();
                what.section = p.value("section", std::string());
            }
        } catch (const std::exception&) {
            return; // not a frame of ours
        }
        std::set<std::string> members;
        {
            std::lock_guard lock(liveMutex);
            const auto known = remotePresences.find(key);
            if (gone) {
                if (known != remotePresences.end()) {
                    tellMembers(presenceFrame(known->second.number, account, known->second.state.what, true),
                        known->second.state.members, nullptr);
                    remotePresences.erase(known);
                }
                return;
            }
            if (known != remotePresences.end() && known->second.state.what.caseId == what.caseId)
                members = known->second.state.members;
        }
        if (members.empty()) {
            const auto fresh = handler.caseMembers(what.caseId);
            members.insert(fresh.begin(), fresh.end());
        }
        std::lock_guard lock(liveMutex);
        auto& remote = remotePresences[key];
        if (remote.number == 0) {
            remote.number = ++liveNumbers;
            remote.account = account;
        } else if (remote.state.what.caseId != what.caseId) {
            tellMembers(presenceFrame(remote.number, account, remote.state.what, true), remote.state.members,
                nullptr);
        }
        remote.heard = std::chrono::steady_clock::now();
        const bool moved = remote.state.what.caseId != what.caseId || remote.state.what.doc != what.doc
            || remote.state.what.section != what.section;
        remote.state = { std::move(what), std::move(members) };
        if (moved) // a refresh that says nothing new tells nobody
            tellMembers(presenceFrame(remote.number, account, remote.state.what, false), remote.state.members,
                nullptr);
    }

    // Every PresenceRefresh: says again where this process's clients are, and ends what another
    // process's clients said when it has not said it again in three times that.
    asio::awaitable<void> presenceUpkeep()
    {
        asio::steady_timer timer(ioc);
        for (;;) {
            timer.expires_after(PresenceRefresh);
            beast::error_code ec;
            co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
            if (ec)
                co_return;
            std::lock_guard lock(liveMutex);
            for (const auto& [client, state] : presences)
                share(presenceFrame(client->number, client->who.account, state.what, false));
            const auto stale = std::chrono::steady_clock::now() - 3 * PresenceRefresh;
            for (auto it = remotePresences.begin(); it != remotePresences.end();) {
                if (it->second.heard < stale) {
                    tellMembers(
                        presenceFrame(it->second.number, it->second.account, it->second.state.what, true),
                        it->second.state.members, nullptr);
                    it = remotePresences.erase(it);
                } else {
                    ++it;
                }
            }
        }
    }

    asio::awaitable<void> writer(std::shared_ptr<LiveClient> client)
    {
        beast::error_code ec;
        auto t = asio::redirect_error(asio::use_awaitable, ec);
        auto lastCheck = std::chrono::steady_clock::now();
        while (!client->closed) {
            if (client->queue.empty()) {
                client->wake.expires_after(SessionRecheck);
                co_await client->wake.async_wait(t);
            }
            if (client->closed)
                break;
            if (std::chrono::steady_clock::now() - lastCheck >= SessionRecheck) {
                lastCheck = std::chrono::steady_clock::now();
                if (!handler.sessionValid(client->who)) {
                    client->closed = true;
                    co_await client->ws.async_close(
                        websocket::close_reason(websocket::close_code::policy_error), t);
                    break;
                }
            }
            while (!client->queue.empty() && !client->closed) {
                const std::string message = std::move(client->queue.front());
                client->queue.pop_front();
                client->ws.text(true);
                co_await client->ws.async_write(asio::buffer(message), t);
                if (ec) {
                    client->closed = true;
                    break;
                }
            }
        }
    }

    void notify(const std::string& caseId, std::int64_t seq)
    {
        std::vector<std::shared_ptr<LiveClient>> clients;
        {
            std::lock_guard lock(liveMutex);
            clients.assign(liveClients.begin(), liveClients.end());
        }
        if (clients.empty())
            return;
        const auto members = handler.caseMembers(caseId);
        const std::set<std::string> allowed(members.begin(), members.end());
        const std::string message = nlohmann::json { { "case", caseId }, { "seq", seq } }.dump();
        for (auto& client : clients) {
            if (!allowed.count(client->who.account))
                continue;
            asio::post(client->ws.get_executor(), [client, caseId, seq, message] {
                auto& sent = client->sent[caseId];
                if (client->closed || sent >= seq)
                    return;
                sent = seq;
                client->queue.push_back(message);
                client->wake.cancel();
            });
        }
    }

    Service& handler;
    ListenerOptions options;
    asio::io_context ioc;
    ssl::context ssl;
    tcp::acceptor acceptor;
    asio::signal_set signals;
    std::mutex liveMutex;
    std::set<std::shared_ptr<LiveClient>> liveClients;
    std::map<const LiveClient*, PresenceState> presences;
    std::map<std::pair<std::string, std::uint64_t>, RemotePresence> remotePresences; // (origin, client)
    std::uint64_t liveNumbers = 0;
    asio::thread_pool workers;
    std::function<void(const std::string&)> publishPresence; // set before run()
    asio::strand<asio::thread_pool::executor_type> publishStrand { asio::make_strand(workers) };
};

Listener::Listener(Service& service, const ListenerOptions& options)
    : m_impl(std::make_unique<Impl>(service, options))
{
}

Listener::~Listener() = default;

std::uint16_t Listener::port() const
{
    return m_impl->acceptor.local_endpoint().port();
}

void Listener::run()
{
    auto& impl = *m_impl;
    impl.signals.async_wait([this](const beast::error_code& ec, int) {
        if (!ec)
            stop();
    });
    asio::co_spawn(impl.ioc, impl.accept(), asio::detached);
    if (impl.publishPresence)
        asio::co_spawn(impl.ioc, impl.presenceUpkeep(), asio::detached);
    std::vector<std::thread> threads;
    for (int i = 1; i < std::max(1, impl.options.threads); ++i)
        threads.emplace_back([&impl] { impl.ioc.run(); });
    impl.ioc.run();
    for (auto& thread : threads)
        thread.join();
    impl.workers.join();
}

void Listener::stop()
{
    m_impl->ioc.stop();
}

void Listener::notify(const std::string& caseId, std::int64_t seq)
{
    m_impl->notify(caseId, seq);
}

void Listener::sharePresence(std::function<void(const std::string&)> publish)
{
    m_impl->publishPresence = std::move(publish);
}

void Listener::remotePresence(const std::string& origin, const std::string& frame)
{
    m_impl->remotePresence(origin, frame);
}

} // namespace fplan::sync
