// SPDX-License-Identifier: EUPL-1.2
#include "sync/client/live_client.h"

#include "base/error.h"
#include "core/op.h"
#include "delivery/https_client.h"

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace fplan::sync {

namespace {

bool nonEmptyString(const Json& j, const char* name)
{
    return j.contains(name) && j[name].is_string() && !j[name].get<std::string>().empty();
}

PresenceNotice parsePresence(const Json& p, const std::string& frame)
{
    const auto bad = [&] {
        return Error(ErrorCode::BadInput,
            "live channel: a presence frame other than docs/sync.md says: " + frame.substr(0, 200));
    };
    if (!p.is_object() || !p.contains("client") || !p["client"].is_number_unsigned()
        || !nonEmptyString(p, "account") || !nonEmptyString(p, "case") || !p.contains("doc"))
        throw bad();
    PresenceNotice n;
    n.client = p["client"].get<std::uint64_t>();
    n.account = p["account"].get<std::string>();
    n.caseId = p["case"].get<std::string>();
    if (p["doc"].is_null()) {
        n.gone = true;
        return n;
    }
    if (!nonEmptyString(p, "doc") || (p.contains("section") && !p["section"].is_string()))
        throw bad();
    n.docId = p["doc"].get<std::string>();
    n.section = p.value("section", "");
    return n;
}

} // namespace

std::variant<LiveNotice, PresenceNotice> parseLiveFrame(const std::string& frame)
{
    Json j;
    try {
        j = Json::parse(frame);
    } catch (const Json::exception&) {
        throw Error(ErrorCode::BadInput, "live channel: a frame that is not JSON");
    }
    if (j.is_object() && j.size() == 1 && j.contains("presence"))
        return parsePresence(j["presence"], frame);
    if (!j.is_object() || j.size() != 2 || !nonEmptyString(j, "case") || !j.contains("seq")
        || !j["seq"].is_number_integer() || j["seq"].get<std::int64_t>() < 1)
        throw Error(ErrorCode::BadInput,
            "live channel: a frame other than {\"case\": ID, \"seq\": N}: " + frame.substr(0, 200));
    return LiveNotice { j["case"].get<std::string>(), j["seq"].get<std::int64_t>() };
}

std::string presenceFrame(const std::optional<Presence>& presence)
{
    if (!presence)
        return Json { { "presence", nullptr } }.dump();
    return Json {
        { "presence",
            { { "case", presence->caseId }, { "doc", presence->docId }, { "section", presence->section } } }
    }.dump();
}

struct LiveClient::Impl {
    LiveOptions options;
    delivery::WebSocketClient socket;
    std::mutex mutex;
    std::condition_variable wake;
    bool stopping = false;
    std::optional<Presence> presence; // said again at every connection
    std::thread thread;

    void loop()
    {
        auto wait = options.firstRetry;
        while (!stopRequested()) {
            std::string why;
            int status = 0;
            try {
                const std::string token = options.token ? options.token() : std::string();
                if (token.empty()) {
                    why = "no session yet";
                } else {
                    delivery::HttpsRequest upgrade;
                    upgrade.method = "GET";
                    std::string server = options.server;
                    while (!server.empty() && server.back() == '/')
                        server.pop_back();
                    upgrade.url = server + "/v1/live";
                    upgrade.ca = options.ca;
                    if (options.ca.empty())
                        upgrade.pinnedSha256 = options.fingerprint;
                    upgrade.headers.emplace_back("Authorization", "Bearer " + token);
                    upgrade.timeout = options.connectTimeout;
                    status = socket.run(
                        upgrade,
                        [&] {
                            wait = options.firstRetry; // a channel that came up starts the waits afresh
                            {
                                std::lock_guard lock(mutex);
                                if (presence)
                                    socket.send(presenceFrame(presence));
                            }
                            if (options.onConnection)
                                options.onConnection(true, {}, 0);
                        },
                        [&](const std::string& frame) {
                            const auto parsed = parseLiveFrame(frame);
                            if (const auto* notice = std::get_if<LiveNotice>(&parsed)) {
                                if (options.onNotice)
                                    options.onNotice(*notice);
                            } else if (options.onPresence) {
                                options.onPresence(std::get<PresenceNotice>(parsed));
                            }
                        },
                        options.idle);
                    why = status ? "the server refused the live channel (HTTP " + std::to_string(status) + ")"
                                 : "the server closed the live channel";
                }
            } catch (const std::exception& e) {
                why = e.what();
            }
            if (stopRequested())
                break;
            if (options.onConnection)
                options.onConnection(false, why, status);
            std::unique_lock lock(mutex);
            wake.wait_for(lock, wait, [&] { return stopping; });
            wait = std::min(wait * 2, options.maxRetry);
        }
    }

    bool stopRequested()
    {
        std::lock_guard lock(mutex);
        return stopping;
    }
};

LiveClient::LiveClient(LiveOptions options)
    : m_impl(std::make_unique<Impl>())
{
    m_impl->options = std::move(options);
    m_impl->thread = std::thread([impl = m_impl.get()] { impl->loop(); });
}

LiveClient::~LiveClient()
{
    stop();
}

void LiveClient::setPresence(std::optional<Presence> presence)
{
    std::lock_guard lock(m_impl->mutex);
    if (m_impl->presence == presence)
        return; // nothing new to say
    m_impl->presence = std::move(presence);
    m_impl->socket.send(presenceFrame(m_impl->presence));
}

void LiveClient::stop()
{
    {
        std::lock_guard lock(m_impl->mutex);
        m_impl->stopping = true;
    }
    m_impl->socket.stop();
    m_impl->wake.notify_all();
    if (m_impl->thread.joinable())
        m_impl->thread.join();
}

} // namespace fplan::sync
