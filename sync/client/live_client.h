// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

namespace fplan::sync {

// "Case X has ops up to N on the server": the live channel's one message.
struct LiveNotice {
    std::string caseId;
    std::int64_t seq = 0;
};

struct LiveOptions {
    std::string server; // https://host:port, as for syncWithServer
    std::filesystem::path ca; // trust this CA; else the server must present `fingerprint`
    std::string fingerprint; // the pinned certificate's SHA-256 (from the store's sync state)
    // The session token to connect with, asked before every connection (a sync may have signed
    // in again in the meantime); empty: no session yet, try again later.
    std::function<std::string()> token;
    // Called on the client's own thread, one call at a time.
    std::function<void(const LiveNotice&)> onNotice;
    // The channel is up (`up`), or was lost or refused (`why` says how; `status` is the HTTP
    // status of a refused upgrade, e.g. 401 for an expired session, else 0). Also on its thread.
    std::function<void(bool up, const std::string& why, int status)> onConnection;
    std::chrono::milliseconds firstRetry { 500 }; // waits between attempts double up to maxRetry
    std::chrono::milliseconds maxRetry { 30000 };
    std::chrono::milliseconds idle { 30000 }; // a channel silent this long (pings unanswered) is lost
    std::chrono::milliseconds connectTimeout { 10000 };
};

// The client side of the live channel (GET /v1/live): a thread of its own keeps a WebSocket
// open to the server, reconnecting with growing waits when it is lost, and hands every notice
// to onNotice. The desktop and `fplan sync --watch` use it the same way: pull when told.
class LiveClient {
public:
    explicit LiveClient(LiveOptions options); // starts connecting at once
    ~LiveClient(); // stop()
    LiveClient(const LiveClient&) = delete;
    LiveClient& operator=(const LiveClient&) = delete;

    // Closes the channel and ends the thread; no callback runs after it returns. Not from a
    // callback.
    void stop();

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

// A live frame {"case": ID, "seq": N}; Error(BadInput) naming what is wrong otherwise.
LiveNotice parseLiveNotice(const std::string& frame);

} // namespace fplan::sync
