// SPDX-License-Identifier: EUPL-1.2
#include "base/error.h"
#include "base/paths.h"
#include "tests/support/test_support.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <optional>
#include <string>

using namespace fplan;
namespace fs = std::filesystem;

namespace {

// Sets (or, with nullopt, unsets) an environment variable for one test and restores it after.
class ScopedEnv {
public:
    ScopedEnv(const char* name, std::optional<std::string> value)
        : m_name(name)
    {
        if (const char* old = std::getenv(name))
            m_old = old;
        if (value)
            setenv(name, value->c_str(), 1);
        else
            unsetenv(name);
    }
    ~ScopedEnv()
    {
        if (m_old)
            setenv(m_name, m_old->c_str(), 1);
        else
            unsetenv(m_name);
    }
    ScopedEnv(const ScopedEnv&) = delete;
    ScopedEnv& operator=(const ScopedEnv&) = delete;

private:
    const char* m_name;
    std::optional<std::string> m_old;
};

constexpr DataFolder Sample { "sample", "tests/data/render", "marker.txt", "FPLAN_TEST_SAMPLE_DIR",
    "--sample" };

} // namespace

TEST(DefaultStore, FplanStoreThenXdgDataHomeThenHome)
{
    test::TempDir dir;
    ScopedEnv home("HOME", (dir / "home").string());
    ScopedEnv xdg("XDG_DATA_HOME", (dir / "data").string());
    {
        ScopedEnv store("FPLAN_STORE", (dir / "mine.fplan").string());
        EXPECT_EQ(dir / "mine.fplan", defaultStorePath());
    }
    ScopedEnv store("FPLAN_STORE", std::nullopt);
    EXPECT_EQ(dir / "data" / "familieplan" / "sager.fplan", defaultStorePath());
    // The folder is made for the store, private to its owner.
    EXPECT_TRUE(fs::is_directory(dir / "data" / "familieplan"));
    EXPECT_EQ(fs::perms::owner_all, fs::status(dir / "data" / "familieplan").permissions() & fs::perms::all);
    {
        ScopedEnv relative("XDG_DATA_HOME", "relative/data"); // invalid by the XDG rules: ignored
        EXPECT_EQ(dir / "home" / ".local" / "share" / "familieplan" / "sager.fplan", defaultStorePath());
    }
    ScopedEnv noXdg("XDG_DATA_HOME", std::nullopt);
    EXPECT_EQ(dir / "home" / ".local" / "share" / "familieplan" / "sager.fplan", defaultStorePath());
    ScopedEnv noHome("HOME", std::nullopt);
    test::expectError(ErrorCode::Usage, "no store given", [] { defaultStorePath(); });
}

TEST(DataFolder, ExplicitChoiceIsFinal)
{
    test::TempDir dir;
    ScopedEnv env("FPLAN_TEST_SAMPLE_DIR", std::nullopt);
    EXPECT_EQ(dir.path(), dataSearchPath(Sample, dir.path()).front());
    test::expectError(ErrorCode::NotFound,
        dir.path().string() + ": no marker.txt in this folder (from --sample)",
        [&] { findDataFolder(Sample, dir.path()); });
    ScopedEnv set("FPLAN_TEST_SAMPLE_DIR", dir.path().string());
    EXPECT_EQ(dir.path(), dataSearchPath(Sample).front());
    // A wrong variable is reported, never replaced by a folder further down the list.
    test::expectError(ErrorCode::NotFound, "no marker.txt in this folder (from FPLAN_TEST_SAMPLE_DIR)",
        [] { findDataFolder(Sample); });
    test::writeFile(dir / "marker.txt", "x");
    EXPECT_EQ(dir.path(), findDataFolder(Sample));
}

TEST(DataFolder, InstalledCopiesComeBeforeTheSourceTree)
{
    ScopedEnv env("FPLAN_TEST_SAMPLE_DIR", std::nullopt);
    const auto path = dataSearchPath(Sample);
    ASSERT_EQ(3u, path.size());
    // Beside the program (<exe dir>/../share/familieplan/NAME), then under the install prefix.
    EXPECT_EQ(fs::path("share/familieplan/sample"),
        path[0].lexically_relative(path[0].parent_path().parent_path().parent_path()));
    EXPECT_EQ(
        fs::path("familieplan/sample"), path[1].lexically_relative(path[1].parent_path().parent_path()));
    EXPECT_EQ(test::sourceDir() / "tests" / "data" / "render", path[2]);
    // Nothing installed holds the marker: the lookup names every folder it tried.
    test::expectError(
        ErrorCode::NotFound, "no folder with marker.txt found (tried ", [] { findDataFolder(Sample); });
}

TEST(DataFolder, TemplatesAndMemoSchemaAreFoundByTheSameRules)
{
    ScopedEnv templates("FPLAN_TEMPLATES", std::nullopt);
    ScopedEnv memo("FPLAN_MEMO_SCHEMA_DIR", std::nullopt);
    EXPECT_EQ(fs::weakly_canonical(test::sourceDir() / "templates"), findDataFolder(TemplatesFolder));
    EXPECT_EQ(
        fs::weakly_canonical(test::sourceDir() / "data" / "memo-xsd"), findDataFolder(MemoSchemaFolder));
}
