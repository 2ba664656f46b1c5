// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <variant>

namespace fplan::sync {

// "Case X has ops up to N on the server": the live channel's one message.
struct LiveNotice {
    std::string caseId;
    std::int64_t seq = 0;
};

// Where this client is: document `docId` of case `caseId` open, writing in `section` (a
// top-level section's path in the document's template; empty: only reading).
struct Presence {
    std::string caseId;
    std::string docId;
    std::string section;
    bool operator==(const Presence&) const = default;
};

// Where another client of a member of the same case is; `gone`: it has closed the document or
// its channel. `client` tells two channels of one account apart (the server numbers them).
struct PresenceNotice {
    std::uint64_t client = 0;
    std::string account;
    std::string caseId;
    std::string docId; // empty when gone
    std::string section;
    bool gone = false;
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
    // Another client's presence (on the client's thread). When the channel is lost every
    // presence it told is out of date; when it comes up the server tells the current ones again.
    std::function<void(const PresenceNotice&)> onPresence;
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
    // Tells the server where this client is (nullopt: no document open); said again after every
    // reconnection. Any thread.
    void setPresence(std::optional<Presence> presence);

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

// A live frame: {"case": ID, "seq": N}, or {"presence": {...}} as docs/sync.md describes;
// Error(BadInput) naming what is wrong otherwise.
std::variant<LiveNotice, PresenceNotice> parseLiveFrame(const std::string& frame);
// The frame that says `presence` to the server.
std::string presenceFrame(const std::optional<Presence>& presence);

} // namespace fplan::sync
