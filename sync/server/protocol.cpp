// SPDX-License-Identifier: EUPL-1.2
#include "sync/server/protocol.h"

#include "crypto/hash.h"

#include <charconv>
#include <cstring>
#include <optional>

namespace fplan::sync {

namespace {

ProtocolError badRequest(const std::string& message)
{
    return ProtocolError(400, "bad_request", message);
}

// Walks a JSON text's structure: `structural(i, c)` for each character outside strings,
// `string(begin, end)` for the contents of each string (escapes as written). Strings are skipped
// with memchr: most of a body's bytes are inside them.
template <typename Structural, typename String>
void walkJson(std::string_view body, Structural&& structural, String&& string)
{
    const char* const data = body.data();
    const std::size_t n = body.size();
    for (std::size_t i = 0; i < n; ++i) {
        if (data[i] != '"') {
            structural(i, data[i]);
            continue;
        }
        std::size_t end = i + 1;
        for (;;) {
            const void* quote = std::memchr(data + end, '"', n - end);
            if (!quote) {
                end = n; // unterminated: the parser refuses it
                break;
            }
            end = static_cast<std::size_t>(static_cast<const char*>(quote) - data);
            std::size_t backslashes = 0;
            while (end - backslashes > i + 1 && data[end - backslashes - 1] == '\\')
                ++backslashes;
            if (backslashes % 2 == 0)
                break;
            ++end; // an escaped quote
        }
        string(i + 1, end);
        i = end;
    }
}

// nlohmann's parser recurses per nesting level: refuse deep documents before parsing them.
void checkDepth(std::string_view body)
{
    int depth = 0;
    walkJson(
        body,
        [&](std::size_t, char c) {
            if (c == '[' || c == '{') {
                if (++depth > MaxJsonDepth)
                    throw badRequest(
                        "the JSON body nests deeper than " + std::to_string(MaxJsonDepth) + " levels");
            } else if (c == ']' || c == '}')
                --depth;
        },
        [](std::size_t, std::size_t) {});
}

void onlyMembers(const nlohmann::json& object, std::initializer_list<const char*> allowed, const char* what)
{
    for (const auto& [key, value] : object.items()) {
        bool known = false;
        for (const char* name : allowed)
            known = known || key == name;
        if (!known)
            throw badRequest(std::string(what) + ": unknown member '" + key + "'");
    }
}

// One element of the body's "ops" array as sent, and how many object members it holds at any
// depth (each member is one ':' outside strings).
struct RawElement {
    std::string_view text;
    std::size_t members = 0;
};

// The elements of the top-level "ops" array of a body that parsed as a JSON object, found by
// walking its bytes. Empty when that array is not spelled plainly (an escaped "ops" key): the
// caller then serialises the parsed ops instead. A repeated "ops" counts as the parser does: the
// last one. Only the first top-level value counts: the parser ends the body at a NUL byte, and
// whatever follows it is not what was parsed.
std::optional<std::vector<RawElement>> rawOpElements(std::string_view body)
{
    std::vector<RawElement> elements;
    bool found = false;
    int depth = 0;
    bool inOps = false;
    std::string_view lastTopLevelString; // at depth 1, the last string is the next value's key
    std::size_t elementStart = 0;
    std::size_t members = 0;
    bool ended = false; // the first top-level value is closed
    walkJson(
        body,
        [&](std::size_t i, char c) {
            if (ended)
                return;
            switch (c) {
            case ':':
                if (inOps && depth >= 3)
                    ++members;
                break;
            case '[':
            case '{':
                if (depth == 1 && c == '[' && lastTopLevelString == "ops") {
                    inOps = true;
                    found = true;
                    elements.clear();
                } else if (inOps && depth == 2) {
                    elementStart = i;
                    members = 0;
                }
                ++depth;
                break;
            case ']':
            case '}':
                if (--depth == 0)
                    ended = true;
                if (inOps && depth == 2)
                    elements.push_back({ body.substr(elementStart, i + 1 - elementStart), members });
                else if (inOps && depth == 1)
                    inOps = false;
                break;
            default:
                break;
            }
        },
        [&](std::size_t begin, std::size_t end) {
            if (depth == 1 && !ended)
                lastTopLevelString = body.substr(begin, end - begin);
        });
    if (!found)
        return std::nullopt;
    return elements;
}

// The members of a parsed value's objects, at any depth.
std::size_t memberCount(const nlohmann::json& value)
{
    std::size_t n = value.is_object() ? value.size() : 0;
    if (value.is_structured())
        for (const auto& item : value)
            n += memberCount(item);
    return n;
}

std::int64_t number(std::string_view text, const char* name, std::int64_t max)
{
    std::int64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || text.empty() || value < 0 || value > max)
        throw badRequest(std::string("query parameter '") + name + "' must be a whole number from 0 to "
            + std::to_string(max));
    return value;
}

} // namespace

nlohmann::json parseJsonBody(std::string_view body)
{
    if (body.size() > MaxBodyBytes)
        throw ProtocolError(413, "too_large", "the request body is larger than 8 MiB");
    checkDepth(body);
    auto json = nlohmann::json::parse(body.begin(), body.end(), nullptr, false);
    if (json.is_discarded())
        throw badRequest("the request body is not valid JSON");
    if (!json.is_object())
        throw badRequest("the request body must be a JSON object");
    return json;
}

LoginRequest decodeLogin(std::string_view body)
{
    const auto json = parseJsonBody(body);
    onlyMembers(json, { "user", "password" }, "login");
    if (!json.contains("user") || !json["user"].is_string() || !json.contains("password")
        || !json["password"].is_string())
        throw badRequest("login: 'user' and 'password' must be strings");
    LoginRequest r { json["user"].get<std::string>(), json["password"].get<std::string>() };
    if (r.user.empty() || r.user.size() > 256 || r.password.size() > 1024)
        throw badRequest("login: 'user' must be 1-256 bytes and 'password' at most 1024");
    return r;
}

PresenceMessage decodePresence(std::string_view frame)
{
    const auto json = parseJsonBody(frame);
    onlyMembers(json, { "presence" }, "presence");
    if (!json.contains("presence"))
        throw badRequest("presence: the frame has no 'presence'");
    const auto& p = json["presence"];
    if (p.is_null())
        return {};
    if (!p.is_object())
        throw badRequest("presence: 'presence' must be an object or null");
    onlyMembers(p, { "case", "doc", "section" }, "presence");
    PresenceMessage m;
    for (const auto& [name, target] : { std::pair<const char*, std::string*> { "case", &m.caseId },
             { "doc", &m.doc }, { "section", &m.section } }) {
        const bool optional = std::string_view(name) == "section";
        if (!p.contains(name) ? !optional : !p[name].is_string())
            throw badRequest(std::string("presence: '") + name + "' must be a string");
        if (p.contains(name))
            *target = p[name].get<std::string>();
        if (target->size() > MaxPresenceIdBytes || (!optional && target->empty()))
            throw badRequest(std::string("presence: '") + name + "' must be 1-"
                + std::to_string(MaxPresenceIdBytes) + " bytes");
    }
    return m;
}

PushRequest decodePush(std::string_view body)
{
    auto json = parseJsonBody(body);
    onlyMembers(json, { "ops", "templates" }, "push");
    if (!json.contains("ops") || !json["ops"].is_array())
        throw badRequest("push: 'ops' must be an array");
    if (json["ops"].size() > MaxOpsPerPush)
        throw ProtocolError(413, "too_large", "push: more than " + std::to_string(MaxOpsPerPush) + " ops");
    PushRequest r;
    for (std::size_t i = 0; i < json["ops"].size(); ++i)
        if (!json["ops"][i].is_object())
            throw ProtocolError(400, "bad_op", "push: ops[" + std::to_string(i) + "] is not an object",
                { { "index", i }, { "reason", "not an object" } });
    r.ops = std::move(json["ops"]);
    const auto raw = rawOpElements(body);
    const bool plain = raw && raw->size() == r.ops.size();
    r.opTexts.reserve(r.ops.size());
    for (std::size_t i = 0; i < r.ops.size(); ++i) {
        if (!plain) {
            r.opTexts.push_back(r.ops[i].dump());
            continue;
        }
        // The parser keeps one of two members of the same name; the text would keep both.
        if ((*raw)[i].members != memberCount(r.ops[i])) {
            const auto id = r.ops[i].value("op_id", nlohmann::json());
            throw ProtocolError(400, "bad_op", "push: ops[" + std::to_string(i) + "] names a member twice",
                { { "index", i }, { "op_id", id.is_string() ? id : nlohmann::json("") },
                    { "reason", "a member is named twice" } });
        }
        r.opTexts.emplace_back((*raw)[i].text);
    }
    if (json.contains("templates")) {
        if (!json["templates"].is_object())
            throw badRequest("push: 'templates' must be an object");
        for (const auto& [hash, text] : json["templates"].items()) {
            if (!text.is_string())
                throw ProtocolError(
                    400, "bad_template", "push: template " + hash + " is not a string", { { "hash", hash } });
            const auto& xml = text.get_ref<const std::string&>();
            if (crypto::sha256Hex(xml) != hash)
                throw ProtocolError(400, "bad_template",
                    "push: template key '" + hash + "' is not the SHA-256 of its text", { { "hash", hash } });
            r.templates[hash] = xml;
        }
    }
    return r;
}

PullRequest decodePullQuery(std::string_view query)
{
    PullRequest r;
    bool sawAfter = false;
    bool sawLimit = false;
    while (!query.empty()) {
        const auto amp = query.find('&');
        const auto part = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view {} : query.substr(amp + 1);
        const auto eq = part.find('=');
        if (eq == std::string_view::npos)
            throw badRequest("pull: query part '" + std::string(part.substr(0, 64)) + "' has no value");
        const auto name = part.substr(0, eq);
        const auto value = part.substr(eq + 1);
        if (name == "after" && !sawAfter) {
            r.after = number(value, "after", INT64_MAX / 2);
            sawAfter = true;
        } else if (name == "limit" && !sawLimit) {
            r.limit = static_cast<int>(number(value, "limit", MaxPullLimit));
            if (r.limit == 0)
                throw badRequest("query parameter 'limit' must be from 1 to " + std::to_string(MaxPullLimit));
            sawLimit = true;
        } else
            throw badRequest(
                "pull: unknown or repeated query parameter '" + std::string(name.substr(0, 64)) + "'");
    }
    return r;
}

std::string errorBody(const ProtocolError& error)
{
    nlohmann::json body = error.details.is_object() ? error.details : nlohmann::json::object();
    body["error"] = error.code;
    body["message"] = error.what();
    return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

} // namespace fplan::sync
