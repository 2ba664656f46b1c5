// SPDX-License-Identifier: EUPL-1.2
#include "tests/support/test_support.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sys/stat.h>

using namespace fplan;
using Json = nlohmann::json;

namespace {

class CliBackup : public ::testing::Test {
protected:
    test::RunResult fplan(std::vector<std::string> args, const std::filesystem::path& at)
    {
        args.insert(args.begin(), FPLAN_CLI);
        return test::run(args, { "FPLAN_STORE=" + at.string(), "FPLAN_PASSPHRASE=rigtig-adgangskode" });
    }
    void SetUp() override
    {
        ASSERT_EQ(0, fplan({ "init" }, store).exitCode);
        ASSERT_EQ(0,
            fplan({ "case", "import", test::dataFile("bundles/noergaard.json").string() }, store).exitCode);
    }
    test::TempDir dir;
    std::filesystem::path store = dir / "sager.fplan";
    std::filesystem::path backup = dir / "sager.backup";
};

unsigned modeOf(const std::filesystem::path& path)
{
    struct stat st { };
    ::stat(path.c_str(), &st);
    return st.st_mode & 0777;
}

} // namespace

TEST_F(CliBackup, BackupAndRestoreGiveTheSameCases)
{
    const auto made = fplan({ "store", "backup", "--out", backup.string() }, store);
    ASSERT_EQ(0, made.exitCode) << made.err;
    EXPECT_EQ(0600u, modeOf(backup));
    EXPECT_EQ(1, fplan({ "store", "backup", "--out", backup.string() }, store).exitCode)
        << "replaced without --force";

    const auto elsewhere = dir / "andet" / "sager.fplan";
    const auto restored = fplan({ "store", "restore", backup.string() }, elsewhere);
    ASSERT_EQ(0, restored.exitCode) << restored.err;
    EXPECT_EQ(0600u, modeOf(elsewhere));
    EXPECT_EQ(0600u, modeOf(elsewhere.string() + ".kdf"));
    EXPECT_EQ(
        fplan({ "case", "list", "--json" }, store).out, fplan({ "case", "list", "--json" }, elsewhere).out);
}

TEST_F(CliBackup, RestoreRefusesToReplaceAStoreWithoutForce)
{
    ASSERT_EQ(0, fplan({ "store", "backup", "--out", backup.string() }, store).exitCode);
    const auto before = test::readFile(store);
    const auto refused = fplan({ "store", "restore", backup.string() }, store);
    EXPECT_EQ(1, refused.exitCode);
    EXPECT_NE(refused.err.find("a store exists; give --force"), std::string::npos) << refused.err;
    EXPECT_EQ(before, test::readFile(store));
    const auto forced = fplan({ "store", "restore", backup.string(), "--force" }, store);
    EXPECT_EQ(0, forced.exitCode) << forced.err;
    EXPECT_EQ(1u, Json::parse(fplan({ "case", "list", "--json" }, store).out).size());
}

TEST_F(CliBackup, RestoreRefusesAFileThatIsNotABackup)
{
    test::writeFile(backup, std::string(2048, 'x'));
    const auto r = fplan({ "store", "restore", backup.string() }, dir / "ny.fplan");
    EXPECT_EQ(2, r.exitCode);
    EXPECT_NE(r.err.find("not a Familieplan backup"), std::string::npos) << r.err;
    EXPECT_FALSE(std::filesystem::exists(dir / "ny.fplan"));
}
