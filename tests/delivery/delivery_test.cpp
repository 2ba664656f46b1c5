// SPDX-License-Identifier: EUPL-1.2
#include "base/error.h"
#include "core/store.h"
#include "delivery/delivery.h"
#include "tests/delivery/delivery_fixtures.h"
#include "tests/support/test_support.h"

#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

using namespace fplan;
using namespace fplan::delivery;

namespace {

SendRequest requestFor(const test::CaseStore& cs, std::vector<Recipient> recipients)
{
    SendRequest r;
    r.docId = cs.docId;
    r.recipients = std::move(recipients);
    r.pdf = test::minimalPdf();
    r.documentTitle = "Familieplan";
    r.notification = "Jeres familieplan";
    return r;
}

// Counts what it was asked to send, and answers as told.
class ScriptedTransport : public Transport {
public:
    SendOutcome::Kind answer = SendOutcome::Kind::Delivered;
    std::vector<std::string> sent;
    SendOutcome send(const std::string& uuid, const std::string&) override
    {
        sent.push_back(uuid);
        return { answer, answer == SendOutcome::Kind::Delivered ? "" : "scripted failure" };
    }
    std::string describe() const override { return "scripted"; }
};

std::size_t filesIn(const std::filesystem::path& dir)
{
    std::size_t n = 0;
    for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir))
        ++n;
    return n;
}

} // namespace

TEST(Delivery, ParentsAreThePeopleWithCustody)
{
    test::CaseStore cs;
    test::makeCaseStore(cs);
    const auto r = resolveRecipients(*cs.store, cs.docId, "parents");
    ASSERT_EQ(2u, r.size());
    EXPECT_EQ(test::MotherCpr, r[0].cpr);
    EXPECT_EQ("Søs Nørgaard", r[0].name);
    EXPECT_EQ(test::FatherCpr, r[1].cpr);
    const auto given = resolveRecipients(*cs.store, cs.docId, "0101901234, 020288-5678,0101901234");
    ASSERT_EQ(2u, given.size());
    EXPECT_EQ(test::FatherCpr, given[1].cpr);
    test::expectError(ErrorCode::BadInput, "recipient '3102901234' is not a valid CPR number",
        [&] { resolveRecipients(*cs.store, cs.docId, "3102901234"); });
    // A valid CPR of someone outside the case (one digit off the mother's) is refused...
    test::expectError(ErrorCode::BadInput, "is not a person in case",
        [&] { resolveRecipients(*cs.store, cs.docId, "0101901235"); });
    // ...unless it is named as the legal exception.
    const auto outside = resolveRecipients(*cs.store, cs.docId, "0101901234", "0101901235");
    ASSERT_EQ(2u, outside.size());
    EXPECT_EQ("0101901235", outside[1].cpr);
    test::expectError(
        ErrorCode::BadInput, "no recipients", [&] { resolveRecipients(*cs.store, cs.docId, ","); });
    test::expectError(ErrorCode::NotFound, "no document with id 'no-such-doc'",
        [&] { resolveRecipients(*cs.store, "no-such-doc", "parents"); });
}

TEST(Delivery, QueuesOneValidatedMessagePerRecipientAndNeverTwice)
{
    test::CaseStore cs;
    test::makeCaseStore(cs);
    auto request = requestFor(cs, resolveRecipients(*cs.store, cs.docId, "parents"));
    const auto first = queueForDelivery(*cs.store, request);
    EXPECT_EQ(1, first.version);
    EXPECT_EQ(2, first.newlyQueued);
    ASSERT_EQ(2u, first.messageUuids.size());
    const auto again = queueForDelivery(*cs.store, request);
    EXPECT_EQ(0, again.newlyQueued);
    EXPECT_EQ(first.messageUuids, again.messageUuids);

    Outbox outbox(*cs.store);
    const auto xml = outbox.messageXml(first.messageUuids[0]);
    EXPECT_TRUE(MemoSchema::installed().validate(xml, "queued.xml").empty());
    EXPECT_NE(std::string::npos, xml.find("Familieplan – version 1"));
    EXPECT_NE(std::string::npos, xml.find("<memo:label>Aarhus Kommune</memo:label>"));
    EXPECT_NE(std::string::npos, xml.find("27.24.00-G01-1-26"));
    EXPECT_NE(std::string::npos, xml.find("Familieplan version 1.pdf"));

    // A new version is a new letter.
    EXPECT_EQ(2, test::finalizeAgain(cs));
    const auto v2 = queueForDelivery(*cs.store, request);
    EXPECT_EQ(2, v2.version);
    EXPECT_EQ(2, v2.newlyQueued);
    EXPECT_NE(first.messageUuids[0], v2.messageUuids[0]);
    request.version = 1;
    EXPECT_EQ(0, queueForDelivery(*cs.store, request).newlyQueued);
    request.version = 7;
    test::expectError(ErrorCode::NotFound, "no version '7'", [&] { queueForDelivery(*cs.store, request); });
}

TEST(Delivery, RefusalQueuesNothing)
{
    test::CaseStore cs;
    test::makeCaseStore(cs, /*withSender=*/false);
    const auto parents = resolveRecipients(*cs.store, cs.docId, "parents");
    test::expectError(ErrorCode::BadInput, "municipality.cvr",
        [&] { queueForDelivery(*cs.store, requestFor(cs, parents)); });
    cs.store->setSetting("municipality.cvr", "29189803");
    cs.store->setSetting("municipality.name", "Aarhus Kommune");
    // One good and one bad recipient: neither is queued.
    auto mixed = parents;
    mixed.push_back({ "3102901234", "Ugyldig" });
    test::expectError(ErrorCode::BadInput, "the recipient's CPR number '3102901234' is invalid",
        [&] { queueForDelivery(*cs.store, requestFor(cs, mixed)); });
    auto tooBig = requestFor(cs, parents);
    tooBig.pdf.resize(MaxDocumentBytes + 1, ' ');
    test::expectError(ErrorCode::BadInput, "Digital Post accepts at most 99.5 MB",
        [&] { queueForDelivery(*cs.store, tooBig); });
    auto badName = requestFor(cs, parents);
    badName.fileName = "Plan: version 1?.pdf";
    test::expectError(
        ErrorCode::BadInput, "the file name contains ':'", [&] { queueForDelivery(*cs.store, badName); });
    EXPECT_TRUE(Outbox(*cs.store).list().empty());
}

TEST(Delivery, FlushSendsDueMessagesOnceAndRetriesWithBackoff)
{
    test::CaseStore cs;
    test::makeCaseStore(cs);
    const auto queued
        = queueForDelivery(*cs.store, requestFor(cs, resolveRecipients(*cs.store, cs.docId, "parents")));
    ScriptedTransport transport;
    RetryPolicy policy;
    policy.maxAttempts = 2;
    policy.baseDelay = std::chrono::seconds(30);
    const std::int64_t t0 = unixNow();

    transport.answer = SendOutcome::Kind::Retry;
    auto report = flushOutbox(*cs.store, transport, policy, t0);
    EXPECT_EQ(2, report.retrying);
    EXPECT_EQ(2u, report.errors.size());
    EXPECT_EQ(0, flushOutbox(*cs.store, transport, policy, t0 + 29).retrying); // not yet due
    EXPECT_EQ(2u, transport.sent.size());

    transport.answer = SendOutcome::Kind::Delivered;
    report = flushOutbox(*cs.store, transport, policy, t0 + 30);
    EXPECT_EQ(2, report.sent);
    EXPECT_EQ(0, flushOutbox(*cs.store, transport, policy, t0 + 10'000).sent);
    EXPECT_EQ(4u, transport.sent.size());
    for (const auto& e : Outbox(*cs.store).list()) {
        EXPECT_EQ(OutboxStatus::Sent, e.status);
        EXPECT_EQ(2, e.attempts);
        EXPECT_TRUE(e.lastError.empty());
    }
    (void)queued;
}

TEST(Delivery, FlushStepsClaimSendElsewhereAndRecord)
{
    test::CaseStore cs;
    test::makeCaseStore(cs);
    queueForDelivery(*cs.store, requestFor(cs, resolveRecipients(*cs.store, cs.docId, "parents")));
    const std::int64_t t0 = unixNow();
    const auto claimed = claimDue(*cs.store, t0);
    ASSERT_EQ(2u, claimed.size());
    EXPECT_EQ(Outbox(*cs.store).entry(claimed[0].messageUuid)->recipient, claimed[0].recipient);
    EXPECT_EQ(Outbox(*cs.store).messageXml(claimed[0].messageUuid), claimed[0].memoXml);
    EXPECT_TRUE(claimDue(*cs.store, t0).empty()); // claimed: a second flush meanwhile leaves them alone
    ScriptedTransport idle;
    EXPECT_EQ(0, flushOutbox(*cs.store, idle, {}, t0).sent);
    EXPECT_TRUE(idle.sent.empty());

    ScriptedTransport transport;
    auto outcomes = sendClaimed(transport, claimed);
    ASSERT_EQ(2u, outcomes.size());
    EXPECT_EQ(2u, transport.sent.size());
    test::expectError(ErrorCode::Internal, "1 outcomes for 2 messages",
        [&] { recordOutcomes(*cs.store, claimed, { outcomes[0] }, {}, t0); });
    EXPECT_EQ(OutboxStatus::Sending, Outbox(*cs.store).list().front().status); // nothing recorded
    outcomes[1] = { SendOutcome::Kind::Permanent, "refused" };
    const auto report = recordOutcomes(*cs.store, claimed, outcomes, {}, t0);
    EXPECT_EQ(1, report.sent);
    EXPECT_EQ(1, report.failed);
    ASSERT_EQ(1u, report.errors.size());
    EXPECT_EQ(claimed[1].messageUuid + " (" + claimed[1].recipient + "): refused", report.errors[0]);
}

TEST(Delivery, ClaimsAreBoundedAndAFlushGoesBatchAfterBatch)
{
    test::CaseStore cs;
    test::makeCaseStore(cs);
    auto request = requestFor(cs, resolveRecipients(*cs.store, cs.docId, "parents"));
    queueForDelivery(*cs.store, request);
    for (int v = 2; v <= 5; ++v) { // two letters a version: ten in all, more than one batch
        ASSERT_EQ(v, test::finalizeAgain(cs));
        request.version = v;
        queueForDelivery(*cs.store, request);
    }
    const std::int64_t t0 = unixNow();
    const auto one = claimDue(*cs.store, t0, 1);
    ASSERT_EQ(1u, one.size());
    ScriptedTransport transport;
    const auto report = flushOutbox(*cs.store, transport, {}, t0);
    EXPECT_EQ(9, report.sent); // the claimed one is left to its own attempt
    EXPECT_EQ(9u, transport.sent.size());
    EXPECT_GT(9u, ClaimBatch + 0u);
    EXPECT_EQ(1, recordOutcomes(*cs.store, one, sendClaimed(transport, one), {}, t0).sent);
}

TEST(Delivery, PermanentFailureIsMarkedForAPerson)
{
    test::CaseStore cs;
    test::makeCaseStore(cs);
    queueForDelivery(*cs.store, requestFor(cs, { { test::MotherCpr, "" } }));
    ScriptedTransport transport;
    transport.answer = SendOutcome::Kind::Permanent;
    const auto report = flushOutbox(*cs.store, transport);
    EXPECT_EQ(1, report.failed);
    const auto e = Outbox(*cs.store).list().front();
    EXPECT_EQ(OutboxStatus::Failed, e.status);
    EXPECT_EQ("scripted failure", e.lastError);
}

TEST(Delivery, FolderTransportWritesWholeFilesOnly)
{
    test::CaseStore cs;
    test::makeCaseStore(cs);
    const auto dropDir = cs.dir / "drop";
    std::filesystem::create_directory(dropDir);
    cs.store->setSetting("delivery.transport", "folder");
    cs.store->setSetting("delivery.folder", dropDir.string());
    const auto queued
        = queueForDelivery(*cs.store, requestFor(cs, resolveRecipients(*cs.store, cs.docId, "parents")));
    auto transport = transportFromSettings(*cs.store);
    const auto report = flushOutbox(*cs.store, *transport);
    EXPECT_EQ(2, report.sent);
    EXPECT_EQ(2u, filesIn(dropDir)); // no temporary file left behind
    const auto file = dropDir / (queued.messageUuids[0] + ".xml");
    ASSERT_TRUE(std::filesystem::exists(file));
    EXPECT_EQ(Outbox(*cs.store).messageXml(queued.messageUuids[0]), test::readFile(file));
    EXPECT_TRUE(MemoSchema::installed().validate(test::readFile(file), file.string()).empty());
}

TEST(Delivery, FolderTransportRetriesWhenTheFolderIsMissing)
{
    test::TempDir dir;
    FolderTransport transport(dir / "not-there");
    const auto outcome = transport.send("3f2a4b6c-1d2e-4f3a-8b4c-5d6e7f8a9b0c", "<x/>");
    EXPECT_EQ(SendOutcome::Kind::Retry, outcome.kind);
    EXPECT_NE(std::string::npos, outcome.error.find("not-there"));
}

// Anyone who can write the delivery folder could plant a symlink at the old, predictable temp
// name (".UUID.PID.tmp"); the sender must never write through it.
TEST(Delivery, FolderTransportNeverFollowsAPlantedSymlink)
{
    test::TempDir dir;
    const std::string uuid = "3f2a4b6c-1d2e-4f3a-8b4c-5d6e7f8a9b0c";
    test::writeFile(dir / "victim", "precious");
    for (int pid = ::getpid() - 5; pid < ::getpid() + 50; ++pid)
        std::filesystem::create_symlink(
            dir / "victim", dir / ("." + uuid + "." + std::to_string(pid) + ".tmp"));
    std::filesystem::create_symlink(dir / "victim", dir / ("." + uuid + ".xml.tmp"));
    FolderTransport transport(dir.path());
    const auto outcome = transport.send(uuid, "<memo/>");
    EXPECT_EQ(SendOutcome::Kind::Delivered, outcome.kind) << outcome.error;
    EXPECT_EQ("precious", test::readFile(dir / "victim"));
    EXPECT_EQ("<memo/>", test::readFile(dir / (uuid + ".xml")));
    // A symlink planted at the final name is not "delivered" either.
    const std::string other = "4f2a4b6c-1d2e-4f3a-8b4c-5d6e7f8a9b0c";
    std::filesystem::create_symlink(dir / "victim", dir / (other + ".xml"));
    EXPECT_EQ(SendOutcome::Kind::Permanent, transport.send(other, "<memo/>").kind);
    EXPECT_EQ("precious", test::readFile(dir / "victim"));
}

TEST(Delivery, FolderTransportLooksAtAFileAlreadyThere)
{
    test::TempDir dir;
    const std::string uuid = "3f2a4b6c-1d2e-4f3a-8b4c-5d6e7f8a9b0c";
    FolderTransport transport(dir.path());
    test::writeFile(dir / (uuid + ".xml"), "<memo>the same</memo>");
    EXPECT_EQ(SendOutcome::Kind::Delivered, transport.send(uuid, "<memo>the same</memo>").kind);
    test::writeFile(dir / (uuid + ".xml"), "<forged/>");
    const auto outcome = transport.send(uuid, "<memo>the real one</memo>");
    EXPECT_EQ(SendOutcome::Kind::Permanent, outcome.kind);
    EXPECT_NE(std::string::npos, outcome.error.find("other content"));
}

TEST(Delivery, AKilledSendsTemporaryFileIsRemovedByTheNext)
{
    test::TempDir dir;
    const pid_t child = ::fork();
    if (child == 0) {
        // A send killed between writing its temporary file and the rename.
        test::writeFile(
            dir / (".fplan-tmp-" + std::to_string(::getpid()) + "-x.xml-abcdef"), "the whole MeMo");
        ::_exit(0);
    }
    int status = 0;
    ::waitpid(child, &status, 0);
    FolderTransport transport(dir.path());
    ASSERT_EQ(
        SendOutcome::Kind::Delivered, transport.send("3f2a4b6c-1d2e-4f3a-8b4c-5d6e7f8a9b0c", "<m/>").kind);
    EXPECT_EQ(1u, filesIn(dir.path())) << "only the delivered message is left";
}

TEST(Delivery, TransportSettingsAreCheckedWithAClearReason)
{
    std::map<std::string, std::string> s;
    test::expectError(
        ErrorCode::BadInput, "setting delivery.transport is missing", [&] { makeTransport(s); });
    s["delivery.transport"] = "carrier-pigeon";
    test::expectError(ErrorCode::BadInput,
        "setting delivery.transport is 'carrier-pigeon'; it must be folder or sf1601",
        [&] { makeTransport(s); });
    s["delivery.transport"] = "sf1601";
    s["delivery.endpoint"] = "https://localhost:1/kombi";
    test::expectError(
        ErrorCode::BadInput, "setting delivery.client_cert is missing", [&] { makeTransport(s); });
}

TEST(Delivery, Sf1601RequestWrapsTheWholeMessage)
{
    test::CaseStore cs;
    test::makeCaseStore(cs);
    const auto m = buildMessageFor(*cs.store, requestFor(cs, {}), { test::MotherCpr, "" });
    const auto body = sf1601Request(m.xml);
    EXPECT_EQ(0u, body.rfind("<?xml", 0));
    EXPECT_EQ(1u, [&] {
        std::size_t n = 0;
        for (auto p = body.find("<?xml"); p != std::string::npos; p = body.find("<?xml", p + 1))
            ++n;
        return n;
    }());
    EXPECT_NE(std::string::npos, body.find("<kombi_request"));
    EXPECT_EQ(m.uuid, findMessageUuid(body));
}

TEST(Delivery, PreviewShowsWhoWhatAndEveryProblemWithoutSending)
{
    test::CaseStore cs;
    test::makeCaseStore(cs, /*withSender=*/false);
    auto p = previewDelivery(*cs.store, cs.docId, 0, "parents", "Familieplan");
    EXPECT_EQ(1, p.version);
    EXPECT_EQ("Familieplan – version 1", p.label);
    EXPECT_EQ("Familieplan version 1.pdf", p.fileName);
    ASSERT_EQ(2u, p.recipients.size());
    ASSERT_EQ(1u, p.problems.size());
    EXPECT_EQ(DeliveryProblemCode::NoSender, p.problems[0].code);
    EXPECT_EQ("no sender: set municipality.cvr and municipality.name", describe(p.problems[0]));
    EXPECT_FALSE(p.transportConfigured);

    cs.store->setSetting("municipality.cvr", "29189803");
    cs.store->setSetting("municipality.name", "Aarhus Kommune");
    cs.store->setSetting("delivery.transport", "folder");
    cs.store->setSetting("delivery.folder", cs.dir.path().string());
    queueForDelivery(*cs.store, requestFor(cs, { { test::MotherCpr, "" } }));
    Outbox(*cs.store).recordPaperDelivery(cs.docId, 1, "Peter Nørgaard", "2026-11-23", "jr", 1);
    p = previewDelivery(*cs.store, cs.docId, 0, "parents", "Familieplan");
    EXPECT_TRUE(p.problems.empty()) << describe(p.problems.front());
    EXPECT_TRUE(p.transportConfigured);
    EXPECT_EQ(1u, p.earlier.size());
    EXPECT_EQ(1u, p.paper.size());

    p = previewDelivery(*cs.store, cs.docId, 9, "3102901234", "Familieplan");
    ASSERT_EQ(2u, p.problems.size()); // no version 9, and an invalid CPR
    EXPECT_EQ(DeliveryProblemCode::NoSuchVersion, p.problems[0].code);
    EXPECT_EQ("9", p.problems[0].detail);
    EXPECT_EQ(DeliveryProblemCode::BadRecipientCpr, p.problems[1].code);
    EXPECT_EQ("3102901234", p.problems[1].detail);
    EXPECT_TRUE(Outbox(*cs.store).list().size() == 1);
}
