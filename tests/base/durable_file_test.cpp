// SPDX-License-Identifier: EUPL-1.2
// The one durable writer and the bounded reader, against the hostile targets people and
// attackers hand them: a store, a device, a folder, a planted symlink, /dev/zero.
#include "base/durable_file.h"
#include "base/error.h"
#include "tests/support/test_support.h"

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace fplan {
namespace {

namespace fs = std::filesystem;
using test::expectError;
using test::TempDir;

std::size_t entriesIn(const fs::path& dir)
{
    std::size_t n = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir))
        ++n;
    return n;
}

TEST(DurableFile, WritesANewFilePrivateAndWhole)
{
    TempDir dir;
    const mode_t old = ::umask(022);
    writeFileDurably(dir / "out.json", "{\"a\": 1}\n");
    ::umask(old);
    EXPECT_EQ(test::readFile(dir / "out.json"), "{\"a\": 1}\n");
    struct stat st { };
    ASSERT_EQ(::stat((dir / "out.json").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u) << "a file with a family's data must not be readable by others";
    EXPECT_EQ(entriesIn(dir.path()), 1u) << "no temporary file is left behind";
}

TEST(DurableFile, RefusesAnExistingFileUnlessForced)
{
    TempDir dir;
    test::writeFile(dir / "plan.pdf", "old");
    expectError(ErrorCode::Conflict, "--force", [&] { writeFileDurably(dir / "plan.pdf", "new"); });
    EXPECT_EQ(test::readFile(dir / "plan.pdf"), "old");
    writeFileDurably(dir / "plan.pdf", "new", { .force = true, .protectedFiles = {} });
    EXPECT_EQ(test::readFile(dir / "plan.pdf"), "new");
}

TEST(DurableFile, NeverWritesOverAProtectedFileEvenForcedOrByAnotherName)
{
    TempDir dir;
    test::writeFile(dir / "sager.fplan", "ENCRYPTED");
    test::writeFile(dir / "sager.fplan.kdf", "{}");
    fs::create_hard_link(dir / "sager.fplan", dir / "alias");
    const WriteOptions options { .force = true,
        .protectedFiles = { dir / "sager.fplan", dir / "sager.fplan.kdf" } };
    expectError(ErrorCode::BadInput, "store", [&] { writeFileDurably(dir / "sager.fplan", "{}", options); });
    expectError(
        ErrorCode::BadInput, "store", [&] { writeFileDurably(dir / "sager.fplan.kdf", "{}", options); });
    expectError(ErrorCode::BadInput, "store", [&] { writeFileDurably(dir / "alias", "{}", options); });
    expectError(ErrorCode::BadInput, "store",
        [&] { writeFileDurably(dir.path() / "." / "sager.fplan", "{}", options); });
    EXPECT_EQ(test::readFile(dir / "sager.fplan"), "ENCRYPTED");
    EXPECT_EQ(test::readFile(dir / "sager.fplan.kdf"), "{}");
}

TEST(DurableFile, RefusesDevicesFoldersAndSymlinks)
{
    TempDir dir;
    const WriteOptions force { .force = true, .protectedFiles = {} };
    expectError(
        ErrorCode::BadInput, "not a regular file", [&] { writeFileDurably("/dev/null", "x", force); });
    struct stat st { };
    ASSERT_EQ(::stat("/dev/null", &st), 0);
    EXPECT_TRUE(S_ISCHR(st.st_mode)) << "/dev/null must stay a device";

    fs::create_directory(dir / "folder");
    expectError(ErrorCode::BadInput, "folder", [&] { writeFileDurably(dir / "folder", "x", force); });
    EXPECT_TRUE(fs::is_directory(dir / "folder"));
    EXPECT_EQ(entriesIn(dir.path()), 1u) << "no 'folder.tmp' or other leftover beside it";

    test::writeFile(dir / "victim", "precious");
    fs::create_symlink(dir / "victim", dir / "link");
    expectError(ErrorCode::BadInput, "symbolic link", [&] { writeFileDurably(dir / "link", "x", force); });
    EXPECT_EQ(test::readFile(dir / "victim"), "precious");
}

TEST(DurableFile, APlantedSymlinkAtTheOldTempNameIsNeverFollowed)
{
    TempDir dir;
    test::writeFile(dir / "victim", "precious");
    // The old writers used PATH.tmp; a planted link there must change nothing.
    fs::create_symlink(dir / "victim", dir / "out.pdf.tmp");
    writeFileDurably(dir / "out.pdf", "%PDF");
    EXPECT_EQ(test::readFile(dir / "victim"), "precious");
    EXPECT_EQ(test::readFile(dir / "out.pdf"), "%PDF");
}

TEST(DurableFile, RemovesTheLeftoversOfAKilledWriter)
{
    TempDir dir;
    // A child that made its temporary file and was killed before the rename.
    const pid_t child = ::fork();
    if (child == 0) {
        test::writeFile(
            dir / (".fplan-tmp-" + std::to_string(::getpid()) + "-memo.xml-abcdef"), "half a MeMo");
        ::_exit(0);
    }
    int status = 0;
    ::waitpid(child, &status, 0);
    // One of a live writer (this process) is kept.
    const fs::path live = dir / (".fplan-tmp-" + std::to_string(::getpid()) + "-other-abcdef");
    test::writeFile(live, "in progress");
    ASSERT_EQ(entriesIn(dir.path()), 2u);
    writeFileDurably(dir / "next.xml", "<x/>");
    EXPECT_TRUE(fs::exists(live));
    EXPECT_TRUE(fs::exists(dir / "next.xml"));
    EXPECT_EQ(entriesIn(dir.path()), 2u) << "the killed writer's temporary file is gone";
}

TEST(DurableFile, AMissingFolderIsNamed)
{
    TempDir dir;
    expectError(ErrorCode::NotFound, "nope", [&] { writeFileDurably(dir / "nope" / "x.pdf", "x"); });
}

TEST(BoundedRead, StopsAtTheLimit)
{
    expectError(
        ErrorCode::BadInput, "limit of 1024 bytes", [] { readFileBounded("/dev/zero", 1024, "bundle"); });
    expectError(ErrorCode::BadInput, "/dev/zero", [] { readFileBounded("/dev/zero", 1024, "bundle"); });
    TempDir dir;
    test::writeFile(dir / "big", std::string(2000, 'x'));
    expectError(
        ErrorCode::BadInput, "values file", [&] { readFileBounded(dir / "big", 1999, "values file"); });
    EXPECT_EQ(readFileBounded(dir / "big", 2000, "values file").size(), 2000u);
    expectError(ErrorCode::NotFound, "missing", [&] { readFileBounded(dir / "missing", 10, "bundle"); });
    expectError(ErrorCode::BadInput, "folder", [&] { readFileBounded(dir.path(), 10, "bundle"); });
}

} // namespace
} // namespace fplan
