// SPDX-License-Identifier: EUPL-1.2
// The shared storage: PostgreSQL through libpq, for several server processes on one database.
// Writes are serialised by one transaction-level advisory lock, so sequence numbers and the audit
// chain are assigned in commit order across all processes; NOTIFY tells the other processes.
#include "base/error.h"
#include "crypto/random.h"
#include "sync/server/storage.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <libpq-fe.h>
#include <mutex>
#include <optional>
#include <poll.h>
#include <thread>
#include <tuple>
#include <type_traits>
#include <unordered_map>

namespace fplan::sync {

namespace {

// The held ones of a list of op ids ($1), and their sequence numbers.
constexpr const char* HeldOps
    = "SELECT o.op_id, o.seq FROM unnest($1::text[]) AS u(op_id) JOIN ops o ON o.op_id = u.op_id";
// The known ones of a list of cases ($1): each with its case document, members and CPR numbers.
constexpr const char* CaseFactsOf
    = "SELECT c.case_id, c.case_doc_id, "
      "(SELECT coalesce(json_agg(account ORDER BY account), '[]') FROM case_members m "
      "WHERE m.case_id = c.case_id)::text, "
      "(SELECT coalesce(json_agg(cpr ORDER BY cpr), '[]') FROM case_persons p WHERE p.case_id = "
      "c.case_id)::text "
      "FROM cases c WHERE c.case_id = ANY($1::text[])";

// Fails with StaleState unless the facts of the cases $1 are still those in $2 (a JSON object:
// each known case's id -> [case document, members, CPR numbers], as CaseFactsOf reads them), and
// unless the session with the token hash $3 (when not empty) is neither revoked nor its account
// disabled.
const std::string ViewUnchanged
    = std::string("SELECT fplan_refuse_stale() WHERE (SELECT coalesce(jsonb_object_agg(f.case_id, "
                  "jsonb_build_array(f.case_doc_id, f.members::jsonb, f.cprs::jsonb)), '{}') FROM (")
    + CaseFactsOf
    + ") AS f(case_id, case_doc_id, members, cprs)) IS DISTINCT FROM $2::jsonb OR ($3::text <> '' AND "
      "NOT EXISTS (SELECT 1 FROM sessions s JOIN accounts a ON a.name = s.account WHERE s.token_hash = "
      "$3::text AND NOT s.revoked AND NOT a.disabled))";

// Inserts the ops $1..$5 (ids, cases, documents, accounts, texts), numbered $6 + 1, $6 + 2, ...
const std::string InsertOps = "INSERT INTO ops(seq, op_id, case_id, doc_id, account, json) "
                              "SELECT $6::bigint + u.n, u.op_id, u.case_id, u.doc_id, u.account, u.json "
                              "FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) "
                              "WITH ORDINALITY AS u(op_id, case_id, doc_id, account, json, n)";
// The same, after listing the documents seen for the first time; fails with MovedState, having
// stored nothing, when a document is listed with another case.
const std::string ListAndInsertOps
    = "WITH listed AS (INSERT INTO documents(doc_id, case_id) "
      "SELECT DISTINCT * FROM unnest($3::text[], $2::text[]) ON CONFLICT DO NOTHING), "
      "moved AS (SELECT d.doc_id, d.case_id FROM (SELECT DISTINCT * FROM unnest($3::text[], $2::text[])) "
      "AS u(doc_id, case_id) JOIN documents d ON d.doc_id = u.doc_id AND d.case_id <> u.case_id LIMIT 1) "
    + InsertOps
    + " WHERE NOT EXISTS (SELECT 1 FROM moved WHERE fplan_refuse_move(moved.doc_id, moved.case_id))";

constexpr const char* Channel = "fplan_ops";
constexpr const char* PresenceChannel = "fplan_presence";
constexpr std::size_t MaxConnections = 8;
constexpr std::size_t MaxKnownDocuments = 100000; // listings kept in memory (a few MB)
constexpr std::size_t MaxKnownCases = 20000; // cases' facts kept in memory (a few MB)
constexpr std::size_t MaxKnownSessions = 10000; // sessions kept in memory (a few MB)

// The errors a statement fails with when an insert would move a listed document to another
// case, and when a push's view read ahead of its transaction no longer holds.
constexpr const char* MovedState = "FPMOV";
constexpr const char* StaleState = "FPSTL";
constexpr const char* UniqueViolation = "23505";
constexpr const char* Refusals = R"(
CREATE OR REPLACE FUNCTION fplan_refuse_move(doc text, listed_case text) RETURNS boolean
  LANGUAGE plpgsql AS
  $$ BEGIN RAISE EXCEPTION 'document % belongs to case %', doc, listed_case USING ERRCODE = 'FPMOV'; END $$;
CREATE OR REPLACE FUNCTION fplan_refuse_stale() RETURNS boolean LANGUAGE plpgsql AS
  $$ BEGIN RAISE EXCEPTION 'the cases changed since the push read them' USING ERRCODE = 'FPSTL'; END $$;
)";

// The audit table refuses changes.
constexpr const char* AuditGuard = R"(
CREATE OR REPLACE FUNCTION fplan_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS
  $$ BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$;
CREATE OR REPLACE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit
  FOR EACH ROW EXECUTE FUNCTION fplan_audit_append_only();
CREATE OR REPLACE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit
  FOR EACH STATEMENT EXECUTE FUNCTION fplan_audit_append_only();
)";

struct ResultFree {
    void operator()(PGresult* r) const noexcept { PQclear(r); }
};
using Result = std::unique_ptr<PGresult, ResultFree>;

struct ConnFree {
    void operator()(PGconn* c) const noexcept { PQfinish(c); }
};
using Conn = std::unique_ptr<PGconn, ConnFree>;

// Throws unless `r` holds a successful result of `sql` (named in the message).
Result checked(PGconn* c, Result r, const char* sql)
{
    const auto status = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
        std::string message = r ? PQresultErrorMessage(r.get()) : PQerrorMessage(c);
        while (!message.empty() && message.back() == '\n')
            message.pop_back();
        throw Error(
            ErrorCode::Storage, "PostgreSQL: " + message + " (in: " + std::string(sql).substr(0, 80) + ")");
    }
    return r;
}

// One connection, and the statements prepared on it. A statement sent in a pipeline is parsed and
// planned once per connection and then only executed: parsing and planning cost the database
// more than executing most of these statements does.
class Connection {
public:
    explicit Connection(const std::string& url)
        : m_conn(PQconnectdb(url.c_str()))
    {
        if (!m_conn || PQstatus(m_conn.get()) != CONNECTION_OK)
            throw Error(ErrorCode::Storage,
                "PostgreSQL: cannot connect: "
                    + std::string(m_conn ? PQerrorMessage(m_conn.get()) : "out of memory"));
        // Every statement this server makes finds its rows by a key, so:
        // - a prepared statement keeps the plan made when it was first run (PostgreSQL would
        //   otherwise plan it again on every run for a while, and now and then after);
        // - table scans are ruled out, so that a plan made while a table was nearly empty does not
        //   scan it whole ever after, however large it grows;
        // - no statement is compiled to machine code: that pays off only for long queries, and the
        //   cost that ruling out table scans gives a plan would make PostgreSQL try it.
        exec("SET client_min_messages = warning; SET plan_cache_mode = force_generic_plan; "
             "SET enable_seqscan = off; SET jit = off");
    }

    PGconn* get() const { return m_conn.get(); }

    // Whether it can serve another caller: connected, and in no transaction or pipeline.
    bool idle() const
    {
        return PQstatus(get()) == CONNECTION_OK && PQtransactionStatus(get()) == PQTRANS_IDLE
            && PQpipelineStatus(get()) == PQ_PIPELINE_OFF && m_deferred.empty();
    }

    // Runs `sql`: with parameters as a prepared statement; without, as given (which may be
    // several statements).
    Result exec(const char* sql, const std::vector<std::string>& params = {})
    {
        if (params.empty()) {
            pipeline({}); // the deferred writes first
            return checked(get(), Result(PQexec(get(), sql)), sql);
        }
        return std::move(pipeline({ { sql, params } }).front());
    }

    struct Statement {
        const char* sql; // one statement, prepared the first time this connection sends it
        std::vector<std::string> params;
    };
    // Runs the statements after the deferred writes (see defer), in order and in one round trip
    // (libpq's pipeline mode), and returns the statements' results. Throws the error of the first
    // one that fails; the ones after it are not run.
    std::vector<Result> pipeline(const std::vector<Statement>& statements)
    {
        if (statements.empty() && m_sent.empty())
            return {};
        openPipeline();
        bool sending = true;
        for (const auto& st : statements)
            sending = sending && send(st, nullptr);
        if (!sending || !PQpipelineSync(get())) {
            // Left in pipeline mode, so not idle: the pool drops it.
            m_sent.clear();
            m_deferred.clear();
            throw Error(ErrorCode::Storage, "PostgreSQL: cannot send: " + std::string(PQerrorMessage(get())));
        }
        return collect();
    }

    // A write sent now, without waiting for its answer: the database works on it while the
    // caller goes on, and its answer is read with the next round trip on this connection (of any
    // statement). `check` sees that answer first and may throw an error of its own for it; that
    // error, or the write's, is then thrown as the failure of the group's work `work`
    // (GroupCommit::WorkFailed). The write must fail on the server when it fails: the statements
    // sent after it up to that round trip's end (a COMMIT) then do not run.
    void defer(Statement statement, std::function<void(const PGresult*)> check, std::size_t work)
    {
        m_deferred.push_back({ std::move(statement), std::move(check), work });
        openPipeline();
        if (!send(m_deferred.back().statement, &m_deferred.back()) || PQflush(get()) != 0)
            throw Error(ErrorCode::Storage, "PostgreSQL: cannot send: " + std::string(PQerrorMessage(get())));
    }
    // Reads and drops the answers to the deferred writes (their transaction is rolled back).
    void discardDeferred() noexcept
    {
        try {
            if (!m_sent.empty() && PQpipelineSync(get()))
                collect();
        } catch (...) {
        }
        m_sent.clear();
        m_deferred.clear();
    }

private:
    struct Deferred {
        Statement statement;
        std::function<void(const PGresult*)> check;
        std::size_t work;
    };
    struct Sent {
        const Statement* statement;
        const Deferred* deferred; // the write whose answer this is, if any
        bool preparing; // a Prepare, not an Execute
    };

    void openPipeline()
    {
        if (PQpipelineStatus(get()) == PQ_PIPELINE_OFF && !PQenterPipelineMode(get()))
            throw Error(
                ErrorCode::Storage, "PostgreSQL: cannot pipeline: " + std::string(PQerrorMessage(get())));
    }

    // Sends an Execute of `st` in pipeline mode, preceded by its Prepare the first time.
    bool send(const Statement& st, const Deferred* of)
    {
        std::vector<const char*> values;
        for (const auto& p : st.params)
            values.push_back(p.c_str());
        const auto n = static_cast<int>(values.size());
        auto prepared = m_prepared.find(st.sql);
        if (prepared == m_prepared.end()) {
            // Named now, so that a later statement sent before the answer uses it too; the name is
            // forgotten again when the Prepare fails (see collect).
            const auto name = "fplan_" + std::to_string(m_names++);
            if (!PQsendPrepare(get(), name.c_str(), st.sql, n, nullptr))
                return false;
            prepared = m_prepared.emplace(st.sql, name).first;
            m_sent.push_back({ &st, nullptr, true });
        }
        if (!PQsendQueryPrepared(get(), prepared->second.c_str(), n, values.data(), nullptr, nullptr, 0))
            return false;
        m_sent.push_back({ &st, of, false });
        return true;
    }

    // Reads the answers to everything sent, up to the sync that ends them, and leaves pipeline
    // mode. Returns the statements' results (not those of Prepares or deferred writes); throws
    // the first failure, charged to its work when it is a deferred write's.
    std::vector<Result> collect()
    {
        std::vector<Result> results;
        std::exception_ptr failed;
        for (const auto& command : m_sent) {
            Result r(PQgetResult(get()));
            if (r) // a command's results end with a null
                while (PGresult* end = PQgetResult(get()))
                    PQclear(end);
            if (failed) { // skipped by the server too
                if (command.preparing)
                    m_prepared.erase(command.statement->sql);
                continue;
            }
            try {
                if (command.deferred)
                    command.deferred->check(r.get());
                r = checked(get(), std::move(r), command.statement->sql);
            } catch (...) {
                failed = std::current_exception();
                if (command.preparing)
                    m_prepared.erase(command.statement->sql);
                if (command.deferred) // charged to the work that wrote it
                    failed
                        = std::make_exception_ptr(GroupCommit::WorkFailed { command.deferred->work, failed });
                continue;
            }
            if (!command.preparing && !command.deferred)
                results.push_back(std::move(r));
        }
        while (PGresult* r = PQgetResult(get())) { // up to the sync's own result
            const bool synced = PQresultStatus(r) == PGRES_PIPELINE_SYNC;
            PQclear(r);
            if (synced)
                break;
        }
        m_sent.clear();
        m_deferred.clear();
        PQexitPipelineMode(get());
        if (failed)
            std::rethrow_exception(failed);
        return results;
    }

    Conn m_conn;
    std::deque<Deferred> m_deferred; // sent, answers not read yet (a deque: m_sent points into it)
    std::vector<Sent> m_sent; // in the order sent, answers not read yet
    std::unordered_map<std::string, std::string> m_prepared; // statement text -> name
    std::size_t m_names = 0; // names given so far
};

// Whether `r` failed with SQLSTATE `state` (and, if given, on the constraint `constraint`).
bool hasState(const PGresult* r, const char* state, const char* constraint = nullptr)
{
    const char* found = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
    if (!found || std::strcmp(found, state) != 0)
        return false;
    const char* on = constraint ? PQresultErrorField(r, PG_DIAG_CONSTRAINT_NAME) : nullptr;
    return !constraint || (on && std::strcmp(on, constraint) == 0);
}

std::string text(const Result& r, int row, int column)
{
    return PQgetvalue(r.get(), row, column);
}

std::int64_t integer(const Result& r, int row, int column)
{
    return std::stoll(PQgetvalue(r.get(), row, column));
}

std::vector<std::string> jsonStrings(const std::string& json)
{
    std::vector<std::string> out;
    for (const auto& v : nlohmann::json::parse(json))
        out.push_back(v.get<std::string>());
    return out;
}

class PgStorage;

// The transaction the calling thread is in, if any: calls made inside it use its connection.
struct CurrentTransaction {
    const PgStorage* owner = nullptr;
    Connection* conn = nullptr;
    // The audit chain's last entry, read when the transaction took the write lock (the chain
    // cannot move under the lock), so appending needs no further read.
    std::int64_t auditSeq = 0;
    std::string auditHash;
    // The highest sequence number given to an op, read likewise: the transaction numbers the ops
    // it inserts itself, so that it need not wait for an insert's answer.
    std::int64_t lastSeq = 0;
    // The audit entries appended in it, column by column, and the notifications of the ops
    // inserted in it (each case's last sequence number): written with its COMMIT, in the same
    // round trip, rather than each in one of its own inside the write lock.
    std::vector<std::string> audit[10];
    std::map<std::string, std::int64_t> notices;
    // The works (GroupCommit::currentWork) that answered with a push view read ahead of the
    // transaction, checked with its next round trip.
    std::vector<std::size_t> trustingAhead;
};
thread_local CurrentTransaction t_current;

class PgStorage final : public Storage, private GroupCommit::Database {
public:
    explicit PgStorage(std::string url)
        : m_url(std::move(url))
        , m_origin(crypto::newUuid())
        , m_group(*this)
    {
        auto c = std::make_unique<Connection>(m_url);
        // Two processes starting at once must not both create the schema.
        c->exec("SELECT pg_advisory_lock(7468002)");
        try {
            c->exec(tableSchema({ "BIGINT", "BOOLEAN", "false", "TEXT COLLATE \"C\"" }).c_str());
            c->exec(AuditGuard);
            c->exec(Refusals);
        } catch (...) {
            c->exec("SELECT pg_advisory_unlock(7468002)");
            throw;
        }
        c->exec("SELECT pg_advisory_unlock(7468002)");
        m_idle.push_back(std::move(c));
        m_open = 1;
    }

    ~PgStorage() override
    {
        m_stop = true;
        if (m_listener.joinable())
            m_listener.join();
    }

    void transaction(const std::function<void()>& work) override { m_group.run(work); }

    void addAccount(const Account& a) override
    {
        transaction([&] {
            if (account(a.name))
                throw Error(ErrorCode::Conflict, "account '" + a.name + "' exists already");
            run("INSERT INTO accounts(name, password_hash, role, disabled) VALUES($1, $2, $3, $4)",
                { a.name, a.passwordHash, a.role, a.disabled ? "true" : "false" });
        });
    }

    std::optional<Account> account(const std::string& name) override
    {
        const auto r
            = run("SELECT name, password_hash, role, disabled, failed_logins, locked_until_ms FROM accounts "
                  "WHERE name = $1",
                { name });
        if (PQntuples(r.get()) == 0)
            return std::nullopt;
        return readAccount(r, 0);
    }

    std::vector<Account> accounts() override
    {
        const auto r
            = run("SELECT name, password_hash, role, disabled, failed_logins, locked_until_ms FROM accounts "
                  "ORDER BY name");
        std::vector<Account> out;
        for (int i = 0; i < PQntuples(r.get()); ++i)
            out.push_back(readAccount(r, i));
        return out;
    }

    void setDisabled(const std::string& name, bool disabled) override
    {
        {
            std::lock_guard lock(m_sessionsMutex);
            m_knownSessions.clear(); // seldom: not worth a search for the account's sessions
        }
        const auto r
            = run("UPDATE accounts SET disabled = $1 WHERE name = $2", { disabled ? "true" : "false", name });
        if (std::string(PQcmdTuples(r.get())) == "0")
            throw Error(ErrorCode::NotFound, "no account '" + name + "'");
    }

    void setLoginFailures(const std::string& name, int failed, std::int64_t lockedUntilMs) override
    {
        run("UPDATE accounts SET failed_logins = $1, locked_until_ms = $2 WHERE name = $3",
            { std::to_string(failed), std::to_string(lockedUntilMs), name });
    }

    void addSession(const Session& s) override
    {
        run("INSERT INTO sessions(token_hash, account, created_ms, last_used_ms, revoked) VALUES($1, $2, $3, "
            "$4, $5)",
            { s.tokenHash, s.account, std::to_string(s.createdMs), std::to_string(s.lastUsedMs),
                s.revoked ? "true" : "false" });
    }

    std::optional<Session> session(const std::string& tokenHash) override
    {
        const auto r = run("SELECT token_hash, account, created_ms, last_used_ms, revoked FROM sessions "
                           "WHERE token_hash = $1",
            { tokenHash });
        if (PQntuples(r.get()) == 0)
            return std::nullopt;
        return Session { text(r, 0, 0), text(r, 0, 1), integer(r, 0, 2), integer(r, 0, 3),
            text(r, 0, 4) == "t" };
    }

    std::optional<SessionAndAccount> sessionWithAccount(const std::string& tokenHash) override
    {
        const auto r
            = run("SELECT s.token_hash, s.account, s.created_ms, s.last_used_ms, s.revoked, a.name, "
                  "a.password_hash, a.role, a.disabled, a.failed_logins, a.locked_until_ms "
                  "FROM sessions s LEFT JOIN accounts a ON a.name = s.account WHERE s.token_hash = $1",
                { tokenHash });
        if (PQntuples(r.get()) == 0) {
            forgetSession(tokenHash);
            return std::nullopt;
        }
        SessionAndAccount found { { text(r, 0, 0), text(r, 0, 1), integer(r, 0, 2), integer(r, 0, 3),
                                      text(r, 0, 4) == "t" },
            std::nullopt };
        if (!PQgetisnull(r.get(), 0, 5))
            found.account = readAccount(r, 0, 5);
        if (t_current.owner != this) { // committed: remembered for pushes (see rememberedSession)
            auto kept = found;
            if (kept.account)
                kept.account->passwordHash.clear(); // not needed to authenticate, so not kept
            std::lock_guard lock(m_sessionsMutex);
            if (m_knownSessions.size() >= MaxKnownSessions)
                m_knownSessions.clear();
            m_knownSessions.insert_or_assign(tokenHash, std::move(kept));
        }
        return found;
    }

    std::optional<SessionAndAccount> rememberedSession(const std::string& tokenHash) override
    {
        std::lock_guard lock(m_sessionsMutex);
        const auto found = m_knownSessions.find(tokenHash);
        if (found == m_knownSessions.end())
            return std::nullopt;
        return found->second;
    }

    void touchSession(const std::string& tokenHash, std::int64_t nowMs) override
    {
        forgetSession(tokenHash);
        run("UPDATE sessions SET last_used_ms = $1 WHERE token_hash = $2",
            { std::to_string(nowMs), tokenHash });
    }

    void revokeSession(const std::string& tokenHash) override
    {
        forgetSession(tokenHash);
        run("UPDATE sessions SET revoked = true WHERE token_hash = $1", { tokenHash });
    }

    std::map<std::string, std::int64_t> heldOps(const std::vector<std::string>& opIds) override
    {
        return opIds.empty() ? std::map<std::string, std::int64_t> {}
                             : readHeld(run(HeldOps, { textArray(opIds) }));
    }

    PushView pushView(const std::vector<std::string>& opIds, const std::vector<std::string>& caseIds,
        const std::optional<PushView>& ahead) override
    {
        if (!ahead || t_current.owner != this) {
            // Read under the lock: the view read ahead did not hold, so its cases' remembered
            // facts (see pushViewAhead) are not used again.
            forgetFacts(caseIds);
            return readPushView(opIds, caseIds);
        }
        // Under the write lock a read is a round trip that every other push waits for; the view
        // read ahead is checked instead, by a statement answered with the transaction's next
        // round trip. Its ops are checked by their insert: one that was stored meanwhile makes it
        // fail (see insertOps).
        nlohmann::json expected = nlohmann::json::object();
        for (const auto& [caseId, f] : ahead->facts)
            expected[caseId] = { f.caseDocId, f.members, f.cprs };
        const auto work = GroupCommit::currentWork();
        t_current.conn->defer(
            { ViewUnchanged.c_str(), { textArray(caseIds), expected.dump(), ahead->session } },
            [](const PGresult* r) {
                if (hasState(r, StaleState))
                    throw StaleView("a case of this push, or its session, changed since it was read");
            },
            work);
        t_current.trustingAhead.push_back(work);
        return *ahead;
    }

    std::optional<PushView> pushViewAhead(
        const std::vector<std::string>& opIds, const std::vector<std::string>& caseIds) override
    {
        // Only the facts: that none of the ops is held is checked by their insert anyway (the
        // op id is unique), and a push sends new ops but for the rare one sent again after a cut.
        // The facts of a case read for an earlier push are used again without a round trip: they
        // are checked under the write lock like any view read ahead, and they seldom change (a
        // team or its persons). A push finding them changed reads its view under the lock, which
        // forgets them (see pushView), as does a push that changes them (setCaseFacts).
        (void)opIds;
        PushView view;
        {
            std::lock_guard lock(m_casesMutex);
            for (const auto& caseId : caseIds)
                if (const auto found = m_knownFacts.find(caseId); found != m_knownFacts.end())
                    view.facts.emplace(caseId, found->second);
        }
        if (view.facts.size() == caseIds.size())
            return view;
        view.facts = readFacts(run(CaseFactsOf, { textArray(caseIds) }));
        if (t_current.owner == this)
            return view; // not committed yet: not remembered
        std::lock_guard lock(m_casesMutex);
        if (m_knownFacts.size() + view.facts.size() > MaxKnownCases)
            m_knownFacts.clear();
        for (const auto& [caseId, facts] : view.facts)
            m_knownFacts.insert_or_assign(caseId, facts);
        return view;
    }

    std::vector<std::int64_t> insertOps(const std::vector<StoredOp>& ops) override
    {
        std::vector<std::int64_t> seqs;
        if (ops.empty())
            return seqs;
        std::vector<std::string> ids, cases, docs, accounts, texts;
        for (const auto& op : ops) {
            ids.push_back(op.opId);
            cases.push_back(op.caseId);
            docs.push_back(op.docId);
            accounts.push_back(op.account);
            texts.push_back(op.json);
        }
        // One statement for the whole list, numbered in list order after the highest held. Unless
        // every document is listed with its op's case already (a document never moves), it also
        // lists the documents seen for the first time, and stores nothing when one of them is
        // listed with another case. It is sent at once and answered with the transaction's next
        // round trip (a later push's, or the commit): under the write lock the numbers are known
        // without its answer.
        const char* insert = allListed(docs, cases) ? InsertOps.c_str() : ListAndInsertOps.c_str();
        transaction([&] {
            seqs.clear(); // the group may run this again
            const auto first = t_current.lastSeq + 1;
            for (std::size_t i = 0; i < ids.size(); ++i) {
                seqs.push_back(first + static_cast<std::int64_t>(i));
                auto& last = t_current.notices[cases[i]];
                last = std::max(last, seqs.back());
            }
            t_current.lastSeq = seqs.back();
            t_current.conn->defer(
                { insert,
                    { textArray(ids), textArray(cases), textArray(docs), textArray(accounts),
                        textArray(texts), std::to_string(first - 1) } },
                [trustedAhead = isTrustingAhead()](const PGresult* r) {
                    if (hasState(r, MovedState))
                        throw Error(ErrorCode::Conflict, "a document of these ops belongs to another case");
                    if (trustedAhead && hasState(r, UniqueViolation, "ops_op_id_key"))
                        throw StaleView("an op of this push was stored since it was read");
                },
                GroupCommit::currentWork());
        });
        return seqs;
    }

    std::optional<std::string> caseOfDocument(const std::string& docId) override
    {
        // A document never moves, so a committed listing is kept here and not asked for again:
        // every push's validation asks for the case of each of its documents.
        const bool committed = t_current.owner != this;
        if (committed) {
            std::lock_guard lock(m_casesMutex);
            if (const auto found = m_caseOfDocument.find(docId); found != m_caseOfDocument.end())
                return found->second;
        }
        const auto r = run("SELECT case_id FROM documents WHERE doc_id = $1", { docId });
        if (PQntuples(r.get()) == 0)
            return std::nullopt;
        std::string caseId = text(r, 0, 0);
        if (committed) {
            std::lock_guard lock(m_casesMutex);
            if (m_caseOfDocument.size() >= MaxKnownDocuments)
                m_caseOfDocument.clear();
            m_caseOfDocument.emplace(docId, caseId);
        }
        return caseId;
    }

    std::vector<StoredOp> docOps(const std::string& docId, std::int64_t afterSeq) override
    {
        return readOps(
            run("SELECT seq, op_id, case_id, doc_id, account, json FROM ops WHERE doc_id = $1 AND seq > $2 "
                "ORDER BY seq",
                { docId, std::to_string(afterSeq) }));
    }

    std::int64_t lastSeq() override { return integer(run("SELECT coalesce(max(seq), 0) FROM ops"), 0, 0); }

    std::vector<StoredOp> opsForAccount(const std::string& account, std::int64_t after, int limit) override
    {
        // As on SQLite: two parts, and an op that two spans of membership reach once.
        const auto r = run(
            "SELECT seq, min(op_id), min(case_id), min(doc_id), min(account), min(json), min(at) AS at FROM ("
            "SELECT o.*, o.seq AS at FROM case_access a JOIN documents d ON d.case_id = a.case_id "
            "JOIN ops o ON o.doc_id = d.doc_id AND o.case_id = d.case_id AND o.seq > $1 "
            "WHERE a.account = $2 AND a.granted_seq <= $1 AND (a.revoked_seq IS NULL OR o.seq <= "
            "a.revoked_seq) "
            "UNION ALL "
            "SELECT o.*, greatest(o.seq, a.granted_seq) AS at FROM case_access a JOIN documents d "
            "ON d.case_id = a.case_id JOIN ops o ON o.doc_id = d.doc_id AND o.case_id = d.case_id "
            "WHERE a.account = $2 AND a.granted_seq > $1 AND (a.revoked_seq IS NULL OR o.seq <= "
            "a.revoked_seq)"
            ") AS reach GROUP BY seq ORDER BY at, seq LIMIT $3",
            { std::to_string(after), account, std::to_string(limit) });
        auto out = readOps(r);
        for (int i = 0; i < PQntuples(r.get()); ++i)
            out[static_cast<std::size_t>(i)].at = integer(r, i, 6);
        return out;
    }

    void recordAccess(
        const std::string& caseId, const std::string& account, std::int64_t seq, bool member) override
    {
        if (member)
            run("INSERT INTO case_access(case_id, account, granted_seq) VALUES($1, $2, $3) ON CONFLICT DO "
                "NOTHING",
                { caseId, account, std::to_string(seq) });
        else
            run("UPDATE case_access SET revoked_seq = $3 WHERE case_id = $1 AND account = $2 AND revoked_seq "
                "IS NULL",
                { caseId, account, std::to_string(seq) });
    }

    std::optional<CaseFacts> caseFacts(const std::string& caseId) override
    {
        auto facts = readFacts(run(CaseFactsOf, { textArray({ caseId }) }));
        if (facts.empty())
            return std::nullopt;
        return std::move(facts.begin()->second);
    }

    void setCaseFacts(const CaseFacts& f) override
    {
        forgetFacts({ f.caseId });
        transaction([&] {
            run("INSERT INTO cases(case_id, case_doc_id) VALUES($1, $2) ON CONFLICT (case_id) DO UPDATE SET "
                "case_doc_id = EXCLUDED.case_doc_id",
                { f.caseId, f.caseDocId });
            // Rows that stay are left alone, so deleting and adding never touch the same row.
            run("WITH gone AS (DELETE FROM case_members WHERE case_id = $1 AND NOT account = "
                "ANY($2::text[])) "
                "INSERT INTO case_members(case_id, account) SELECT $1, unnest($2::text[]) "
                "ON CONFLICT DO NOTHING",
                { f.caseId, textArray(f.members) });
            run("WITH gone AS (DELETE FROM case_persons WHERE case_id = $1 AND NOT cpr = ANY($2::text[])) "
                "INSERT INTO case_persons(case_id, cpr) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING",
                { f.caseId, textArray(f.cprs) });
        });
    }

    std::vector<std::string> casesOf(const std::string& account) override
    {
        const auto r
            = run("SELECT case_id FROM case_members WHERE account = $1 ORDER BY case_id", { account });
        std::vector<std::string> out;
        for (int i = 0; i < PQntuples(r.get()); ++i)
            out.push_back(text(r, i, 0));
        return out;
    }

    void putTemplate(const std::string& hash, const std::string& body, const std::string& caseId,
        std::int64_t seq) override
    {
        transaction([&] {
            run("INSERT INTO templates(hash, text) VALUES($1, $2) ON CONFLICT DO NOTHING", { hash, body });
            run("INSERT INTO template_cases(hash, case_id, seq) VALUES($1, $2, $3) ON CONFLICT DO NOTHING",
                { hash, caseId, std::to_string(seq) });
        });
    }

    std::map<std::string, std::string> templatesFor(
        const std::vector<std::string>& caseIds, std::int64_t after) override
    {
        std::map<std::string, std::string> out;
        if (caseIds.empty())
            return out;
        const auto r = run("SELECT t.hash, t.text FROM template_cases l JOIN templates t ON t.hash = l.hash "
                           "WHERE l.case_id = ANY($1::text[]) AND l.seq > $2",
            { textArray(caseIds), std::to_string(after) });
        for (int i = 0; i < PQntuples(r.get()); ++i)
            out[text(r, i, 0)] = text(r, i, 1);
        return out;
    }

    void appendAudit(std::vector<AuditEntry> entries) override
    {
        if (entries.empty())
            return;
        transaction([&] {
            for (auto& e : entries) {
                e.seq = ++t_current.auditSeq;
                e.prevHash = t_current.auditHash;
                e.hash = auditHash(e);
                t_current.auditHash = e.hash;
                const std::string fields[10] = { std::to_string(e.seq), e.time, e.account, e.action, e.caseId,
                    nlohmann::json(e.cprs).dump(), e.outcome, e.detail, e.prevHash, e.hash };
                for (int i = 0; i < 10; ++i)
                    t_current.audit[i].push_back(fields[i]);
            }
        });
    }

    std::vector<AuditEntry> auditEntries() override
    {
        const auto r
            = run("SELECT seq, time, account, action, case_id, cprs, outcome, detail, prev_hash, hash "
                  "FROM audit ORDER BY seq");
        std::vector<AuditEntry> out;
        for (int i = 0; i < PQntuples(r.get()); ++i) {
            out.push_back({ integer(r, i, 0), text(r, i, 1), text(r, i, 2), text(r, i, 3), text(r, i, 4),
                jsonStrings(text(r, i, 5)), text(r, i, 6), text(r, i, 7), text(r, i, 8), text(r, i, 9) });
        }
        return out;
    }

    void listen(RemoteEvents events) override
    {
        auto c = std::make_unique<Connection>(m_url);
        listenTo(*c);
        m_listener = std::thread([this, conn = std::move(c), events = std::move(events)]() mutable {
            listenLoop(std::move(conn), events);
        });
    }

    void announcePresence(const std::string& frame) override
    {
        // A NOTIFY payload holds at most 8000 bytes; a frame is a few hundred (its ids are bounded).
        if (m_origin.size() + 1 + frame.size() < 8000)
            run("SELECT pg_notify($1, $2)", { PresenceChannel, m_origin + " " + frame });
    }

    std::string describe() const override { return "PostgreSQL"; }

private:
    // The group's transaction: one connection from begin() to commit() or rollback().
    void begin() override
    {
        auto c = acquire();
        try {
            // One round trip: the transaction, the write lock, and then, in a statement of its own so
            // that its snapshot is taken with the lock held, the audit chain's end and the highest
            // sequence number.
            const auto results
                = c->pipeline({ { "BEGIN", {} }, { "SELECT pg_advisory_xact_lock(7468001)", {} },
                    { "SELECT a.seq, a.hash, (SELECT coalesce(max(seq), 0) FROM ops) "
                      "FROM (SELECT 1) AS one LEFT JOIN "
                      "(SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1) AS a ON true",
                        {} } });
            const auto& r = results.back();
            const bool any = !PQgetisnull(r.get(), 0, 0);
            t_current = { this, c.release(), any ? integer(r, 0, 0) : 0, any ? text(r, 0, 1) : "",
                integer(r, 0, 2), {}, {}, {} };
        } catch (...) {
            PQclear(PQexec(c->get(), "ROLLBACK"));
            release(std::move(c));
            throw;
        }
    }
    void commit() override
    {
        // On failure the group calls rollback(). A NOTIFY is delivered when its transaction
        // commits, and not at all when it does not.
        std::vector<Connection::Statement> statements;
        if (!t_current.audit[0].empty()) {
            std::vector<std::string> params;
            for (const auto& column : t_current.audit)
                params.push_back(textArray(column));
            statements.push_back(
                { "INSERT INTO audit(seq, time, account, action, case_id, cprs, outcome, detail, "
                  "prev_hash, hash) "
                  "SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], "
                  "$5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[])",
                    std::move(params) });
        }
        if (!t_current.notices.empty()) {
            // "ORIGIN SEQ CASE", read by listenLoop.
            std::vector<std::string> payloads;
            for (const auto& [caseId, seq] : t_current.notices)
                payloads.push_back(m_origin + " " + std::to_string(seq) + " " + caseId);
            statements.push_back({ "SELECT pg_notify($1, payload) FROM unnest($2::text[]) AS payload",
                { Channel, textArray(payloads) } });
        }
        statements.push_back({ "COMMIT", {} });
        t_current.conn->pipeline(statements);
        std::unique_ptr<Connection> c(t_current.conn);
        t_current = {};
        release(std::move(c));
    }
    void rollback() noexcept override
    {
        std::unique_ptr<Connection> c(t_current.conn);
        t_current = {};
        c->discardDeferred();
        PQclear(PQexec(c->get(), "ROLLBACK"));
        release(std::move(c));
    }
    static void listenTo(Connection& conn)
    {
        conn.exec((std::string("LISTEN ") + Channel + "; LISTEN " + PresenceChannel).c_str());
    }

    void listenLoop(std::unique_ptr<Connection> conn, const RemoteEvents& events)
    {
        while (!m_stop) {
            if (PQstatus(conn->get()) != CONNECTION_OK) {
                std::this_thread::sleep_for(std::chrono::seconds(1));
                try {
                    conn = std::make_unique<Connection>(m_url);
                    listenTo(*conn);
                } catch (const Error&) {
                }
                continue;
            }
            pollfd pfd { PQsocket(conn->get()), POLLIN, 0 };
            if (::poll(&pfd, 1, 100) <= 0)
                continue;
            if (!PQconsumeInput(conn->get()))
                continue;
            while (PGnotify* n = PQnotifies(conn->get())) {
                const std::string channel = n->relname;
                const std::string payload = n->extra;
                PQfreemem(n);
                // "ORIGIN REST": skipped when malformed, or our own (already told locally).
                const auto a = payload.find(' ');
                if (a == std::string::npos || payload.compare(0, a, m_origin) == 0)
                    continue;
                try {
                    if (channel == PresenceChannel) {
                        if (events.presence)
                            events.presence(payload.substr(0, a), payload.substr(a + 1));
                        continue;
                    }
                    // Ops: "ORIGIN SEQ CASE".
                    const auto b = payload.find(' ', a + 1);
                    if (b != std::string::npos && events.ops)
                        events.ops(payload.substr(b + 1), std::stoll(payload.substr(a + 1, b - a - 1)));
                } catch (const std::exception&) {
                }
            }
        }
    }

    // Runs `use` on the calling thread's transaction's connection, or on one from the pool.
    template <typename Use> std::invoke_result_t<const Use&, Connection&> onConnection(const Use& use)
    {
        if (t_current.owner == this)
            return use(*t_current.conn);
        auto c = acquire();
        try {
            auto r = use(*c);
            release(std::move(c));
            return r;
        } catch (...) {
            release(std::move(c));
            throw;
        }
    }

    Result run(const char* sql, const std::vector<std::string>& params = {})
    {
        return onConnection([&](Connection& c) { return c.exec(sql, params); });
    }

    std::unique_ptr<Connection> acquire()
    {
        std::unique_lock lock(m_poolMutex);
        for (;;) {
            if (!m_idle.empty()) {
                auto c = std::move(m_idle.back());
                m_idle.pop_back();
                return c;
            }
            if (m_open < MaxConnections) {
                ++m_open;
                lock.unlock();
                try {
                    return std::make_unique<Connection>(m_url);
                } catch (...) {
                    lock.lock();
                    --m_open;
                    throw;
                }
            }
            m_poolFree.wait(lock);
        }
    }

    void release(std::unique_ptr<Connection> c)
    {
        std::lock_guard lock(m_poolMutex);
        if (c->idle())
            m_idle.push_back(std::move(c));
        else
            --m_open;
        m_poolFree.notify_one();
    }

    static std::string textArray(const std::vector<std::string>& values)
    {
        std::string out = "{";
        for (std::size_t i = 0; i < values.size(); ++i) {
            out += i ? ",\"" : "\"";
            for (const char ch : values[i]) {
                if (ch == '"' || ch == '\\')
                    out += '\\';
                out += ch;
            }
            out += '"';
        }
        return out + "}";
    }

    // The account in columns `first`.. of row `i`.
    static Account readAccount(const Result& r, int i, int first = 0)
    {
        return { text(r, i, first), text(r, i, first + 1), text(r, i, first + 2),
            text(r, i, first + 3) == "t", static_cast<int>(integer(r, i, first + 4)),
            integer(r, i, first + 5) };
    }

    // Whether each document is listed with its case (`cases`, in the same order) in a committed
    // listing known here (see caseOfDocument).
    bool allListed(const std::vector<std::string>& docs, const std::vector<std::string>& cases)
    {
        std::lock_guard lock(m_casesMutex);
        for (std::size_t i = 0; i < docs.size(); ++i) {
            if (i > 0 && docs[i] == docs[i - 1] && cases[i] == cases[i - 1])
                continue;
            const auto found = m_caseOfDocument.find(docs[i]);
            if (found == m_caseOfDocument.end() || found->second != cases[i])
                return false;
        }
        return true;
    }

    // Drops what rememberedSession remembers of this session.
    void forgetSession(const std::string& tokenHash)
    {
        std::lock_guard lock(m_sessionsMutex);
        m_knownSessions.erase(tokenHash);
    }

    // Drops what pushViewAhead remembers of these cases.
    void forgetFacts(const std::vector<std::string>& caseIds)
    {
        std::lock_guard lock(m_casesMutex);
        for (const auto& caseId : caseIds)
            m_knownFacts.erase(caseId);
    }

    // Both reads of a push's view in one round trip.
    PushView readPushView(const std::vector<std::string>& opIds, const std::vector<std::string>& caseIds)
    {
        const auto results = onConnection([&](Connection& c) {
            return c.pipeline({ { HeldOps, { textArray(opIds) } }, { CaseFactsOf, { textArray(caseIds) } } });
        });
        return { readHeld(results[0]), readFacts(results[1]), {} };
    }

    // Whether the calling work answered with a push view read ahead (see pushView).
    static bool isTrustingAhead()
    {
        const auto& works = t_current.trustingAhead;
        return std::find(works.begin(), works.end(), GroupCommit::currentWork()) != works.end();
    }

    // Rows of HeldOps.
    static std::map<std::string, std::int64_t> readHeld(const Result& r)
    {
        std::map<std::string, std::int64_t> out;
        for (int i = 0; i < PQntuples(r.get()); ++i)
            out[text(r, i, 0)] = integer(r, i, 1);
        return out;
    }

    // Rows of CaseFactsOf.
    static std::map<std::string, CaseFacts> readFacts(const Result& r)
    {
        std::map<std::string, CaseFacts> out;
        for (int i = 0; i < PQntuples(r.get()); ++i)
            out[text(r, i, 0)] = CaseFacts { text(r, i, 0), text(r, i, 1), jsonStrings(text(r, i, 2)),
                jsonStrings(text(r, i, 3)) };
        return out;
    }

    static std::vector<StoredOp> readOps(const Result& r)
    {
        std::vector<StoredOp> out;
        for (int i = 0; i < PQntuples(r.get()); ++i)
            out.push_back({ integer(r, i, 0), text(r, i, 1), text(r, i, 2), text(r, i, 3), text(r, i, 4),
                text(r, i, 5), 0 });
        return out;
    }

    std::string m_url;
    std::string m_origin; // this process's tag on its notifications
    std::mutex m_poolMutex;
    std::condition_variable m_poolFree;
    std::vector<std::unique_ptr<Connection>> m_idle;
    std::size_t m_open = 0;
    std::mutex m_casesMutex;
    std::unordered_map<std::string, std::string> m_caseOfDocument; // document -> its case
    std::unordered_map<std::string, CaseFacts> m_knownFacts; // committed facts read ahead, by case
    std::mutex m_sessionsMutex;
    std::unordered_map<std::string, SessionAndAccount> m_knownSessions; // committed, by token hash
    std::atomic<bool> m_stop { false };
    std::thread m_listener;
    GroupCommit m_group;
};

} // namespace

std::unique_ptr<Storage> openPostgresStorage(const std::string& url)
{
    return std::make_unique<PgStorage>(url);
}

} // namespace fplan::sync
