// SPDX-License-Identifier: EUPL-1.2
#include "sync/server/protocol.h"

#include "crypto/hash.h"

#include <algorithm>
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

// The elements of the top-level "ops" array of a body that parsed as a JSON object, as sent,
// found by walking its bytes. Empty when that array is not spelled plainly (an escaped "ops"
// key): the caller then writes the parsed ops out instead. A repeated "ops" counts as the parser
// does: the last one. Only the first top-level value counts: the parser ends the body at a NUL
// byte, and whatever follows it is not what was parsed.
std::optional<std::vector<std::string_view>> rawOpElements(std::string_view body)
{
    std::vector<std::string_view> elements;
    bool found = false;
    int depth = 0;
    bool inOps = false;
    std::string_view lastTopLevelString; // at depth 1, the last string is the next value's key
    std::size_t elementStart = 0;
    bool ended = false; // the first top-level value is closed
    walkJson(
        body,
        [&](std::size_t i, char c) {
            if (ended)
                return;
            switch (c) {
            case '[':
            case '{':
                if (depth == 1 && c == '[' && lastTopLevelString == "ops") {
                    inOps = true;
                    found = true;
                    elements.clear();
                } else if (inOps && depth == 2)
                    elementStart = i;
                ++depth;
                break;
            case ']':
            case '}':
                if (--depth == 0)
                    ended = true;
                if (inOps && depth == 2)
                    elements.push_back(body.substr(elementStart, i + 1 - elementStart));
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

// A push body read in one pass of the JSON parser's events: each op goes straight into an
// OpReader, without the tree of the whole body that a parse builds (and frees) first. Values
// below an op's members (and the templates) are built as JSON. What is wrong is noted and
// reported after the parse, in a fixed order (take), so that a body that is not
// JSON at all is refused as such.
class PushReader {
public:
    bool null() { return value(nullptr); }
    bool boolean(bool b) { return value(b); }
    bool number_integer(std::int64_t n) { return value(n); }
    bool number_unsigned(std::uint64_t n) { return value(n); }
    bool number_float(double d, const std::string&) { return value(d); }
    bool string(std::string& s) { return value(std::move(s)); }
    bool binary(nlohmann::json::binary_t&) { return false; } // not in JSON text
    bool start_object(std::size_t) { return open(nlohmann::json::object()); }
    bool start_array(std::size_t) { return open(nlohmann::json::array()); }
    bool end_object() { return close(); }
    bool end_array() { return close(); }
    bool key(std::string& k)
    {
        if (!m_building.empty()) {
            if (m_building.back().contains(k))
                m_twice = true;
            m_keys.back() = std::move(k);
        } else if (m_level == Body) {
            m_key = std::move(k);
            if (m_key == "ops") { // a repeated member counts as the parser's tree would: the last
                m_ops.clear();
                m_opsArray = false;
                m_count = 0;
                m_notObject.reset();
                m_namedTwice.reset();
            } else if (m_key != "templates" && !m_unknown)
                m_unknown = m_key;
        } else if (m_level == OneOp) {
            m_twice = m_twice
                || std::find(m_opMembers.begin(), m_opMembers.end(), std::string_view(k))
                    != m_opMembers.end();
            m_opMembers.push_back(k);
            m_member = std::move(k);
        }
        return true;
    }
    bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&)
    {
        m_invalid = true;
        return false;
    }

    // Throws the first problem found (as decodePush documents), or returns the request.
    PushRequest take(std::string_view body) &&
    {
        if (m_invalid || m_level != Done)
            throw badRequest("the request body is not valid JSON");
        if (!m_bodyIsObject)
            throw badRequest("the request body must be a JSON object");
        if (m_unknown)
            throw badRequest("push: unknown member '" + *m_unknown + "'");
        if (!m_opsArray)
            throw badRequest("push: 'ops' must be an array");
        if (m_count > MaxOpsPerPush)
            throw ProtocolError(
                413, "too_large", "push: more than " + std::to_string(MaxOpsPerPush) + " ops");
        if (m_notObject)
            throw ProtocolError(400, "bad_op",
                "push: ops[" + std::to_string(*m_notObject) + "] is not an object",
                { { "index", *m_notObject }, { "reason", "not an object" } });
        if (m_namedTwice)
            throw ProtocolError(400, "bad_op",
                "push: ops[" + std::to_string(m_namedTwice->first) + "] names a member twice",
                { { "index", m_namedTwice->first }, { "op_id", m_namedTwice->second },
                    { "reason", "a member is named twice" } });
        PushRequest r;
        r.ops = std::move(m_ops);
        const auto raw = rawOpElements(body);
        if (raw && raw->size() == r.ops.size())
            r.opTexts.assign(raw->begin(), raw->end());
        else {
            const auto tree = nlohmann::json::parse(body.begin(), body.end());
            for (const auto& op : tree["ops"])
                r.opTexts.push_back(op.dump());
        }
        if (m_templates) {
            if (!m_templates->is_object())
                throw badRequest("push: 'templates' must be an object");
            for (auto& [hash, text] : m_templates->items()) {
                if (!text.is_string())
                    throw ProtocolError(400, "bad_template", "push: template " + hash + " is not a string",
                        { { "hash", hash } });
                auto& xml = text.get_ref<std::string&>();
                if (crypto::sha256Hex(xml) != hash)
                    throw ProtocolError(400, "bad_template",
                        "push: template key '" + hash + "' is not the SHA-256 of its text",
                        { { "hash", hash } });
                r.templates[hash] = std::move(xml);
            }
        }
        return r;
    }

private:
    // Where the parser is, outside the values being built.
    enum Level { Start, Body, Ops, OneOp, Done };

    bool value(nlohmann::json v)
    {
        if (!m_building.empty()) {
            auto& parent = m_building.back();
            if (parent.is_object())
                parent[m_keys.back()] = std::move(v);
            else
                parent.push_back(std::move(v));
            return true;
        }
        switch (m_level) {
        case Start: // the body is not an object
            m_level = Done;
            break;
        case Body:
            if (m_key == "templates")
                m_templates = std::move(v);
            break; // "ops" as anything but an array, or an unknown member's value
        case Ops:
            if (!m_notObject)
                m_notObject = m_count;
            ++m_count;
            break;
        case OneOp:
            if (!m_reader.set(m_member, std::move(v)) && !m_firstUnknown)
                m_firstUnknown = m_member;
            break;
        case Done:
            break;
        }
        return true;
    }

    bool open(nlohmann::json container)
    {
        if (m_building.empty()) {
            if (m_level == Start && container.is_object()) {
                m_level = Body;
                m_bodyIsObject = true;
                return true;
            }
            if (m_level == Body && m_key == "ops" && container.is_array()) {
                m_level = Ops;
                m_opsArray = true;
                return true;
            }
            if (m_level == Ops && container.is_object()) {
                m_level = OneOp;
                m_reader = OpReader();
                m_firstUnknown.reset();
                m_opMembers.clear();
                m_twice = false;
                return true;
            }
        }
        m_building.push_back(std::move(container));
        m_keys.emplace_back();
        return true;
    }

    bool close()
    {
        if (!m_building.empty()) {
            auto done = std::move(m_building.back());
            m_building.pop_back();
            m_keys.pop_back();
            return value(std::move(done));
        }
        switch (m_level) {
        case OneOp:
            if (m_twice && !m_namedTwice)
                m_namedTwice.emplace(m_count, m_reader.id());
            if (m_count < MaxOpsPerPush)
                m_ops.push_back(readOp(std::move(m_reader), std::move(m_firstUnknown)));
            ++m_count;
            m_level = Ops;
            break;
        case Ops:
            m_level = Body;
            break;
        default:
            m_level = Done;
            break;
        }
        return true;
    }

    Level m_level = Start;
    bool m_invalid = false;
    bool m_bodyIsObject = false;
    std::string m_key; // the body's member being read
    std::optional<std::string> m_unknown; // the body's first member a push does not have
    bool m_opsArray = false;
    std::size_t m_count = 0; // elements of "ops" so far
    std::optional<std::size_t> m_notObject; // the first element that is not an object
    std::optional<std::pair<std::size_t, std::string>> m_namedTwice; // the first such op, and its id
    std::optional<nlohmann::json> m_templates;
    std::vector<ReadOp> m_ops;
    // The op being read.
    OpReader m_reader;
    std::optional<std::string> m_firstUnknown; // its first member ops do not have
    std::string m_member;
    std::vector<std::string> m_opMembers;
    bool m_twice = false; // a member named twice, at any depth
    // Values being built, innermost last, and the key of each object's member being read.
    std::vector<nlohmann::json> m_building;
    std::vector<std::string> m_keys;
};

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

namespace {

// The limits every body is held to before it is parsed.
void checkLimits(std::string_view body)
{
    if (body.size() > MaxBodyBytes)
        throw ProtocolError(413, "too_large", "the request body is larger than 8 MiB");
    checkDepth(body);
}

} // namespace

nlohmann::json parseJsonBody(std::string_view body)
{
    checkLimits(body);
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
    checkLimits(body);
    PushReader reader;
    nlohmann::json::sax_parse(body.begin(), body.end(), &reader);
    return std::move(reader).take(body);
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
