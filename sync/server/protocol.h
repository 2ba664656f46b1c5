// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include "core/op_validation.h"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace fplan::sync {

// Limits every decoder applies before anything else (see docs/sync.md).
inline constexpr std::size_t MaxBodyBytes = 8 * 1024 * 1024;
inline constexpr std::size_t MaxOpsPerPush = 5000;
inline constexpr int DefaultPullLimit = 1000;
inline constexpr int MaxPullLimit = 5000;
// A case's history, given to a new team member in one page whatever the limit, is cut here.
inline constexpr int MaxHistoryOps = 1'000'000;
inline constexpr int MaxJsonDepth = 64;

// A request the protocol refuses: the HTTP status, the stable error code and a message for people.
struct ProtocolError : std::runtime_error {
    ProtocolError(int httpStatus, std::string errorCode, const std::string& message,
        nlohmann::json extra = nlohmann::json::object())
        : std::runtime_error(message)
        , status(httpStatus)
        , code(std::move(errorCode))
        , details(std::move(extra))
    {
    }
    int status;
    std::string code;
    nlohmann::json details;
};

struct LoginRequest {
    std::string user;
    std::string password;
};

struct PushRequest {
    std::vector<ReadOp> ops; // each sent as an object; still to be validated (validateOps)
    // Each op as it was sent (the bytes of ops[i] in the body), what the server stores and pulls
    // hand out: no op is serialised again. It holds what ops[i] was read from: an op naming a
    // member twice anywhere in it is refused.
    std::vector<std::string> opTexts;
    std::map<std::string, std::string> templates; // SHA-256 hex -> template text (hash checked)
};

struct PullRequest {
    std::int64_t after = 0;
    int limit = DefaultPullLimit;
};

// What a live client says it is doing: document `doc` of case `caseId` open, writing in
// `section` (empty: only reading). An empty caseId: it has no document open any more.
struct PresenceMessage {
    std::string caseId;
    std::string doc;
    std::string section;
};
inline constexpr std::size_t MaxPresenceIdBytes = 200;

// A live channel's text frame from the client: {"presence": {"case", "doc", "section"}} or
// {"presence": null}; ProtocolError 400 naming what is wrong otherwise.
PresenceMessage decodePresence(std::string_view frame);

// Each throws ProtocolError (400 bad_request, 413 too_large, 400 bad_template).
LoginRequest decodeLogin(std::string_view body);
PushRequest decodePush(std::string_view body);
PullRequest decodePullQuery(std::string_view query); // the part of the target after '?'

// Parses JSON within the limits above (size, nesting); throws ProtocolError 400 / 413.
nlohmann::json parseJsonBody(std::string_view body);

// {"error": code, "message": ..., details...}
std::string errorBody(const ProtocolError& error);

} // namespace fplan::sync
