// SPDX-License-Identifier: EUPL-1.2
#include "sync/server/storage.h"

#include "crypto/hash.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <exception>

namespace fplan::sync {

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
    bool done = false;
};

namespace {
// The group commit whose group this thread is running, if any.
thread_local const GroupCommit* t_running = nullptr;
} // namespace

GroupCommit::GroupCommit(Database& database, std::size_t maxGroup)
    : m_database(database)
    , m_maxGroup(std::max<std::size_t>(1, maxGroup))
{
}

void GroupCommit::run(const std::function<void()>& work)
{
    if (t_running == this) {
        work();
        return;
    }
    Job job { &work, nullptr, false };
    std::unique_lock lock(m_mutex);
    m_waiting.push_back(&job);
    while (!job.done) {
        if (m_committing) {
            m_done.wait(lock);
            continue;
        }
        // No group is running: this thread commits the next one (and goes on until its own is done).
        const auto n = std::min(m_waiting.size(), m_maxGroup);
        std::vector<Job*> group(m_waiting.begin(), m_waiting.begin() + static_cast<std::ptrdiff_t>(n));
        m_waiting.erase(m_waiting.begin(), m_waiting.begin() + static_cast<std::ptrdiff_t>(n));
        m_committing = true;
        lock.unlock();
        commitGroup(group);
        lock.lock();
        m_committing = false;
        for (auto* j : group)
            j->done = true;
        m_done.notify_all();
    }
    if (job.error)
        std::rethrow_exception(job.error);
}

void GroupCommit::commitGroup(const std::vector<Job*>& group)
{
    t_running = this;
    const bool alone = group.size() == 1; // no savepoint needed: its error rolls back everything
    try {
        m_database.begin();
        try {
            for (auto* job : group) {
                if (alone) {
                    (*job->work)();
                    continue;
                }
                m_database.savepoint();
                try {
                    (*job->work)();
                } catch (...) {
                    job->error = std::current_exception();
                    m_database.rollbackToSavepoint();
                    continue;
                }
                m_database.releaseSavepoint();
            }
            m_database.commit();
        } catch (...) {
            m_database.rollback();
            throw;
        }
    } catch (...) {
        const auto error = std::current_exception();
        for (auto* job : group)
            if (!job->error)
                job->error = error;
    }
    t_running = nullptr;
}

} // namespace fplan::sync
