// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include "sync/server/storage.h"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace fplan::sync {

// An HTTP request as the network layer hands it over; nothing here knows about sockets.
struct Request {
    std::string method; // "GET", "POST", ...
    std::string target; // "/v1/pull?after=3"
    std::string authorization; // the Authorization header's value
    std::string body;
};

struct Response {
    int status = 200;
    std::string body; // JSON, or empty (204)
    std::vector<std::pair<std::string, std::string>> headers;
};

struct HandlerOptions {
    std::int64_t idleTimeoutMs = 30 * 60 * 1000;
    std::int64_t absoluteTimeoutMs = 12 * 60 * 60 * 1000;
    std::function<std::int64_t()> nowMs; // the clock; the system clock when empty (tests move it)
};

// Who a live channel belongs to, once its upgrade request is accepted.
struct LiveIdentity {
    std::string account;
    std::string tokenHash;
};

// The server's request handling as a function of request and caller: login, logout, push, pull,
// and the checks of the live channel. Thread-safe; the network layer calls it from any thread.
class Handler {
public:
    Handler(Storage& storage, HandlerOptions options = {});
    ~Handler();

    Response handle(const Request& request);

    // The live channel's upgrade request: the account, or the refusal to send instead.
    std::variant<LiveIdentity, Response> acceptLive(const Request& request);
    // Whether a live channel's session is still valid (not expired, revoked or disabled).
    bool sessionValid(const LiveIdentity& who);
    // Members of a case (for the live channel's fan-out), read fresh from the storage.
    std::vector<std::string> caseMembers(const std::string& caseId);

    // Called after every commit that added ops: (case, its highest sequence number).
    void onOpsCommitted(std::function<void(const std::string&, std::int64_t)> callback);

    // Account administration, shared by the command line and the tests.
    void addAccount(const std::string& name, const std::string& password, const std::string& role,
        bool cheapHash = false);
    void disableAccount(const std::string& name);

    Storage& storage() { return m_storage; }

private:
    struct Caller {
        std::string account;
        std::string tokenHash;
    };

    Response login(const Request& request);
    Response logout(const Caller& caller);
    Response push(const Caller& caller, const Request& request);
    Response pull(const Caller& caller, const std::string& query);
    // `remembered`: the storage's remembered session may do (for a push, whose transaction
    // checks it again).
    Caller authenticate(const Request& request, const std::string& action, bool remembered = false);
    // The refusal reason for a session at `now`, or empty when it is usable.
    std::string sessionProblem(const Session& session, const std::optional<Account>& account) const;
    void audit(const std::string& account, const std::string& action, const std::string& caseId,
        const std::vector<std::string>& cprs, const std::string& outcome, const std::string& detail);
    std::int64_t now() const;

    Storage& m_storage;
    HandlerOptions m_options;
    std::mutex m_callbackMutex;
    std::function<void(const std::string&, std::int64_t)> m_committed;
};

// UTC "2026-03-12T09:30:00.123Z" for a time in ms since the epoch.
std::string formatUtcMs(std::int64_t ms);

} // namespace fplan::sync
