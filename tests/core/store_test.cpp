// SPDX-License-Identifier: EUPL-1.2
#include "base/error.h"
#include "core/bundle.h"
#include "core/document.h"
#include "core/sql.h"
#include "core/store.h"
#include "tests/support/test_support.h"

#include <gtest/gtest.h>

using namespace fplan;
namespace fs = std::filesystem;

namespace {

const char* Passphrase = "korrekt hest batteri";

const char* BundleText = R"({
  "case": {"title": "Familien Nørgaard", "journal_number": "27.24.00-G01-1-26", "kle": "27.24.00"},
  "people": [
    {"id": "p1", "name": "Søs Nørgaard", "cpr": "0101901234", "relation": "mor", "custody": true},
    {"id": "p2", "name": "Łukasz Şahin", "cpr": "1205154321", "relation": "barn"}
  ],
  "team": [{"id": "t1", "name": "Jens Ravn", "fagomraade": "Børn og Familie", "user": "jr"}],
  "coordinator": "t1"
})";

class StoreTest : public ::testing::Test {
protected:
    void SetUp() override { Store::create(path(), Passphrase, crypto::KdfParams::freshCheap()); }
    fs::path path() const { return dir / "sager.fplan"; }

    std::string importExample(Store& store)
    {
        OpFactory factory("jr", store.deviceId(), store.clock());
        return importBundle(store, parseBundle(BundleText, "b.json"), factory,
            [](const BundleDocument&, const Case&) { return PreparedDocument {}; });
    }

    test::TempDir dir;
};

} // namespace

TEST_F(StoreTest, CreateRefusesToOverwrite)
{
    test::expectError(ErrorCode::Conflict, ": a store already exists there; not overwritten",
        [&] { Store::create(path(), Passphrase, crypto::KdfParams::freshCheap()); });
    Store store = Store::open(path(), Passphrase);
    EXPECT_EQ(Store::latestSchemaVersion(), store.schemaVersion());
}

TEST_F(StoreTest, WrongPassphraseIsRefusedAndNothingIsWritten)
{
    const auto before = test::readFile(path());
    const std::string message = test::expectError(ErrorCode::WrongPassphrase,
        "wrong passphrase or not a Familieplan store: " + path().string(),
        [&] { Store::open(path(), "forkert"); });
    EXPECT_EQ(0u, message.rfind("wrong passphrase or not a Familieplan store: ", 0)) << message;
    EXPECT_NE(std::string::npos, message.find("restore the store from your backup")) << message;
    EXPECT_EQ(before, test::readFile(path()));
}

TEST_F(StoreTest, AnotherSqlCipherFileIsNotAStore)
{
    const auto other = dir / "other.db";
    const auto params = crypto::KdfParams::freshCheap();
    const auto key = crypto::deriveKey("x", params);
    crypto::openEncryptedDatabase(other, key, crypto::OpenMode::CreateNew);
    test::writeFile(Store::kdfPathFor(other), params.toJson());
    test::expectError(
        ErrorCode::WrongPassphrase, "not a Familieplan store", [&] { Store::open(other, "x"); });
}

TEST_F(StoreTest, ImportedNamesAndCprNumbersAreNotInTheFiles)
{
    {
        Store store = Store::open(path(), Passphrase);
        importExample(store);
        // Keep the connection open so the WAL still holds the pages.
        for (const auto& file : { path(), fs::path(path().string() + "-wal") })
            for (const char* needle : { "Nørgaard", "0101901234", "1205154321", "Jens Ravn", "Şahin" })
                EXPECT_FALSE(test::fileContains(file, needle)) << file << " holds " << needle;
    }
    for (const char* needle : { "Nørgaard", "0101901234", "Jens Ravn" })
        EXPECT_FALSE(test::fileContains(path(), needle));
}

TEST_F(StoreTest, CaseListAndSearchText)
{
    Store store = Store::open(path(), Passphrase);
    const std::string id = importExample(store);
    const auto cases = store.listCases();
    ASSERT_EQ(1u, cases.size());
    EXPECT_EQ(id, cases[0].id);
    EXPECT_EQ("Familien Nørgaard", cases[0].title);
    EXPECT_NE(cases[0].searchText.find(searchKey("NØRGAARD")), std::string::npos);
    EXPECT_NE(cases[0].searchText.find("0101901234"), std::string::npos);
    EXPECT_NE(cases[0].searchText.find("27.24.00-g01-1-26"), std::string::npos);
}

TEST_F(StoreTest, ExportImportExportIsAFixedPoint)
{
    Store store = Store::open(path(), Passphrase);
    const std::string first = importExample(store);
    const Json once = bundleToJson(exportBundle(store, first));
    OpFactory factory("jr", store.deviceId(), store.clock());
    const std::string second = importBundle(store, parseBundle(once.dump(), "e.json"), factory,
        [](const BundleDocument&, const Case&) { return PreparedDocument {}; });
    EXPECT_EQ(once, bundleToJson(exportBundle(store, second)));
    test::expectError(ErrorCode::NotFound, "no case with id 'nope'", [&] { exportBundle(store, "nope"); });
}

TEST_F(StoreTest, AppendingTheSameOpsTwiceStoresThemOnce)
{
    Store store = Store::open(path(), Passphrase);
    const std::string caseId = importExample(store);
    const auto docId = *store.caseDocumentId(caseId);
    const auto ops = store.ops(docId);
    const auto count = store.opCount();
    EXPECT_EQ(0u, store.appendOps(ops));
    EXPECT_EQ(count, store.opCount());
}

TEST_F(StoreTest, LocalOpsWaitInTheUploadQueue)
{
    Store store = Store::open(path(), Passphrase);
    importExample(store);
    EXPECT_EQ(std::to_string(store.opCount()), store.queryText("SELECT count(*) FROM upload_queue"));
    // A received op is not queued for upload, even when it carries this store's device id (a
    // copy of this store restored elsewhere writes with the same id).
    Op remote;
    remote.id = "remote-op";
    remote.caseId = "c";
    remote.docId = "d";
    remote.path = "f";
    remote.value = "x";
    remote.author = "anden";
    remote.device = store.deviceId();
    remote.hlc = 1;
    store.appendOps({ remote }, OpOrigin::Received);
    EXPECT_EQ(std::to_string(store.opCount() - 1), store.queryText("SELECT count(*) FROM upload_queue"));
}

TEST_F(StoreTest, TheClockIsPastOpsAnotherConnectionAppended)
{
    // The desktop's window and its background sync each have a connection to the same file.
    Store window = Store::open(path(), Passphrase);
    Store sync = Store::open(path(), Passphrase);
    const std::string caseId = importExample(window);
    const auto docId = *window.caseDocumentId(caseId);
    // A co-author whose clock is half a minute ahead of this machine's; the sync stores the op.
    Op pulled;
    pulled.id = "pulled-op";
    pulled.caseId = caseId;
    pulled.docId = docId;
    pulled.path = "noter.tekst";
    pulled.value = "fra serveren";
    pulled.author = "ao";
    pulled.device = "device-ao";
    pulled.hlc = physicalHlcNow() + (std::uint64_t { 30'000 } << 16);
    ASSERT_EQ(1u, sync.appendOps({ pulled }, OpOrigin::Received));

    OpFactory factory("jr", window.deviceId(), window.clock());
    const Op edit = factory.set(DocumentState {}, caseId, docId, "noter.tekst", "rettet bagefter");
    EXPECT_GT(edit.hlc, pulled.hlc);
}

TEST_F(StoreTest, FailedTransactionLeavesNothing)
{
    Store store = Store::open(path(), Passphrase);
    const auto before = store.opCount();
    test::expectError(ErrorCode::BadInput, "stop", [&] {
        store.transaction([&] {
            importExample(store);
            throw Error(ErrorCode::BadInput, "stop");
        });
    });
    EXPECT_EQ(before, store.opCount());
    EXPECT_TRUE(store.listCases().empty());
}

// A full disk (here: a store not allowed to grow) is named with the store's path and what to do,
// never as SQL, and the write that did not fit leaves nothing behind.
TEST_F(StoreTest, AFullDiskNamesTheStoreAndSavesNothing)
{
    Store store = Store::open(path(), Passphrase);
    importExample(store);
    sql::Statement pages(store.handle(), "PRAGMA page_count");
    ASSERT_TRUE(pages.step());
    sql::exec(store.handle(), "PRAGMA max_page_count = " + std::to_string(pages.integer(0) + 4));
    std::size_t ops = store.opCount();
    std::string message;
    for (int i = 0; i < 500 && message.empty(); ++i) {
        try {
            importExample(store);
            ops = store.opCount();
        } catch (const Error& e) {
            EXPECT_EQ(ErrorCode::Storage, e.code());
            message = e.what();
        }
    }
    ASSERT_FALSE(message.empty()) << "the store never filled up";
    EXPECT_EQ(0u, message.rfind(path().string() + ": the disk is full; nothing was saved", 0)) << message;
    EXPECT_EQ(std::string::npos, message.find("INSERT")) << "no raw SQL: " << message;
    EXPECT_EQ(ops, store.opCount());
}

TEST_F(StoreTest, SettingsPersist)
{
    {
        Store store = Store::open(path(), Passphrase);
        store.setSetting("municipality.name", "Ringkøbing-Skjern Kommune");
    }
    Store store = Store::open(path(), Passphrase);
    EXPECT_EQ("Ringkøbing-Skjern Kommune", store.setting("municipality.name"));
    EXPECT_FALSE(store.setting("nope"));
}

TEST_F(StoreTest, ModuleMigrationsApplyOnceAndInOrder)
{
    Store store = Store::open(path(), Passphrase);
    const std::vector<const char*> v1 = { "CREATE TABLE outbox_t(x TEXT)" };
    store.migrateModule("testmodule", v1);
    store.migrateModule("testmodule", v1); // again: nothing to do
    const std::vector<const char*> v2
        = { "CREATE TABLE outbox_t(x TEXT)", "ALTER TABLE outbox_t ADD COLUMN y TEXT" };
    store.migrateModule("testmodule", v2);
    EXPECT_EQ("2", store.queryText("SELECT value FROM meta WHERE key = 'schema_version:testmodule'"));
    test::expectError(ErrorCode::Conflict, "made by a newer Familieplan (testmodule schema 2)",
        [&] { store.migrateModule("testmodule", v1); });
}

TEST(StoreMigrations, EveryVersionMigratesUpwardKeepingData)
{
    // Build a store at each older schema version by hand, then let the store migrate it.
    for (std::size_t version = 1; version < storeMigrations().size(); ++version) {
        test::TempDir dir;
        const auto path = dir / "old.fplan";
        const auto params = crypto::KdfParams::freshCheap();
        const auto key = crypto::deriveKey("pw", params);
        {
            auto db = crypto::openEncryptedDatabase(path, key, crypto::OpenMode::CreateNew);
            sql::exec(db.get(),
                "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
                "INSERT INTO meta VALUES('format', 'familieplan-store');"
                "INSERT INTO meta VALUES('device_id', 'dev-old');");
            for (std::size_t i = 0; i < version; ++i)
                sql::exec(db.get(), storeMigrations()[i]);
            sql::exec(db.get(),
                "INSERT INTO meta VALUES('schema_version', '" + std::to_string(version)
                    + "');"
                      "INSERT INTO ops(op_id, case_id, doc_id, kind, path, value, text_merge, author, "
                      "device, hlc, parents) VALUES('op1', 'c', 'd', 'set', 'f', '\"gammel\"', 0, "
                      "'a', 'dev-old', 5, '[]');");
            if (version >= 2) // the program of that version queued its own ops as it wrote them
                sql::exec(db.get(), "INSERT INTO upload_queue(seq) SELECT seq FROM ops");
        }
        test::writeFile(Store::kdfPathFor(path), params.toJson());
        Store store = Store::open(path, "pw");
        EXPECT_EQ(static_cast<int>(storeMigrations().size()), store.schemaVersion());
        EXPECT_EQ("gammel", store.documentState("d").value("f"));
        EXPECT_EQ("1", store.queryText("SELECT count(*) FROM upload_queue"));
    }
}

namespace {

Json shown(const DocumentState& s)
{
    Json versions = Json::array();
    for (const auto& v : s.versions())
        versions.push_back({ v.number, v.opId, v.author, s.changedSince(v) });
    Json conflicts = Json::array();
    for (const auto& c : s.conflicts())
        conflicts.push_back({ c.path, c.opIds });
    return { { "values", s.values() }, { "versions", versions }, { "conflicts", conflicts },
        { "frontier", s.frontier() }, { "ops", s.opCount() } };
}

} // namespace

TEST_F(StoreTest, OpeningFromTheSnapshotEqualsFoldingEveryOp)
{
    Store store = Store::open(path(), Passphrase);
    store.createCase("c", "cd");
    store.createDocument({ "d", "c", "plan", "1", 0, "" });
    OpFactory factory("jr", store.deviceId(), store.clock());
    DocumentState state = store.documentState("d");
    std::vector<Op> ops;
    for (int i = 0; i < 400; ++i) {
        ops.push_back(factory.set(state, "c", "d", "f" + std::to_string(i % 7), "v" + std::to_string(i)));
        state.apply(ops.back());
        if (i % 150 == 149) {
            ops.push_back(factory.finalize(state, "c", "d"));
            state.apply(ops.back());
        }
    }
    store.appendOps(ops);
    auto full = [&] { return shown(DocumentState::fold(store.ops("d"))); };
    EXPECT_EQ(full(), shown(store.documentState("d")));
    EXPECT_EQ("1", store.queryText("SELECT count(*) FROM doc_snapshots WHERE doc_id = 'd'"));
    const std::string covered = store.queryText("SELECT upto_seq FROM doc_snapshots WHERE doc_id = 'd'");
    EXPECT_EQ(full(), shown(store.documentState("d"))); // from the snapshot now

    // Ops from another desk arrive out of order: an edit before the edit it replaced, and a
    // concurrent edit and finalise. They are stored after the snapshot and applied on it.
    HybridClock otherClock;
    OpFactory other("sl", "other-device", otherClock);
    const Op older = other.set(state, "c", "d", "f1", "fra den anden");
    DocumentState seenThere = DocumentState::fold(std::vector<Op> { older });
    const Op newer = other.set(seenThere, "c", "d", "f1", "rettet der");
    Op concurrentFinalize = other.finalize(state, "c", "d");
    store.appendOps({ newer, concurrentFinalize }, OpOrigin::Received);
    EXPECT_EQ(full(), shown(store.documentState("d")));
    store.appendOps({ older }, OpOrigin::Received);
    EXPECT_EQ(full(), shown(store.documentState("d")));
    EXPECT_EQ("rettet der", store.documentState("d").value("f1"));
    EXPECT_EQ(covered, store.queryText("SELECT upto_seq FROM doc_snapshots WHERE doc_id = 'd'"))
        << "a short tail is folded, not written";

    // The author of queued ops changes at the first sign-in: the snapshots holding them go.
    store.setQueuedOpsAuthor("jens.ravn");
    EXPECT_EQ("0", store.queryText("SELECT count(*) FROM doc_snapshots"));
    EXPECT_EQ("jens.ravn", store.documentState("d").versions().front().author);

    // A damaged snapshot is a cache miss, not a damaged document.
    store.documentState("d");
    sql::exec(store.handle(), "UPDATE doc_snapshots SET state = x'00ff'");
    EXPECT_EQ(full(), shown(store.documentState("d")));
}

class PassphraseChange : public StoreTest { };

TEST_F(PassphraseChange, NothingIsLostAndOnlyTheNewPassphraseOpens)
{
    std::string caseId;
    Json before;
    {
        Store store = Store::open(path(), Passphrase);
        caseId = importExample(store);
        before = bundleToJson(exportBundle(store, caseId));
    }
    Store::changePassphrase(path(), Passphrase, "en helt ny sætning", crypto::KdfParams::freshCheap());
    test::expectError(
        ErrorCode::WrongPassphrase, "wrong passphrase", [&] { Store::open(path(), Passphrase); });
    Store store = Store::open(path(), "en helt ny sætning");
    EXPECT_EQ(before, bundleToJson(exportBundle(store, caseId)));
    EXPECT_FALSE(fs::exists(path().string() + ".rekey"));
    EXPECT_FALSE(fs::exists(path().string() + ".kdf.rekey"));
    EXPECT_FALSE(test::fileContains(path(), "Nørgaard"));
}

TEST_F(PassphraseChange, WrongOldPassphraseChangesNothing)
{
    const auto before = test::readFile(path());
    test::expectError(ErrorCode::WrongPassphrase, "wrong passphrase", [&] {
        Store::changePassphrase(path(), "forkert", "ny adgangskode", crypto::KdfParams::freshCheap());
    });
    EXPECT_EQ(before, test::readFile(path()));
    Store::open(path(), Passphrase);
}

TEST_F(PassphraseChange, CrashAfterTheDataSwitchFinishesOnNextOpen)
{
    {
        Store store = Store::open(path(), Passphrase);
        importExample(store);
    }
    const std::string oldKdf = test::readFile(Store::kdfPathFor(path()));
    Store::changePassphrase(path(), Passphrase, "ny adgangskode", crypto::KdfParams::freshCheap());
    // Recreate the moment between the two renames: new data, old key file, new one pending.
    fs::rename(Store::kdfPathFor(path()), path().string() + ".kdf.rekey");
    test::writeFile(Store::kdfPathFor(path()), oldKdf);
    Store store = Store::open(path(), "ny adgangskode");
    EXPECT_EQ(1u, store.listCases().size());
    EXPECT_FALSE(fs::exists(path().string() + ".kdf.rekey"));
}

TEST_F(PassphraseChange, CrashBeforeTheDataSwitchKeepsTheOldPassphrase)
{
    {
        Store store = Store::open(path(), Passphrase);
        importExample(store);
        // Leftovers of a change that stopped before its commit point.
        const auto params = crypto::KdfParams::freshCheap();
        crypto::exportEncryptedCopy(
            store.handle(), path().string() + ".rekey", crypto::deriveKey("ny", params));
        test::writeFile(path().string() + ".kdf.rekey", params.toJson());
    }
    test::expectError(ErrorCode::WrongPassphrase, "wrong passphrase", [&] { Store::open(path(), "ny"); });
    Store store = Store::open(path(), Passphrase);
    EXPECT_EQ(1u, store.listCases().size());
    EXPECT_FALSE(fs::exists(path().string() + ".rekey"));
    EXPECT_FALSE(fs::exists(path().string() + ".kdf.rekey"));
}
