// SPDX-License-Identifier: EUPL-1.2
// The default storage: one SQLCipher file in the data folder. Writes go through one connection
// behind a mutex (grouped into one transaction each, see GroupCommit); reads outside the write
// transaction use read-only connections of their own, so that they do not wait for a commit.
// A commit writes the log without waiting for the disk; the group's callers return after the log
// is synced (makeDurable), while the next group already runs, and pulls hand out only ops whose
// commit is synced.
#include "base/durable_file.h"
#include "base/error.h"
#include "base/fd.h"
#include "core/checkpointer.h"
#include "core/sql.h"
#include "crypto/encrypted_db.h"
#include "crypto/hash.h"
#include "crypto/kdf.h"
#include "crypto/random.h"
#include "sync/server/storage.h"

#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <mutex>
#include <thread>
#include <unistd.h>
#include <unordered_map>
#include <vector>

namespace fplan::sync {

namespace {

// 3: documents listed with their case, no index of ops by case.
constexpr int SchemaVersion = 3;

// The audit table refuses changes.
constexpr const char* AuditGuard = R"(
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
)";

} // namespace

crypto::SecretKey serverKey(const std::filesystem::path& dataDir)
{
    crypto::SecretKey key;
    if (const char* env = std::getenv("FPLAN_SERVER_KEY"); env && *env) {
        if (!crypto::fromHex(env, key.data(), crypto::SecretKey::Size))
            throw Error(ErrorCode::BadInput, "$FPLAN_SERVER_KEY must be 64 hex digits");
        return key;
    }
    const auto path = dataDir / "db.key";
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
        key = crypto::SecretKey::random();
        const std::string hex = crypto::toHex(key.data(), crypto::SecretKey::Size) + "\n";
        const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd < 0)
            throw Error(
                ErrorCode::Storage, path.string() + ": cannot create the key file: " + std::strerror(errno));
        const bool ok
            = ::write(fd, hex.data(), hex.size()) == static_cast<ssize_t>(hex.size()) && ::fsync(fd) == 0;
        ::close(fd);
        if (!ok)
            throw Error(ErrorCode::Storage, path.string() + ": cannot write the key file");
        return key;
    }
    std::string text(128, '\0');
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        throw Error(
            ErrorCode::Storage, path.string() + ": cannot read the key file: " + std::strerror(errno));
    const auto n = ::read(fd, text.data(), text.size());
    ::close(fd);
    text.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r'))
        text.pop_back();
    const bool ok = crypto::fromHex(text, key.data(), crypto::SecretKey::Size);
    crypto::wipe(text.data(), text.size());
    if (!ok)
        throw Error(
            ErrorCode::BadInput, path.string() + ": must hold 64 hex digits (the server's database key)");
    return key;
}

namespace {

std::vector<std::string> jsonStrings(const std::string& text)
{
    std::vector<std::string> out;
    for (const auto& v : nlohmann::json::parse(text))
        out.push_back(v.get<std::string>());
    return out;
}

class SqlStorage final : public Storage, private GroupCommit::Database {
public:
    explicit SqlStorage(const std::filesystem::path& dataDir)
        : m_path(dataDir / "server.db")
        , m_group(*this)
    {
        m_key = serverKey(dataDir);
        std::error_code ec;
        const auto mode = std::filesystem::exists(m_path, ec) ? crypto::OpenMode::ExistingOnly
                                                              : crypto::OpenMode::CreateNew;
        // Every connection here is used by one thread at a time (the writer behind m_mutex, a
        // reader while it is lent out), so SQLite need not lock it on every call.
        m_db = crypto::openEncryptedDatabase(m_path, m_key, mode, crypto::Threading::OwnerSerializes);
        m_writerStatements = std::make_unique<sql::StatementCache>(m_db.get());
        const auto version = [&] {
            sql::Statement v(db(), "PRAGMA user_version"); // finished before the schema's DROP
            v.step();
            return v.integer(0);
        }();
        if (version > SchemaVersion)
            throw Error(ErrorCode::Conflict,
                m_path.string() + ": made by a newer fplan-server (schema " + std::to_string(version)
                    + "); update the program");
        transaction([&] {
            sql::exec(db(), tableSchema({ "INTEGER", "INTEGER", "0", "TEXT" }));
            sql::exec(db(), AuditGuard);
            sql::exec(db(), "PRAGMA user_version = " + std::to_string(SchemaVersion));
        });
        // The log is moved into the file on a thread of its own, not by the commit that happens to
        // fill it: no group of pushes waits for a checkpoint's writes and fsync.
        sql::exec(db(), "PRAGMA wal_autocheckpoint = 0");
        // Every push inserts into the op indexes at as many places as it has cases and documents:
        // with SQLite's default 2 MiB cache those pages would be read (and decrypted) again for
        // every group once the indexes outgrow it.
        sql::exec(db(), "PRAGMA cache_size = -" + std::to_string(WriterCacheKiB));
        // The commit does not wait for the disk; makeDurable() does, outside the write lock.
        // (With synchronous NORMAL a commit is still atomic, and a checkpoint syncs the log
        // before it copies it into the file.)
        sql::exec(db(), "PRAGMA synchronous = NORMAL");
        const auto log = m_path.string() + "-wal";
        m_log = Fd(::open(log.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
        if (m_log.get() < 0)
            throw Error(
                ErrorCode::Storage, log + ": cannot open the write-ahead log: " + std::strerror(errno));
        syncFolder(dataDir);
        {
            sql::Statement last(db(), "SELECT coalesce(max(seq), 0) FROM ops");
            last.step();
            m_committedSeq = m_durableSeq = last.integer(0);
        }
        m_checkpointer = std::make_unique<Checkpointer>(m_path, m_key);
    }

    void transaction(const std::function<void()>& work) override { m_group.run(work); }

    void addAccount(const Account& a) override
    {
        std::lock_guard lock(m_mutex);
        if (account(a.name))
            throw Error(ErrorCode::Conflict, "account '" + a.name + "' exists already");
        auto s
            = writerStatement("INSERT INTO accounts(name, password_hash, role, disabled) VALUES(?, ?, ?, ?)");
        s->bind(1, a.name).bind(2, a.passwordHash).bind(3, a.role).bind(4, std::int64_t { a.disabled }).run();
    }

    std::optional<Account> account(const std::string& name) override
    {
        const Reader reader(*this);
        auto s
            = reader.statement("SELECT name, password_hash, role, disabled, failed_logins, locked_until_ms "
                               "FROM accounts WHERE name = ?");
        s->bind(1, name);
        if (!s->step())
            return std::nullopt;
        return readAccount(*s);
    }

    std::vector<Account> accounts() override
    {
        const Reader reader(*this);
        auto s
            = reader.statement("SELECT name, password_hash, role, disabled, failed_logins, locked_until_ms "
                               "FROM accounts ORDER BY name");
        std::vector<Account> out;
        while (s->step())
            out.push_back(readAccount(*s));
        return out;
    }

    void setDisabled(const std::string& name, bool disabled) override
    {
        std::lock_guard lock(m_mutex);
        auto s = writerStatement("UPDATE accounts SET disabled = ? WHERE name = ?");
        s->bind(1, std::int64_t { disabled }).bind(2, name).run();
        if (sqlite3_changes(db()) == 0)
            throw Error(ErrorCode::NotFound, "no account '" + name + "'");
    }

    void setLoginFailures(const std::string& name, int failed, std::int64_t lockedUntilMs) override
    {
        std::lock_guard lock(m_mutex);
        auto s = writerStatement("UPDATE accounts SET failed_logins = ?, locked_until_ms = ? WHERE name = ?");
        s->bind(1, std::int64_t { failed }).bind(2, lockedUntilMs).bind(3, name).run();
    }

    void addSession(const Session& x) override
    {
        std::lock_guard lock(m_mutex);
        auto s
            = writerStatement("INSERT INTO sessions(token_hash, account, created_ms, last_used_ms, revoked) "
                              "VALUES(?, ?, ?, ?, ?)");
        s->bind(1, x.tokenHash)
            .bind(2, x.account)
            .bind(3, x.createdMs)
            .bind(4, x.lastUsedMs)
            .bind(5, std::int64_t { x.revoked })
            .run();
    }

    std::optional<Session> session(const std::string& tokenHash) override
    {
        const Reader reader(*this);
        auto s
            = reader.statement("SELECT token_hash, account, created_ms, last_used_ms, revoked FROM sessions "
                               "WHERE token_hash = ?");
        s->bind(1, tokenHash);
        if (!s->step())
            return std::nullopt;
        return Session { s->text(0), s->text(1), s->integer(2), s->integer(3), s->integer(4) != 0 };
    }

    std::optional<SessionAndAccount> sessionWithAccount(const std::string& tokenHash) override
    {
        const Reader reader(*this);
        auto s = reader.statement(
            "SELECT s.token_hash, s.account, s.created_ms, s.last_used_ms, s.revoked, a.name, "
            "a.password_hash, "
            "a.role, a.disabled, a.failed_logins, a.locked_until_ms "
            "FROM sessions s LEFT JOIN accounts a ON a.name = s.account WHERE s.token_hash = ?");
        s->bind(1, tokenHash);
        if (!s->step())
            return std::nullopt;
        SessionAndAccount found {
            { s->text(0), s->text(1), s->integer(2), s->integer(3), s->integer(4) != 0 }, std::nullopt
        };
        if (!s->isNull(5))
            found.account = readAccount(*s, 5);
        return found;
    }

    void touchSession(const std::string& tokenHash, std::int64_t nowMs) override
    {
        std::lock_guard lock(m_mutex);
        auto s = writerStatement("UPDATE sessions SET last_used_ms = ? WHERE token_hash = ?");
        s->bind(1, nowMs).bind(2, tokenHash).run();
    }

    void revokeSession(const std::string& tokenHash) override
    {
        std::lock_guard lock(m_mutex);
        auto s = writerStatement("UPDATE sessions SET revoked = 1 WHERE token_hash = ?");
        s->bind(1, tokenHash).run();
    }

    std::map<std::string, std::int64_t> heldOps(const std::vector<std::string>& opIds) override
    {
        const Reader reader(*this);
        std::map<std::string, std::int64_t> out;
        auto s = reader.statement("SELECT seq FROM ops WHERE op_id = ?");
        for (const auto& id : opIds) {
            s->reset();
            s->bind(1, id);
            if (s->step())
                out[id] = s->integer(0);
        }
        return out;
    }

    std::vector<std::int64_t> insertOps(const std::vector<StoredOp>& ops) override
    {
        std::vector<std::int64_t> seqs;
        transaction([&] {
            seqs.clear(); // the group may run this again
            auto s = writerStatement(
                "INSERT INTO ops(op_id, case_id, doc_id, account, json) VALUES(?, ?, ?, ?, ?)");
            for (const auto& op : ops) {
                s->reset();
                s->bind(1, op.opId)
                    .bind(2, op.caseId)
                    .bind(3, op.docId)
                    .bind(4, op.account)
                    .bind(5, op.json)
                    .run();
                seqs.push_back(sqlite3_last_insert_rowid(db()));
                m_pendingSeq = std::max(m_pendingSeq, seqs.back());
            }
            auto d = writerStatement("INSERT OR IGNORE INTO documents(doc_id, case_id) VALUES(?, ?)");
            for (std::size_t i = 0; i < ops.size(); ++i) {
                if (i > 0 && ops[i].docId == ops[i - 1].docId && ops[i].caseId == ops[i - 1].caseId)
                    continue;
                d->reset();
                d->bind(1, ops[i].docId).bind(2, ops[i].caseId).run();
                if (sqlite3_changes(db()) == 0) {
                    // Listed already: a document never moves (the validation checked against what
                    // was committed; this also holds against a push committed since).
                    auto listed = writerStatement("SELECT case_id FROM documents WHERE doc_id = ?");
                    listed->bind(1, ops[i].docId);
                    if (listed->step() && listed->text(0) != ops[i].caseId)
                        throw Error(ErrorCode::Conflict,
                            "document " + ops[i].docId + " belongs to case " + listed->text(0) + ", not "
                                + ops[i].caseId);
                }
            }
        });
        return seqs;
    }

    // A document's case never changes once an op of it is committed, so a committed answer is
    // kept (every push asks, and a read after a commit would decrypt the index pages afresh).
    std::optional<std::string> caseOfDocument(const std::string& docId) override
    {
        {
            std::lock_guard lock(m_casesMutex);
            if (const auto it = m_caseOfDocument.find(docId); it != m_caseOfDocument.end())
                return it->second;
        }
        const Reader reader(*this);
        auto s = reader.statement("SELECT case_id FROM documents WHERE doc_id = ?");
        s->bind(1, docId);
        if (!s->step())
            return std::nullopt;
        std::string caseId = s->text(0);
        if (reader.committed()) {
            std::lock_guard lock(m_casesMutex);
            if (m_caseOfDocument.size() >= MaxKeptDocuments)
                m_caseOfDocument.clear();
            m_caseOfDocument.emplace(docId, caseId);
        }
        return caseId;
    }

    std::vector<StoredOp> docOps(const std::string& docId, std::int64_t afterSeq) override
    {
        const Reader reader(*this);
        auto s = reader.statement("SELECT seq, op_id, case_id, doc_id, account, json FROM ops "
                                  "WHERE doc_id = ? AND seq > ? ORDER BY seq");
        s->bind(1, docId).bind(2, afterSeq);
        return readOps(*s);
    }

    std::int64_t lastSeq() override
    {
        const Reader reader(*this);
        auto s = reader.statement("SELECT coalesce(max(seq), 0) FROM ops");
        s->step();
        return s->integer(0);
    }

    std::vector<StoredOp> opsForAccount(const std::string& account, std::int64_t after, int limit) override
    {
        const Reader reader(*this);
        // Two parts, so that the usual pull (no new team) reads only ops after the cursor; an op
        // two spans of membership reach comes once, at its first place.
        auto s = reader.statement(
            "SELECT seq, op_id, case_id, doc_id, account, json, min(at) AS at FROM ("
            "SELECT o.*, o.seq AS at FROM case_access a JOIN documents d ON d.case_id = a.case_id "
            "JOIN ops o ON o.doc_id = d.doc_id AND o.case_id = d.case_id AND o.seq > ?1 "
            "WHERE a.account = ?2 AND a.granted_seq <= ?1 AND (a.revoked_seq IS NULL OR o.seq <= "
            "a.revoked_seq) "
            "UNION ALL "
            "SELECT o.*, max(o.seq, a.granted_seq) AS at FROM case_access a JOIN documents d ON d.case_id = "
            "a.case_id JOIN ops o ON o.doc_id = d.doc_id AND o.case_id = d.case_id "
            "WHERE a.account = ?2 AND a.granted_seq > ?1 AND (a.revoked_seq IS NULL OR o.seq <= "
            "a.revoked_seq)"
            ") WHERE seq <= ?4 GROUP BY seq ORDER BY at, seq LIMIT ?3");
        // Only ops whose commit is on disk: what a client has pulled is never lost.
        s->bind(1, after).bind(2, account).bind(3, std::int64_t { limit }).bind(4, m_durableSeq.load());
        std::vector<StoredOp> out;
        while (s->step())
            out.push_back(
                { s->integer(0), s->text(1), s->text(2), s->text(3), s->text(4), s->text(5), s->integer(6) });
        return out;
    }

    void recordAccess(
        const std::string& caseId, const std::string& account, std::int64_t seq, bool member) override
    {
        std::lock_guard lock(m_mutex);
        auto s = writerStatement(member
                ? "INSERT OR IGNORE INTO case_access(case_id, account, granted_seq) VALUES(?1, ?2, ?3)"
                : "UPDATE case_access SET revoked_seq = ?3 WHERE case_id = ?1 AND account = ?2 "
                  "AND revoked_seq IS NULL");
        s->bind(1, caseId).bind(2, account).bind(3, seq).run();
    }

    std::optional<CaseFacts> caseFacts(const std::string& caseId) override
    {
        const Reader reader(*this);
        auto s = reader.statement("SELECT case_doc_id FROM cases WHERE case_id = ?");
        s->bind(1, caseId);
        if (!s->step())
            return std::nullopt;
        CaseFacts f { caseId, s->text(0), {}, {} };
        auto m = reader.statement("SELECT account FROM case_members WHERE case_id = ? ORDER BY account");
        m->bind(1, caseId);
        while (m->step())
            f.members.push_back(m->text(0));
        auto p = reader.statement("SELECT cpr FROM case_persons WHERE case_id = ? ORDER BY cpr");
        p->bind(1, caseId);
        while (p->step())
            f.cprs.push_back(p->text(0));
        return f;
    }

    void setCaseFacts(const CaseFacts& f) override
    {
        transaction([&] {
            auto c = writerStatement("INSERT OR REPLACE INTO cases(case_id, case_doc_id) VALUES(?, ?)");
            c->bind(1, f.caseId).bind(2, f.caseDocId).run();
            auto dm = writerStatement("DELETE FROM case_members WHERE case_id = ?");
            dm->bind(1, f.caseId).run();
            auto dp = writerStatement("DELETE FROM case_persons WHERE case_id = ?");
            dp->bind(1, f.caseId).run();
            auto m = writerStatement("INSERT OR IGNORE INTO case_members(case_id, account) VALUES(?, ?)");
            for (const auto& user : f.members) {
                m->reset();
                m->bind(1, f.caseId).bind(2, user).run();
            }
            auto p = writerStatement("INSERT OR IGNORE INTO case_persons(case_id, cpr) VALUES(?, ?)");
            for (const auto& cpr : f.cprs) {
                p->reset();
                p->bind(1, f.caseId).bind(2, cpr).run();
            }
        });
    }

    std::vector<std::string> casesOf(const std::string& account) override
    {
        const Reader reader(*this);
        auto s = reader.statement("SELECT case_id FROM case_members WHERE account = ? ORDER BY case_id");
        s->bind(1, account);
        std::vector<std::string> out;
        while (s->step())
            out.push_back(s->text(0));
        return out;
    }

    void putTemplate(const std::string& hash, const std::string& text, const std::string& caseId,
        std::int64_t seq) override
    {
        transaction([&] {
            auto t = writerStatement("INSERT OR IGNORE INTO templates(hash, text) VALUES(?, ?)");
            t->bind(1, hash).bind(2, text).run();
            auto l
                = writerStatement("INSERT OR IGNORE INTO template_cases(hash, case_id, seq) VALUES(?, ?, ?)");
            l->bind(1, hash).bind(2, caseId).bind(3, seq).run();
        });
    }

    std::map<std::string, std::string> templatesFor(
        const std::vector<std::string>& caseIds, std::int64_t after) override
    {
        const Reader reader(*this);
        std::map<std::string, std::string> out;
        auto s = reader.statement(
            "SELECT t.hash, t.text FROM template_cases l JOIN templates t ON t.hash = l.hash "
            "WHERE l.case_id = ? AND l.seq > ?");
        for (const auto& id : caseIds) {
            s->reset();
            s->bind(1, id).bind(2, after);
            while (s->step())
                out[s->text(0)] = s->text(1);
        }
        return out;
    }

    void appendAudit(std::vector<AuditEntry> entries) override
    {
        transaction([&] {
            std::int64_t seq = 0;
            std::string prev;
            {
                auto last = writerStatement("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1");
                if (last->step()) {
                    seq = last->integer(0);
                    prev = last->text(1);
                }
            }
            auto s = writerStatement("INSERT INTO audit(seq, time, account, action, case_id, cprs, outcome, "
                                     "detail, prev_hash, hash) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
            for (auto& e : entries) {
                e.seq = ++seq;
                e.prevHash = prev;
                e.hash = auditHash(e);
                prev = e.hash;
                s->reset();
                s->bind(1, e.seq)
                    .bind(2, e.time)
                    .bind(3, e.account)
                    .bind(4, e.action)
                    .bind(5, e.caseId)
                    .bind(6, nlohmann::json(e.cprs).dump())
                    .bind(7, e.outcome)
                    .bind(8, e.detail)
                    .bind(9, e.prevHash)
                    .bind(10, e.hash)
                    .run();
            }
        });
    }

    std::vector<AuditEntry> auditEntries() override
    {
        const Reader reader(*this);
        auto s = reader.statement(
            "SELECT seq, time, account, action, case_id, cprs, outcome, detail, prev_hash, "
            "hash FROM audit ORDER BY seq");
        std::vector<AuditEntry> out;
        while (s->step())
            out.push_back({ s->integer(0), s->text(1), s->text(2), s->text(3), s->text(4),
                jsonStrings(s->text(5)), s->text(6), s->text(7), s->text(8), s->text(9) });
        return out;
    }

    std::string describe() const override { return "SQLCipher " + m_path.string(); }

private:
    sqlite3* db() const { return m_db.get(); }

    // The connection a read uses. The thread running the write transaction reads through it (its
    // own uncommitted writes included); every other read takes an idle read-only connection (WAL:
    // it sees the last commit and waits for no commit's fsync), opened on demand, at most
    // MaxReaders of them.
    // A read-only connection with its kept statements.
    struct ReadConnection {
        explicit ReadConnection(crypto::DbHandle handle)
            : db(std::move(handle))
            , statements(db.get())
        {
        }
        crypto::DbHandle db;
        sql::StatementCache statements; // after db: gone before it closes
    };

    class Reader {
    public:
        explicit Reader(SqlStorage& storage)
            : m_storage(storage)
        {
            if (storage.m_writer.load() == std::this_thread::get_id()) {
                storage.m_mutex.lock();
                m_statements = storage.m_writerStatements.get();
            } else {
                m_pooled = storage.takeReader();
                m_statements = &m_pooled->statements;
            }
        }
        ~Reader()
        {
            if (m_pooled)
                m_storage.giveBackReader(m_pooled);
            else
                m_storage.m_mutex.unlock();
        }
        Reader(const Reader&) = delete;
        Reader& operator=(const Reader&) = delete;
        sql::StatementCache::Loan statement(std::string_view sql) const { return (*m_statements)(sql); }
        // Whether it reads committed data only (not the running write transaction's own writes).
        bool committed() const { return m_pooled != nullptr; }

    private:
        SqlStorage& m_storage;
        sql::StatementCache* m_statements = nullptr;
        ReadConnection* m_pooled = nullptr;
    };

    static constexpr std::size_t MaxReaders = 8;
    static constexpr int WriterCacheKiB = 64 * 1024; // the write connection's page cache
    static constexpr std::size_t MaxKeptDocuments = 100000; // document -> case answers kept

    ReadConnection* takeReader()
    {
        std::unique_lock lock(m_readersMutex);
        m_readerFree.wait(lock, [&] { return !m_idleReaders.empty() || m_readers.size() < MaxReaders; });
        if (!m_idleReaders.empty()) {
            ReadConnection* reader = m_idleReaders.back();
            m_idleReaders.pop_back();
            return reader;
        }
        m_readers.push_back(std::make_unique<ReadConnection>(crypto::openEncryptedDatabase(
            m_path, m_key, crypto::OpenMode::ReadOnly, crypto::Threading::OwnerSerializes)));
        return m_readers.back().get();
    }

    void giveBackReader(ReadConnection* reader)
    {
        {
            std::lock_guard lock(m_readersMutex);
            m_idleReaders.push_back(reader);
        }
        m_readerFree.notify_one();
    }

    // A statement on the write connection (held by the caller: m_mutex or the group's transaction).
    sql::StatementCache::Loan writerStatement(std::string_view sql) { return (*m_writerStatements)(sql); }

    // The group's transaction holds the connection from begin() to commit() or rollback().
    void begin() override
    {
        m_mutex.lock();
        try {
            writerStatement("BEGIN IMMEDIATE")->run();
        } catch (...) {
            m_mutex.unlock();
            throw;
        }
        m_writer = std::this_thread::get_id();
        m_pendingSeq = 0;
    }
    void commit() override
    {
        writerStatement("COMMIT")->run(); // on failure the group calls rollback(), which unlocks
        if (m_pendingSeq > m_committedSeq)
            m_committedSeq = m_pendingSeq;
        m_writer = std::thread::id();
        m_mutex.unlock();
        if (m_checkpointer)
            m_checkpointer->poke();
    }
    // Every commit so far is in the log (the checkpoint syncs what it moves into the file).
    void makeDurable() override
    {
        if (m_log.get() < 0)
            return; // still opening: until then every commit waits for the disk itself
        const std::int64_t upTo = m_committedSeq;
        if (::fdatasync(m_log.get()) != 0)
            throw Error(ErrorCode::Storage,
                m_path.string() + "-wal: cannot sync the write-ahead log: " + std::strerror(errno));
        std::int64_t seen = m_durableSeq;
        while (seen < upTo && !m_durableSeq.compare_exchange_weak(seen, upTo)) { }
    }
    void rollback() noexcept override
    {
        sqlite3_exec(db(), "ROLLBACK", nullptr, nullptr, nullptr);
        m_writer = std::thread::id();
        m_mutex.unlock();
    }

    // The account in columns `first`.. of the statement's row.
    static Account readAccount(sql::Statement& s, int first = 0)
    {
        return { s.text(first), s.text(first + 1), s.text(first + 2), s.integer(first + 3) != 0,
            static_cast<int>(s.integer(first + 4)), s.integer(first + 5) };
    }

    static std::vector<StoredOp> readOps(sql::Statement& s)
    {
        std::vector<StoredOp> out;
        while (s.step())
            out.push_back({ s.integer(0), s.text(1), s.text(2), s.text(3), s.text(4), s.text(5), 0 });
        return out;
    }

    std::filesystem::path m_path;
    crypto::SecretKey m_key; // for the read connections
    crypto::DbHandle m_db;
    std::unique_ptr<sql::StatementCache> m_writerStatements; // after m_db: gone before it closes
    std::recursive_mutex m_mutex;
    std::atomic<std::thread::id> m_writer; // the thread in the write transaction, if any
    Fd m_log; // the write-ahead log, synced by makeDurable()
    std::int64_t m_pendingSeq = 0; // the last op of the running transaction (writer only)
    std::atomic<std::int64_t> m_committedSeq { 0 }; // the last op committed
    std::atomic<std::int64_t> m_durableSeq { 0 }; // the last op whose commit is synced
    std::mutex m_casesMutex;
    std::unordered_map<std::string, std::string> m_caseOfDocument; // committed answers only
    std::mutex m_readersMutex;
    std::condition_variable m_readerFree;
    std::vector<std::unique_ptr<ReadConnection>> m_readers;
    std::vector<ReadConnection*> m_idleReaders;
    GroupCommit m_group;
    std::unique_ptr<Checkpointer> m_checkpointer; // from the end of the constructor on
};

} // namespace

std::unique_ptr<Storage> openSqlStorage(const std::filesystem::path& dataDir)
{
    return std::make_unique<SqlStorage>(dataDir);
}

} // namespace fplan::sync
