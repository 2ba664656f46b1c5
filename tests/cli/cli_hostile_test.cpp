// SPDX-License-Identifier: EUPL-1.2
// The hostile and careless uses of `fplan` that once did damage, each one refused now: typed
// options, --out onto what it must never touch, /dev/zero and deep JSON as input, world-readable
// files, terminal injection, strangers as recipients, weak passphrases, read-only stores.
#include "tests/support/test_support.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sys/stat.h>

using namespace fplan;
using Json = nlohmann::json;
namespace fs = std::filesystem;

namespace {

constexpr const char* Passphrase = "rigtig-adgangskode";

class Hostile : public ::testing::Test {
protected:
    test::RunResult fplan(std::vector<std::string> args, std::vector<std::string> env = {})
    {
        args.insert(args.begin(), FPLAN_CLI);
        env.push_back("FPLAN_STORE=" + store.string());
        if (std::none_of(env.begin(), env.end(),
                [](const std::string& e) { return e.rfind("FPLAN_PASSPHRASE=", 0) == 0; }))
            env.push_back(std::string("FPLAN_PASSPHRASE=") + Passphrase);
        return test::run(args, env);
    }
    void SetUp() override { ASSERT_EQ(0, fplan({ "init" }).exitCode); }
    std::string importCase(const std::string& bundleText = {})
    {
        std::string file = test::dataFile("bundles/noergaard.json").string();
        if (!bundleText.empty()) {
            file = (dir / "bundle.json").string();
            test::writeFile(file, bundleText);
        }
        const auto r = fplan({ "case", "import", file });
        EXPECT_EQ(0, r.exitCode) << r.err;
        return r.out.substr(0, r.out.find('\n'));
    }
    std::string newPlan(const std::string& caseId)
    {
        const auto r = fplan({ "doc", "new", caseId, "familieplan" });
        EXPECT_EQ(0, r.exitCode) << r.err;
        return r.out.substr(0, r.out.find('\n'));
    }
    // A plan with version 1, ready to be sent.
    std::string finalisedPlan(const std::string& caseId)
    {
        const std::string doc = newPlan(caseId);
        const Json values = { { "om_planen.periode_fra", "2026-03-12" }, { "om_planen.tovholder", "t1" },
            { "godkendelse.tovholder", "t1" },
            { "om_planen.familieteam", Json::array({ { { "fagperson", "t1" } } }) },
            { "opfoelgning.interval", "uger_8" }, { "opfoelgning.naeste_moede", "2026-05-07" },
            { "godkendelse.lavet_sammen_dato", "2026-03-12" }, { "om_planen.dato", "2026-03-12" },
            { "faelles_maal.maal", Json::array({ { { "maal", "Alma trives i skolen." } } }) } };
        test::writeFile(dir / "plan-values.json", values.dump());
        const auto filled = fplan({ "doc", "fill", doc, (dir / "plan-values.json").string() });
        EXPECT_EQ(0, filled.exitCode) << filled.err;
        const auto finalised = fplan({ "doc", "finalize", doc });
        EXPECT_EQ(0, finalised.exitCode) << finalised.err;
        return doc;
    }
    std::string bundleText() const { return test::readFile(test::dataFile("bundles/noergaard.json")); }

    test::TempDir dir;
    fs::path store = dir / "sager.fplan";
};

std::string deepJson(std::size_t depth)
{
    return std::string(depth, '[') + std::string(depth, ']');
}

} // namespace

TEST_F(Hostile, AMistypedOptionFailsAndSendsNothing)
{
    const std::string caseId = importCase();
    const std::string doc = newPlan(caseId);
    const auto r = fplan({ "send", doc, "--verison", "1", "--to", "parents" });
    EXPECT_EQ(2, r.exitCode) << r.out << r.err;
    EXPECT_NE(r.err.find("unknown option '--verison'"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("did you mean --version?"), std::string::npos) << r.err;
    EXPECT_EQ("[]\n", fplan({ "outbox", "list", "--json" }).out);
    // Flags a command does not declare fail the same way.
    EXPECT_EQ(2, fplan({ "case", "list", "--jsn" }).exitCode);
    EXPECT_EQ(2, fplan({ "case", "list", "--out", "x" }).exitCode);
}

TEST_F(Hostile, EveryCommandExplainsItsOptions)
{
    const auto r = fplan({ "send", "--help" });
    EXPECT_EQ(0, r.exitCode) << r.err;
    for (const char* option : { "--to ", "--version ", "--to-outside-case", "--no-flush", "--store " })
        EXPECT_NE(r.out.find(option), std::string::npos) << option << " in\n" << r.out;
    EXPECT_EQ(0, fplan({ "case", "export", "--help" }).exitCode);
}

TEST_F(Hostile, OutNeverWritesOverTheStoreItsKeyFileADeviceAFolderOrASymlink)
{
    const std::string caseId = importCase();
    const std::string storeBytes = test::readFile(store);
    const std::string kdfBytes = test::readFile(store.string() + ".kdf");
    auto exportTo = [&](const std::string& target, bool force) {
        std::vector<std::string> args = { "case", "export", caseId, "--out", target };
        if (force)
            args.push_back("--force");
        return fplan(args);
    };
    for (bool force : { false, true }) {
        for (const std::string& target : { store.string(), store.string() + ".kdf" }) {
            const auto r = exportTo(target, force);
            EXPECT_NE(0, r.exitCode) << target;
            EXPECT_NE(r.err.find(target), std::string::npos) << r.err;
        }
        EXPECT_EQ(2, exportTo("/dev/null", force).exitCode);
        fs::create_directories(dir / "folder");
        const auto intoFolder = exportTo((dir / "folder").string(), force);
        EXPECT_EQ(2, intoFolder.exitCode);
        EXPECT_FALSE(fs::exists(dir / "folder.tmp")) << "no plaintext left beside the folder";
    }
    EXPECT_EQ(storeBytes, test::readFile(store)) << "the store is untouched";
    EXPECT_EQ(kdfBytes, test::readFile(store.string() + ".kdf"));
    struct stat st { };
    ASSERT_EQ(0, ::stat("/dev/null", &st));
    EXPECT_TRUE(S_ISCHR(st.st_mode));

    // A symlink planted at the target or at the old temporary name changes nothing it points to.
    test::writeFile(dir / "victim", "precious");
    fs::create_symlink(dir / "victim", dir / "planted.json");
    EXPECT_EQ(2, exportTo((dir / "planted.json").string(), true).exitCode);
    fs::create_symlink(dir / "victim", dir / "out.json.tmp");
    EXPECT_EQ(0, exportTo((dir / "out.json").string(), false).exitCode);
    EXPECT_EQ("precious", test::readFile(dir / "victim"));

    // An existing file needs --force.
    const auto again = exportTo((dir / "out.json").string(), false);
    EXPECT_EQ(1, again.exitCode);
    EXPECT_NE(again.err.find("--force"), std::string::npos) << again.err;
    EXPECT_EQ(0, exportTo((dir / "out.json").string(), true).exitCode);
}

TEST_F(Hostile, DeepJsonIsRefusedNamingTheFile)
{
    const std::string caseId = importCase();
    const std::string doc = newPlan(caseId);
    const fs::path values = dir / "deep-values.json";
    test::writeFile(values, "{\"maal\": " + deepJson(60000) + "}");
    auto fill = fplan({ "doc", "fill", doc, values.string() });
    EXPECT_EQ(2, fill.exitCode) << fill.err;
    EXPECT_NE(fill.err.find(values.string() + ": nested deeper than"), std::string::npos) << fill.err;

    std::string bundle = bundleText();
    bundle.insert(bundle.rfind('}'),
        ", \"documents\": [{\"template\": \"familieplan\", \"values\": {\"x\": " + deepJson(60000) + "}}]");
    test::writeFile(dir / "deep-bundle.json", bundle);
    const auto import = fplan({ "case", "import", (dir / "deep-bundle.json").string() });
    EXPECT_EQ(2, import.exitCode) << import.err;
    EXPECT_NE(import.err.find("deep-bundle.json: nested deeper than"), std::string::npos) << import.err;

    const auto render = fplan({ "render", "--bundle", test::dataFile("bundles/noergaard.json").string(),
        "--template", "familieplan", "--values", values.string(), "--out", (dir / "x.pdf").string() });
    EXPECT_EQ(2, render.exitCode) << render.err;

    test::writeFile(dir / "huge.json", "{\"maal\": 1e99999}");
    const auto huge = fplan({ "doc", "fill", doc, (dir / "huge.json").string() });
    EXPECT_EQ(2, huge.exitCode);
    EXPECT_NE(huge.err.find("huge.json: a number is out of range"), std::string::npos) << huge.err;
}

TEST_F(Hostile, DevZeroAsAnyInputFailsFast)
{
    const std::string caseId = importCase();
    const std::string doc = finalisedPlan(caseId);
    const std::vector<std::vector<std::string>> commands = {
        { "case", "import", "/dev/zero" },
        { "doc", "fill", doc, "/dev/zero" },
        { "render", "--bundle", "/dev/zero", "--template", "familieplan", "--values", "/dev/zero", "--out",
            (dir / "x.pdf").string() },
        { "memo", "build", doc, "--recipient", "0101901234", "--pdf", "/dev/zero", "--out",
            (dir / "m.xml").string() },
        { "memo", "validate", "/dev/zero" },
        { "template", "validate", "/dev/zero" },
        { "case", "list", "--passphrase-file", "/dev/zero" },
    };
    for (const auto& c : commands) {
        const auto r = fplan(c);
        EXPECT_EQ(2, r.exitCode) << c[0] << " " << c[1] << ": " << r.err;
        EXPECT_NE(r.err.find("/dev/zero"), std::string::npos) << r.err;
    }
}

TEST_F(Hostile, FilesArePrivateUnderTheUsualUmask)
{
    const fs::path other = dir / "other.fplan";
    const std::string sh = std::string("umask 022; export FPLAN_STORE=") + other.string()
        + " FPLAN_PASSPHRASE=" + Passphrase + "; " + FPLAN_CLI + " init && id=$(" + FPLAN_CLI
        + " case import " + test::dataFile("bundles/noergaard.json").string() + ") && " + FPLAN_CLI
        + " case export $id --out " + (dir / "export.json").string();
    const auto r = test::run({ "/bin/sh", "-c", sh });
    ASSERT_EQ(0, r.exitCode) << r.err;
    for (const fs::path& p : { other, fs::path(other.string() + ".kdf"), dir / "export.json" }) {
        struct stat st { };
        ASSERT_EQ(0, ::stat(p.c_str(), &st)) << p;
        EXPECT_EQ(0600u, st.st_mode & 0777) << p;
    }
    for (const auto& e : fs::directory_iterator(dir.path()))
        if (e.path().string().find("-wal") != std::string::npos
            || e.path().string().find("-shm") != std::string::npos) {
            struct stat st { };
            ASSERT_EQ(0, ::stat(e.path().c_str(), &st));
            EXPECT_EQ(0u, st.st_mode & 077) << e.path();
        }
}

TEST_F(Hostile, BundlesRefuseUnknownKeysAndControlCharacters)
{
    struct Bad {
        std::string from, to, message;
    };
    const std::vector<Bad> cases = {
        { "\"custody\": true", "\"custodi\": true",
            "$.people[0].custodi: unknown member 'custodi' (did you mean 'custody'?)" },
        { "\"kle\": \"27.24.00\"}", "\"kle\": \"27.24.00\", \"titel\": \"x\"}",
            "$.case.titel: unknown member 'titel' (did you mean 'title'?)" },
        { "\"coordinator\": \"t1\"", "\"coordinator\": \"t1\", \"extra\": 1",
            "$.extra: unknown member 'extra'" },
        { "Familien Nørgaard", "Familien \\u001b[2J Nørgaard", "$.case.title: contains a control character" },
        { "Søs Nørgaard", "Søs\\u0007 Nørgaard", "$.people[0].name: contains a control character" },
        { "Søs Nørgaard", "Søs\\nNørgaard", "$.people[0].name: a line break is not allowed" },
        { "Søs Nørgaard", "Søs \\u202eNørgaard", "$.people[0].name: contains a character that reverses" },
    };
    const std::string good = bundleText();
    for (const auto& c : cases) {
        std::string text = good;
        const auto at = text.find(c.from);
        ASSERT_NE(at, std::string::npos) << c.from;
        text.replace(at, c.from.size(), c.to);
        test::writeFile(dir / "bad.json", text);
        const auto r = fplan({ "case", "import", (dir / "bad.json").string() });
        EXPECT_EQ(2, r.exitCode) << c.message;
        EXPECT_NE(r.err.find((dir / "bad.json").string() + ": " + c.message), std::string::npos) << r.err;
    }
    EXPECT_EQ("[]\n", fplan({ "case", "list", "--json" }).out) << "nothing was imported";
}

TEST_F(Hostile, RecipientsComeFromTheCaseOnly)
{
    const std::string caseId = importCase();
    const std::string doc = finalisedPlan(caseId);
    ASSERT_EQ(0, fplan({ "config", "set", "municipality.cvr", "29189684" }).exitCode);
    ASSERT_EQ(0, fplan({ "config", "set", "municipality.name", "Ringkøbing-Skjern Kommune" }).exitCode);
    // 0101901235 is a valid CPR number, one digit off the mother's.
    const auto stranger = fplan({ "send", doc, "--to", "0101901235", "--no-flush" });
    EXPECT_EQ(2, stranger.exitCode) << stranger.out;
    EXPECT_NE(stranger.err.find("is not a person in case"), std::string::npos) << stranger.err;
    EXPECT_EQ("[]\n", fplan({ "outbox", "list", "--json" }).out);
    const auto mother = fplan({ "send", doc, "--to", "0101901234", "--no-flush" });
    EXPECT_EQ(0, mother.exitCode) << mother.err;
    const auto exception
        = fplan({ "send", doc, "--to", "parents", "--to-outside-case", "0101901235", "--no-flush" });
    EXPECT_EQ(0, exception.exitCode) << exception.err;
    EXPECT_NE(exception.err.find("outside the case"), std::string::npos)
        << "the exception is logged: " << exception.err;
}

TEST_F(Hostile, WeakPassphrasesAreRefused)
{
    const fs::path other = dir / "ny.fplan";
    for (const char* weak :
        { "12345678", "password", "        ", "æøåæøåæøåæø", "passwordpassword", "aaaaaaaaaaaaaaaa" }) {
        const auto r = test::run(
            { FPLAN_CLI, "init", "--store", other.string() }, { std::string("FPLAN_PASSPHRASE=") + weak });
        EXPECT_EQ(2, r.exitCode) << "'" << weak << "' was accepted";
        EXPECT_FALSE(fs::exists(other));
    }
    const auto change = fplan({ "passphrase", "change" }, { "FPLAN_NEW_PASSPHRASE=qwertyuiopasdfghjkl" });
    EXPECT_EQ(2, change.exitCode);
    EXPECT_EQ(0,
        test::run(
            { FPLAN_CLI, "init", "--store", other.string() }, { "FPLAN_PASSPHRASE=grøn kaffe på trappen" })
            .exitCode);
}

TEST_F(Hostile, ConfigSetChecksEachKeyAndValue)
{
    const std::vector<std::pair<std::string, std::string>> bad = {
        { "municipality.cvr", "abc" },
        { "municipality.cvr", "1234567" },
        { "delivery.transport", "bogus" },
        { "delivery.folder", "relative/dir" },
        { "filing.folder", "relative/dir" },
        { "municipality.nmae", "X" },
        { "delivery.endpoint", "http://x" },
        { "delivery.timeout_ms", "soon" },
    };
    for (const auto& [key, value] : bad) {
        const auto r = fplan({ "config", "set", key, value });
        EXPECT_EQ(2, r.exitCode) << key << "=" << value;
        EXPECT_NE(r.err.find(key), std::string::npos) << r.err;
    }
    EXPECT_NE(
        fplan({ "config", "set", "municipality.nmae", "X" }).err.find("did you mean 'municipality.name'"),
        std::string::npos);
    EXPECT_EQ("{}\n", fplan({ "config", "list", "--json" }).out);
    EXPECT_EQ(0, fplan({ "config", "set", "municipality.cvr", "29189684" }).exitCode);
    EXPECT_EQ(0, fplan({ "config", "set", "delivery.folder", dir.path().string() }).exitCode);
}

TEST_F(Hostile, AFailedOpenNeverWritesToTheFile)
{
    const fs::path empty = dir / "empty.fplan";
    test::writeFile(empty, "");
    test::writeFile(empty.string() + ".kdf", test::readFile(store.string() + ".kdf"));
    const auto r = fplan({ "case", "list", "--store", empty.string() });
    EXPECT_NE(0, r.exitCode);
    EXPECT_NE(r.err.find(empty.string()), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("backup"), std::string::npos) << r.err;
    EXPECT_EQ(0u, fs::file_size(empty)) << "an empty file must not become a new store";

    // A damaged store (its first page overwritten) is not rewritten by trying to open it.
    importCase();
    std::string bytes = test::readFile(store);
    for (std::size_t i = 100; i < 200; ++i)
        bytes[i] = static_cast<char>(bytes[i] ^ 0x5a);
    test::writeFile(store, bytes);
    for (const char* command : { "list", "import" }) {
        const auto open = command == std::string("list")
            ? fplan({ "case", "list" })
            : fplan({ "case", "import", test::dataFile("bundles/noergaard.json").string() });
        EXPECT_EQ(1, open.exitCode);
        EXPECT_NE(open.err.find(store.string()), std::string::npos) << open.err;
        EXPECT_NE(open.err.find("restore the store from your backup"), std::string::npos) << open.err;
        EXPECT_EQ(std::string::npos, open.err.find("SELECT")) << "no raw SQL: " << open.err;
    }
    EXPECT_EQ(bytes, test::readFile(store));
}

TEST_F(Hostile, AReadOnlyStoreCanBeReadByAnotherUser)
{
    if (::geteuid() != 0)
        GTEST_SKIP() << "needs root to run as another user";
    const std::string caseId = importCase();
    const std::string doc = newPlan(caseId);
    // A copy owned by nobody, in a folder nobody may not write, the store itself read-only.
    const fs::path folder = dir / "ro";
    fs::create_directories(folder);
    fs::copy_file(store, folder / "sager.fplan");
    fs::copy_file(store.string() + ".kdf", folder / "sager.fplan.kdf");
    ASSERT_EQ(0, test::run({ "/bin/chown", "-R", "nobody", folder.string() }).exitCode);
    fs::permissions(folder / "sager.fplan", fs::perms::owner_read);
    fs::permissions(folder / "sager.fplan.kdf", fs::perms::owner_read);
    fs::permissions(folder, fs::perms::owner_read | fs::perms::owner_exec);
    fs::permissions(dir.path(), fs::perms::owner_all | fs::perms::others_exec);
    const std::string before = test::readFile(folder / "sager.fplan");
    auto asNobody = [&](std::vector<std::string> args) {
        std::vector<std::string> argv = { "/usr/sbin/runuser", "-u", "nobody", "--", "/usr/bin/env",
            "FPLAN_STORE=" + (folder / "sager.fplan").string(), std::string("FPLAN_PASSPHRASE=") + Passphrase,
            "FPLAN_TEMPLATES=" + (test::sourceDir() / "templates").string(), FPLAN_CLI };
        argv.insert(argv.end(), args.begin(), args.end());
        return test::run(argv);
    };
    const auto list = asNobody({ "case", "list", "--json" });
    ASSERT_EQ(0, list.exitCode) << list.err;
    EXPECT_EQ(1u, Json::parse(list.out).size());
    const auto show = asNobody({ "doc", "show", doc, "--json" });
    EXPECT_EQ(0, show.exitCode) << show.err;
    const auto exported = asNobody({ "case", "export", caseId });
    EXPECT_EQ(0, exported.exitCode) << exported.err;
    // Writing fails with one clear message naming the store, not raw SQL.
    const auto write = asNobody({ "config", "set", "user.name", "Nobody" });
    EXPECT_EQ(1, write.exitCode);
    EXPECT_NE(write.err.find((folder / "sager.fplan").string()), std::string::npos) << write.err;
    EXPECT_EQ(std::string::npos, write.err.find("INSERT")) << write.err;
    EXPECT_EQ(before, test::readFile(folder / "sager.fplan"));
    fs::permissions(folder, fs::perms::owner_all);
}

TEST_F(Hostile, MessagesCannotDriveTheTerminal)
{
    // A file name with ESC, BEL and a right-to-left override comes back escaped, not acted on.
    const std::string name = (dir / "x\x1b[2J\x07\xe2\x80\xae.json").string();
    const auto r = fplan({ "case", "import", name });
    EXPECT_EQ(2, r.exitCode);
    EXPECT_EQ(std::string::npos, r.err.find('\x1b')) << r.err;
    EXPECT_EQ(std::string::npos, r.err.find('\x07')) << r.err;
    EXPECT_EQ(std::string::npos, r.err.find("\xe2\x80\xae")) << r.err;
    EXPECT_NE(std::string::npos, r.err.find("x\\x1b[2J\\x07\\xe2\\x80\\xae.json")) << r.err;
}
