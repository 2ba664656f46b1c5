// SPDX-License-Identifier: EUPL-1.2
#include "core/store.h"

#include "base/durable_file.h"
#include "base/error.h"
#include "base/limits.h"
#include "core/case.h"
#include "core/checkpointer.h"
#include "core/op_validation.h"
#include "core/sql.h"
#include "crypto/hash.h"
#include "crypto/random.h"

#include <sqlite3.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <set>
#include <sstream>
#include <sys/file.h>
#include <unistd.h>

namespace fplan {

namespace fs = std::filesystem;

namespace {

constexpr const char* StoreFormat = "familieplan-store";
constexpr std::size_t SnapshotMinTail = 256; // ops after a document's snapshot before a new one
constexpr const char* OpColumns
    = "SELECT op_id, case_id, doc_id, kind, path, value, text_merge, author, device, hlc, "
      "parents, format, seq FROM ops"; // opFromRow reads the op; column 12 is its seq

const std::vector<const char*> Migrations = {
    // 1: the op log, the documents and cases it belongs to, settings.
    R"(CREATE TABLE settings(key TEXT PRIMARY KEY, value TEXT NOT NULL);
       CREATE TABLE cases(case_id TEXT PRIMARY KEY, case_doc_id TEXT NOT NULL UNIQUE,
                          title TEXT NOT NULL DEFAULT '', journal_number TEXT NOT NULL DEFAULT '',
                          kle TEXT NOT NULL DEFAULT '', search_text TEXT NOT NULL DEFAULT '');
       CREATE TABLE documents(doc_id TEXT PRIMARY KEY, case_id TEXT NOT NULL REFERENCES cases(case_id),
                              template_id TEXT NOT NULL, template_version TEXT NOT NULL,
                              created_hlc INTEGER NOT NULL);
       CREATE INDEX documents_by_case ON documents(case_id);
       CREATE TABLE ops(seq INTEGER PRIMARY KEY AUTOINCREMENT, op_id TEXT NOT NULL UNIQUE,
                        case_id TEXT NOT NULL, doc_id TEXT NOT NULL, kind TEXT NOT NULL,
                        path TEXT NOT NULL, value TEXT NOT NULL, text_merge INTEGER NOT NULL,
                        author TEXT NOT NULL, device TEXT NOT NULL, hlc INTEGER NOT NULL,
                        parents TEXT NOT NULL);
       CREATE INDEX ops_by_doc ON ops(doc_id, seq);)",
    // 2: ops written on this device wait here until a case store server acknowledges them.
    R"(CREATE TABLE upload_queue(seq INTEGER PRIMARY KEY REFERENCES ops(seq));
       INSERT INTO upload_queue(seq) SELECT seq FROM ops
         WHERE device = (SELECT value FROM meta WHERE key = 'device_id');)",
    // 3: ops carry their format; documents name the exact template text they were made with,
    // which is kept here by its SHA-256.
    // `cases` and `documents` become caches of the create ops (rebuildCaches), so a document
    // may arrive before its case: no foreign key between them any more.
    R"(ALTER TABLE ops ADD COLUMN format INTEGER NOT NULL DEFAULT 1;
       CREATE INDEX ops_by_kind ON ops(kind);
       CREATE TABLE documents_v3(doc_id TEXT PRIMARY KEY, case_id TEXT NOT NULL,
                                 template_id TEXT NOT NULL, template_version TEXT NOT NULL,
                                 created_hlc INTEGER NOT NULL, template_hash TEXT NOT NULL DEFAULT '',
                                 create_op TEXT NOT NULL DEFAULT '');
       INSERT INTO documents_v3(doc_id, case_id, template_id, template_version, created_hlc)
         SELECT doc_id, case_id, template_id, template_version, created_hlc FROM documents;
       DROP TABLE documents;
       ALTER TABLE documents_v3 RENAME TO documents;
       CREATE INDEX documents_by_case ON documents(case_id);
       ALTER TABLE cases ADD COLUMN create_op TEXT NOT NULL DEFAULT '';
       CREATE TABLE templates(hash TEXT PRIMARY KEY, template_id TEXT NOT NULL,
                              version TEXT NOT NULL, text BLOB NOT NULL);)",
    // 4: a cache of each document's folded state (DocumentState::snapshot) and the last op it
    // covers; opening a document folds only the ops stored after it. Any row may be deleted.
    R"(CREATE TABLE doc_snapshots(doc_id TEXT PRIMARY KEY, case_id TEXT NOT NULL,
                                  upto_seq INTEGER NOT NULL, op_count INTEGER NOT NULL,
                                  format INTEGER NOT NULL, state BLOB NOT NULL);)",
};

void fsyncPath(const fs::path& path, bool directory)
{
    const int fd = ::open(path.c_str(), directory ? O_RDONLY | O_DIRECTORY : O_RDONLY);
    if (fd < 0)
        throw Error(ErrorCode::Storage, path.string() + ": cannot open to sync");
    const int rc = ::fsync(fd);
    ::close(fd);
    if (rc != 0)
        throw Error(ErrorCode::Storage, path.string() + ": fsync failed");
}

fs::path parentOf(const fs::path& path)
{
    return path.has_parent_path() ? path.parent_path() : fs::path(".");
}

// The key files go through the one durable writer (private, whole or not at all).
void writeDurably(const fs::path& path, const std::string& content)
{
    writeFileDurably(path, content, { .force = true, .protectedFiles = {} });
}

// Waits up to ~10 s for a lock another process holds (a passphrase change takes about a second).
bool takeLock(int fd, int how)
{
    for (int attempt = 0; attempt < 100; ++attempt) {
        if (::flock(fd, how | LOCK_NB) == 0)
            return true;
        if (errno != EWOULDBLOCK && errno != EINTR)
            return false;
        ::usleep(100 * 1000);
    }
    return false;
}

std::string readWhole(const fs::path& path)
{
    return readFileBounded(path, limits::KdfFileBytes, "key-derivation file");
}

fs::path rekeyKdfPath(const fs::path& path)
{
    return path.string() + ".kdf.rekey";
}

fs::path rekeyDataPath(const fs::path& path)
{
    return path.string() + ".rekey";
}

void removeQuietly(const fs::path& path)
{
    std::error_code ec;
    fs::remove(path, ec);
}

void removeDatabaseFiles(const fs::path& db)
{
    removeQuietly(db);
    removeQuietly(db.string() + "-wal");
    removeQuietly(db.string() + "-shm");
    removeQuietly(db.string() + "-journal");
}

crypto::KdfParams readKdf(const fs::path& kdfPath)
{
    return crypto::KdfParams::fromJson(readWhole(kdfPath), kdfPath.string());
}

} // namespace

namespace {

// What each letter of U+00C0..U+00FF and U+0100..U+017F becomes in a search key; '.' keeps the
// letter (lower-cased), '1' is "aa", '3' "oe", '4' "ij", '5' "ss", '6' "th".
// Danish letters: å is "aa" (Aagaard and Ågård are one name), æ and ø stay themselves (they are
// on every Danish keyboard); every other accented letter loses its accent (Şahin, Łukasz, Öztürk).
// Text folded twice is folded once, so text stored by an older version (only lower-cased) can be
// folded again when it is read.
constexpr std::string_view Latin1Fold = "aaaaa1.ceeeeiiiidnooooo..uuuuy65aaaaa1.ceeeeiiiidnooooo..uuuuy6y";
constexpr std::string_view LatinExtendedAFold
    = "aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiii44jjkkkllllllllll"
      "nnnnnnnnnoooooo33rrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs";

void appendFolded(std::string& out, char folded)
{
    switch (folded) {
    case '1':
        out += "aa";
        break;
    case '3':
        out += "oe";
        break;
    case '4':
        out += "ij";
        break;
    case '5':
        out += "ss";
        break;
    case '6':
        out += "th";
        break;
    default:
        out += folded;
    }
}

} // namespace

std::string searchKey(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c < 0x80) {
            out += static_cast<char>(std::tolower(c));
            continue;
        }
        // Two-byte UTF-8 sequences C3 80 .. C5 BF are U+00C0..U+017F.
        const auto next = i + 1 < text.size() ? static_cast<unsigned char>(text[i + 1]) : 0;
        if (c >= 0xC3 && c <= 0xC5 && next >= 0x80 && next <= 0xBF) {
            const unsigned codePoint = ((c & 0x1Fu) << 6) | (next & 0x3Fu);
            const char folded
                = codePoint < 0x100 ? Latin1Fold[codePoint - 0xC0] : LatinExtendedAFold[codePoint - 0x100];
            if (folded == '.') { // æ, ø, × and ÷: lower case only (Æ and Ø are 0x20 below æ and ø)
                out += static_cast<char>(c);
                out += static_cast<char>(codePoint == 0xC6 || codePoint == 0xD8 ? next + 0x20 : next);
            } else {
                appendFolded(out, folded);
            }
            ++i;
            continue;
        }
        out += static_cast<char>(c);
    }
    return out;
}

const std::vector<const char*>& storeMigrations()
{
    return Migrations;
}

int Store::latestSchemaVersion()
{
    return static_cast<int>(Migrations.size());
}

std::vector<fs::path> Store::ownFiles(const fs::path& path)
{
    std::vector<fs::path> out { path, kdfPathFor(path), rekeyKdfPath(path), rekeyDataPath(path) };
    for (auto& side : sqliteSideFiles(path))
        out.push_back(std::move(side));
    return out;
}

std::vector<fs::path> Store::sqliteSideFiles(const fs::path& path)
{
    return { path.string() + "-wal", path.string() + "-shm", path.string() + "-journal" };
}

fs::path Store::kdfPathFor(const fs::path& path)
{
    return path.string() + ".kdf";
}

Store::Store(fs::path path, crypto::DbHandle db)
    : m_path(std::move(path))
    , m_db(std::move(db))
{
}

void Store::LockCloser::operator()(int* fd) const noexcept
{
    if (fd && *fd >= 0)
        ::close(*fd); // releases the flock
    delete fd;
}
Store::Store(Store&&) noexcept = default;
Store& Store::operator=(Store&&) noexcept = default;
Store::~Store() = default;

void Store::create(const fs::path& path, std::string_view passphrase, const crypto::KdfParams& params)
{
    if (passphrase.empty())
        throw Error(ErrorCode::BadInput, "the passphrase must not be empty");
    std::error_code ec;
    if (fs::exists(path, ec) || fs::exists(kdfPathFor(path), ec))
        throw Error(ErrorCode::Conflict, path.string() + ": a store already exists there; not overwritten");
    const auto key = crypto::deriveKey(passphrase, params);
    try {
        auto db = crypto::openEncryptedDatabase(path, key, crypto::OpenMode::CreateNew);
        sql::exec(db.get(), "BEGIN IMMEDIATE");
        sql::exec(db.get(), "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)");
        sql::Statement put(db.get(), "INSERT INTO meta(key, value) VALUES(?, ?)");
        put.bind(1, "format").bind(2, StoreFormat).run();
        put.reset();
        put.bind(1, "device_id").bind(2, crypto::newUuid()).run();
        put.reset();
        put.bind(1, "schema_version").bind(2, "0").run();
        sql::exec(db.get(), "COMMIT");
        writeDurably(kdfPathFor(path), params.toJson());
    } catch (...) {
        removeDatabaseFiles(path);
        throw;
    }
    openWithKey(path, key); // applies the migrations
}

crypto::SecretKey Store::deriveStoreKey(const fs::path& path, std::string_view passphrase)
{
    return crypto::deriveKey(passphrase, readKdf(kdfPathFor(path)));
}

Store Store::open(const fs::path& path, std::string_view passphrase, StoreAccess access)
{
    std::error_code ec;
    if (!fs::exists(path, ec))
        throw Error(ErrorCode::NotFound, path.string() + ": no store there (fplan init creates one)");
    const fs::path kdf = kdfPathFor(path);
    const fs::path pendingKdf = rekeyKdfPath(path);
    try {
        Store store = openWithKey(path, deriveStoreKey(path, passphrase), access);
        // A passphrase change that stopped before its commit point leaves only leftovers (no
        // change is running: it would hold the lock this open has taken).
        if (access == StoreAccess::ReadWrite) {
            removeQuietly(pendingKdf);
            removeDatabaseFiles(rekeyDataPath(path));
        }
        return store;
    } catch (const Error& e) {
        if (e.code() != ErrorCode::WrongPassphrase || !fs::exists(pendingKdf, ec))
            throw;
    }
    // The change re-encrypted the data but did not get to install its key file: finish it.
    Store store = openWithKey(path, crypto::deriveKey(passphrase, readKdf(pendingKdf)), access);
    if (access == StoreAccess::ReadWrite) {
        fs::rename(pendingKdf, kdf);
        fsyncPath(parentOf(path), true);
    }
    return store;
}

namespace {

// A read-only open of a store whose schema is older than this program's.
class NeedsUpgrade : public Error {
public:
    using Error::Error;
};

} // namespace

Store Store::openWithKey(const fs::path& path, const crypto::SecretKey& key, StoreAccess access)
{
    try {
        return openOnce(path, key, access);
    } catch (const NeedsUpgrade&) {
        // A store made by an older version, opened by a command that only reads (doc show after an
        // upgrade): where the file can be written, one writable open migrates it, then it is read.
        const std::string folder = path.has_parent_path() ? path.parent_path().string() : ".";
        if (::access(path.c_str(), W_OK) != 0 || ::access(folder.c_str(), W_OK) != 0)
            throw;
        openOnce(path, key, StoreAccess::ReadWrite);
        return openOnce(path, key, access);
    }
}

Store Store::openOnce(const fs::path& path, const crypto::SecretKey& key, StoreAccess access)
{
    SystemConfig machine = SystemConfig::load(); // a broken configuration stops before the store
    const bool readOnly = access == StoreAccess::ReadOnly;
    std::unique_ptr<int, LockCloser> lock(new int(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW)));
    if (*lock < 0)
        throw Error(ErrorCode::NotFound, path.string() + ": cannot open the store: " + std::strerror(errno));
    if (!takeLock(*lock, LOCK_SH))
        throw Error(
            ErrorCode::Conflict, path.string() + ": its passphrase is being changed; try again in a moment");
    auto db = crypto::openEncryptedDatabase(
        path, key, readOnly ? crypto::OpenMode::ReadOnly : crypto::OpenMode::ExistingOnly);
    {
        sql::Statement hasMeta(db.get(), "SELECT count(*) FROM sqlite_master WHERE name = 'meta'");
        hasMeta.step();
        bool ours = hasMeta.integer(0) == 1;
        if (ours) {
            sql::Statement format(db.get(), "SELECT value FROM meta WHERE key = 'format'");
            ours = format.step() && format.text(0) == StoreFormat;
        }
        if (!ours)
            throw Error(ErrorCode::WrongPassphrase, crypto::wrongKeyMessage(path));
    }
    Store store(path, std::move(db));
    store.m_system = std::move(machine);
    store.m_lock = std::move(lock);
    store.m_access = access;
    store.migrate();
    store.m_deviceId = store.queryText("SELECT value FROM meta WHERE key = 'device_id'");
    if (!readOnly)
        store.writeMissingCreateOps(); // a read-only open never writes; the next writable one does
    if (!readOnly) {
        sql::exec(store.handle(), "PRAGMA wal_autocheckpoint = 0");
        store.m_checkpointer = std::make_unique<Checkpointer>(path, key);
    }
    store.clock();
    return store;
}

HybridClock& Store::clock()
{
    sql::Statement s(handle(), "SELECT max(hlc), max(seq) FROM ops WHERE seq > ?");
    s.bind(1, m_clockSeq);
    if (s.step() && !s.isNull(1)) {
        m_clock.observe(static_cast<std::uint64_t>(s.integer(0)));
        m_clockSeq = s.integer(1);
    }
    return m_clock;
}

void Store::changePassphrase(const fs::path& path, std::string_view oldPassphrase,
    std::string_view newPassphrase, const crypto::KdfParams& newParams)
{
    if (newPassphrase.empty())
        throw Error(ErrorCode::BadInput, "the new passphrase must not be empty");
    Store store = open(path, oldPassphrase);
    // In place, under an exclusive lock: a process that has the store open (the desktop, a long
    // `doc fill`) keeps the lock shared, so it can never write to a file re-keyed under it.
    if (::flock(*store.m_lock, LOCK_EX | LOCK_NB) != 0)
        throw Error(ErrorCode::Conflict,
            path.string()
                + ": the store is open in another program (the desktop "
                  "program or another fplan); close it and try again. "
                  "The passphrase is not changed");
    const auto newKey = crypto::deriveKey(newPassphrase, newParams);
    store.m_checkpointer.reset(); // its connection has the old key
    sql::exec(store.handle(), "PRAGMA wal_checkpoint(TRUNCATE)");
    // 1. The new key file waits beside the store; 2. the data is re-encrypted in one transaction
    // (the commit point); 3. the new key file replaces the old one. Store::open finishes step 3
    // after a crash, and removes a waiting key file that step 2 never committed.
    writeDurably(rekeyKdfPath(path), newParams.toJson());
    crypto::rekeyInPlace(store.handle(), newKey);
    sql::exec(store.handle(), "PRAGMA wal_checkpoint(TRUNCATE)");
    fs::rename(rekeyKdfPath(path), kdfPathFor(path));
    fsyncPath(parentOf(path), true);
}

std::string Store::deviceId() const
{
    return m_deviceId;
}

int Store::schemaVersion() const
{
    sql::Statement s(handle(), "SELECT value FROM meta WHERE key = 'schema_version'");
    return s.step() ? std::stoi(s.text(0)) : 0;
}

void Store::migrateModule(const std::string& module, const std::vector<const char*>& migrations)
{
    const std::string key = module == "core" ? "schema_version" : "schema_version:" + module;
    auto storedVersion = [&] {
        sql::Statement s(handle(), "SELECT value FROM meta WHERE key = ?");
        s.bind(1, key);
        return s.step() ? std::stoi(s.text(0)) : 0;
    };
    auto check = [&](int version) {
        if (version > static_cast<int>(migrations.size()))
            throw Error(ErrorCode::Conflict,
                m_path.string() + ": made by a newer Familieplan (" + module + " schema "
                    + std::to_string(version) + "); update the program");
    };
    // Read first, outside a write transaction: an up-to-date store is not written to on open.
    const int current = storedVersion();
    check(current);
    if (current == static_cast<int>(migrations.size()))
        return;
    if (readOnly())
        throw NeedsUpgrade(ErrorCode::Conflict,
            m_path.string() + ": needs an upgrade (" + module
                + " schema); open it once where it can be written");
    transaction([&] {
        const int version = storedVersion();
        check(version);
        for (auto i = static_cast<std::size_t>(version); i < migrations.size(); ++i)
            sql::exec(handle(), migrations[i]);
        sql::Statement put(handle(), "INSERT OR REPLACE INTO meta(key, value) VALUES(?, ?)");
        put.bind(1, key).bind(2, std::to_string(migrations.size())).run();
    });
}

void Store::migrate()
{
    migrateModule("core", Migrations);
}

void Store::transaction(const std::function<void()>& work)
{
    if (m_transactionDepth > 0) {
        work(); // nested: the outer transaction commits or rolls back everything
        return;
    }
    sql::exec(handle(), "BEGIN IMMEDIATE");
    ++m_transactionDepth;
    try {
        work();
        --m_transactionDepth;
        sql::exec(handle(), "COMMIT");
        if (m_checkpointer)
            m_checkpointer->poke();
    } catch (...) {
        m_transactionDepth = 0;
        sqlite3_exec(handle(), "ROLLBACK", nullptr, nullptr, nullptr);
        throw;
    }
}

std::optional<std::string> Store::setting(const std::string& key) const
{
    if (auto fromMachine = m_system.value(key))
        return fromMachine;
    sql::Statement s(handle(), "SELECT value FROM settings WHERE key = ?");
    s.bind(1, key);
    if (!s.step())
        return std::nullopt;
    return s.text(0);
}

void Store::setSetting(const std::string& key, const std::string& value)
{
    if (m_system.value(key))
        throw Error(ErrorCode::Conflict,
            key + " is set for this machine in " + m_system.file().string() + "; ask IT to change it there");
    sql::Statement s(handle(), "INSERT OR REPLACE INTO settings(key, value) VALUES(?, ?)");
    s.bind(1, key).bind(2, value).run();
}

std::map<std::string, std::string> Store::settings() const
{
    std::map<std::string, std::string> all;
    sql::Statement s(handle(), "SELECT key, value FROM settings ORDER BY key");
    while (s.step())
        all[s.text(0)] = s.text(1);
    for (const auto& [key, value] : m_system.values())
        all[key] = value;
    return all;
}

void Store::createCase(const std::string& caseId, const std::string& caseDocId, const std::string& author)
{
    createDocument({ caseDocId, caseId, CaseTemplateId, "1", 0, "" }, author);
}

std::vector<CaseSummary> Store::listCases() const
{
    std::vector<CaseSummary> cases;
    sql::Statement s(handle(),
        "SELECT case_id, title, journal_number, kle, search_text FROM cases "
        "ORDER BY title, case_id");
    while (s.step())
        cases.push_back({ s.text(0), s.text(1), s.text(2), s.text(3), s.text(4) });
    return cases;
}

std::optional<std::string> Store::caseDocumentId(const std::string& caseId) const
{
    sql::Statement s(handle(), "SELECT case_doc_id FROM cases WHERE case_id = ?");
    s.bind(1, caseId);
    if (!s.step())
        return std::nullopt;
    return s.text(0);
}

bool Store::hasCase(const std::string& caseId) const
{
    return caseDocumentId(caseId).has_value();
}

void Store::createDocument(
    const DocumentInfo& info, const std::string& author, const std::vector<std::string>& seededFrom)
{
    OpFactory factory(author, m_deviceId, clock());
    Op op = factory.create(info.caseId, info.id, info.templateId, info.templateVersion, info.templateHash);
    if (!seededFrom.empty())
        op.value["seeded_from"] = seededFrom;
    appendOps({ op });
}

void Store::putTemplate(const std::string& hash, const std::string& templateId, const std::string& version,
    const std::string& text)
{
    if (crypto::sha256Hex(text) != hash)
        throw Error(ErrorCode::BadInput,
            "template " + templateId + " " + version + ": its text does not have the hash " + hash);
    sql::Statement s(
        handle(), "INSERT OR IGNORE INTO templates(hash, template_id, version, text) VALUES(?, ?, ?, ?)");
    s.bind(1, hash).bind(2, templateId).bind(3, version).bind(4, text).run();
}

std::optional<std::string> Store::templateText(const std::string& hash) const
{
    sql::Statement s(handle(), "SELECT text FROM templates WHERE hash = ?");
    s.bind(1, hash);
    if (!s.step())
        return std::nullopt;
    return s.text(0);
}

void Store::cacheCreation(const Op& op)
{
    const std::string templateId = op.value.value("template_id", "");
    // Two create ops for one document (or two case documents for one case): the lowest op id
    // wins on every replica, whatever order they arrived in.
    sql::Statement doc(handle(), "SELECT create_op FROM documents WHERE doc_id = ?");
    doc.bind(1, op.docId);
    if (doc.step() && !doc.text(0).empty() && doc.text(0) <= op.id)
        return;
    sql::Statement put(handle(),
        "INSERT OR REPLACE INTO documents(doc_id, case_id, template_id, template_version, "
        "created_hlc, template_hash, create_op) VALUES(?, ?, ?, ?, ?, ?, ?)");
    put.bind(1, op.docId)
        .bind(2, op.caseId)
        .bind(3, templateId)
        .bind(4, op.value.value("template_version", ""));
    put.bind(5, static_cast<std::int64_t>(op.hlc))
        .bind(6, op.value.value("template_hash", ""))
        .bind(7, op.id)
        .run();
    if (templateId != CaseTemplateId)
        return;
    sql::Statement kase(handle(), "SELECT create_op FROM cases WHERE case_id = ?");
    kase.bind(1, op.caseId);
    if (kase.step()) {
        if (!kase.text(0).empty() && kase.text(0) <= op.id)
            return;
        sql::Statement update(handle(), "UPDATE cases SET case_doc_id = ?, create_op = ? WHERE case_id = ?");
        update.bind(1, op.docId).bind(2, op.id).bind(3, op.caseId).run();
        return;
    }
    sql::Statement insert(handle(), "INSERT INTO cases(case_id, case_doc_id, create_op) VALUES(?, ?, ?)");
    insert.bind(1, op.caseId).bind(2, op.docId).bind(3, op.id).run();
}

void Store::rebuildCaches()
{
    transaction([&] {
        sql::exec(handle(), "DELETE FROM documents; DELETE FROM cases; DELETE FROM doc_snapshots;");
        std::vector<Op> creates;
        {
            sql::Statement s(handle(), std::string(OpColumns) + " WHERE kind = 'create' ORDER BY op_id");
            while (s.step())
                creates.push_back(opFromRow(s));
        }
        for (const Op& op : creates)
            if (!foldSkipReason(op))
                cacheCreation(op);
        for (const auto& c : listCases())
            refreshCaseIndex(c.id);
    });
}

void Store::writeMissingCreateOps()
{
    std::vector<DocumentInfo> missing;
    {
        sql::Statement s(handle(),
            "SELECT doc_id, case_id, template_id, template_version, created_hlc FROM documents "
            "WHERE create_op = ''");
        while (s.step())
            missing.push_back(
                { s.text(0), s.text(1), s.text(2), s.text(3), static_cast<std::uint64_t>(s.integer(4)), "" });
    }
    if (missing.empty())
        return;
    // Documents made before creation was an op: write the op now, stamped with their creation
    // time, so that they travel like any other.
    transaction([&] {
        for (const auto& info : missing) {
            OpFactory factory("", m_deviceId, m_clock);
            Op op = factory.create(info.caseId, info.id, info.templateId, info.templateVersion, "");
            op.hlc = info.createdHlc;
            appendOps({ op });
        }
    });
}

std::optional<DocumentInfo> Store::document(const std::string& docId) const
{
    sql::Statement s(handle(),
        "SELECT doc_id, case_id, template_id, template_version, created_hlc, template_hash "
        "FROM documents WHERE doc_id = ?");
    s.bind(1, docId);
    if (!s.step())
        return std::nullopt;
    return DocumentInfo { s.text(0), s.text(1), s.text(2), s.text(3),
        static_cast<std::uint64_t>(s.integer(4)), s.text(5) };
}

std::vector<DocumentInfo> Store::documents(const std::string& caseId) const
{
    std::vector<DocumentInfo> docs;
    sql::Statement s(handle(),
        "SELECT doc_id, case_id, template_id, template_version, created_hlc, template_hash "
        "FROM documents WHERE case_id = ? AND template_id <> ? "
        "ORDER BY created_hlc, doc_id");
    s.bind(1, caseId).bind(2, CaseTemplateId);
    while (s.step())
        docs.push_back({ s.text(0), s.text(1), s.text(2), s.text(3), static_cast<std::uint64_t>(s.integer(4)),
            s.text(5) });
    return docs;
}

void Store::enqueueForUpload(std::int64_t seq)
{
    sql::Statement s(handle(), "INSERT OR IGNORE INTO upload_queue(seq) VALUES(?)");
    s.bind(1, seq).run();
}

std::size_t Store::appendOps(const std::vector<Op>& ops, OpOrigin origin)
{
    std::size_t added = 0;
    transaction([&] {
        std::set<std::string> touchedCases;
        sql::Statement insert(handle(),
            "INSERT OR IGNORE INTO ops(op_id, case_id, doc_id, kind, path, value, "
            "text_merge, author, device, hlc, parents, format) "
            "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        for (const Op& op : ops) {
            insert.reset();
            insert.bind(1, op.id).bind(2, op.caseId).bind(3, op.docId).bind(4, kindName(op));
            insert.bind(5, op.path).bind(6, op.value.dump()).bind(7, std::int64_t { op.textMerge });
            insert.bind(8, op.author).bind(9, op.device).bind(10, static_cast<std::int64_t>(op.hlc));
            insert.bind(11, Json(op.parents).dump()).bind(12, std::int64_t { op.format }).run();
            if (sqlite3_changes(handle()) == 0)
                continue;
            ++added;
            m_clock.observe(op.hlc);
            // Whether an op is ours is how it came, never its device id: a store copied from a
            // backup shares its device id with the original and must still sync.
            if (origin == OpOrigin::Local)
                enqueueForUpload(sqlite3_last_insert_rowid(handle()));
            if (op.kind == OpKind::Create && !foldSkipReason(op)) {
                cacheCreation(op);
                touchedCases.insert(op.caseId);
            } else if (caseDocumentId(op.caseId) == op.docId) {
                touchedCases.insert(op.caseId);
            }
        }
        for (const auto& caseId : touchedCases)
            refreshCaseIndex(caseId);
    });
    return added;
}

void Store::refreshCaseIndex(const std::string& caseId)
{
    const auto docId = caseDocumentId(caseId);
    if (!docId)
        return;
    const Case c = caseFromState(caseId, documentState(*docId));
    std::string search = c.title + "\n" + c.journalNumber;
    for (const auto& p : c.people)
        search += "\n" + p.name + "\n" + p.cpr;
    sql::Statement s(handle(),
        "UPDATE cases SET title = ?, journal_number = ?, kle = ?, "
        "search_text = ? WHERE case_id = ?");
    s.bind(1, c.title).bind(2, c.journalNumber).bind(3, c.kle).bind(4, searchKey(search));
    s.bind(5, caseId).run();
}

Op Store::opFromRow(sql::Statement& s)
{
    Op op;
    op.id = s.text(0);
    op.caseId = s.text(1);
    op.docId = s.text(2);
    setKindFromName(op, s.text(3));
    op.path = s.text(4);
    op.value = Json::parse(s.text(5));
    op.textMerge = s.integer(6) != 0;
    op.author = s.text(7);
    op.device = s.text(8);
    op.hlc = static_cast<std::uint64_t>(s.integer(9));
    op.parents = Json::parse(s.text(10)).get<std::vector<std::string>>();
    op.format = static_cast<int>(s.integer(11));
    return op;
}

std::vector<Op> Store::ops(const std::string& docId) const
{
    // A document belongs to the case its create op names: an op that names another case is
    // not part of it (until the create op arrives, every op of the document id is kept).
    std::vector<Op> result;
    sql::Statement s(handle(),
        std::string(OpColumns)
            + " WHERE doc_id = ? AND (case_id = (SELECT case_id FROM documents WHERE doc_id = ?)"
              " OR NOT EXISTS (SELECT 1 FROM documents WHERE doc_id = ?)) ORDER BY seq");
    s.bind(1, docId).bind(2, docId).bind(3, docId);
    while (s.step())
        result.push_back(opFromRow(s));
    return result;
}

std::vector<Op> Store::allOps(const std::optional<std::string>& caseId) const
{
    std::vector<Op> result;
    sql::Statement s(
        handle(), std::string(OpColumns) + (caseId ? " WHERE case_id = ?" : "") + " ORDER BY seq");
    if (caseId)
        s.bind(1, *caseId);
    while (s.step())
        result.push_back(opFromRow(s));
    return result;
}

bool Store::hasOp(const std::string& opId) const
{
    sql::Statement s(handle(), "SELECT 1 FROM ops WHERE op_id = ?");
    s.bind(1, opId);
    return s.step();
}

std::vector<Op> Store::uploadQueue(std::size_t limit) const
{
    std::vector<Op> result;
    sql::Statement s(handle(),
        std::string(OpColumns) + " WHERE seq IN (SELECT seq FROM upload_queue) ORDER BY seq LIMIT ?");
    s.bind(1, static_cast<std::int64_t>(limit));
    while (s.step())
        result.push_back(opFromRow(s));
    return result;
}

std::size_t Store::uploadQueueSize() const
{
    sql::Statement s(handle(), "SELECT count(*) FROM upload_queue");
    s.step();
    return static_cast<std::size_t>(s.integer(0));
}

std::size_t Store::markUploaded(const std::vector<std::string>& opIds)
{
    std::size_t removed = 0;
    transaction([&] {
        sql::Statement s(
            handle(), "DELETE FROM upload_queue WHERE seq = (SELECT seq FROM ops WHERE op_id = ?)");
        for (const auto& id : opIds) {
            s.reset();
            s.bind(1, id).run();
            removed += static_cast<std::size_t>(sqlite3_changes(handle()));
        }
    });
    return removed;
}

std::size_t Store::setQueuedOpsAuthor(const std::string& author)
{
    std::size_t changed = 0;
    transaction([&] {
        sql::Statement s(handle(),
            "UPDATE ops SET author = ? WHERE author <> ? "
            "AND seq IN (SELECT seq FROM upload_queue)");
        s.bind(1, author).bind(2, author).run();
        changed = static_cast<std::size_t>(sqlite3_changes(handle()));
        if (changed > 0)
            sql::exec(handle(), "DELETE FROM doc_snapshots"); // they hold the old author
    });
    return changed;
}

DocumentState Store::documentState(const std::string& docId) const
{
    // The document's ops are those of the case its create op names (see ops()); a snapshot
    // made under another case (before the create op arrived) is not used.
    const auto info = document(docId);
    const std::string caseId = info ? info->caseId : "";
    DocumentState state;
    std::int64_t covered = 0;
    std::size_t coveredOps = 0;
    {
        sql::Statement s(handle(),
            "SELECT upto_seq, op_count, state FROM doc_snapshots WHERE doc_id = ? AND case_id = ? AND format "
            "= ?");
        s.bind(1, docId).bind(2, caseId).bind(3, std::int64_t { DocumentState::SnapshotFormat });
        if (s.step()) {
            try {
                state = DocumentState::restore(s.blob(2));
                covered = s.integer(0);
                coveredOps = static_cast<std::size_t>(s.integer(1));
            } catch (const Error&) {
                state = DocumentState(); // a damaged cache entry: fold everything
            }
        }
    }
    // The ops after the snapshot. A fold does not depend on the order ops arrive in, so ops
    // that arrive late from sync (older by clock or causality) simply extend the snapshot.
    std::int64_t last = covered;
    std::size_t tail = 0;
    {
        sql::Statement s(handle(),
            std::string(OpColumns)
                + " WHERE doc_id = ? AND seq > ? AND (case_id = ? OR ? = '') ORDER BY seq");
        s.bind(1, docId).bind(2, covered).bind(3, caseId).bind(4, caseId);
        while (s.step()) {
            state.apply(opFromRow(s));
            last = s.integer(12);
            ++tail;
        }
    }
    // Write a new snapshot when the tail has grown: at least SnapshotMinTail ops, and a
    // fraction of what the snapshot covers so that rewriting it stays a small share of the work.
    if (!readOnly() && tail >= std::max(SnapshotMinTail, coveredOps / 16)) {
        try {
            sql::Statement put(handle(),
                "INSERT OR REPLACE INTO doc_snapshots(doc_id, case_id, upto_seq, op_count, format, state) "
                "VALUES(?, ?, ?, ?, ?, ?)");
            put.bind(1, docId).bind(2, caseId).bind(3, last);
            put.bind(4, static_cast<std::int64_t>(coveredOps + tail))
                .bind(5, std::int64_t { DocumentState::SnapshotFormat })
                .bindBlob(6, state.snapshot())
                .run();
        } catch (const Error& e) {
            if (e.code() != ErrorCode::Conflict)
                throw;
            // Another program is writing: the snapshot is a cache, the next open writes it.
        }
    }
    return state;
}

std::size_t Store::opCount() const
{
    sql::Statement s(handle(), "SELECT count(*) FROM ops");
    s.step();
    return static_cast<std::size_t>(s.integer(0));
}

std::int64_t Store::lastSeq() const
{
    sql::Statement s(handle(), "SELECT coalesce(max(seq), 0) FROM ops");
    s.step();
    return s.integer(0);
}

std::vector<Op> Store::opsAfter(std::int64_t seq, std::size_t limit, std::int64_t& upto) const
{
    std::vector<Op> result;
    sql::Statement s(handle(), std::string(OpColumns) + " WHERE seq > ? ORDER BY seq LIMIT ?");
    s.bind(1, seq).bind(2, static_cast<std::int64_t>(limit));
    while (s.step()) {
        result.push_back(opFromRow(s));
        upto = s.integer(12);
    }
    return result;
}

std::string Store::queryText(const std::string& sqlText) const
{
    sql::Statement s(handle(), sqlText);
    return s.step() ? s.text(0) : std::string();
}

} // namespace fplan
