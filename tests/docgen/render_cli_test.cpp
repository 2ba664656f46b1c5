// SPDX-License-Identifier: EUPL-1.2
// `fplan render` and `fplan doc render`, driven through the real binary.
#include "app/documents.h"
#include "core/bundle.h"
#include "core/store.h"
#include "docgen/forms/template.h"
#include "tests/support/test_support.h"

#include <gtest/gtest.h>

#include <algorithm>

using namespace fplan;
using fplan::test::run;
using fplan::test::TempDir;

namespace {

const char* Passphrase = "FPLAN_PASSPHRASE=rigtig-adgangskode";

std::string data(const std::string& name)
{
    return fplan::test::dataFile("render/" + name).string();
}

test::RunResult fplanCli(std::vector<std::string> args, std::vector<std::string> env = {})
{
    args.insert(args.begin(), FPLAN_CLI);
    env.push_back("SOURCE_DATE_EPOCH=1773309600");
    return run(args, env);
}

std::string pdfText(const std::filesystem::path& file)
{
    const auto r = run({ "pdftotext", "-raw", "-enc", "UTF-8", file.string(), "-" });
    EXPECT_EQ(0, r.exitCode) << r.err;
    std::string text = r.out; // a name wrapped in a narrow cell is still the name
    std::replace(text.begin(), text.end(), '\n', ' ');
    return text;
}

} // namespace

TEST(RenderCli, RendersEachTemplateWithoutAStore)
{
    TempDir dir;
    for (const std::string id : { "familieplan", "familiefaglig-undersoegelse", "opfoelgningsmoede" }) {
        const auto out = dir / (id + ".pdf");
        const auto r = fplanCli({ "render", "--bundle", data("bundle.json"), "--template", id, "--values",
            data(id + ".json"), "--out", out.string() });
        ASSERT_EQ(0, r.exitCode) << id << ": " << r.err;
        EXPECT_TRUE(r.err.empty()) << r.err; // no warnings: every letter has a font
        const std::string text = pdfText(out);
        EXPECT_NE(std::string::npos, text.find("Familien Nørgaard")) << id;
        EXPECT_NE(std::string::npos, text.find("Fortroligt – indeholder personoplysninger")) << id;
        EXPECT_NE(std::string::npos, text.find("Ringkøbing-Skjern Kommune")) << id;
    }
    const std::string plan = pdfText(dir / "familieplan.pdf");
    for (const char* name :
        { "Łukasz Şahin", "Ñuñez Ærø Şahin", "Ελένη Παπαδοπούλου", "Дмитрий Соколов", "Søs Nørgaard" })
        EXPECT_NE(std::string::npos, plan.find(name)) << name;
    EXPECT_NE(std::string::npos, plan.find("Version 2 af 12.03.2026"));
    EXPECT_LT(plan.find("Familiens fælles mål"), plan.find("Om planen")); // the family's goals first
}

TEST(RenderCli, SourceDateEpochMakesTheFileReproducible)
{
    TempDir dir;
    std::vector<std::string> files;
    for (const char* name : { "a.pdf", "b.pdf" }) {
        const auto out = dir / name;
        const auto r = fplanCli({ "render", "--bundle", data("bundle.json"), "--template", "familieplan",
            "--values", data("familieplan.json"), "--out", out.string() });
        ASSERT_EQ(0, r.exitCode) << r.err;
        files.push_back(fplan::test::readFile(out));
    }
    EXPECT_EQ(files[0], files[1]); // two processes, same bytes: dates and /ID come from the input
}

TEST(RenderCli, BadValuesAreRefusedWithThePath)
{
    TempDir dir;
    fplan::test::writeFile(dir / "bad.json", R"({"om_planen.dato": "2026-02-31"})");
    const auto r = fplanCli({ "render", "--bundle", data("bundle.json"), "--template", "familieplan",
        "--values", (dir / "bad.json").string(), "--out", (dir / "x.pdf").string() });
    EXPECT_EQ(2, r.exitCode);
    EXPECT_NE(std::string::npos, r.err.find("om_planen.dato")) << r.err;
    EXPECT_FALSE(std::filesystem::exists(dir / "x.pdf"));
}

TEST(RenderCli, UsageErrors)
{
    TempDir dir;
    auto r = fplanCli({ "render", "--bundle", data("bundle.json"), "--template", "familieplan", "--values",
        data("familieplan.json") });
    EXPECT_EQ(2, r.exitCode);
    EXPECT_NE(std::string::npos, r.err.find("--out")) << r.err;
    r = fplanCli({ "render", "--bundle", data("bundle.json"), "--template", "ingen-skabelon", "--values",
        data("familieplan.json"), "--out", (dir / "x.pdf").string() });
    EXPECT_EQ(2, r.exitCode) << r.err;
    EXPECT_NE(std::string::npos, r.err.find("ingen-skabelon")) << r.err;
}

TEST(RenderCli, DocRenderPrintsAFinalisedVersionOrTheDraft)
{
    TempDir dir;
    const auto store = dir / "sager.fplan";
    const std::vector<std::string> env { Passphrase, "FPLAN_STORE=" + store.string() };
    ASSERT_EQ(0, fplanCli({ "init" }, env).exitCode);
    const auto imported = fplanCli({ "case", "import", data("bundle.json") }, env);
    ASSERT_EQ(0, imported.exitCode) << imported.err;
    const std::string caseId = imported.out.substr(0, imported.out.find('\n'));
    std::string docId, versionId;
    {
        Store s = Store::open(store, "rigtig-adgangskode");
        const docgen::TemplateRegistry registry(fplan::test::sourceDir() / "templates");
        app::DocumentService documents(s, registry, "jr");
        docId = documents.create(caseId, "familieplan").docId;
        auto values = Json::parse(fplan::test::readFile(data("familieplan.json")));
        values.erase("om_planen.version"); // the program numbers versions itself
        documents.fill(docId, values);
        ASSERT_EQ(1, documents.finalize(docId).version);
        versionId = s.documentState(docId).versions().front().opId;
        documents.fill(docId, Json { { "familiens_bemaerkninger.bemaerkninger", "Ændret efter mødet." } });
    }
    const auto v1 = dir / "v1.pdf";
    auto r = fplanCli({ "doc", "render", docId, "--version", "1", "--out", v1.string() }, env);
    ASSERT_EQ(0, r.exitCode) << r.err;
    const std::string text = pdfText(v1);
    EXPECT_NE(std::string::npos, text.find("Version 1 af")) << text.substr(0, 400);
    // The version's id is printed, so a paper copy can be matched to the stored version.
    EXPECT_NE(std::string::npos, text.find("Versionens id: " + versionId)) << text.substr(0, 600);
    EXPECT_NE(std::string::npos, text.find("Дмитрий Соколов"));
    EXPECT_EQ(std::string::npos, text.find("Ændret efter mødet."));

    const auto draft = dir / "draft.pdf";
    r = fplanCli({ "doc", "render", docId, "--out", draft.string() }, env);
    ASSERT_EQ(0, r.exitCode) << r.err;
    EXPECT_NE(std::string::npos, pdfText(draft).find("Ændret efter mødet."));

    {
        // Two people change the remarks without seeing each other's change: a conflict.
        Store s = Store::open(store, "rigtig-adgangskode");
        const DocumentState state = s.documentState(docId);
        OpFactory a("jr", s.deviceId(), s.clock());
        OpFactory b("ep", "en-anden-maskine", s.clock());
        s.appendOps({ a.set(state, caseId, docId, "familiens_bemaerkninger.bemaerkninger", "Udgave A"),
            b.set(state, caseId, docId, "familiens_bemaerkninger.bemaerkninger", "Udgave B") });
    }
    r = fplanCli({ "doc", "render", docId, "--out", draft.string(), "--force" }, env);
    ASSERT_EQ(0, r.exitCode) << r.err;
    EXPECT_NE(std::string::npos,
        r.err.find("familiens_bemaerkninger.bemaerkninger: open conflict between 2 values"))
        << r.err;

    r = fplanCli({ "doc", "render", docId, "--version", "7", "--out", (dir / "v7.pdf").string() }, env);
    EXPECT_EQ(2, r.exitCode);
    EXPECT_NE(std::string::npos, r.err.find("no version '7'")) << r.err;
}

TEST(RenderCli, TheSharedEveryFieldFixturesRender)
{
    TempDir dir;
    const auto bundle = fplan::test::dataFile("bundles/multilingual.json").string();
    for (const std::string id :
        { "familieplan", "familiefaglig-undersoegelse", "opfoelgningsmoede", "invitation", "aarshjul" }) {
        const auto out = dir / (id + ".pdf");
        const auto r = fplanCli({ "render", "--bundle", bundle, "--template", id, "--values",
            fplan::test::dataFile("values/" + id + ".json").string(), "--out", out.string() });
        ASSERT_EQ(0, r.exitCode) << id << ": " << r.err;
        EXPECT_TRUE(r.err.empty()) << id << ": " << r.err;
        const std::string text = pdfText(out);
        for (const char* name :
            { "Łukasz Şahin", "Ελένη Şahin", "Дмитрий Nørgaard", "Привет, Γειά σου, Cześć, Merhaba." })
            EXPECT_NE(std::string::npos, text.find(name)) << id << ": " << name;
    }
}
