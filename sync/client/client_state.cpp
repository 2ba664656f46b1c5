// SPDX-License-Identifier: EUPL-1.2
#include "sync/client/client_state.h"

#include "base/error.h"
#include "core/sql.h"

namespace fplan::sync {

namespace {

const std::vector<const char*> Migrations = {
    // 1: the server this store syncs with, and the ops the server holds.
    R"(CREATE TABLE sync_server(id INTEGER PRIMARY KEY CHECK (id = 1), url TEXT NOT NULL,
                                account TEXT NOT NULL, fingerprint TEXT NOT NULL,
                                token TEXT NOT NULL, cursor INTEGER NOT NULL);
       CREATE TABLE sync_held(op_id TEXT PRIMARY KEY, server_seq INTEGER NOT NULL);)",
    // 2: when a sync last went through (ms since the epoch), for "sidst synkroniseret" after a restart.
    "ALTER TABLE sync_server ADD COLUMN synced_at INTEGER",
};

// The setting the CLI and the desktop read as the author of the ops they write.
constexpr const char* AuthorSetting = "user.name";

} // namespace

ClientState::ClientState(Store& store)
    : m_store(store)
{
    m_store.migrateModule("sync_client", Migrations);
}

std::optional<ServerBinding> ClientState::binding() const
{
    sql::Statement s(
        m_store.handle(), "SELECT url, account, fingerprint, token, cursor, synced_at FROM sync_server");
    if (!s.step())
        return std::nullopt;
    ServerBinding b { s.text(0), s.text(1), s.text(2), s.text(3), s.integer(4), std::nullopt };
    if (!s.isNull(5))
        b.synced = std::chrono::system_clock::time_point(std::chrono::milliseconds(s.integer(5)));
    return b;
}

void ClientState::bind(const std::string& url, const std::string& account, const std::string& fingerprint,
    const std::string& token)
{
    m_store.transaction([&] {
        if (const auto existing = binding())
            throw Error(ErrorCode::Conflict,
                m_store.path().string() + ": already syncs with " + existing->url + " as "
                    + existing->account);
        sql::Statement s(m_store.handle(),
            "INSERT INTO sync_server(id, url, account, fingerprint, token, "
            "cursor) VALUES(1, ?, ?, ?, ?, 0)");
        s.bind(1, url).bind(2, account).bind(3, fingerprint).bind(4, token).run();
        m_store.setSetting(AuthorSetting, account);
        m_store.setQueuedOpsAuthor(account);
    });
}

void ClientState::setToken(const std::string& token)
{
    m_store.transaction([&] {
        sql::Statement s(m_store.handle(), "UPDATE sync_server SET token = ?");
        s.bind(1, token).run();
    });
}

void ClientState::setFingerprint(const std::string& fingerprint)
{
    m_store.transaction([&] {
        sql::Statement s(m_store.handle(), "UPDATE sync_server SET fingerprint = ?");
        s.bind(1, fingerprint).run();
    });
}

void ClientState::recordSynced(std::chrono::system_clock::time_point when)
{
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(when.time_since_epoch()).count();
    m_store.transaction([&] {
        sql::Statement s(m_store.handle(), "UPDATE sync_server SET synced_at = ?");
        s.bind(1, static_cast<std::int64_t>(ms)).run();
    });
}

std::vector<Op> ClientState::pending(std::size_t limit) const
{
    return m_store.uploadQueue(limit);
}

std::size_t ClientState::pendingCount() const
{
    return m_store.uploadQueueSize();
}

std::size_t ClientState::recordHeld(const std::vector<HeldOp>& held)
{
    std::size_t left = 0;
    m_store.transaction([&] {
        sql::Statement s(
            m_store.handle(), "INSERT OR REPLACE INTO sync_held(op_id, server_seq) VALUES(?, ?)");
        std::vector<std::string> ids;
        for (const auto& h : held) {
            s.reset();
            s.bind(1, h.opId).bind(2, h.seq).run();
            ids.push_back(h.opId);
        }
        left = m_store.markUploaded(ids);
    });
    return left;
}

std::optional<std::int64_t> ClientState::serverSeq(const std::string& opId) const
{
    sql::Statement s(m_store.handle(), "SELECT server_seq FROM sync_held WHERE op_id = ?");
    s.bind(1, opId);
    if (!s.step())
        return std::nullopt;
    return s.integer(0);
}

std::size_t ClientState::heldCount() const
{
    sql::Statement s(m_store.handle(), "SELECT count(*) FROM sync_held");
    s.step();
    return static_cast<std::size_t>(s.integer(0));
}

PullApplied ClientState::applyPulled(const PulledPage& page)
{
    PullApplied applied;
    m_store.transaction([&] {
        const auto bound = binding();
        if (!bound)
            throw Error(ErrorCode::Internal, "pulled ops for a store that is bound to no server");
        if (page.last < bound->cursor)
            throw Error(ErrorCode::BadInput,
                bound->url + ": a pull page ends at " + std::to_string(page.last)
                    + ", behind this store's cursor " + std::to_string(bound->cursor));
        std::set<std::string> hadCase;
        std::set<std::string> touched; // cases with ops this store did not have
        std::vector<std::string> ids;
        for (const Op& op : page.ops) {
            if (m_store.hasCase(op.caseId))
                hadCase.insert(op.caseId);
            if (!m_store.hasOp(op.id))
                touched.insert(op.caseId);
            ids.push_back(op.id);
        }
        for (const auto& t : page.templates)
            m_store.putTemplate(t.hash, t.templateId, t.version, t.text);
        applied.newOps = m_store.appendOps(page.ops, OpOrigin::Received);
        for (const auto& caseId : touched)
            if (m_store.hasCase(caseId))
                (hadCase.count(caseId) ? applied.updatedCases : applied.newCases).insert(caseId);
        // What the server sent, it holds (a copy of this store may have pushed the same ops).
        m_store.markUploaded(ids);
        sql::Statement s(m_store.handle(), "UPDATE sync_server SET cursor = ?");
        s.bind(1, page.last).run();
    });
    return applied;
}

} // namespace fplan::sync
