// SPDX-License-Identifier: EUPL-1.2
#include "sync/server/handler.h"

#include "base/error.h"
#include "core/case.h"
#include "core/document.h"
#include "core/op.h"
#include "core/op_validation.h"
#include "crypto/hash.h"
#include "crypto/random.h"
#include "sync/server/protocol.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <iostream>
#include <set>
#include <stdexcept>

namespace fplan::sync {

namespace {

using nlohmann::json;

constexpr int SlowAfterFailures = 3; // from the 3rd failure in a row: wait 2^(n-3) s
constexpr int LockAfterFailures = 10; // from the 10th: locked for LockMs
constexpr std::int64_t LockMs = 15 * 60 * 1000;
constexpr std::int64_t TouchEveryMs = 10 * 1000; // idle time is tracked to this precision

// A case's case document is the one its create op names with the case template.
bool createsCaseDocument(const Op& op)
{
    return op.kind == OpKind::Create && op.value.is_object()
        && op.value.value("template_id", "") == CaseTemplateId;
}

CaseFacts factsFrom(const std::string& caseId, const std::string& caseDocId, const DocumentState& state)
{
    const Case c = caseFromState(caseId, state);
    CaseFacts f { caseId, caseDocId, {}, {} };
    for (const auto& member : c.team)
        if (!member.user.empty())
            f.members.push_back(member.user);
    for (const auto& person : c.people)
        if (!person.cpr.empty())
            f.cprs.push_back(person.cpr);
    std::sort(f.members.begin(), f.members.end());
    f.members.erase(std::unique(f.members.begin(), f.members.end()), f.members.end());
    std::sort(f.cprs.begin(), f.cprs.end());
    f.cprs.erase(std::unique(f.cprs.begin(), f.cprs.end()), f.cprs.end());
    return f;
}

bool isMember(const std::vector<std::string>& members, const std::string& account)
{
    return std::find(members.begin(), members.end(), account) != members.end();
}

Response jsonResponse(int status, const json& body)
{
    return { status, body.dump(-1, ' ', false, json::error_handler_t::replace), {} };
}

ProtocolError unauthorized(const std::string& message)
{
    return ProtocolError(401, "unauthorized", message);
}

struct ForbiddenPush {
    std::string caseId;
};

// A dummy hash with the real cost, so an unknown user takes as long to refuse as a wrong password.
const std::string& dummyPasswordHash()
{
    static const std::string hash = crypto::hashPassword("no account has this password");
    return hash;
}

} // namespace

std::string formatUtcMs(std::int64_t ms)
{
    const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
    std::tm tm {};
    gmtime_r(&seconds, &tm);
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
        tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms % 1000));
    return buffer;
}

Handler::Handler(Storage& storage, HandlerOptions options)
    : m_storage(storage)
    , m_options(std::move(options))
{
}

Handler::~Handler() = default;

std::int64_t Handler::now() const
{
    if (m_options.nowMs)
        return m_options.nowMs();
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

void Handler::onOpsCommitted(std::function<void(const std::string&, std::int64_t)> callback)
{
    std::lock_guard lock(m_callbackMutex);
    m_committed = std::move(callback);
}

void Handler::audit(const std::string& account, const std::string& action, const std::string& caseId,
    const std::vector<std::string>& cprs, const std::string& outcome, const std::string& detail)
{
    m_storage.appendAudit(
        { AuditEntry { 0, formatUtcMs(now()), account, action, caseId, cprs, outcome, detail, {}, {} } });
}

void Handler::addAccount(
    const std::string& name, const std::string& password, const std::string& role, bool cheapHash)
{
    if (name.empty() || name.size() > 256 || name.find_first_of(" \t\r\n") != std::string::npos)
        throw Error(ErrorCode::BadInput, "account name '" + name + "' must be 1-256 bytes without spaces");
    if (role != "admin" && role != "member")
        throw Error(ErrorCode::BadInput, "role '" + role + "' must be admin or member");
    if (password.size() < 8)
        throw Error(ErrorCode::BadInput, "the password for '" + name + "' must have at least 8 characters");
    m_storage.transaction([&] {
        m_storage.addAccount({ name, crypto::hashPassword(password, cheapHash), role, false, 0, 0 });
        audit("", "user_add", "", {}, "ok", name + " (" + role + ")");
    });
}

void Handler::disableAccount(const std::string& name)
{
    m_storage.transaction([&] {
        m_storage.setDisabled(name, true);
        audit("", "user_disable", "", {}, "ok", name);
    });
}

Response Handler::handle(const Request& request)
{
    const auto q = request.target.find('?');
    const std::string path = request.target.substr(0, q);
    const std::string query = q == std::string::npos ? "" : request.target.substr(q + 1);
    try {
        auto requireMethod = [&](const char* method) {
            if (request.method != method)
                throw ProtocolError(405, "method_not_allowed", path + " takes " + method + " only");
        };
        if (path == "/v1/login") {
            requireMethod("POST");
            return login(request);
        }
        if (path == "/v1/logout") {
            requireMethod("POST");
            return logout(authenticate(request, "logout"));
        }
        if (path == "/v1/push") {
            requireMethod("POST");
            return push(authenticate(request, "push", true), request);
        }
        if (path == "/v1/pull") {
            requireMethod("GET");
            return pull(authenticate(request, "pull"), query);
        }
        if (path == "/v1/live")
            throw ProtocolError(426, "upgrade_required", "/v1/live is a WebSocket; send an upgrade request");
        throw ProtocolError(404, "not_found", "no such endpoint: " + path.substr(0, 200));
    } catch (const ProtocolError& e) {
        Response r { e.status, errorBody(e), {} };
        if (e.status == 401)
            r.headers.emplace_back("WWW-Authenticate", "Bearer");
        if (e.details.contains("retry_after_s"))
            r.headers.emplace_back(
                "Retry-After", std::to_string(e.details["retry_after_s"].get<std::int64_t>()));
        return r;
    } catch (const std::exception& e) {
        std::cerr << "fplan-server: " << request.method << " " << path << ": " << e.what() << "\n";
        return jsonResponse(
            500, { { "error", "internal" }, { "message", "the server failed; see its log" } });
    }
}

Response Handler::login(const Request& request)
{
    const auto r = decodeLogin(request.body);
    const auto account = m_storage.account(r.user);
    const auto t = now();
    if (account && account->lockedUntilMs > t) {
        const auto wait = (account->lockedUntilMs - t + 999) / 1000;
        audit(r.user, "login", "", {}, "denied", "locked for " + std::to_string(wait) + " s more");
        throw ProtocolError(
            429, "locked", "too many failed logins; try again later", { { "retry_after_s", wait } });
    }
    const bool ok = crypto::verifyPassword(r.password, account ? account->passwordHash : dummyPasswordHash());
    if (!account || !ok) {
        if (account) {
            const int failed = account->failedLogins + 1;
            std::int64_t until = 0;
            if (failed >= LockAfterFailures)
                until = t + LockMs;
            else if (failed >= SlowAfterFailures)
                until = t + (std::int64_t { 1000 } << (failed - SlowAfterFailures));
            m_storage.setLoginFailures(r.user, failed, until);
        }
        audit(r.user, "login", "", {}, "denied", account ? "wrong password" : "no such account");
        throw ProtocolError(401, "bad_credentials", "wrong user name or password");
    }
    if (account->disabled) {
        audit(r.user, "login", "", {}, "denied", "account disabled");
        throw ProtocolError(403, "account_disabled", "the account '" + r.user + "' is disabled");
    }
    std::uint8_t bytes[32];
    crypto::randomBytes(bytes, sizeof bytes);
    std::string token = crypto::toHex(bytes, sizeof bytes);
    crypto::wipe(bytes, sizeof bytes);
    m_storage.transaction([&] {
        if (account->failedLogins != 0 || account->lockedUntilMs != 0)
            m_storage.setLoginFailures(r.user, 0, 0);
        m_storage.addSession({ crypto::sha256Hex(token), r.user, t, t, false });
        audit(r.user, "login", "", {}, "ok", "");
    });
    return jsonResponse(200,
        { { "token", token }, { "idle_expires_s", m_options.idleTimeoutMs / 1000 },
            { "expires_at", formatUtcMs(t + m_options.absoluteTimeoutMs).substr(0, 19) + "Z" } });
}

std::string Handler::sessionProblem(const Session& s, const std::optional<Account>& account) const
{
    const auto t = now();
    if (s.revoked)
        return "revoked token";
    if (t - s.lastUsedMs > m_options.idleTimeoutMs)
        return "token expired (idle)";
    if (t - s.createdMs > m_options.absoluteTimeoutMs)
        return "token expired";
    if (!account || account->disabled)
        return "account disabled";
    return {};
}

Handler::Caller Handler::authenticate(const Request& request, const std::string& action, bool remembered)
{
    const std::string prefix = "Bearer ";
    const auto& header = request.authorization;
    if (header.rfind(prefix, 0) != 0) {
        audit("", action, "", {}, "denied", "no token");
        throw unauthorized("log in first: no Bearer token");
    }
    const std::string token = header.substr(prefix.size());
    std::uint8_t raw[32];
    if (!crypto::fromHex(token, raw, sizeof raw)) {
        audit("", action, "", {}, "denied", "malformed token");
        throw unauthorized("the token is not 64 hex digits");
    }
    const std::string hash = crypto::sha256Hex(token);
    auto found = remembered ? m_storage.rememberedSession(hash) : std::nullopt;
    if (!found || !sessionProblem(found->session, found->account).empty())
        found = m_storage.sessionWithAccount(hash);
    if (!found) {
        audit("", action, "", {}, "denied", "unknown token");
        throw unauthorized("unknown token; log in again");
    }
    const Session* session = &found->session;
    if (const auto problem = sessionProblem(*session, found->account); !problem.empty()) {
        audit(session->account, action, "", {}, "denied", problem);
        if (problem == "account disabled")
            throw ProtocolError(
                403, "account_disabled", "the account '" + session->account + "' is disabled");
        throw unauthorized(problem + "; log in again");
    }
    if (now() - session->lastUsedMs > TouchEveryMs)
        m_storage.touchSession(hash, now());
    return { session->account, hash };
}

Response Handler::logout(const Caller& caller)
{
    m_storage.transaction([&] {
        m_storage.revokeSession(caller.tokenHash);
        audit(caller.account, "logout", "", {}, "ok", "");
    });
    return { 204, "", {} };
}

Response Handler::push(const Caller& caller, const Request& request)
{
    auto pushed = decodePush(request.body);
    // Every op is checked with the core's validation first (ids, shapes, sizes, clock, and which
    // case each document belongs to, as this server and the push itself know it).
    OpReceiver receiver;
    receiver.caseOfDocument = [this](const std::string& docId) { return m_storage.caseOfDocument(docId); };
    const auto pushedCount = pushed.ops.size();
    auto validated = validateOps(std::move(pushed.ops), receiver);
    auto refuse = [&](std::size_t index, const std::string& opId, const std::string& reason) {
        return ProtocolError(400, "bad_op", "op " + opId + ": " + reason,
            { { "op_id", opId }, { "reason", reason }, { "index", index } });
    };
    if (!validated.refused.empty()) {
        const auto& first = validated.refused.front();
        throw refuse(first.index, first.opId, first.reason);
    }
    std::vector<Op> ops = std::move(validated.ops);
    if (ops.size() != pushedCount)
        throw std::logic_error("push: the validation dropped an op without refusing it");
    std::set<std::string> ids;
    for (std::size_t i = 0; i < ops.size(); ++i) {
        const Op& op = ops[i];
        if (op.author != caller.account)
            throw refuse(
                i, op.id, "author '" + op.author + "' is not the logged-in account '" + caller.account + "'");
        if (!ids.insert(op.id).second)
            throw refuse(i, op.id, "the op id appears twice in this push");
    }
    // Stored as pushed (pushed.opTexts): it passed the validation, which refused the whole push
    // otherwise, so the validated ops are the pushed ones, in order; and a newer program's op
    // keeps what this one does not know.
    const std::vector<std::string>& texts = pushed.opTexts;

    const std::vector<std::string> idList(ids.begin(), ids.end());
    std::vector<std::string> pushedCases;
    for (const auto& op : ops)
        if (std::find(pushedCases.begin(), pushedCases.end(), op.caseId) == pushedCases.end())
            pushedCases.push_back(op.caseId);

    std::vector<std::int64_t> seqs(ops.size(), 0);
    std::vector<std::pair<std::string, std::int64_t>> committed; // case, its last seq
    const auto store = [&](const std::optional<Storage::PushView>& ahead) {
        m_storage.transaction([&] {
            committed.clear(); // the group may run this again
            const auto view = m_storage.pushView(idList, pushedCases, ahead);
            const auto& held = view.held;
            std::vector<std::string> caseOrder;
            std::map<std::string, std::vector<std::size_t>> byCase;
            for (std::size_t i = 0; i < ops.size(); ++i) {
                if (const auto it = held.find(ops[i].id); it != held.end()) {
                    seqs[i] = it->second;
                    continue;
                }
                auto& list = byCase[ops[i].caseId];
                if (list.empty())
                    caseOrder.push_back(ops[i].caseId);
                list.push_back(i);
            }
            std::vector<AuditEntry> entries;
            for (const auto& caseId : caseOrder) {
                const auto& list = byCase[caseId];
                const auto known = view.facts.find(caseId);
                const auto facts
                    = known == view.facts.end() ? std::nullopt : std::optional<CaseFacts>(known->second);
                const bool existed = facts.has_value();
                std::string caseDoc = existed ? facts->caseDocId : "";
                if (caseDoc.empty())
                    for (const auto i : list)
                        if (createsCaseDocument(ops[i])) {
                            caseDoc = ops[i].docId;
                            break;
                        }
                const bool touchesCaseDoc = std::any_of(
                    list.begin(), list.end(), [&](std::size_t i) { return ops[i].docId == caseDoc; });
                std::optional<CaseFacts> newFacts;
                struct AccessChange {
                    std::size_t k; // the op's place in `list`
                    std::string account;
                    bool member;
                };
                std::vector<AccessChange> accessChanges;
                if (!touchesCaseDoc) {
                    if (!existed || !isMember(facts->members, caller.account))
                        throw ForbiddenPush { caseId };
                } else {
                    std::vector<Op> base;
                    for (const auto& stored : m_storage.docOps(caseDoc, 0))
                        base.push_back(opFromJson(json::parse(stored.json)));
                    auto state = DocumentState::fold(base);
                    std::vector<std::string> members = existed ? facts->members : std::vector<std::string> {};
                    for (std::size_t k = 0; k < list.size(); ++k) {
                        const auto i = list[k];
                        // A team change counts from the op that makes it, for writes and reads.
                        if (existed && !isMember(members, caller.account))
                            throw ForbiddenPush { caseId };
                        if (ops[i].docId != caseDoc)
                            continue;
                        state.apply(ops[i]);
                        auto after = factsFrom(caseId, caseDoc, state).members;
                        for (const auto& a : after)
                            if (!isMember(members, a))
                                accessChanges.push_back({ k, a, true });
                        for (const auto& a : members)
                            if (!isMember(after, a))
                                accessChanges.push_back({ k, a, false });
                        members = std::move(after);
                    }
                    newFacts = factsFrom(caseId, caseDoc, state);
                    if (!existed && !isMember(newFacts->members, caller.account))
                        throw ForbiddenPush { caseId };
                }
                std::vector<StoredOp> rows;
                for (const auto i : list)
                    rows.push_back({ 0, ops[i].id, caseId, ops[i].docId, caller.account, texts[i] });
                const auto stored = m_storage.insertOps(rows);
                std::int64_t last = 0;
                for (std::size_t k = 0; k < list.size(); ++k) {
                    seqs[list[k]] = stored[k];
                    last = std::max(last, stored[k]);
                }
                for (const auto& change : accessChanges)
                    m_storage.recordAccess(caseId, change.account, stored[change.k], change.member);
                if (newFacts)
                    m_storage.setCaseFacts(*newFacts);
                for (const auto& [hash, text] : pushed.templates)
                    m_storage.putTemplate(hash, text, caseId, last);
                committed.emplace_back(caseId, last);
                entries.push_back({ 0, formatUtcMs(now()), caller.account, "push", caseId,
                    newFacts ? newFacts->cprs : facts->cprs, "ok", std::to_string(list.size()) + " new ops",
                    {}, {} });
            }
            if (entries.empty())
                entries.push_back({ 0, formatUtcMs(now()), caller.account, "push", "", {}, "ok",
                    std::to_string(ops.size()) + " ops, all held already", {}, {} });
            m_storage.appendAudit(std::move(entries));
        });
    };
    try {
        // Where the storage would read the view across a network under the write lock, it is
        // read before and checked at the commit, with the session the push was authenticated
        // with. A push overtaken meanwhile, or refused on what was read before, runs again with
        // the view read under the lock, and after a stale view also with its session read again.
        auto ahead = m_storage.pushViewAhead(idList, pushedCases);
        if (ahead)
            ahead->session = caller.tokenHash;
        try {
            store(ahead);
        } catch (const Storage::StaleView&) {
            if (!ahead)
                throw;
            authenticate(request, "push");
            store(std::nullopt);
        } catch (const ForbiddenPush&) {
            if (!ahead)
                throw;
            store(std::nullopt);
        }
    } catch (const ForbiddenPush& f) {
        const auto facts = m_storage.caseFacts(f.caseId);
        audit(caller.account, "push", f.caseId, facts ? facts->cprs : std::vector<std::string> {}, "denied",
            "not a member of the case's team");
        throw ProtocolError(403, "forbidden",
            "you are not on the team of case " + f.caseId + "; nothing was stored",
            { { "case_id", f.caseId } });
    }

    std::function<void(const std::string&, std::int64_t)> callback;
    {
        std::lock_guard lock(m_callbackMutex);
        callback = m_committed;
    }
    if (callback)
        for (const auto& [caseId, seq] : committed)
            callback(caseId, seq);

    std::string body = R"({"held":[)";
    for (std::size_t i = 0; i < ops.size(); ++i) {
        if (i)
            body += ',';
        // An op id is letters, digits, '_' and '-' (the validation made sure): nothing to escape.
        body += R"({"id":")" + ops[i].id + R"(","seq":)" + std::to_string(seqs[i]) + "}";
    }
    body += "]}";
    return { 200, std::move(body), {} };
}

Response Handler::pull(const Caller& caller, const std::string& query)
{
    const auto r = decodePullQuery(query);
    const auto last = m_storage.lastSeq();
    if (r.after > last) {
        audit(caller.account, "pull", "", {}, "failed", "cursor " + std::to_string(r.after) + " is ahead");
        throw ProtocolError(409, "cursor_ahead",
            "the cursor " + std::to_string(r.after) + " is beyond this server's last op "
                + std::to_string(last),
            { { "last_seq", last } });
    }
    auto rows = m_storage.opsForAccount(caller.account, r.after, r.limit + 1);
    const bool more = rows.size() > static_cast<std::size_t>(r.limit);
    if (more) {
        // The cursor is a place: ops sharing one (a case's history, given to a new team member
        // at the op that added them) go in one page. Cut before such a group, or, when it
        // starts the page, give all of it.
        const auto cut = rows.back().at;
        rows.pop_back();
        if (rows.back().at == cut) {
            while (!rows.empty() && rows.back().at == cut)
                rows.pop_back();
            if (rows.empty()) {
                rows = m_storage.opsForAccount(caller.account, r.after, MaxHistoryOps);
                while (!rows.empty() && rows.back().at != cut)
                    rows.pop_back();
            }
        }
    }
    std::vector<std::string> cases;
    std::map<std::string, std::size_t> perCase;
    for (const auto& row : rows)
        if (perCase[row.caseId]++ == 0)
            cases.push_back(row.caseId);
    const auto templates = m_storage.templatesFor(cases, r.after);
    const auto lastReturned = rows.empty() ? r.after : rows.back().at;

    std::string body = R"({"ops":[)";
    for (std::size_t i = 0; i < rows.size(); ++i) {
        if (i)
            body += ',';
        body += R"({"seq":)" + std::to_string(rows[i].seq);
        if (rows[i].at != rows[i].seq)
            body += R"(,"at":)" + std::to_string(rows[i].at);
        body += R"(,"op":)" + rows[i].json + "}";
    }
    body += R"(],"templates":)" + json(templates).dump() + R"(,"last":)" + std::to_string(lastReturned)
        + R"(,"more":)" + (more ? "true" : "false") + "}";

    std::vector<AuditEntry> entries;
    for (const auto& caseId : cases) {
        const auto facts = m_storage.caseFacts(caseId);
        entries.push_back({ 0, formatUtcMs(now()), caller.account, "pull", caseId,
            facts ? facts->cprs : std::vector<std::string> {}, "ok",
            std::to_string(perCase[caseId]) + " ops up to " + std::to_string(lastReturned), {}, {} });
    }
    if (entries.empty())
        entries.push_back({ 0, formatUtcMs(now()), caller.account, "pull", "", {}, "ok",
            "no ops after " + std::to_string(r.after), {}, {} });
    m_storage.appendAudit(std::move(entries));
    return { 200, std::move(body), {} };
}

std::variant<LiveIdentity, Response> Handler::acceptLive(const Request& request)
{
    try {
        const auto caller = authenticate(request, "live");
        audit(caller.account, "live", "", {}, "ok", "live channel opened");
        return LiveIdentity { caller.account, caller.tokenHash };
    } catch (const ProtocolError& e) {
        Response r { e.status, errorBody(e), {} };
        if (e.status == 401)
            r.headers.emplace_back("WWW-Authenticate", "Bearer");
        return r;
    }
}

bool Handler::sessionValid(const LiveIdentity& who)
{
    const auto found = m_storage.sessionWithAccount(who.tokenHash);
    return found && sessionProblem(found->session, found->account).empty();
}

std::vector<std::string> Handler::caseMembers(const std::string& caseId)
{
    const auto facts = m_storage.caseFacts(caseId);
    return facts ? facts->members : std::vector<std::string> {};
}

} // namespace fplan::sync
