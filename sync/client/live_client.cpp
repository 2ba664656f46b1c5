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

LiveNotice parseLiveNotice(const std::string& frame)
{
    Json j;
    try {
        j = Json::parse(frame);
    } catch (const Json::exception&) {
        throw Error(ErrorCode::BadInput, "live channel: a frame that is not JSON");
    }
    if (!j.is_object() || j.size() != 2 || !j.contains("case") || !j["case"].is_string()
        || j["case"].get<std::string>().empty() || !j.contains("seq") || !j["seq"].is_number_integer()
        || j["seq"].get<std::int64_t>() < 1)
        throw Error(ErrorCode::BadInput,
            "live channel: a frame other than {\"case\": ID, \"seq\": N}: " + frame.substr(0, 200));
    return { j["case"].get<std::string>(), j["seq"].get<std::int64_t>() };
}

struct LiveClient::Impl {
    LiveOptions options;
    delivery::WebSocketClient socket;
    std::mutex mutex;
    std::condition_variable wake;
    bool stopping = false;
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
                            if (options.onConnection)
                                options.onConnection(true, {}, 0);
                        },
                        [&](const std::string& frame) {
                            const LiveNotice notice = parseLiveNotice(frame);
                            if (options.onNotice)
                                options.onNotice(notice);
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
