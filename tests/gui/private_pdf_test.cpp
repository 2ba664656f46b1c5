// SPDX-License-Identifier: EUPL-1.2
#include "base/error.h"
#include "gui/private_pdf.h"
#include "tests/support/test_support.h"

#include <gtest/gtest.h>

#include <sys/stat.h>

using namespace fplan;
using namespace fplan::gui;
namespace fs = std::filesystem;

namespace {

// Points $XDG_RUNTIME_DIR at a folder of the test's own for as long as it lives.
class RuntimeDir {
public:
    const fs::path& path() const { return m_dir.path(); }

private:
    test::TempDir m_dir;
    test::ScopedEnv m_env { "XDG_RUNTIME_DIR", m_dir.path().string() };
};

unsigned modeOf(const fs::path& p)
{
    struct stat st { };
    EXPECT_EQ(0, ::lstat(p.c_str(), &st)) << p;
    return st.st_mode & 0777;
}

} // namespace

TEST(PrivatePdf, WritesPrivateFilesInAPrivateFolder)
{
    RuntimeDir runtime;
    const fs::path file = writePrivatePdf("familieplan-1234abcd-v1.pdf", "%PDF-1.7 test");
    EXPECT_EQ(runtime.path() / "familieplan-pdf" / "familieplan-1234abcd-v1.pdf", file);
    EXPECT_EQ(0700u, modeOf(file.parent_path()));
    EXPECT_EQ(0600u, modeOf(file));
    // A folder left open by someone is closed again before anything is written in it.
    fs::permissions(file.parent_path(), fs::perms::all, fs::perm_options::replace);
    writePrivatePdf("familieplan-1234abcd-v1.pdf", "%PDF-1.7 again");
    EXPECT_EQ(0700u, modeOf(file.parent_path()));
    test::expectError(ErrorCode::Internal, "plain file name", [] { writePrivatePdf("../x.pdf", "x"); });
}

TEST(PrivatePdf, RefusesAFolderThatIsASymlink)
{
    RuntimeDir runtime;
    test::TempDir elsewhere;
    fs::create_directory_symlink(elsewhere.path(), runtime.path() / "familieplan-pdf");
    test::expectError(
        ErrorCode::BadInput, "not a folder of this user", [] { writePrivatePdf("a.pdf", "x"); });
    EXPECT_TRUE(fs::is_empty(elsewhere.path()));
}

TEST(PrivatePdf, ADocumentsPdfsGoWhenItClosesAndEverythingAtStart)
{
    RuntimeDir runtime;
    const fs::path mine = writePrivatePdf("plan-v1.pdf", "%PDF-1.7 a");
    const fs::path other = writePrivatePdf("undersoegelse-kladde.pdf", "%PDF-1.7 b");
    removePrivatePdfs({ mine, mine }); // twice: gone is gone
    EXPECT_FALSE(fs::exists(mine));
    EXPECT_TRUE(fs::exists(other));
    writePrivatePdf("left-by-a-crash.pdf", "%PDF-1.7 c");
    EXPECT_EQ(2u, clearPrivatePdfs()); // what an earlier run left
    EXPECT_TRUE(fs::is_empty(runtime.path() / "familieplan-pdf"));
}
