// SPDX-License-Identifier: EUPL-1.2
#include "sync/server/storage.h"

#include "crypto/hash.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <exception>

namespace fplan::sync {

std::string tableSchema(const SqlDialect& d)
{
    std::string sql = R"(
CREATE TABLE IF NOT EXISTS accounts(name {text} PRIMARY KEY, password_hash {text} NOT NULL,
  role {text} NOT NULL, disabled {bool} NOT NULL DEFAULT {false}, failed_logins INTEGER NOT NULL DEFAULT 0,
  locked_until_ms {int64} NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS sessions(token_hash {text} PRIMARY KEY, account {text} NOT NULL,
  created_ms {int64} NOT NULL, last_used_ms {int64} NOT NULL, revoked {bool} NOT NULL DEFAULT {false});
CREATE TABLE IF NOT EXISTS ops(seq {int64} PRIMARY KEY, op_id {text} NOT NULL UNIQUE,
  case_id {text} NOT NULL, doc_id {text} NOT NULL, account {text} NOT NULL, json {text} NOT NULL);
CREATE INDEX IF NOT EXISTS ops_doc ON ops(doc_id, seq);
-- Each document's case (a document never moves): a case's ops are found through its documents.
CREATE TABLE IF NOT EXISTS documents(doc_id {text} PRIMARY KEY, case_id {text} NOT NULL);
CREATE INDEX IF NOT EXISTS documents_case ON documents(case_id);
CREATE TABLE IF NOT EXISTS cases(case_id {text} PRIMARY KEY, case_doc_id {text} NOT NULL);
CREATE TABLE IF NOT EXISTS case_members(case_id {text} NOT NULL, account {text} NOT NULL,
  PRIMARY KEY(case_id, account));
CREATE INDEX IF NOT EXISTS case_members_account ON case_members(account);
CREATE TABLE IF NOT EXISTS case_persons(case_id {text} NOT NULL, cpr {text} NOT NULL,
  PRIMARY KEY(case_id, cpr));
CREATE TABLE IF NOT EXISTS case_access(case_id {text} NOT NULL, account {text} NOT NULL,
  granted_seq {int64} NOT NULL, revoked_seq {int64}, PRIMARY KEY(case_id, account, granted_seq));
CREATE INDEX IF NOT EXISTS case_access_account ON case_access(account);
CREATE TABLE IF NOT EXISTS templates(hash {text} PRIMARY KEY, text {text} NOT NULL);
CREATE TABLE IF NOT EXISTS template_cases(hash {text} NOT NULL, case_id {text} NOT NULL,
  seq {int64} NOT NULL, PRIMARY KEY(hash, case_id));
CREATE TABLE IF NOT EXISTS audit(seq {int64} PRIMARY KEY, time {text} NOT NULL, account {text} NOT NULL,
  action {text} NOT NULL, case_id {text} NOT NULL, cprs {text} NOT NULL, outcome {text} NOT NULL,
  detail {text} NOT NULL, prev_hash {text} NOT NULL, hash {text} NOT NULL);
-- A server made before access was recorded per op: its members read their cases from the start.
INSERT INTO case_access(case_id, account, granted_seq, revoked_seq)
  SELECT case_id, account, 0, NULL FROM case_members WHERE NOT EXISTS (SELECT 1 FROM case_access);
-- A server made before documents were listed: list them from its ops, and drop the index of ops
-- by case that the list replaces (one index less to write for every op).
INSERT INTO documents(doc_id, case_id)
  SELECT doc_id, min(case_id) FROM ops WHERE NOT EXISTS (SELECT 1 FROM documents) GROUP BY doc_id;
DROP INDEX IF EXISTS ops_case;
)";
    const std::pair<const char*, const char*> names[] = { { "{int64}", d.int64 }, { "{bool}", d.boolean },
        { "{false}", d.falseValue }, { "{text}", d.text } };
    for (const auto& [name, value] : names)
        for (auto at = sql.find(name); at != std::string::npos; at = sql.find(name, at))
            sql.replace(at, std::string(name).size(), value);
    return sql;
}

std::string auditHash(const AuditEntry& e)
{
    // A JSON array gives an unambiguous encoding of the fields (no separator can be forged).
    const nlohmann::json fields
        = { e.prevHash, e.seq, e.time, e.account, e.action, e.caseId, e.cprs, e.outcome, e.detail };
    return crypto::sha256Hex(fields.dump());
}

struct GroupCommit::Job {
    const std::function<void()>* work;
    std::exception_ptr error;
    // Given to the first caller of a committed group: the group, which it makes durable.
    std::vector<Job*> toMakeDurable;
    bool done = false;
    // Its own wake-up: the committing thread wakes one caller per group, and that caller the rest.
    std::condition_variable wake;
};

namespace {
// The group commit whose group this thread is running, if any.
thread_local const GroupCommit* t_running = nullptr;
thread_local std::size_t t_work = 0; // the running work's place in its group's current run
} // namespace

std::size_t GroupCommit::currentWork()
{
    return t_work;
}

GroupCommit::GroupCommit(Database& database, std::size_t maxGroup)
    : m_database(database)
    , m_maxGroup(std::max<std::size_t>(1, maxGroup))
    , m_committer([this] { commitLoop(); })
{
}

GroupCommit::~GroupCommit()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_arrived.notify_one();
    m_committer.join();
}

void GroupCommit::run(const std::function<void()>& work)
{
    if (t_running == this) {
        work();
        return;
    }
    Job job { &work, nullptr, {}, false, {} };
    std::unique_lock lock(m_mutex);
    m_waiting.push_back(&job);
    m_arrived.notify_one();
    job.wake.wait(lock, [&] { return job.done || !job.toMakeDurable.empty(); });
    if (!job.done) {
        // This caller's group is committed: it waits for the disk, while the committing thread
        // goes on with the next group, and then answers the group's other callers.
        const auto group = std::move(job.toMakeDurable);
        lock.unlock();
        std::exception_ptr notDurable;
        try {
            m_database.makeDurable();
        } catch (...) {
            notDurable = std::current_exception();
        }
        lock.lock();
        for (auto* j : group) {
            if (notDurable && !j->error)
                j->error = notDurable;
            j->done = true;
            if (j != &job)
                j->wake.notify_one();
        }
    }
    lock.unlock();
    if (job.error)
        std::rethrow_exception(job.error);
}

std::size_t GroupCommit::waiting() const
{
    std::lock_guard lock(m_mutex);
    return m_waiting.size();
}

void GroupCommit::commitLoop()
{
    std::unique_lock lock(m_mutex);
    for (;;) {
        m_arrived.wait(lock, [&] { return m_stopping || !m_waiting.empty(); });
        if (m_waiting.empty())
            return; // stopping, and nobody waits
        const auto n = static_cast<std::ptrdiff_t>(std::min(m_waiting.size(), m_maxGroup));
        std::vector<Job*> group(m_waiting.begin(), m_waiting.begin() + n);
        m_waiting.erase(m_waiting.begin(), m_waiting.begin() + n);
        lock.unlock();
        commitGroup(group);
        lock.lock();
        Job* first = group.front();
        first->toMakeDurable = std::move(group);
        first->wake.notify_one();
    }
}

void GroupCommit::commitGroup(const std::vector<Job*>& group)
{
    t_running = this;
    // No savepoints: they cost a copy of every page a work changes (SQLCipher encrypts each into
    // the statement journal) or a round trip (PostgreSQL). A work that throws spoils the
    // transaction instead, which is rolled back and run again without it; the works are written
    // to be run again (they read what they need inside the transaction and assign their results).
    std::vector<Job*> left = group;
    for (;;) {
        Job* failed = nullptr;
        try {
            m_database.begin();
            try {
                const auto fail = [&](const WorkFailed& f) {
                    failed = left.at(f.work);
                    failed->error = f.error;
                };
                for (std::size_t k = 0; k < left.size() && !failed; ++k) {
                    t_work = k;
                    try {
                        (*left[k]->work)();
                    } catch (const WorkFailed& f) {
                        fail(f); // an earlier work's write, answered now
                    } catch (...) {
                        left[k]->error = std::current_exception();
                        failed = left[k];
                    }
                }
                if (!failed) {
                    try {
                        m_database.commit();
                    } catch (const WorkFailed& f) {
                        fail(f);
                    }
                }
                if (failed)
                    m_database.rollback();
            } catch (...) {
                m_database.rollback();
                throw;
            }
        } catch (...) {
            const auto error = std::current_exception();
            for (auto* job : left)
                if (!job->error)
                    job->error = error;
            break;
        }
        if (!failed)
            break;
        left.erase(std::find(left.begin(), left.end(), failed));
        if (left.empty())
            break;
    }
    t_running = nullptr;
}

} // namespace fplan::sync
