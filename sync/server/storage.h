// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include "crypto/kdf.h"

#include <condition_variable>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace fplan::sync {

struct Account {
    std::string name;
    std::string passwordHash; // crypto_pwhash_str form
    std::string role; // "admin" or "member"
    bool disabled = false;
    int failedLogins = 0; // in a row
    std::int64_t lockedUntilMs = 0; // no login attempt is checked before this time
};

struct Session {
    std::string tokenHash; // SHA-256 of the token; the token itself is never stored
    std::string account;
    std::int64_t createdMs = 0;
    std::int64_t lastUsedMs = 0;
    bool revoked = false;
};

struct StoredOp {
    std::int64_t seq = 0;
    std::string opId;
    std::string caseId;
    std::string docId;
    std::string account; // the authenticated account that pushed it
    std::string json; // the op as pushed (core's JSON form)
    // In a pull: the op's place in the account's order. Its seq, or for an op from before the
    // account joined the case's team, the seq of the op that added the account.
    std::int64_t at = 0;
};

// What the server derives from a case's folded case document.
struct CaseFacts {
    std::string caseId;
    std::string caseDocId;
    std::vector<std::string> members; // team rows' "user" values
    std::vector<std::string> cprs; // the persons' CPR numbers
};

struct AuditEntry {
    std::int64_t seq = 0;
    std::string time; // UTC, ISO 8601 with milliseconds
    std::string account;
    std::string action; // login, push, pull, live, logout, user_add, ...
    std::string caseId; // empty when no case is concerned
    std::vector<std::string> cprs;
    std::string outcome; // ok, denied, failed
    std::string detail;
    std::string prevHash;
    std::string hash;
};

// Where the server keeps everything. Two implementations (SQLCipher, PostgreSQL) pass the same
// tests. Every write goes through transaction(): one at a time across all server processes
// sharing the storage, so sequence numbers and the audit chain are assigned in commit order.
// Transactions that arrive while another commits are grouped into the next database transaction
// (see GroupCommit), each still all or nothing and returning only once it is durable.
class Storage {
public:
    virtual ~Storage() = default;

    // Runs `work` in one serialised write transaction; calls made by `work` take part in it. All
    // of it is stored, or nothing; when it returns, it is durable. `work` runs on another thread
    // (the one committing its group) while this one waits, and may run more than once (when
    // another work of its group fails): it assigns its results rather than adding to them.
    virtual void transaction(const std::function<void()>& work) = 0;

    virtual void addAccount(const Account& account) = 0; // Error(Conflict) if the name exists
    virtual std::optional<Account> account(const std::string& name) = 0;
    virtual std::vector<Account> accounts() = 0;
    virtual void setDisabled(const std::string& name, bool disabled) = 0;
    virtual void setLoginFailures(const std::string& name, int failed, std::int64_t lockedUntilMs) = 0;

    virtual void addSession(const Session& session) = 0;
    virtual std::optional<Session> session(const std::string& tokenHash) = 0;
    struct SessionAndAccount {
        Session session;
        std::optional<Account> account; // none when the account is gone
    };
    // The session and its account, as session() and account() give them (one query where the
    // storage can: every request asks for both).
    virtual std::optional<SessionAndAccount> sessionWithAccount(const std::string& tokenHash)
    {
        auto s = session(tokenHash);
        if (!s)
            return std::nullopt;
        auto a = account(s->account);
        return SessionAndAccount { std::move(*s), std::move(a) };
    }
    // The session and its account as this process read them before, where a storage's reads are
    // round trips worth saving (none by default: read them with sessionWithAccount). A push may
    // be authenticated with it: the view read ahead for the push then names the session, and the
    // push's transaction checks that it still holds (see PushView::session).
    virtual std::optional<SessionAndAccount> rememberedSession(const std::string& tokenHash)
    {
        (void)tokenHash;
        return std::nullopt;
    }
    virtual void touchSession(const std::string& tokenHash, std::int64_t nowMs) = 0;
    virtual void revokeSession(const std::string& tokenHash) = 0;

    // Sequence numbers of the op ids the server holds (absent ids are left out).
    virtual std::map<std::string, std::int64_t> heldOps(const std::vector<std::string>& opIds) = 0;
    // Stores ops (their seq is ignored) and returns their sequence numbers, in the same order;
    // a document seen for the first time is listed with its case. Error(Conflict) when a document
    // is listed with another case; inside a transaction that error may come later in it (see
    // GroupCommit::WorkFailed), and fails the work that inserted the ops all the same.
    virtual std::vector<std::int64_t> insertOps(const std::vector<StoredOp>& ops) = 0;
    // The case a document is listed with (that of its first op), if any.
    virtual std::optional<std::string> caseOfDocument(const std::string& docId) = 0;
    virtual std::vector<StoredOp> docOps(const std::string& docId, std::int64_t afterSeq) = 0;
    virtual std::int64_t lastSeq() = 0;
    // The ops `account` may read whose place (StoredOp::at) is after `after`, ordered by place and
    // seq: the ops of each case from the op that added the account to its team up to the op that
    // removed it, and, at the place of the op that added it, the case's ops before that.
    virtual std::vector<StoredOp> opsForAccount(const std::string& account, std::int64_t after, int limit)
        = 0;
    // The op at `seq` added `account` to the case's team (`member`), or removed it.
    virtual void recordAccess(
        const std::string& caseId, const std::string& account, std::int64_t seq, bool member)
        = 0;

    virtual std::optional<CaseFacts> caseFacts(const std::string& caseId) = 0;
    // What a push reads first, in its transaction: which of its op ids are held (heldOps), and
    // the facts of its cases (caseFacts; a case not known yet is left out). One call, so that a
    // storage across a network can ask for both in one round trip.
    struct PushView {
        std::map<std::string, std::int64_t> held;
        std::map<std::string, CaseFacts> facts;
        // In a view read ahead, the token hash of the session the push was authenticated with:
        // the check that the view still holds also checks that this session does (neither revoked
        // nor its account disabled). Empty: no session to check.
        std::string session;
    };
    // `ahead`, when given, is the same view read before the transaction (pushViewAhead). A storage
    // that can check later in the transaction that it still holds may answer with it rather than
    // read; when it no longer holds, the transaction throws StaleView.
    virtual PushView pushView(const std::vector<std::string>& opIds, const std::vector<std::string>& caseIds,
        const std::optional<PushView>& ahead = std::nullopt)
    {
        (void)ahead;
        PushView view { heldOps(opIds), {}, {} };
        for (const auto& caseId : caseIds)
            if (auto f = caseFacts(caseId))
                view.facts.emplace(caseId, std::move(*f));
        return view;
    }
    // The push view read before the push's transaction, by a storage whose reads inside it would
    // each be a round trip under the write lock (none where reading inside costs less than
    // checking it). Usually still true when the transaction runs; see pushView. It may leave out
    // what that check catches by itself (PostgreSQL reads no held ops: the insert of a held op
    // fails on its unique id, and is reported as StaleView).
    virtual std::optional<PushView> pushViewAhead(
        const std::vector<std::string>& opIds, const std::vector<std::string>& caseIds)
    {
        (void)opIds;
        (void)caseIds;
        return std::nullopt;
    }
    // A view read ahead no longer held when its transaction committed: another push stored one of
    // its ops, or changed one of its cases, meanwhile. Nothing of the transaction's work is
    // stored; it is to run again with a view read inside.
    struct StaleView : std::runtime_error {
        using std::runtime_error::runtime_error;
    };
    virtual void setCaseFacts(const CaseFacts& facts) = 0;
    virtual std::vector<std::string> casesOf(const std::string& account) = 0;

    virtual void putTemplate(
        const std::string& hash, const std::string& text, const std::string& caseId, std::int64_t seq)
        = 0;
    // Templates linked to these cases at a sequence number above `after`.
    virtual std::map<std::string, std::string> templatesFor(
        const std::vector<std::string>& caseIds, std::int64_t after)
        = 0;

    // Appends entries to the chain (fills seq, prevHash, hash).
    virtual void appendAudit(std::vector<AuditEntry> entries) = 0;
    virtual std::vector<AuditEntry> auditEntries() = 0; // all, in order

    // What other processes sharing this storage tell this one (see listen).
    struct RemoteEvents {
        // Ops they committed: the case and its new last sequence number.
        std::function<void(const std::string& caseId, std::int64_t seq)> ops;
        // A live client's presence there: the sending process's tag and its presence frame.
        std::function<void(const std::string& origin, const std::string& frame)> presence;
    };
    // Calls `events` for what other processes sharing this storage announce, from a thread of
    // its own, until the storage is destroyed. No-op where nobody shares. Ops are announced by
    // the transaction that inserts them, when it commits.
    virtual void listen(RemoteEvents events) { (void)events; }
    // Tells other processes what a live client connected here says (a presence frame).
    virtual void announcePresence(const std::string& frame) { (void)frame; }

    virtual std::string describe() const = 0; // for logs: "SQLCipher DIR/server.db"
};

// Group commit. One thread of its own commits the transactions: it takes every caller of run()
// waiting (at most `maxGroup`), begins one database transaction, runs their works in arrival
// order, commits once, and goes straight on with the callers that arrived meanwhile. No caller's
// thread has to be woken and scheduled between two groups, so on a busy machine the write lock
// is not left idle in between. A work that throws fails only its own caller: the transaction is
// rolled back and the group run again without it, so a work must be safe to run more than once
// (it reads what it needs inside the transaction and assigns, not accumulates, its results).
// Every caller returns after its work is durable (or with the error that stopped it): one caller
// of each group waits for the disk (Database::makeDurable) while the next group commits, and then
// tells the others. A run() from inside a work joins the running one.
class GroupCommit {
public:
    // The storage's side: one database transaction.
    class Database {
    public:
        virtual ~Database() = default;
        virtual void begin() = 0;
        virtual void commit() = 0;
        virtual void rollback() noexcept = 0;
        // Makes every commit so far durable. Called after commit(), on a thread of the group's
        // callers, while the next group commits; the group's callers return after it. A storage
        // whose commit is durable by itself does nothing here.
        virtual void makeDurable() { }
    };

    // A database may send a work's write without waiting for its answer: the answer is read with
    // the next round trip, of a later work or of the commit. When that answer is a failure, the
    // database throws this, naming the work (see currentWork) the write belonged to: that work
    // fails with `error`, and the group runs again without it.
    struct WorkFailed {
        std::size_t work;
        std::exception_ptr error;
    };
    // On the thread committing a group, inside a work: the work's place in the group's current
    // run, for WorkFailed.
    static std::size_t currentWork();

    // Starts the committing thread; `database` is not called before the first run().
    explicit GroupCommit(Database& database, std::size_t maxGroup = 64);
    ~GroupCommit(); // commits what is waiting, then stops the thread
    GroupCommit(const GroupCommit&) = delete;
    GroupCommit& operator=(const GroupCommit&) = delete;
    void run(const std::function<void()>& work);
    // How many callers wait for a group to take their work.
    std::size_t waiting() const;

private:
    struct Job;
    void commitLoop();
    void commitGroup(const std::vector<Job*>& group);

    Database& m_database;
    std::size_t m_maxGroup;
    mutable std::mutex m_mutex;
    std::condition_variable m_arrived; // a caller is waiting, or the destructor
    std::vector<Job*> m_waiting; // in arrival order
    bool m_stopping = false;
    std::thread m_committer; // last: started once the members above exist
};

// The tables and indexes both storages hold, in the dialect's types (each adds its own guard on
// the audit table), and the one data step a server made by an older version needs.
struct SqlDialect {
    const char* int64; // INTEGER (SQLite) or BIGINT
    const char* boolean; // INTEGER (SQLite) or BOOLEAN
    const char* falseValue; // 0 or false
    // Every text column holds ids, hashes, JSON or log text, compared byte by byte: TEXT
    // (SQLite's default) or TEXT COLLATE "C" (PostgreSQL's default collation is the database's
    // language, whose comparisons cost many times as much on every index lookup).
    const char* text;
};
std::string tableSchema(const SqlDialect& dialect);

// The entry's hash over the previous hash and its own fields (the chain's one rule).
std::string auditHash(const AuditEntry& entry);

// The SQLCipher storage's key: 64 hex digits from $FPLAN_SERVER_KEY, else from DIR/db.key, made
// (0600) on first start.
crypto::SecretKey serverKey(const std::filesystem::path& dataDir);
// DIR/server.db with the key from $FPLAN_SERVER_KEY or DIR/db.key (made on first use).
std::unique_ptr<Storage> openSqlStorage(const std::filesystem::path& dataDir);
// A libpq connection string; the schema is created on first use.
std::unique_ptr<Storage> openPostgresStorage(const std::string& url);

} // namespace fplan::sync
