// SPDX-License-Identifier: EUPL-1.2
// The whole path between two installations: ops export/import both ways, concurrent edits,
// identical documents and the same conflict on both, templates that travel with the ops.
#include "tests/support/test_support.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

using namespace fplan;
using Json = nlohmann::json;

namespace {

class CliOps : public ::testing::Test {
protected:
    test::RunResult fplan(
        const std::filesystem::path& store, std::vector<std::string> args, std::vector<std::string> env = {})
    {
        args.insert(args.begin(), FPLAN_CLI);
        env.push_back("FPLAN_STORE=" + store.string());
        env.push_back("FPLAN_PASSPHRASE=rigtig-adgangskode");
        env.push_back("USER=jr");
        return test::run(args, env);
    }
    void SetUp() override
    {
        ASSERT_EQ(0, fplan(a, { "init" }).exitCode);
        ASSERT_EQ(0, fplan(b, { "init" }).exitCode);
    }
    static std::string firstLine(const std::string& text) { return text.substr(0, text.find('\n')); }

    test::RunResult fill(const std::filesystem::path& store, const std::string& docId, const Json& values)
    {
        const auto file = dir / ("values-" + std::to_string(++files) + ".json");
        test::writeFile(file, values.dump(2));
        return fplan(store, { "doc", "fill", docId, file.string() });
    }
    Json show(
        const std::filesystem::path& store, const std::string& docId, std::vector<std::string> extra = {})
    {
        std::vector<std::string> args = { "doc", "show", docId, "--json" };
        args.insert(args.end(), extra.begin(), extra.end());
        const auto r = fplan(store, args);
        EXPECT_EQ(0, r.exitCode) << r.err;
        return r.exitCode == 0 ? Json::parse(r.out) : Json();
    }
    // Moves everything `from` has to `to`; returns the import's output.
    std::string exchange(const std::filesystem::path& from, const std::filesystem::path& to)
    {
        const auto file = dir / ("ops-" + std::to_string(++files) + ".json");
        auto r = fplan(from, { "ops", "export", "--out", file.string() });
        EXPECT_EQ(0, r.exitCode) << r.err;
        r = fplan(to, { "ops", "import", file.string() });
        EXPECT_EQ(0, r.exitCode) << r.err;
        return r.out;
    }

    test::TempDir dir;
    std::filesystem::path a = dir / "a.fplan";
    std::filesystem::path b = dir / "b.fplan";
    int files = 0;
};

} // namespace

TEST_F(CliOps, TwoStoresExchangeOpsAndAgree)
{
    auto r = fplan(a, { "case", "import", test::dataFile("bundles/multilingual.json").string() });
    ASSERT_EQ(0, r.exitCode) << r.err;
    const std::string caseId = firstLine(r.out);
    r = fplan(a, { "doc", "new", caseId, "familieplan" });
    ASSERT_EQ(0, r.exitCode) << r.err;
    const std::string docId = firstLine(r.out);
    ASSERT_EQ(0, fill(a, docId, { { "opfoelgning.naeste_moede", "2026-05-01" } }).exitCode);

    const std::string first = exchange(a, b);
    EXPECT_NE(std::string::npos, first.find("already there: 0")) << first;
    EXPECT_NE(std::string::npos, exchange(a, b).find("new: 0")) << "a second import adds nothing";
    EXPECT_EQ(show(a, docId), show(b, docId));
    r = fplan(b, { "case", "list", "--json" });
    EXPECT_NE(std::string::npos, r.out.find(caseId)) << r.out;

    // Concurrent edits of one field on both, and a different field on each.
    ASSERT_EQ(0, fill(a, docId, { { "opfoelgning.naeste_moede", "2026-05-07" } }).exitCode);
    ASSERT_EQ(0, fill(b, docId, { { "opfoelgning.naeste_moede", "2026-06-11" } }).exitCode);
    ASSERT_EQ(0, fill(b, docId, { { "familiens_bemaerkninger.bemaerkninger", "Fra B" } }).exitCode);
    exchange(a, b);
    exchange(b, a);
    const Json onA = show(a, docId), onB = show(b, docId);
    EXPECT_EQ(onA, onB);
    ASSERT_EQ(1u, onA.at("conflicts").size()) << onA.dump(1);
    EXPECT_EQ("opfoelgning.naeste_moede", onA.at("conflicts")[0].at("path"));
    EXPECT_EQ("Fra B", onA.at("values").at("familiens_bemaerkninger.bemaerkninger"));
    EXPECT_TRUE(onA.at("skipped").empty());
    EXPECT_TRUE(onA.at("resurrected").empty());
    EXPECT_EQ(64u, onA.at("template_hash").get<std::string>().size());

    // The cached lists rebuild to the same.
    const auto before = fplan(b, { "case", "list", "--json" }).out;
    ASSERT_EQ(0, fplan(b, { "store", "rebuild" }).exitCode);
    EXPECT_EQ(before, fplan(b, { "case", "list", "--json" }).out);
}

// Gap 7: a document is shown with the template it was made with, even where this
// installation's template differs or is missing.
TEST_F(CliOps, TheTemplateTravelsWithTheOps)
{
    auto r = fplan(a, { "case", "import", test::dataFile("bundles/multilingual.json").string() });
    ASSERT_EQ(0, r.exitCode) << r.err;
    const std::string caseId = firstLine(r.out);
    const std::string docId = firstLine(fplan(a, { "doc", "new", caseId, "familieplan" }).out);
    exchange(a, b);
    const auto folder = dir / "andre-skabeloner";
    std::filesystem::create_directory(folder);
    std::filesystem::copy_file(test::sourceDir() / "templates" / "template.xsd", folder / "template.xsd");
    // This installation has no familieplan template at all; the stored one is used.
    r = fplan(b, { "doc", "show", docId, "--json", "--templates", folder.string() });
    ASSERT_EQ(0, r.exitCode) << r.err;
    const auto file = dir / "v.json";
    test::writeFile(file, Json { { "opfoelgning.naeste_moede", "ikke en dato" } }.dump());
    r = fplan(b, { "doc", "fill", docId, file.string(), "--templates", folder.string() });
    EXPECT_EQ(2, r.exitCode) << "checked against the stored template: " << r.out << r.err;
    EXPECT_NE(std::string::npos, r.err.find("opfoelgning.naeste_moede")) << r.err;
    EXPECT_EQ(std::string::npos, r.err.find("no template")) << r.err;
}

// Gap 6 at the file boundary: one malformed op refuses the file and stores nothing.
TEST_F(CliOps, AMalformedOpRefusesTheWholeFile)
{
    auto r = fplan(a, { "case", "import", test::dataFile("bundles/multilingual.json").string() });
    ASSERT_EQ(0, r.exitCode) << r.err;
    const auto file = dir / "ops.json";
    ASSERT_EQ(0, fplan(a, { "ops", "export", "--out", file.string() }).exitCode);
    Json payload = Json::parse(test::readFile(file));
    payload.at("ops").back()["kind"] = "row_insert"; // a set op's field path cannot be a row
    test::writeFile(file, payload.dump());
    r = fplan(b, { "ops", "import", file.string() });
    EXPECT_EQ(2, r.exitCode);
    EXPECT_NE(std::string::npos, r.err.find("nothing was stored")) << r.err;
    EXPECT_NE(std::string::npos, r.err.find(payload.at("ops").back().at("op_id").get<std::string>()))
        << r.err;
    const auto empty = dir / "empty.json";
    ASSERT_EQ(0, fplan(b, { "ops", "export", "--out", empty.string() }).exitCode);
    EXPECT_TRUE(Json::parse(test::readFile(empty)).at("ops").empty());
}
