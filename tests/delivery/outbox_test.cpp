// SPDX-License-Identifier: EUPL-1.2
#include "base/error.h"
#include "core/sql.h"
#include "core/store.h"
#include "delivery/memo.h"
#include "delivery/outbox.h"
#include "tests/delivery/delivery_fixtures.h"
#include "tests/support/test_support.h"

#include <gtest/gtest.h>

using namespace fplan;
using namespace fplan::delivery;

namespace {

MemoMessage fakeMessage(const std::string& cpr, int version = 1)
{
    MemoMessage m;
    m.versionId = "version-" + std::to_string(version);
    m.uuid = memoMessageUuid("doc-1", m.versionId, cpr);
    m.recipient = cpr;
    m.xml = "<memo:Message>" + m.uuid + "</memo:Message>";
    return m;
}

struct FreshStore {
    test::TempDir dir;
    std::optional<Store> store;
    FreshStore()
    {
        Store::create(dir / "s.db", "pw-12345678", crypto::KdfParams::freshCheap());
        store.emplace(Store::open(dir / "s.db", "pw-12345678"));
    }
    void reopen()
    {
        store.reset();
        store.emplace(Store::open(dir / "s.db", "pw-12345678"));
    }
};

} // namespace

TEST(Outbox, QueueIsIdempotentByMessageUuid)
{
    FreshStore fs;
    Outbox outbox(*fs.store);
    const auto m = fakeMessage("0101901234");
    EXPECT_TRUE(outbox.enqueue(m, "doc-1", 1, 1000));
    EXPECT_FALSE(outbox.enqueue(m, "doc-1", 1, 2000));
    ASSERT_EQ(1u, outbox.list().size());
    const auto e = outbox.list().front();
    EXPECT_EQ(m.uuid, e.messageUuid);
    EXPECT_EQ("doc-1", e.docId);
    EXPECT_EQ(1, e.version);
    EXPECT_EQ("0101901234", e.recipient);
    EXPECT_EQ(OutboxStatus::Queued, e.status);
    EXPECT_EQ(0, e.attempts);
    EXPECT_EQ(1000, e.createdAt);
    EXPECT_EQ(m.xml, outbox.messageXml(m.uuid));
}

TEST(Outbox, EntriesKeepTheVersionIdAndAVersionIsQueuedOncePerRecipient)
{
    FreshStore fs;
    Outbox outbox(*fs.store);
    const auto m = fakeMessage("0101901234", 2);
    EXPECT_TRUE(outbox.enqueue(m, "doc-1", 2, 1000));
    ASSERT_EQ(1u, outbox.list().size());
    EXPECT_EQ("version-2", outbox.list().front().versionId);
    // The same version to the same person under another message UUID is already queued.
    MemoMessage again = m;
    again.uuid = "00000000-0000-4000-8000-000000000000";
    EXPECT_FALSE(outbox.enqueue(again, "doc-1", 2, 2000));
    // Another version (concurrent, with the same number) is not.
    const auto other = fakeMessage("0101901234", 3);
    EXPECT_TRUE(outbox.enqueue(other, "doc-1", 2, 3000));
    EXPECT_EQ(2u, outbox.list().size());
}

TEST(Outbox, StateMachineSurvivesReopeningTheStore)
{
    FreshStore fs;
    const auto a = fakeMessage("0101901234");
    const auto b = fakeMessage("0202885678");
    RetryPolicy policy;
    policy.maxAttempts = 3;
    policy.baseDelay = std::chrono::seconds(10);
    {
        Outbox outbox(*fs.store);
        EXPECT_EQ(2, outbox.enqueueAll({ a, b }, "doc-1", 1, 100));
        ASSERT_EQ(2u, outbox.due(100).size());
        outbox.markSending(a.uuid, 100);
        outbox.markSent(a.uuid, 101);
        outbox.markSending(b.uuid, 101);
        EXPECT_EQ(OutboxStatus::Queued, outbox.markAttemptFailed(b.uuid, "HTTP 503", false, 101, policy));
    }
    fs.reopen();
    {
        Outbox outbox(*fs.store);
        const auto sa = outbox.entry(a.uuid);
        ASSERT_TRUE(sa);
        EXPECT_EQ(OutboxStatus::Sent, sa->status);
        EXPECT_EQ(101, sa->sentAt.value_or(0));
        const auto sb = outbox.entry(b.uuid);
        EXPECT_EQ(OutboxStatus::Queued, sb->status);
        EXPECT_EQ(1, sb->attempts);
        EXPECT_EQ("HTTP 503", sb->lastError);
        EXPECT_EQ(111, sb->nextAttemptAt); // 10 s after the first failure
        EXPECT_EQ(111, outbox.nextAttemptAt().value_or(0));
        EXPECT_TRUE(outbox.due(110).empty());
        ASSERT_EQ(1u, outbox.due(111).size());
        outbox.markSending(b.uuid, 111);
        EXPECT_EQ(OutboxStatus::Queued, outbox.markAttemptFailed(b.uuid, "HTTP 503", false, 111, policy));
        EXPECT_EQ(131, outbox.entry(b.uuid)->nextAttemptAt); // doubled
        outbox.markSending(b.uuid, 131);
        EXPECT_EQ(
            OutboxStatus::Failed, outbox.markAttemptFailed(b.uuid, "HTTP 503 again", false, 131, policy));
    }
    fs.reopen();
    Outbox outbox(*fs.store);
    const auto failed = outbox.entry(b.uuid);
    EXPECT_EQ(OutboxStatus::Failed, failed->status);
    EXPECT_EQ(3, failed->attempts);
    EXPECT_EQ("HTTP 503 again", failed->lastError);
    EXPECT_TRUE(outbox.due(1'000'000).empty());
    EXPECT_FALSE(outbox.nextAttemptAt()); // nothing waits
    // A person decides to try again.
    outbox.retry(b.uuid, 2000);
    EXPECT_EQ(OutboxStatus::Queued, outbox.entry(b.uuid)->status);
    EXPECT_EQ(0, outbox.entry(b.uuid)->attempts);
}

TEST(Outbox, PermanentFailureIsFinalAtOnce)
{
    FreshStore fs;
    Outbox outbox(*fs.store);
    const auto m = fakeMessage("0101901234");
    outbox.enqueue(m, "doc-1", 1, 0);
    outbox.markSending(m.uuid, 0);
    EXPECT_EQ(OutboxStatus::Failed, outbox.markAttemptFailed(m.uuid, "HTTP 400", true, 1, {}));
    EXPECT_EQ("HTTP 400", outbox.entry(m.uuid)->lastError);
}

TEST(Outbox, AMessageLeftSendingByACrashIsQueuedAgain)
{
    FreshStore fs;
    const auto m = fakeMessage("0101901234");
    {
        Outbox outbox(*fs.store);
        outbox.enqueue(m, "doc-1", 1, 0);
        outbox.markSending(m.uuid, 0); // and then the program died
    }
    fs.reopen();
    Outbox outbox(*fs.store);
    EXPECT_EQ(OutboxStatus::Sending, outbox.entry(m.uuid)->status);
    EXPECT_TRUE(outbox.due(5).empty()); // still within the sender's lease
    const auto due = outbox.due(Outbox::SendingLease);
    ASSERT_EQ(1u, due.size());
    EXPECT_EQ(OutboxStatus::Queued, due.front().status);
    EXPECT_EQ(1, due.front().attempts);
}

TEST(Outbox, MarkSendingRefusesAMessageThatIsNotWaiting)
{
    FreshStore fs;
    Outbox outbox(*fs.store);
    const auto m = fakeMessage("0101901234");
    outbox.enqueue(m, "doc-1", 1, 0);
    outbox.markSending(m.uuid, 0);
    outbox.markSent(m.uuid, 1);
    test::expectError(
        ErrorCode::Conflict, "is not waiting to be sent", [&] { outbox.markSending(m.uuid, 1); });
}

TEST(Outbox, BackoffDoublesUpToTheCap)
{
    RetryPolicy p;
    p.baseDelay = std::chrono::seconds(60);
    p.maxDelay = std::chrono::seconds(600);
    EXPECT_EQ(60, p.delayAfter(1).count());
    EXPECT_EQ(120, p.delayAfter(2).count());
    EXPECT_EQ(480, p.delayAfter(4).count());
    EXPECT_EQ(600, p.delayAfter(5).count());
    EXPECT_EQ(600, p.delayAfter(60).count());
}

TEST(Outbox, RecordsAPrintedCopyHandedOver)
{
    FreshStore fs;
    {
        Outbox outbox(*fs.store);
        const auto p = outbox.recordPaperDelivery("doc-1", 2, "Søs Nørgaard", "2026-11-23", "jr", 500);
        EXPECT_FALSE(p.id.empty());
        test::expectError(ErrorCode::BadInput, "paper delivery date '23-11-2026' is not a date",
            [&] { outbox.recordPaperDelivery("doc-1", 2, "Søs", "23-11-2026", "jr", 1); });
        test::expectError(ErrorCode::BadInput, "needs the person it was handed to",
            [&] { outbox.recordPaperDelivery("doc-1", 2, "", "2026-11-23", "jr", 1); });
        test::expectError(ErrorCode::BadInput, "needs a document and a finalised version",
            [&] { outbox.recordPaperDelivery("doc-1", 0, "Søs", "2026-11-23", "jr", 1); });
    }
    fs.reopen();
    Outbox outbox(*fs.store);
    const auto all = outbox.paperDeliveries("doc-1");
    ASSERT_EQ(1u, all.size());
    EXPECT_EQ("Søs Nørgaard", all[0].recipient);
    EXPECT_EQ("2026-11-23", all[0].handedOverOn);
    EXPECT_EQ(2, all[0].version);
    EXPECT_EQ("jr", all[0].recordedBy);
    EXPECT_TRUE(outbox.paperDeliveries("other").empty());
    EXPECT_EQ(1u, outbox.paperDeliveries().size());
}

TEST(Outbox, EntriesQueuedBeforeTheVersionIdWasKeptStillList)
{
    FreshStore fs;
    // The outbox as the previous program made it: its first three migrations and one entry.
    fs.store->migrateModule("delivery",
        { "CREATE TABLE delivery_outbox (message_uuid TEXT PRIMARY KEY, doc_id TEXT NOT NULL,"
          " version INTEGER NOT NULL, recipient TEXT NOT NULL, status TEXT NOT NULL CHECK (status IN"
          " ('queued','sending','sent','failed')), attempts INTEGER NOT NULL DEFAULT 0,"
          " next_attempt_at INTEGER NOT NULL, last_error TEXT NOT NULL DEFAULT '',"
          " created_at INTEGER NOT NULL, sent_at INTEGER, message TEXT NOT NULL)",
            "CREATE INDEX delivery_outbox_due ON delivery_outbox(status, next_attempt_at)",
            "CREATE TABLE delivery_paper (id TEXT PRIMARY KEY, doc_id TEXT NOT NULL, version INTEGER NOT "
            "NULL,"
            " recipient TEXT NOT NULL, handed_over_on TEXT NOT NULL, recorded_by TEXT NOT NULL,"
            " recorded_at INTEGER NOT NULL)" });
    sql::exec(fs.store->handle(),
        "INSERT INTO delivery_outbox (message_uuid, doc_id, version, recipient, status, next_attempt_at,"
        " created_at, message) VALUES ('u1', 'doc-1', 1, '0101901234', 'sent', 0, 5, '<m/>')");
    Outbox outbox(*fs.store);
    ASSERT_EQ(1u, outbox.list().size());
    EXPECT_EQ("u1", outbox.list().front().messageUuid);
    EXPECT_EQ("", outbox.list().front().versionId);
    EXPECT_TRUE(outbox.enqueue(fakeMessage("0101901234"), "doc-1", 1, 1000));
}
