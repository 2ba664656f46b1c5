// SPDX-License-Identifier: EUPL-1.2
#include "app/documents.h"
#include "base/error.h"
#include "core/bundle.h"
#include "delivery/outbox.h"
#include "gui/case_overview_presenter.h"
#include "gui/outbox_worker.h"
#include "gui/send_presenter.h"
#include "tests/delivery/delivery_fixtures.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <regex>

using namespace fplan;
using namespace fplan::gui;

namespace {

const docgen::TemplateRegistry& sourceTemplates()
{
    static const docgen::TemplateRegistry registry { test::sourceDir() / "templates" };
    return registry;
}

// Records what it was given instead of sending; the next outcomes are set by the test.
class FakeTransport : public delivery::Transport {
public:
    delivery::SendOutcome send(const std::string& uuid, const std::string&) override
    {
        sent.push_back(uuid);
        return outcome;
    }
    std::string describe() const override { return "fake"; }
    std::vector<std::string> sent;
    delivery::SendOutcome outcome;
};

// What the dialog does: claim on the main thread, send (a worker there), record.
int flush(SendPresenter& p, delivery::Transport& transport, std::int64_t now = delivery::unixNow())
{
    const auto attempts = p.claimDue(now);
    return p.finishAttempts(attempts, delivery::sendClaimed(transport, attempts), now);
}

const std::string MotherLine = "Søs Nørgaard (010190-1234)";
const std::string FatherLine = "Peter Nørgaard (020288-5678)";

} // namespace

TEST(SendPresenter, ShowsTheParentsWithCustodyByNameAndCpr)
{
    test::CaseStore cs;
    test::makeCaseStore(cs);
    app::DocumentService documents(*cs.store, sourceTemplates(), "Jens Ravn");
    SendPresenter p(documents, cs.docId, 0);
    EXPECT_EQ((std::vector<std::string> { MotherLine, FatherLine }), p.recipientLines());
    EXPECT_EQ(1, p.version());
    EXPECT_EQ("Familieplan – version 1", p.label());
    EXPECT_EQ("Familieplan version 1.pdf", p.fileName());
    ASSERT_EQ(3u, p.candidates().size());
    EXPECT_FALSE(p.candidates()[2].chosen); // the child is not a default recipient
    EXPECT_TRUE(p.canSend());
    EXPECT_NE(std::string::npos, p.confirmationText().find(FatherLine));

    p.setChosen(1, false);
    p.setChosen(2, true);
    EXPECT_EQ((std::vector<std::string> { MotherLine, "Alma Nørgaard (120515-4321)" }), p.recipientLines());
}

TEST(SendPresenter, AMissingDeliveryRouteIsToldBeforeTheConfirmation)
{
    test::CaseStore cs;
    test::makeCaseStore(cs);
    app::DocumentService documents(*cs.store, sourceTemplates(), "Jens Ravn");
    SendPresenter p(documents, cs.docId, 0);
    EXPECT_FALSE(p.transportConfigured());
    // Not a reason to refuse (the outbox keeps the letters), but said first, in Danish, and in
    // the confirmation itself; never as a command to type.
    EXPECT_TRUE(p.canSend());
    ASSERT_EQ(1u, p.notices().size());
    EXPECT_NE(std::string::npos, p.notices()[0].find("ingen forsendelsesvej til Digital Post"));
    EXPECT_NE(std::string::npos, p.confirmationText().find(p.notices()[0]));
    EXPECT_EQ(std::string::npos, p.confirmationText().find("fplan"));
    // With a route set up there is nothing to add.
    cs.store->setSetting("delivery.transport", "folder");
    cs.store->setSetting("delivery.folder", (cs.dir / "ud").string());
    p.reload();
    EXPECT_TRUE(p.transportConfigured());
    EXPECT_TRUE(p.notices().empty());
    EXPECT_EQ(std::string::npos, p.confirmationText().find("forsendelsesvej"));
}

TEST(SendPresenter, NotificationIsCountedInCharacters)
{
    test::CaseStore cs;
    test::makeCaseStore(cs);
    app::DocumentService documents(*cs.store, sourceTemplates(), "Jens Ravn");
    SendPresenter p(documents, cs.docId, 0);
    p.setNotification("Ære være Søren"); // 14 characters, 17 bytes
    EXPECT_EQ(14, p.notificationLength());
    EXPECT_EQ("14 / 150 tegn", p.notificationCounter());
    p.setNotification(std::string(150, 'x'));
    EXPECT_TRUE(p.canSend());
    p.setNotification(std::string(149, 'x') + "ø");
    EXPECT_TRUE(p.canSend());
    p.setNotification(std::string(151, 'x'));
    ASSERT_EQ(1u, p.problems().size());
    EXPECT_EQ("Beskeden er 151 tegn; den må højst være 150.", p.problems()[0]);
}

TEST(SendPresenter, ProblemsBlockSendingAndQueueNothing)
{
    test::CaseStore cs;
    test::makeCaseStore(cs, /*withSender=*/false);
    app::DocumentService documents(*cs.store, sourceTemplates(), "Jens Ravn");
    SendPresenter p(documents, cs.docId, 0);
    ASSERT_EQ(1u, p.problems().size());
    EXPECT_EQ(
        "Kommunens navn og CVR-nummer mangler: udfyld dem under Filer › Indstillinger.", p.problems()[0]);
    EXPECT_FALSE(p.canSend());
    EXPECT_THROW(p.send(test::minimalPdf()), Error);
    EXPECT_TRUE(delivery::Outbox(*cs.store).list().empty());

    cs.store->setSetting("municipality.cvr", "2918980");
    cs.store->setSetting("municipality.name", "Aarhus Kommune");
    p.reload();
    ASSERT_EQ(1u, p.problems().size());
    EXPECT_EQ("Kommunens CVR-nummer 2918980 er ikke 8 cifre.", p.problems()[0]);

    cs.store->setSetting("municipality.cvr", "29189803");
    p.reload();
    EXPECT_TRUE(p.canSend());
    p.setChosen(0, false);
    p.setChosen(1, false);
    ASSERT_EQ(1u, p.problems().size());
    EXPECT_EQ("Vælg mindst én modtager.", p.problems()[0]);
    EXPECT_THROW(p.send(test::minimalPdf()), Error);
    EXPECT_TRUE(delivery::Outbox(*cs.store).list().empty());
}

TEST(SendPresenter, ADraftWithoutAFinalisedVersionCannotBeSent)
{
    test::CaseStore cs;
    test::makeCaseStore(cs);
    app::DocumentService documents(*cs.store, sourceTemplates(), "Jens Ravn");
    SendPresenter finalised(documents, cs.docId, 0);
    EXPECT_TRUE(finalised.canSend());
    SendPresenter missing(documents, cs.docId, 9); // no version 9
    EXPECT_EQ(0, missing.version());
    ASSERT_EQ(1u, missing.problems().size());
    EXPECT_EQ("Dokumentet har ingen færdiggjort version: færdiggør det først.", missing.problems()[0]);
    EXPECT_THROW(missing.send(test::minimalPdf()), Error);
    EXPECT_THROW(missing.recordPaper("Peter Nørgaard", "2026-11-23", "Jens Ravn"), Error);
    EXPECT_TRUE(delivery::Outbox(*cs.store).list().empty());
}

TEST(SendPresenter, ARecipientWithoutCprBlocksSending)
{
    test::TempDir dir;
    Store::create(dir / "s.fplan", "test-passphrase", crypto::KdfParams::freshCheap());
    Store store = Store::open(dir / "s.fplan", "test-passphrase");
    store.setSetting("municipality.cvr", "29189803");
    store.setSetting("municipality.name", "Aarhus Kommune");
    const Bundle bundle = parseBundle(R"({
      "case": {"title": "Familien Holm", "journal_number": "27.24.00-G01-2-26", "kle": "27.24.00"},
      "people": [
        {"id": "p1", "name": "Ida Holm", "cpr": "0101901234", "relation": "mor", "custody": true},
        {"id": "p2", "name": "Bo Holm", "cpr": "", "relation": "far", "custody": true}
      ],
      "team": [{"id": "t1", "name": "Jens Ravn", "fagomraade": "Børn og Familie",
                "role": "myndighedsrådgiver", "email": "jr@kommune.dk", "phone": "12345678"}],
      "coordinator": "t1",
      "documents": [{"template": "familieplan", "values": {}}]
    })",
        "bundle.json");
    OpFactory factory("tester", store.deviceId(), store.clock());
    const auto caseId = importBundle(store, bundle, factory, [](const BundleDocument&, const Case&) {
        return PreparedDocument { "1", {}, "", "" };
    });
    const auto docId = store.documents(caseId).front().id;
    store.appendOps({ factory.finalize(store.documentState(docId), caseId, docId) });

    app::DocumentService documents(store, sourceTemplates(), "Jens Ravn");
    SendPresenter p(documents, docId, 0);
    ASSERT_EQ(1u, p.problems().size());
    EXPECT_EQ("Bo Holm har intet gyldigt CPR-nummer: ret sagen, eller vælg personen fra.", p.problems()[0]);
    EXPECT_EQ((std::vector<std::string> { "Ida Holm (010190-1234)" }), p.recipientLines());
    EXPECT_THROW(p.send(test::minimalPdf()), Error);
    p.setChosen(1, false);
    EXPECT_TRUE(p.canSend());
}

TEST(SendPresenter, QueuesOneMessagePerRecipientAndNothingNewTheSecondTime)
{
    test::CaseStore cs;
    test::makeCaseStore(cs);
    app::DocumentService documents(*cs.store, sourceTemplates(), "Jens Ravn");
    SendPresenter p(documents, cs.docId, 0);
    p.setNotification("Din familieplan er klar");
    auto result = p.send(test::minimalPdf());
    EXPECT_EQ(2, result.newlyQueued);
    EXPECT_EQ(2u, delivery::Outbox(*cs.store).list(cs.docId).size());

    result = p.send(test::minimalPdf());
    EXPECT_EQ(0, result.newlyQueued);
    EXPECT_EQ(2u, delivery::Outbox(*cs.store).list(cs.docId).size());
    SendPresenter again(documents, cs.docId, 0);
    EXPECT_EQ(0, again.send(test::minimalPdf()).newlyQueued);
    EXPECT_EQ(2u, again.deliveries().size()); // the earlier sends are shown
}

TEST(SendPresenter, ShowsStatusPerRecipientAndRetriesFailedOnes)
{
    test::CaseStore cs;
    test::makeCaseStore(cs);
    app::DocumentService documents(*cs.store, sourceTemplates(), "Jens Ravn");
    SendPresenter p(documents, cs.docId, 0);
    p.send(test::minimalPdf());
    auto lines = p.deliveries();
    ASSERT_EQ(2u, lines.size());
    for (const auto& l : lines) {
        EXPECT_EQ("Venter", l.status);
        EXPECT_EQ(0, l.attempts);
        EXPECT_FALSE(l.canRetry);
    }

    FakeTransport transport;
    transport.outcome = { delivery::SendOutcome::Kind::Permanent, "HTTP 400: ugyldig modtager" };
    EXPECT_EQ(0, flush(p, transport));
    EXPECT_EQ(2u, transport.sent.size());
    lines = p.deliveries();
    ASSERT_EQ(2u, lines.size());
    for (const auto& l : lines) {
        EXPECT_EQ("Fejlet", l.status);
        EXPECT_EQ(1, l.attempts);
        EXPECT_EQ("HTTP 400: ugyldig modtager", l.lastError);
        EXPECT_TRUE(l.canRetry);
    }
    EXPECT_TRUE(lines[0].recipient == MotherLine || lines[0].recipient == FatherLine);

    p.retry(lines[0].messageUuid, delivery::unixNow());
    transport.outcome = { delivery::SendOutcome::Kind::Delivered, "" };
    EXPECT_EQ(1, flush(p, transport));
    int sent = 0;
    for (const auto& l : p.deliveries())
        sent += l.status == "Sendt";
    EXPECT_EQ(1, sent);
    EXPECT_TRUE(p.claimDue(delivery::unixNow()).empty()); // nothing sent twice
}

TEST(SendPresenter, RecordsAPrintedCopyHandedOver)
{
    test::CaseStore cs;
    test::makeCaseStore(cs, /*withSender=*/false); // paper needs no municipality settings
    app::DocumentService documents(*cs.store, sourceTemplates(), "Jens Ravn");
    SendPresenter p(documents, cs.docId, 0);
    EXPECT_THROW(p.recordPaper("  ", "2026-11-23", "Jens Ravn"), Error);
    EXPECT_THROW(p.recordPaper("Peter Nørgaard", "", "Jens Ravn"), Error);
    p.recordPaper(" Peter Nørgaard ", "2026-11-23", "Jens Ravn");
    EXPECT_EQ((std::vector<std::string> {
                  "2026-11-23: udleveret til Peter Nørgaard (version 1, registreret af Jens Ravn)" }),
        p.paperLines());
    const auto paper = delivery::Outbox(*cs.store).paperDeliveries(cs.docId);
    ASSERT_EQ(1u, paper.size());
    EXPECT_EQ("Peter Nørgaard", paper[0].recipient);
    EXPECT_TRUE(delivery::Outbox(*cs.store).list().empty()); // nothing went to Digital Post
}

// The desktop queues through the document service's send, the one `fplan send` and `fplan memo
// build` use: the letter is titled by the template version the document was made with (kept in
// the store), even after this installation's template got a new title, and the message the
// desktop queues is the one the command line builds for the same order.
TEST(SendPresenter, SendsThroughTheDocumentServiceAsTheCommandLineDoes)
{
    test::TempDir dir;
    std::filesystem::copy(
        test::sourceDir() / "templates", dir / "templates", std::filesystem::copy_options::recursive);
    Store::create(dir / "s.fplan", "test-passphrase", crypto::KdfParams::freshCheap());
    Store store = Store::open(dir / "s.fplan", "test-passphrase");
    store.setSetting("municipality.cvr", "29189803");
    store.setSetting("municipality.name", "Aarhus Kommune");
    const Bundle bundle = parseBundle(R"({
      "case": {"title": "Familien Holm", "journal_number": "27.24.00-G01-2-26", "kle": "27.24.00"},
      "people": [
        {"id": "p1", "name": "Ida Holm", "cpr": "0101901234", "relation": "mor", "custody": true},
        {"id": "p2", "name": "Bo Holm", "cpr": "0202885678", "relation": "far", "custody": true}
      ],
      "team": [{"id": "t1", "name": "Jens Ravn", "fagomraade": "Børn og Familie",
                "role": "myndighedsrådgiver", "email": "jr@kommune.dk", "phone": "12345678"}],
      "coordinator": "t1",
      "documents": [{"template": "familieplan", "values": {}}]
    })",
        "bundle.json");
    const docgen::TemplateRegistry made { dir / "templates" };
    OpFactory factory("tester", store.deviceId(), store.clock());
    const auto caseId = importBundle(store, bundle, factory,
        [&](const BundleDocument& d, const Case& kase) { return app::prepareDocument(made, d, kase); });
    const auto docId = store.documents(caseId).front().id;
    store.appendOps({ factory.finalize(store.documentState(docId), caseId, docId) });

    // This installation's family plan template is retitled after the document was made.
    const auto file = dir / "templates" / "familieplan.xml";
    std::string text = test::readFile(file);
    const auto at = text.find("title=\"Familieplan\"");
    ASSERT_NE(std::string::npos, at);
    text.replace(at, 19, "title=\"Familieplan for barnet\"");
    test::writeFile(file, text);
    const docgen::TemplateRegistry installed { dir / "templates" };
    ASSERT_EQ("Familieplan for barnet", installed.load("familieplan").title);

    app::DocumentService documents(store, installed, "Jens Ravn");
    SendPresenter p(documents, docId, 0);
    EXPECT_EQ("Familieplan – version 1", p.label());
    EXPECT_EQ("Familieplan version 1.pdf", p.fileName());
    const auto queued = p.send(test::minimalPdf());
    ASSERT_EQ(2, queued.newlyQueued);

    // What the command line builds for the same order (fplan memo build): the same message.
    app::SendOrder order;
    order.docId = docId;
    order.version = 1;
    order.pdf = test::minimalPdf();
    const auto prepared = documents.prepareSend(order);
    const auto withoutClock = [](const std::string& xml) {
        return std::regex_replace(xml, std::regex("createdDateTime>[^<]*<"), "createdDateTime><");
    };
    delivery::Outbox outbox(store);
    const auto cli = delivery::buildMessageFor(store, prepared.request, { "0101901234", "Ida Holm" });
    ASSERT_EQ(cli.uuid, queued.messageUuids[0]);
    const std::string desktop = outbox.messageXml(queued.messageUuids[0]);
    EXPECT_EQ(withoutClock(cli.xml), withoutClock(desktop));
    EXPECT_NE(std::string::npos, desktop.find("Familieplan – version 1"));
    EXPECT_EQ(std::string::npos, desktop.find("for barnet"));
}

TEST(OutboxWorker, SendsWhatWaitsAndSaysHowManyWait)
{
    test::CaseStore cs;
    test::makeCaseStore(cs);
    app::DocumentService documents(*cs.store, sourceTemplates(), "Jens Ravn");
    SendPresenter p(documents, cs.docId, 0);
    EXPECT_EQ("", outboxStatusText(*cs.store));
    p.send(test::minimalPdf()); // no route yet: both letters wait
    EXPECT_EQ("2 breve venter på at blive sendt", outboxStatusText(*cs.store));
    // The case overview's column, per document.
    EXPECT_EQ("2 venter", deliveryText(delivery::Outbox(*cs.store).list(cs.docId)));

    // What the main window's timer does once a route is set up: claim, send elsewhere, record.
    std::filesystem::create_directories(cs.dir / "ud");
    const auto now = delivery::unixNow();
    const auto attempts = delivery::claimDue(*cs.store, now);
    ASSERT_EQ(2u, attempts.size());
    EXPECT_TRUE(delivery::claimDue(*cs.store, now).empty()); // claimed: a second flush leaves them alone
    delivery::FolderTransport folder(cs.dir / "ud");
    auto outcomes = delivery::sendClaimed(folder, attempts);
    EXPECT_EQ(2, std::distance(std::filesystem::directory_iterator(cs.dir / "ud"), {}));
    // Say Digital Post refused the second one for good: it is counted as failed.
    outcomes[1] = { delivery::SendOutcome::Kind::Permanent, "refused by Digital Post" };
    EXPECT_EQ(1, delivery::recordOutcomes(*cs.store, attempts, outcomes, {}, now).sent);
    EXPECT_EQ("1 brev kunne ikke sendes", outboxStatusText(*cs.store));
    EXPECT_EQ("1 sendt, 1 fejlet", deliveryText(delivery::Outbox(*cs.store).list(cs.docId)));
}
