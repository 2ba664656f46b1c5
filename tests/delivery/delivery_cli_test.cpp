// SPDX-License-Identifier: EUPL-1.2
// The delivery commands of `fplan` (cli/delivery_commands.cpp), driven as a user would.
#include "delivery/delivery.h"
#include "tests/delivery/delivery_fixtures.h"
#include "tests/support/test_support.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

using namespace fplan;

namespace {

test::RunResult fplanCli(const test::CaseStore& cs, std::vector<std::string> args)
{
    std::vector<std::string> argv = { (test::buildDir() / "cli" / "fplan").string() };
    argv.insert(argv.end(), args.begin(), args.end());
    argv.push_back("--store");
    argv.push_back(cs.path().string());
    return test::run(argv, { "FPLAN_PASSPHRASE=test-passphrase" });
}

} // namespace

TEST(DeliveryCli, SendQueuesDeliversToTheFolderAndListsAsJson)
{
    test::CaseStore cs;
    test::makeCaseStore(cs);
    const auto drop = cs.dir / "drop";
    std::filesystem::create_directory(drop);
    cs.store->setSetting("delivery.transport", "folder");
    cs.store->setSetting("delivery.folder", drop.string());
    cs.store.reset();
    test::writeFile(cs.dir / "plan.pdf", test::minimalPdf());

    auto r = fplanCli(cs, { "send", cs.docId, "--to", "parents", "--pdf", (cs.dir / "plan.pdf").string() });
    ASSERT_EQ(0, r.exitCode) << r.err;
    EXPECT_NE(std::string::npos, r.out.find("2 sent")) << r.out;

    r = fplanCli(cs, { "outbox", "list", "--json" });
    ASSERT_EQ(0, r.exitCode) << r.err;
    const auto list = nlohmann::json::parse(r.out);
    ASSERT_EQ(2u, list.size());
    for (const auto& e : list) {
        EXPECT_EQ(cs.docId, e.at("doc_id"));
        EXPECT_EQ(1, e.at("version"));
        EXPECT_EQ("sent", e.at("status"));
        EXPECT_EQ(1, e.at("attempts"));
        EXPECT_EQ("", e.at("last_error"));
        EXPECT_TRUE(std::filesystem::exists(drop / (e.at("message_uuid").get<std::string>() + ".xml")));
    }

    // Sending the same version again makes no new letter.
    r = fplanCli(cs,
        { "send", cs.docId, "--version", "1", "--to", test::MotherCpr, "--pdf",
            (cs.dir / "plan.pdf").string() });
    ASSERT_EQ(0, r.exitCode) << r.err;
    EXPECT_NE(std::string::npos, r.out.find("0 new message(s)")) << r.out;
}

TEST(DeliveryCli, SendRefusesBadInputWithExitTwoAndQueuesNothing)
{
    test::CaseStore cs;
    test::makeCaseStore(cs, /*withSender=*/false);
    cs.store.reset();
    test::writeFile(cs.dir / "plan.pdf", test::minimalPdf());
    auto r = fplanCli(cs, { "send", cs.docId, "--to", "parents", "--pdf", (cs.dir / "plan.pdf").string() });
    EXPECT_EQ(2, r.exitCode);
    EXPECT_NE(std::string::npos, r.err.find("municipality.cvr")) << r.err;
    r = fplanCli(cs, { "send", cs.docId, "--to", "3102901234", "--pdf", (cs.dir / "plan.pdf").string() });
    EXPECT_EQ(2, r.exitCode);
    EXPECT_NE(std::string::npos, r.err.find("3102901234")) << r.err;
    r = fplanCli(cs, { "outbox", "list", "--json" });
    EXPECT_EQ("[]\n", r.out);
}

TEST(DeliveryCli, MemoBuildWritesAMessageThatMemoValidateAccepts)
{
    test::CaseStore cs;
    test::makeCaseStore(cs);
    const std::string versionId = cs.store->documentState(cs.docId).latestVersion()->opId;
    cs.store.reset();
    test::writeFile(cs.dir / "plan.pdf", test::minimalPdf());
    const auto out = cs.dir / "memo.xml";
    auto r = fplanCli(cs,
        { "memo", "build", cs.docId, "--recipient", "010190-1234", "--out", out.string(), "--pdf",
            (cs.dir / "plan.pdf").string() });
    ASSERT_EQ(0, r.exitCode) << r.err;
    EXPECT_EQ(delivery::memoMessageUuid(cs.docId, versionId, test::MotherCpr) + "\n", r.out);

    r = fplanCli(cs, { "memo", "validate", out.string() });
    EXPECT_EQ(0, r.exitCode) << r.err;

    // Two schema errors: each printed with its file and line, exit 2.
    auto xml = test::readFile(out);
    xml.replace(xml.find("DIGITALPOST"), 11, "BREV");
    xml.replace(xml.find("<memo:idType>CPR</memo:idType>"), 30, "");
    test::writeFile(cs.dir / "bad.xml", xml);
    r = fplanCli(cs, { "memo", "validate", (cs.dir / "bad.xml").string() });
    EXPECT_EQ(2, r.exitCode);
    const std::string prefix = (cs.dir / "bad.xml").string() + ":";
    EXPECT_NE(std::string::npos, r.err.find(prefix + "4: ")) << r.err;
    EXPECT_NE(std::string::npos, r.err.find(prefix + "12: ")) << r.err;
}

TEST(DeliveryCli, SendRendersTheFinalisedVersionItself)
{
    test::CaseStore cs;
    test::makeCaseStore(cs);
    const auto drop = cs.dir / "drop";
    std::filesystem::create_directory(drop);
    cs.store->setSetting("delivery.transport", "folder");
    cs.store->setSetting("delivery.folder", drop.string());
    const std::string versionId = cs.store->documentState(cs.docId).latestVersion()->opId;
    cs.store.reset();
    auto r = fplanCli(cs, { "send", cs.docId, "--to", test::MotherCpr });
    ASSERT_EQ(0, r.exitCode) << r.err;
    EXPECT_NE(std::string::npos, r.out.find("1 sent")) << r.out;
    const auto uuid = delivery::memoMessageUuid(cs.docId, versionId, test::MotherCpr);
    const auto xml = test::readFile(drop / (uuid + ".xml"));
    EXPECT_TRUE(delivery::MemoSchema::installed().validate(xml, "sent.xml").empty());
    EXPECT_NE(std::string::npos, xml.find("<memo:content>JVBERi0")); // "%PDF-" in base64
    EXPECT_NE(std::string::npos, xml.find("<memo:filename>Familieplan version 1.pdf</memo:filename>"));
}

TEST(DeliveryCli, OutboxFlushExitsOneWhenALetterWasNotDelivered)
{
    test::CaseStore cs;
    test::makeCaseStore(cs);
    cs.store->setSetting("delivery.transport", "folder");
    cs.store->setSetting("delivery.folder", (cs.dir / "not-there").string());
    cs.store.reset();
    test::writeFile(cs.dir / "plan.pdf", test::minimalPdf());
    auto r = fplanCli(
        cs, { "send", cs.docId, "--to", "parents", "--pdf", (cs.dir / "plan.pdf").string(), "--no-flush" });
    ASSERT_EQ(0, r.exitCode) << r.err;

    r = fplanCli(cs, { "outbox", "flush" });
    EXPECT_EQ(1, r.exitCode) << r.out << r.err;
    EXPECT_NE(std::string::npos, r.out.find("0 sent, 2 to retry")) << r.out;
    EXPECT_NE(std::string::npos, r.err.find("is not there")) << r.err;

    // Nothing due and nothing failed in this run: success.
    r = fplanCli(cs, { "outbox", "flush" });
    EXPECT_EQ(0, r.exitCode) << r.out << r.err;
    EXPECT_NE(std::string::npos, r.out.find("0 sent, 0 to retry, 0 failed")) << r.out;
}
