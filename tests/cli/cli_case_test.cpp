// SPDX-License-Identifier: EUPL-1.2
#include "tests/support/test_support.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

using namespace fplan;
using Json = nlohmann::json;

namespace {

class Cli : public ::testing::Test {
protected:
    test::RunResult fplan(std::vector<std::string> args, std::vector<std::string> env = {})
    {
        args.insert(args.begin(), FPLAN_CLI);
        env.push_back("FPLAN_STORE=" + store.string());
        if (std::none_of(env.begin(), env.end(),
                [](const std::string& e) { return e.rfind("FPLAN_PASSPHRASE=", 0) == 0; }))
            env.push_back("FPLAN_PASSPHRASE=rigtig-adgangskode");
        return test::run(args, env);
    }
    void SetUp() override { ASSERT_EQ(0, fplan({ "init" }).exitCode); }
    std::string bundle() const { return test::dataFile("bundles/noergaard.json").string(); }

    test::TempDir dir;
    std::filesystem::path store = dir / "sager.fplan";
};

} // namespace

TEST_F(Cli, VersionAndUsage)
{
    EXPECT_EQ(0, fplan({ "--version" }).exitCode);
    const auto r = fplan({ "frobnicate" });
    EXPECT_EQ(2, r.exitCode);
    EXPECT_NE(r.err.find("unknown command 'frobnicate'"), std::string::npos);
}

TEST_F(Cli, InitRefusesToOverwrite)
{
    const auto r = fplan({ "init" });
    EXPECT_EQ(1, r.exitCode);
    EXPECT_NE(r.err.find("already exists"), std::string::npos);
}

TEST_F(Cli, WrongPassphraseExitsOneAndWritesNothing)
{
    ASSERT_EQ(0, fplan({ "case", "import", bundle() }).exitCode);
    const auto before = test::readFile(store);
    const auto r = fplan({ "case", "import", bundle() }, { "FPLAN_PASSPHRASE=forkert-adgangskode" });
    EXPECT_EQ(1, r.exitCode);
    EXPECT_EQ(0u, r.err.rfind("fplan: wrong passphrase or not a Familieplan store: " + store.string(), 0))
        << r.err;
    EXPECT_EQ(1, std::count(r.err.begin(), r.err.end(), '\n')) << r.err;
    EXPECT_EQ(before, test::readFile(store));
    EXPECT_EQ(1u, Json::parse(fplan({ "case", "list", "--json" }).out).size());
}

TEST_F(Cli, ExportImportExportGivesTheSameBundle)
{
    const auto imported = fplan({ "case", "import", bundle() });
    ASSERT_EQ(0, imported.exitCode) << imported.err;
    const std::string id = imported.out.substr(0, imported.out.find('\n'));
    const auto first = fplan({ "case", "export", id, "--out", (dir / "e1.json").string() });
    ASSERT_EQ(0, first.exitCode) << first.err;
    const auto again = fplan({ "case", "import", (dir / "e1.json").string() });
    ASSERT_EQ(0, again.exitCode) << again.err;
    const std::string id2 = again.out.substr(0, again.out.find('\n'));
    const auto second = fplan({ "case", "export", id2 });
    EXPECT_EQ(test::readFile(dir / "e1.json"), second.out);
    const auto list = Json::parse(fplan({ "case", "list", "--json" }).out);
    ASSERT_EQ(2u, list.size());
    EXPECT_EQ("Familien Nørgaard", list[0]["title"]);
}

TEST_F(Cli, BadBundlesExitTwoNamingPathAndLeaveTheStoreUnchanged)
{
    ASSERT_EQ(0, fplan({ "case", "import", bundle() }).exitCode);
    const std::string good = test::readFile(bundle());
    struct Case {
        std::string from, to, message;
    };
    const std::vector<Case> cases = {
        { "0101901234", "3102901234", "$.people[0].cpr: 3102901234 is not a real date (31.02.1990)" },
        { "\"p2\"", "\"p1\"", "$.people[1].id: duplicate id 'p1'" },
        { "\"coordinator\": \"t1\"", "\"coordinator\": \"t7\"",
            "$.coordinator: 't7' is not the id of a team member" },
        { "\"name\": \"Alma Nørgaard\", ", "", "$.people[1]: missing required member 'name'" },
        { "\"kle\": \"27.24.00\"}", "\"kle\": \"27.24.00\"", "not valid JSON" },
    };
    for (const auto& c : cases) {
        std::string text = good;
        const auto at = text.find(c.from);
        ASSERT_NE(at, std::string::npos) << c.from;
        text.replace(at, c.from.size(), c.to);
        const auto file = dir / "bad.json";
        test::writeFile(file, text);
        const auto r = fplan({ "case", "import", file.string() });
        EXPECT_EQ(2, r.exitCode) << c.message;
        EXPECT_NE(r.err.find(file.string() + ": "), std::string::npos) << r.err;
        EXPECT_NE(r.err.find(c.message), std::string::npos) << r.err;
        EXPECT_EQ(1, std::count(r.err.begin(), r.err.end(), '\n')) << "one line: " << r.err;
    }
    EXPECT_EQ(1u, Json::parse(fplan({ "case", "list", "--json" }).out).size());
}

TEST_F(Cli, PassphraseChangeKeepsEverything)
{
    ASSERT_EQ(0, fplan({ "case", "import", bundle() }).exitCode);
    const auto before = fplan({ "case", "list", "--json" }).out;
    const auto r = fplan({ "passphrase", "change" }, { "FPLAN_NEW_PASSPHRASE=en ny og lang adgangskode" });
    ASSERT_EQ(0, r.exitCode) << r.err;
    EXPECT_EQ(1, fplan({ "case", "list" }).exitCode);
    const auto after = fplan({ "case", "list", "--json" }, { "FPLAN_PASSPHRASE=en ny og lang adgangskode" });
    EXPECT_EQ(0, after.exitCode);
    EXPECT_EQ(before, after.out);
}

TEST(CliDefaultStore, TheGuidesPassphraseCommandWorksOnTheDesktopsStore)
{
    // No --store and no FPLAN_STORE: the CLI opens the store the desktop opens
    // ($XDG_DATA_HOME/familieplan/sager.fplan, else ~/.local/share/familieplan/sager.fplan).
    test::TempDir dir;
    const auto fplan = [&](std::vector<std::string> args, std::vector<std::string> env) {
        args.insert(args.begin(), FPLAN_CLI);
        env.insert(env.end(), { "FPLAN_STORE=", "HOME=" + (dir / "home").string() });
        return test::run(args, env);
    };
    const std::string xdg = "XDG_DATA_HOME=" + (dir / "data").string();
    auto r = fplan({ "init" }, { xdg, "FPLAN_PASSPHRASE=rigtig-adgangskode" });
    ASSERT_EQ(0, r.exitCode) << r.err;
    EXPECT_TRUE(std::filesystem::exists(dir / "data" / "familieplan" / "sager.fplan")) << r.out;
    // As the user guide writes it: `fplan passphrase change`, nothing else on the line.
    r = fplan({ "passphrase", "change" },
        { xdg, "FPLAN_PASSPHRASE=rigtig-adgangskode", "FPLAN_NEW_PASSPHRASE=en ny og lang adgangskode" });
    ASSERT_EQ(0, r.exitCode) << r.err;
    EXPECT_NE(std::string::npos, r.out.find((dir / "data" / "familieplan" / "sager.fplan").string()))
        << r.out;
    EXPECT_EQ(0, fplan({ "case", "list" }, { xdg, "FPLAN_PASSPHRASE=en ny og lang adgangskode" }).exitCode);
    // Without XDG_DATA_HOME: under HOME, the folder made private.
    r = fplan({ "init" }, { "XDG_DATA_HOME=", "FPLAN_PASSPHRASE=rigtig-adgangskode" });
    ASSERT_EQ(0, r.exitCode) << r.err;
    const auto folder = dir / "home" / ".local" / "share" / "familieplan";
    EXPECT_TRUE(std::filesystem::exists(folder / "sager.fplan"));
    EXPECT_EQ(std::filesystem::perms::owner_all,
        std::filesystem::status(folder).permissions() & std::filesystem::perms::all);
}

TEST_F(Cli, ConfigSetGetList)
{
    ASSERT_EQ(0, fplan({ "config", "set", "municipality.name", "Ringkøbing-Skjern Kommune" }).exitCode);
    EXPECT_EQ("Ringkøbing-Skjern Kommune\n", fplan({ "config", "get", "municipality.name" }).out);
    EXPECT_EQ(2, fplan({ "config", "get", "municipality.cvr" }).exitCode);
    EXPECT_EQ("Ringkøbing-Skjern Kommune",
        Json::parse(fplan({ "config", "list", "--json" }).out)["municipality.name"]);
}

TEST_F(Cli, EncryptionHoldsWithPlainSqlitePreloaded)
{
    // A plain libsqlite3 in the same process must not make the store write in the clear.
    const std::string preload = "LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libsqlite3.so.0";
    const auto r = fplan({ "case", "import", bundle() }, { preload });
    ASSERT_EQ(0, r.exitCode) << r.err;
    for (const auto& file : { store, std::filesystem::path(store.string() + "-wal") })
        for (const char* needle : { "Nørgaard", "0101901234", "1205154321", "Jens Ravn", "SQLite format 3" })
            EXPECT_FALSE(test::fileContains(file, needle)) << file << " holds " << needle;
    EXPECT_EQ(1u, Json::parse(fplan({ "case", "list", "--json" }, { preload }).out).size());
}
