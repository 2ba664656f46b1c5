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

// Every command that names a version reads it the same way (a number or the stable id that doc
// show --json lists) and answers a missing one with the same message. Two people finalised the
// same draft at once (two devices, one number): the number is ambiguous, the id names one.
TEST(DeliveryCli, EveryCommandNamesAVersionByNumberOrIdAlike)
{
    test::CaseStore cs;
    test::makeCaseStore(cs);
    const auto state = cs.store->documentState(cs.docId);
    const std::string first = state.latestVersion()->opId;
    OpFactory jens("Jens Ravn", "desk-jens", cs.store->clock());
    OpFactory mette("Mette Lund", "desk-mette", cs.store->clock());
    cs.store->appendOps(
        { jens.finalize(state, cs.caseId, cs.docId), mette.finalize(state, cs.caseId, cs.docId) });
    const auto versions = cs.store->documentState(cs.docId).versions();
    ASSERT_EQ(3u, versions.size());
    ASSERT_EQ(2, versions[1].number);
    ASSERT_EQ(2, versions[2].number);
    const std::string byJens = versions[1].author == "Jens Ravn" ? versions[1].opId : versions[2].opId;
    const std::string byMette = versions[1].author == "Jens Ravn" ? versions[2].opId : versions[1].opId;
    cs.store.reset();
    test::writeFile(cs.dir / "plan.pdf", test::minimalPdf());
    const std::string pdf = (cs.dir / "plan.pdf").string();

    // Each command, with the version given as `v`.
    const auto commands = [&](const std::string& v) -> std::vector<std::vector<std::string>> {
        return { { "doc", "show", cs.docId, "--json", "--version", v },
            { "doc", "diff", cs.docId, first, v, "--json" },
            { "doc", "render", cs.docId, "--version", v, "--force", "--out", (cs.dir / "v.pdf").string() },
            { "memo", "build", cs.docId, "--recipient", test::MotherCpr, "--pdf", pdf, "--version", v,
                "--force", "--out", (cs.dir / "memo.xml").string() },
            { "send", cs.docId, "--version", v, "--to", test::MotherCpr, "--pdf", pdf, "--no-flush" } };
    };
    for (const auto& args : commands(byMette)) {
        const auto r = fplanCli(cs, args);
        EXPECT_EQ(0, r.exitCode) << args[0] << " " << args[1] << ": " << r.err;
    }
    const auto shown = nlohmann::json::parse(fplanCli(cs, commands(byJens)[0]).out);
    EXPECT_EQ(byJens, shown.at("version_id"));
    // The message is the one of the version named, keyed on its id.
    auto r = fplanCli(cs, commands(byJens)[3]);
    ASSERT_EQ(0, r.exitCode) << r.err;
    EXPECT_EQ(delivery::memoMessageUuid(cs.docId, byJens, test::MotherCpr) + "\n", r.out);
    r = fplanCli(cs, commands(byJens)[4]);
    ASSERT_EQ(0, r.exitCode) << r.err;
    EXPECT_EQ(0u, r.out.find(delivery::memoMessageUuid(cs.docId, byJens, test::MotherCpr) + " ")) << r.out;
    EXPECT_NE(std::string::npos, r.out.find(" version 2\n")) << r.out;

    for (const auto& args : commands("2")) { // shared by two versions
        r = fplanCli(cs, args);
        EXPECT_EQ(1, r.exitCode) << args[1];
        EXPECT_NE(std::string::npos, r.err.find("version 2 was finalised twice at once")) << r.err;
        EXPECT_NE(std::string::npos, r.err.find(byJens)) << r.err;
    }
    const std::string missing = "document " + cs.docId + ": no version 'v-gone' (the latest is 2)";
    for (const auto& args : commands("v-gone")) {
        r = fplanCli(cs, args);
        EXPECT_EQ(2, r.exitCode) << args[1];
        EXPECT_NE(std::string::npos, r.err.find(missing)) << args[0] << " " << args[1] << ": " << r.err;
    }
    for (const auto& args : commands("1.5")) {
        r = fplanCli(cs, args);
        EXPECT_EQ(2, r.exitCode) << args[1];
        EXPECT_NE(std::string::npos,
            r.err.find("must be a version number (1, 2, ...) or a version id (doc show --json lists them), "
                       "not '1.5'"))
            << args[0] << " " << args[1] << ": " << r.err;
    }
}
