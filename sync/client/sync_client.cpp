// SPDX-License-Identifier: EUPL-1.2
#include "sync/client/sync_client.h"

#include "base/error.h"
#include "core/op_validation.h"
#include "crypto/secret_string.h"
#include "delivery/https_client.h"
#include "sync/client/client_state.h"

#include <algorithm>

namespace fplan::sync {

namespace {

constexpr std::size_t MaxReplyBytes = 64u << 20;

std::string withoutTrailingSlash(std::string url)
{
    while (!url.empty() && url.back() == '/')
        url.pop_back();
    return url;
}

// A reply's JSON body, or Error(Network) naming the request: a server that answers garbage
// is as good as no server, and nothing is stored from it.
Json replyJson(const delivery::HttpsReply& reply, const std::string& what)
{
    try {
        return Json::parse(reply.body);
    } catch (const Json::exception&) {
        throw Error(ErrorCode::Network,
            what + " answered HTTP " + std::to_string(reply.status) + " with a body that is not JSON");
    }
}

std::string errorCodeOf(const delivery::HttpsReply& reply)
{
    try {
        const Json j = Json::parse(reply.body);
        if (j.is_object() && j.contains("error") && j["error"].is_string())
            return j["error"].get<std::string>();
    } catch (const Json::exception&) {
    }
    return {};
}

std::string detailOf(const delivery::HttpsReply& reply)
{
    try {
        const Json j = Json::parse(reply.body);
        if (j.is_object() && j.contains("message") && j["message"].is_string())
            return j["message"].get<std::string>();
    } catch (const Json::exception&) {
    }
    std::string text = reply.body.substr(0, 200);
    std::replace(text.begin(), text.end(), '\n', ' ');
    return text;
}

Error unexpected(const delivery::HttpsReply& reply, const std::string& what)
{
    const std::string detail = detailOf(reply);
    return Error(ErrorCode::Network,
        what + " answered HTTP " + std::to_string(reply.status)
            + (detail.empty() ? std::string() : ": " + detail));
}

// The one place where ops from the server become Ops: every op of a page passes the core's op
// validation before any of it is stored.
PulledPage validatePage(const Json& body, std::int64_t cursor, const Store& store, const std::string& what)
{
    if (!body.is_object() || !body.contains("ops") || !body["ops"].is_array() || !body.contains("last")
        || !body["last"].is_number_integer())
        throw Error(ErrorCode::BadInput, what + ": the answer has no \"ops\" array and \"last\" number");
    PulledPage page;
    page.last = body["last"].get<std::int64_t>();
    // Entries come ordered by place ("at", else "seq") and then seq; every place is after the
    // cursor and at most "last".
    std::int64_t previousAt = cursor;
    std::int64_t previousSeq = 0;
    Json ops = Json::array();
    for (const Json& entry : body["ops"]) {
        if (!entry.is_object() || !entry.contains("seq") || !entry["seq"].is_number_integer()
            || !entry.contains("op") || (entry.contains("at") && !entry["at"].is_number_integer()))
            throw Error(ErrorCode::BadInput, what + ": an entry without \"seq\" and \"op\"");
        const auto seq = entry["seq"].get<std::int64_t>();
        const auto at = entry.contains("at") ? entry["at"].get<std::int64_t>() : seq;
        const bool first = ops.empty();
        if (at < seq || at <= cursor || at > page.last || at < previousAt
            || (!first && at == previousAt && seq <= previousSeq))
            throw Error(ErrorCode::BadInput,
                what + ": sequence number " + std::to_string(seq) + " (place " + std::to_string(at)
                    + ") out of order (after " + std::to_string(previousAt) + ", last "
                    + std::to_string(page.last) + ")");
        previousAt = at;
        previousSeq = seq;
        ops.push_back(entry["op"]);
    }
    OpReceiver receiver;
    receiver.caseOfDocument = [&store](const std::string& docId) -> std::optional<std::string> {
        if (const auto doc = store.document(docId))
            return doc->caseId;
        return std::nullopt;
    };
    ValidatedOps checked = validateOps(ops, receiver);
    if (!checked.refused.empty()) {
        const OpRefusal& r = checked.refused.front();
        throw Error(ErrorCode::BadInput,
            what + ": op " + (r.opId.empty() ? std::string("without an id") : r.opId) + " refused ("
                + r.reason + "); nothing of this page was stored");
    }
    page.ops = std::move(checked.ops);
    // The template texts the page's create ops name; a hash no create op names is not ours to keep.
    if (body.contains("templates")) {
        const Json& templates = body["templates"];
        if (!templates.is_object())
            throw Error(ErrorCode::BadInput, what + ": \"templates\" is not an object");
        for (const Op& op : page.ops) {
            if (op.kind != OpKind::Create || !op.value.contains("template_hash"))
                continue;
            const std::string hash = op.value.value("template_hash", "");
            if (hash.empty() || !templates.contains(hash))
                continue;
            if (!templates[hash].is_string())
                throw Error(ErrorCode::BadInput, what + ": template " + hash + " is not a text");
            page.templates.push_back({ hash, op.value.value("template_id", ""),
                op.value.value("template_version", ""), templates[hash].get<std::string>() });
        }
    }
    return page;
}

// The template texts the create ops among `ops` name, for the server to keep with them.
Json templatesFor(const Store& store, const std::vector<Op>& ops)
{
    Json templates = Json::object();
    for (const Op& op : ops) {
        if (op.kind != OpKind::Create || !op.value.is_object())
            continue;
        const std::string hash = op.value.value("template_hash", "");
        if (hash.empty() || templates.contains(hash))
            continue;
        if (auto text = store.templateText(hash))
            templates[hash] = *text;
    }
    return templates;
}

// {"user": ..., "password": ...} in locked memory: the password is never in an ordinary string.
crypto::SecretString loginBody(const std::string& account, const crypto::SecretString& password)
{
    crypto::SecretString body;
    body.append(R"({"user":)");
    body.append(Json(account).dump());
    body.append(R"(,"password":")");
    static constexpr char Hex[] = "0123456789abcdef";
    for (const char c : password.view()) {
        const auto byte = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            body.push_back('\\');
            body.push_back(c);
        } else if (byte < 0x20) {
            body.append("\\u00");
            body.push_back(Hex[byte >> 4]);
            body.push_back(Hex[byte & 0xF]);
        } else {
            body.push_back(c); // UTF-8 as it is
        }
    }
    body.append(R"("})");
    return body;
}

class Session {
public:
    Session(Store& store, const SyncOptions& options, SyncReport& report)
        : m_store(store)
        , m_state(store)
        , m_options(options)
        , m_report(report)
        , m_url(withoutTrailingSlash(options.server))
    {
        if (m_options.account.empty())
            throw Error(ErrorCode::Usage, "the account name (--user) must not be empty");
        m_binding = m_state.binding();
        if (m_binding && (m_binding->url != m_url || m_binding->account != m_options.account))
            throw SyncError(ErrorCode::Conflict, SyncProblem::BoundElsewhere,
                store.path().string() + ": this store syncs with " + m_binding->url + " as "
                    + m_binding->account + ", not with " + m_url + " as " + m_options.account);
        m_report.server = m_url;
        m_report.account = m_options.account;
    }

    void run()
    {
        if (!m_binding || m_binding->token.empty())
            signIn();
        push();
        pull();
        m_report.synced = std::chrono::system_clock::now();
        m_state.recordSynced(m_report.synced);
        m_report.queued = m_state.pendingCount();
        m_binding = m_state.binding();
        m_report.cursor = m_binding->cursor;
        m_report.fingerprint = m_binding->fingerprint;
        for (const auto& id : m_report.casesNew)
            m_report.casesUpdated.erase(id);
    }

private:
    // `secretBody` (a sign-in's) is sent from locked memory, never copied.
    delivery::HttpsReply send(const std::string& method, const std::string& target, const std::string& body,
        bool authorised, std::string_view secretBody = {})
    {
        delivery::HttpsRequest request;
        request.method = method;
        request.url = m_url + target;
        if (!body.empty() || !secretBody.empty())
            request.contentType = "application/json";
        request.body = body;
        request.secretBody = secretBody;
        request.ca = m_options.ca;
        if (m_options.ca.empty() && m_binding)
            request.pinnedSha256 = m_binding->fingerprint;
        if (authorised)
            request.headers.emplace_back("Authorization", "Bearer " + m_binding->token);
        request.timeout = m_options.timeout;
        request.maxReplyBytes = MaxReplyBytes;
        delivery::HttpsReply reply;
        try {
            reply = m_https.send(request);
        } catch (const Error& e) {
            // The transport says Conflict only for a pinned certificate the server no longer has.
            if (e.code() == ErrorCode::Conflict && !request.pinnedSha256.empty())
                throw SyncError(e.code(), SyncProblem::CertificateChanged, e.what());
            throw;
        }
        m_report.connections = m_https.connectionsOpened();
        // A certificate the CA vouches for becomes the new pin.
        if (m_binding && !m_options.ca.empty() && reply.serverSha256 != m_binding->fingerprint) {
            m_state.setFingerprint(reply.serverSha256);
            m_binding->fingerprint = reply.serverSha256;
        }
        return reply;
    }

    // An authorised request; an expired or revoked session signs in again once.
    delivery::HttpsReply call(const std::string& method, const std::string& target, const std::string& body)
    {
        auto reply = send(method, target, body, true);
        if (reply.status == 401) {
            signIn();
            reply = send(method, target, body, true);
        }
        if (reply.status == 401)
            throw Error(
                ErrorCode::Conflict, m_url + target + ": the server refuses the new session (HTTP 401)");
        if (reply.status == 403 && errorCodeOf(reply) == "account_disabled")
            throw SyncError(ErrorCode::Conflict, SyncProblem::AccountDisabled,
                m_url + target + ": the account " + m_options.account + " is disabled");
        return reply;
    }

    void signIn()
    {
        if (!m_options.password)
            throw SyncError(
                ErrorCode::Usage, SyncProblem::SignInNeeded, "a password is needed to sign in to " + m_url);
        const auto reply
            = send("POST", "/v1/login", {}, false, loginBody(m_options.account, m_options.password()).view());
        const std::string what = m_url + "/v1/login";
        const std::string code = errorCodeOf(reply);
        if (reply.status == 401)
            throw SyncError(ErrorCode::WrongPassphrase, SyncProblem::WrongPassword,
                what + ": wrong user name or password for " + m_options.account);
        if (reply.status == 403)
            throw SyncError(ErrorCode::Conflict, SyncProblem::AccountDisabled,
                what + ": the account " + m_options.account + " is disabled");
        if (reply.status == 429)
            throw SyncError(ErrorCode::Conflict, SyncProblem::AccountLocked,
                what + ": the account " + m_options.account + " is locked after failed sign-ins"
                    + (reply.retryAfter.empty() ? std::string()
                                                : "; try again in " + reply.retryAfter + " s"),
                reply.retryAfter);
        if (reply.status != 200)
            throw unexpected(reply, what);
        const Json answer = replyJson(reply, what);
        if (!answer.is_object() || !answer.contains("token") || !answer["token"].is_string()
            || answer["token"].get<std::string>().empty())
            throw Error(ErrorCode::Network, what + ": the answer has no token");
        const std::string token = answer["token"].get<std::string>();
        if (!m_binding) {
            m_state.bind(m_url, m_options.account, reply.serverSha256, token);
            m_report.firstSignIn = true;
        } else {
            m_state.setToken(token);
        }
        m_binding = m_state.binding();
        m_report.signedIn = true;
    }

    void push()
    {
        std::size_t batch = std::max<std::size_t>(1, m_options.pushBatch);
        for (;;) {
            auto ops = m_state.pending(batch);
            if (ops.empty())
                return;
            Json array = Json::array();
            std::size_t bytes = 0;
            for (const Op& op : ops) {
                Json j = toJson(op);
                bytes += j.dump().size();
                if (!array.empty() && bytes > m_options.pushBatchBytes)
                    break;
                array.push_back(std::move(j));
            }
            ops.resize(array.size());
            const Json body = { { "ops", std::move(array) }, { "templates", templatesFor(m_store, ops) } };
            const std::string what = m_url + "/v1/push";
            const auto reply = call("POST", "/v1/push", body.dump());
            if (reply.status == 413 && ops.size() > 1) {
                batch = ops.size() / 2; // the server's limit is lower than ours: smaller pushes
                continue;
            }
            if (reply.status != 200)
                throw pushRefused(reply, what);
            m_report.pushed += m_state.recordHeld(heldFrom(replyJson(reply, what), ops, what));
        }
    }

    Error pushRefused(const delivery::HttpsReply& reply, const std::string& what) const
    {
        const std::string code = errorCodeOf(reply);
        const std::string waiting = "; nothing of this push was stored, "
            + std::to_string(m_state.pendingCount()) + " ops wait in the queue";
        Json j;
        try {
            j = Json::parse(reply.body);
        } catch (const Json::exception&) {
        }
        auto member = [&](const char* name) {
            return j.is_object() && j.contains(name) && j[name].is_string() ? j[name].get<std::string>()
                                                                            : std::string("?");
        };
        if (reply.status == 400 && code == "bad_op")
            return Error(ErrorCode::BadInput,
                what + ": the server refuses op " + member("op_id") + ": " + member("reason") + waiting);
        if (reply.status == 403)
            return Error(ErrorCode::Conflict,
                what + ": the account " + m_options.account + " may not write case " + member("case_id")
                    + " (not on its team)" + waiting);
        return unexpected(reply, what);
    }

    // The server answers one entry per pushed op, in push order; anything else is not trusted.
    static std::vector<HeldOp> heldFrom(
        const Json& answer, const std::vector<Op>& pushed, const std::string& what)
    {
        if (!answer.is_object() || !answer.contains("held") || !answer["held"].is_array()
            || answer["held"].size() != pushed.size())
            throw Error(ErrorCode::Network,
                what
                    + ": the answer does not confirm each pushed op; "
                      "they stay queued");
        std::vector<HeldOp> held;
        for (std::size_t i = 0; i < pushed.size(); ++i) {
            const Json& h = answer["held"][i];
            if (!h.is_object() || !h.contains("id") || !h["id"].is_string() || h["id"] != pushed[i].id
                || !h.contains("seq") || !h["seq"].is_number_integer())
                throw Error(ErrorCode::Network,
                    what + ": the answer does not confirm op " + pushed[i].id + "; it stays queued");
            held.push_back({ pushed[i].id, h["seq"].get<std::int64_t>() });
        }
        return held;
    }

    void pull()
    {
        for (;;) {
            const std::int64_t cursor = m_binding->cursor;
            const std::string target = "/v1/pull?after=" + std::to_string(cursor)
                + "&limit=" + std::to_string(m_options.pullLimit);
            const std::string what = m_url + target;
            const auto reply = call("GET", target, {});
            if (reply.status == 409 && errorCodeOf(reply) == "cursor_ahead")
                throw Error(ErrorCode::Conflict,
                    what
                        + ": the server has fewer ops than this store has already "
                          "pulled from it (was it restored from an older backup?)");
            if (reply.status != 200)
                throw unexpected(reply, what);
            const Json answer = replyJson(reply, what);
            const PulledPage page = validatePage(answer, cursor, m_store, what);
            const PullApplied applied = m_state.applyPulled(page);
            m_report.pulled += applied.newOps;
            m_report.casesNew.insert(applied.newCases.begin(), applied.newCases.end());
            m_report.casesUpdated.insert(applied.updatedCases.begin(), applied.updatedCases.end());
            m_binding->cursor = page.last;
            const bool more
                = answer.contains("more") && answer["more"].is_boolean() && answer["more"].get<bool>();
            if (!more)
                return;
            if (page.ops.empty())
                throw Error(ErrorCode::Network, what + ": the server says there is more but sent nothing");
        }
    }

    Store& m_store;
    ClientState m_state;
    const SyncOptions& m_options;
    SyncReport& m_report;
    std::string m_url;
    std::optional<ServerBinding> m_binding;
    delivery::HttpsClient m_https; // one kept-alive connection for the whole sync
};

} // namespace

Json toJson(const SyncReport& report)
{
    return { { "server", report.server }, { "account", report.account },
        { "fingerprint", report.fingerprint }, { "signed_in", report.signedIn },
        { "first_sign_in", report.firstSignIn }, { "pushed", report.pushed }, { "pulled", report.pulled },
        { "cases_new", report.casesNew }, { "cases_updated", report.casesUpdated },
        { "queued", report.queued }, { "cursor", report.cursor } };
}

SyncProblem problemOf(const std::exception& e)
{
    if (const auto* s = dynamic_cast<const SyncError*>(&e))
        return s->problem();
    if (const auto* err = dynamic_cast<const Error*>(&e); err && err->code() == ErrorCode::Network)
        return SyncProblem::Unreachable;
    return SyncProblem::Other;
}

SyncReport syncWithServer(Store& store, const SyncOptions& options)
{
    SyncReport report;
    Session session(store, options, report);
    session.run();
    return report;
}

} // namespace fplan::sync
