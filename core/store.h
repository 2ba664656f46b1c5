// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include "core/document.h"
#include "core/op.h"
#include "core/system_config.h"
#include "crypto/encrypted_db.h"
#include "crypto/kdf.h"

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fplan {

class Checkpointer;
namespace sql {
class Statement;
}

// How a store is opened. ReadOnly never writes to the store's files and works on a store this
// process may only read (a read-only file or folder, another user's backup).
enum class StoreAccess { ReadWrite, ReadOnly };

struct CaseSummary {
    std::string id;
    std::string title;
    std::string journalNumber;
    std::string kle;
    std::string searchText; // lower-case names, journal number and CPR numbers, for case search
};

struct DocumentInfo {
    std::string id;
    std::string caseId;
    std::string templateId;
    std::string templateVersion;
    std::uint64_t createdHlc = 0;
    std::string templateHash; // SHA-256 of the exact template text; empty for older documents
};

// Where ops come from: written here (and so waiting for upload), or received from elsewhere.
enum class OpOrigin { Local, Received };

// The desktop's encrypted case store: one SQLCipher file plus its key-derivation parameters
// (PATH.kdf). It never asks the user anything: it receives a passphrase or a key.
class Store {
public:
    // The core schema version a store has after opening: the number of core migrations
    // (storeMigrations()), so it cannot fall behind the list.
    static int latestSchemaVersion();

    // Creates a new store; refuses if one exists at `path`.
    static void create(const std::filesystem::path& path, std::string_view passphrase,
        const crypto::KdfParams& params = crypto::KdfParams::fresh());
    // Every open process holds a shared lock on the store file; a passphrase change holds it
    // exclusively. An open waits a few seconds for a change to finish, then fails (Conflict).
    // An open that fails writes nothing to the file.
    static Store open(const std::filesystem::path& path, std::string_view passphrase,
        StoreAccess access = StoreAccess::ReadWrite);
    // A ReadOnly open of a store made by an older version migrates it first where the file
    // can be written (otherwise Error(Conflict): it needs an upgrade).
    static Store openWithKey(const std::filesystem::path& path, const crypto::SecretKey& key,
        StoreAccess access = StoreAccess::ReadWrite);
    // The key a passphrase gives for this store (reads PATH.kdf).
    static crypto::SecretKey deriveStoreKey(const std::filesystem::path& path, std::string_view passphrase);
    // Re-encrypts the store in place under a new passphrase (fresh salt). Refused (Conflict)
    // while any other process has the store open, so no other writer can lose an edit to it.
    // A crash at any moment leaves a store that opens with either the old or the new
    // passphrase, with nothing lost (the new key file waits as PATH.kdf.rekey until the data
    // is re-encrypted).
    static void changePassphrase(const std::filesystem::path& path, std::string_view oldPassphrase,
        std::string_view newPassphrase, const crypto::KdfParams& newParams = crypto::KdfParams::fresh());
    static std::filesystem::path kdfPathFor(const std::filesystem::path& path);
    // Every file a store at `path` consists of or leaves beside itself (data, key derivation,
    // SQLite's journals, a passphrase change's files): what a program's output must never replace.
    static std::vector<std::filesystem::path> ownFiles(const std::filesystem::path& path);
    // The files SQLite keeps beside a database at `path` (write-ahead log, its index, journal).
    static std::vector<std::filesystem::path> sqliteSideFiles(const std::filesystem::path& path);

    Store(Store&&) noexcept;
    Store& operator=(Store&&) noexcept;
    ~Store();

    const std::filesystem::path& path() const { return m_path; }
    StoreAccess access() const { return m_access; }
    std::string deviceId() const;
    int schemaVersion() const;

    // Runs `work` in one IMMEDIATE transaction: all of it is stored, or none of it.
    void transaction(const std::function<void()>& work);

    // Settings (config set/get/list). A key the machine's configuration sets (SystemConfig) is
    // read from there, and setting it in the store is refused (Error Conflict naming the file).
    std::optional<std::string> setting(const std::string& key) const;
    void setSetting(const std::string& key, const std::string& value);
    std::map<std::string, std::string> settings() const;
    // The machine's configuration as read when the store was opened.
    const SystemConfig& systemConfig() const { return m_system; }

    // Cases: each case's own data lives in its case document (see case.h). Creating a case or a
    // document is an op (kind create) like any other; the `cases` and `documents` tables are
    // caches of those ops, updated as ops arrive and rebuilt by rebuildCaches().
    void createCase(const std::string& caseId, const std::string& caseDocId, const std::string& author = "");
    std::vector<CaseSummary> listCases() const;
    std::optional<std::string> caseDocumentId(const std::string& caseId) const;
    bool hasCase(const std::string& caseId) const;

    // Writes the document's create op (info.createdHlc is ignored: the op's clock is the time).
    // `seededFrom`: the finalize op ids of the versions its tables were seeded from.
    void createDocument(const DocumentInfo& info, const std::string& author = "",
        const std::vector<std::string>& seededFrom = {});
    // The exact template texts documents were made with, by SHA-256 (they travel with the ops).
    // putTemplate refuses text whose hash is not `hash`.
    void putTemplate(const std::string& hash, const std::string& templateId, const std::string& version,
        const std::string& text);
    std::optional<std::string> templateText(const std::string& hash) const;
    // Derives `cases` and `documents` again from the create ops alone.
    void rebuildCaches();
    std::optional<DocumentInfo> document(const std::string& docId) const;
    std::vector<DocumentInfo> documents(const std::string& caseId) const; // case document excluded

    // Appends ops; an op id already stored is skipped, so repeating a batch is harmless.
    // Returns how many were new. Local ops wait in the upload queue; received ones do not (check
    // received ops with validateOps first).
    std::size_t appendOps(const std::vector<Op>& ops, OpOrigin origin = OpOrigin::Local);
    std::vector<Op> ops(const std::string& docId) const;
    bool hasOp(const std::string& opId) const;
    // Every stored op (of one case), in the order they were stored.
    std::vector<Op> allOps(const std::optional<std::string>& caseId = std::nullopt) const;
    DocumentState documentState(const std::string& docId) const;
    std::size_t opCount() const;
    // Every op stored gets a higher sequence number than all before it, whichever connection
    // stores it (the desktop's own, its background sync, `fplan sync`, another process): an
    // open view remembers the last one it has and asks for what came after.
    std::int64_t lastSeq() const;
    // Ops stored after `seq`, in store order, at most `limit`; `upto` becomes the last seq read
    // (unchanged when there is none).
    std::vector<Op> opsAfter(std::int64_t seq, std::size_t limit, std::int64_t& upto) const;

    // The upload queue: ops written on this device that no case store server holds yet, in
    // local order (at most `limit`). The sync client sends them and then marks them uploaded.
    std::vector<Op> uploadQueue(std::size_t limit) const;
    std::size_t uploadQueueSize() const;
    // Takes these ops out of the upload queue (ids not in it are ignored); returns how many left.
    std::size_t markUploaded(const std::vector<std::string>& opIds);
    // Ops written before this store signed in to a case store server carry a local name; at
    // the first sign-in the queued ones (never sent anywhere) take the account as their author.
    // Returns how many changed.
    std::size_t setQueuedOpsAuthor(const std::string& author);

    // The clock for new ops. It first moves past every op in the file, also those another
    // connection appended (the desktop's background sync has one of its own), so an op made now
    // is later than every op this device has seen. One indexed query for the ops new since.
    HybridClock& clock();

    // For tests and diagnostics: run a statement and return the first column of the first row.
    std::string queryText(const std::string& sql) const;

    // Layers above core keep their own tables in the same encrypted file (delivery's outbox,
    // sync's upload queue). Each names its schema and lists its migrations in order; this
    // applies the ones not yet applied, in one transaction.
    void migrateModule(const std::string& module, const std::vector<const char*>& migrations);
    // The open database, for those layers' own statements (use fplan::sql::Statement).
    sqlite3* handle() const { return m_db.get(); }

private:
    static Store openOnce(
        const std::filesystem::path& path, const crypto::SecretKey& key, StoreAccess access);
    Store(std::filesystem::path path, crypto::DbHandle db);
    bool readOnly() const { return m_access == StoreAccess::ReadOnly; }
    void migrate();
    void enqueueForUpload(std::int64_t seq);
    void refreshCaseIndex(const std::string& caseId);
    void cacheCreation(const Op& op);
    void writeMissingCreateOps();
    static Op opFromRow(sql::Statement& s);

    std::filesystem::path m_path;
    struct LockCloser {
        void operator()(int* fd) const noexcept;
    };
    // The shared (while re-keying: exclusive) lock on the store file; released at close.
    std::unique_ptr<int, LockCloser> m_lock;
    StoreAccess m_access = StoreAccess::ReadWrite;
    crypto::DbHandle m_db;
    std::string m_deviceId;
    HybridClock m_clock;
    std::int64_t m_clockSeq = 0; // the clock has seen the hlc of every op up to this seq
    int m_transactionDepth = 0;
    SystemConfig m_system;
    std::unique_ptr<Checkpointer> m_checkpointer; // destroyed before m_db: it closes first
};

// The one form case search compares: lower case, accents dropped, å as "aa" (see store.cpp).
std::string searchKey(std::string_view text);

// The migrations, in order: migrations()[i] moves a store from version i to version i + 1.
const std::vector<const char*>& storeMigrations();

} // namespace fplan
