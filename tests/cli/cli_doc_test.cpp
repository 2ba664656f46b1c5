// SPDX-License-Identifier: EUPL-1.2
#include "tests/docgen/ics_reader.h"
#include "tests/support/test_support.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <fstream>
#include <map>

using namespace fplan;
using Json = nlohmann::json;

namespace {

class CliDoc : public ::testing::Test {
protected:
    test::RunResult fplan(std::vector<std::string> args, std::vector<std::string> env = {})
    {
        args.insert(args.begin(), FPLAN_CLI);
        env.push_back("FPLAN_STORE=" + store.string());
        env.push_back("FPLAN_PASSPHRASE=rigtig-adgangskode");
        env.push_back("USER=jr");
        return test::run(args, env);
    }
    void SetUp() override { ASSERT_EQ(0, fplan({ "init" }).exitCode); }

    static std::string firstLine(const std::string& text) { return text.substr(0, text.find('\n')); }

    std::string importCase(const std::string& name = "multilingual.json")
    {
        const auto r = fplan({ "case", "import", test::dataFile("bundles/" + name).string() });
        EXPECT_EQ(0, r.exitCode) << r.err;
        return firstLine(r.out);
    }

    std::string newDoc(const std::string& caseId, const std::string& templateId)
    {
        const auto r = fplan({ "doc", "new", caseId, templateId });
        EXPECT_EQ(0, r.exitCode) << r.err;
        return firstLine(r.out);
    }

    test::RunResult fill(const std::string& docId, const Json& values)
    {
        const auto file = dir / ("values-" + std::to_string(++m_files) + ".json");
        test::writeFile(file, values.dump(2));
        return fplan({ "doc", "fill", docId, file.string() });
    }

    Json show(const std::string& docId)
    {
        const auto r = fplan({ "doc", "show", docId, "--json" });
        EXPECT_EQ(0, r.exitCode) << r.err;
        return Json::parse(r.out);
    }

    test::TempDir dir;
    std::filesystem::path store = dir / "sager.fplan";
    int m_files = 0;
};

// A value for every field that `template show --json` describes, in several scripts.
Json valueFor(const Json& f, int variant)
{
    const std::string type = f.at("type");
    const std::string id = f.contains("id") ? f.at("id").get<std::string>() : f.at("path").get<std::string>();
    const std::size_t max = f.contains("max_length") ? f.at("max_length").get<std::size_t>() : 1000;
    std::string text = variant == 0 ? "Łukasz Şahin – " : "Ελένη, Дмитрий, Søs: ";
    text += id;
    if (type == "text") {
        if (f.contains("refers_to"))
            return variant == 0 ? "row0" : "row1"; // every table's rows are row0 and row1
        const std::string format = f.value("format", "");
        if (format == "cpr")
            return "0101901234";
        if (format == "email")
            return "jr@kommune.dk";
        if (format == "phone")
            return "12 34 56 78";
        return max >= 11 ? text.substr(0, std::min<std::size_t>(text.size(), max)) : std::string("ok");
    }
    if (type == "longtext")
        return text + "\nNy linje med æøå.";
    if (type == "date")
        return "2026-03-12";
    if (type == "datetime")
        return "2026-03-12T09:30";
    if (type == "number")
        return 4;
    if (type == "bool")
        return variant == 1;
    if (type == "choice")
        return f.at("choices").back().at("id");
    if (type == "multichoice")
        return Json::array({ f.at("choices").front().at("id") });
    if (type == "person")
        return variant == 0 ? "p2" : "p4";
    if (type == "team_member") {
        static const std::map<std::string, std::string> byDiscipline = { { "Børn og Familie", "t1" },
            { "Dagtilbud og Undervisning", "t2" }, { "Handicap og Psykiatri", "t3" },
            { "Beskæftigelse", "t4" }, { "Sundhed og Omsorg", "t5" } };
        if (f.value("same_fagomraade", false))
            return byDiscipline.at(f.at("fagomraade").get<std::string>());
        return variant == 0 ? "t1" : "t3";
    }
    if (type == "table") {
        Json rows = Json::array();
        for (int i = 0; i < 2; ++i) {
            Json row = { { "@id", "row" + std::to_string(i) } };
            for (const auto& c : f.at("columns"))
                row[c.at("id").get<std::string>()] = valueFor(c, i);
            rows.push_back(row);
        }
        return rows;
    }
    return nullptr;
}

} // namespace

TEST_F(CliDoc, TemplateListShowAndValidate)
{
    const auto list = fplan({ "template", "list", "--json" });
    ASSERT_EQ(0, list.exitCode) << list.err;
    std::vector<std::string> ids;
    for (const auto& t : Json::parse(list.out))
        ids.push_back(t.at("id"));
    EXPECT_EQ(test::shippedTemplateIds(), ids);
    for (const char* id : { "familiefaglig-undersoegelse", "familieplan", "opfoelgningsmoede", "samtykke",
             "invitation", "aarshjul" })
        EXPECT_NE(std::find(ids.begin(), ids.end(), id), ids.end()) << id;
    const auto shown = Json::parse(fplan({ "template", "show", "familieplan", "--json" }).out);
    EXPECT_EQ("familieplan", shown.at("id"));
    EXPECT_EQ("2", shown.at("version")); // 2: the sector plans
    EXPECT_FALSE(shown.at("fields").empty());
    for (const std::string& id : test::shippedTemplateIds()) {
        const auto r = fplan({ "template", "validate",
            (test::sourceDir() / "templates" / (std::string(id) + ".xml")).string() });
        EXPECT_EQ(0, r.exitCode) << r.err;
    }
    EXPECT_EQ(2, fplan({ "template", "show", "nope" }).exitCode);
}

TEST_F(CliDoc, HostileTemplatesExitTwoWithFileAndLineWithinASecond)
{
    const std::vector<std::pair<std::string, int>> files
        = { { "unknown-type.xml", 4 }, { "duplicate-id.xml", 5 }, { "choice-without-choices.xml", 7 },
              { "table-in-table.xml", 6 }, { "xxe.xml", 2 }, { "billion-laughs.xml", 2 },
              { "quadratic-blowup.xml", 2 }, { "malformed.xml", 5 } };
    for (const auto& [name, line] : files) {
        const auto file = test::dataFile("bad-templates/" + name).string();
        const auto start = std::chrono::steady_clock::now();
        const auto r = fplan({ "template", "validate", file });
        EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1)) << name;
        EXPECT_EQ(2, r.exitCode) << name;
        EXPECT_EQ(0u, r.err.rfind("fplan: " + file + ":" + std::to_string(line) + ": ", 0)) << r.err;
        EXPECT_EQ(1, std::count(r.err.begin(), r.err.end(), '\n')) << r.err;
        EXPECT_EQ(std::string::npos, r.err.find("root:x")) << r.err;
    }
    // 50 MB, made here rather than kept in the repository.
    const auto huge = dir / "huge.xml";
    {
        std::ofstream out(huge, std::ios::binary);
        out << "<template id=\"t\" version=\"1\" title=\"x\">";
        const std::string chunk(1 << 20, ' ');
        for (int i = 0; i < 50; ++i)
            out << chunk;
        out << "</template>";
    }
    const auto start = std::chrono::steady_clock::now();
    const auto r = fplan({ "template", "validate", huge.string() });
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
    EXPECT_EQ(2, r.exitCode);
    EXPECT_EQ(0u, r.err.rfind("fplan: " + huge.string() + ":1: ", 0)) << r.err;
}

TEST_F(CliDoc, ValidateRunsTheFolderChecksOnOneFile)
{
    // A file the folder would refuse is refused by `template validate` too: the id must be the
    // file name, whether the file is a copy under another name or the wrong template's content.
    const auto plan = dir / "plan.xml";
    std::filesystem::copy_file(test::sourceDir() / "templates" / "familieplan.xml", plan);
    auto r = fplan({ "template", "validate", plan.string() });
    EXPECT_EQ(2, r.exitCode) << r.out;
    EXPECT_EQ("fplan: " + plan.string()
            + ":1: the template's id 'familieplan' differs from its file name 'plan.xml'\n",
        r.err);
    const auto wrong = dir / "familieplan.xml";
    std::filesystem::copy_file(test::sourceDir() / "templates" / "familiefaglig-undersoegelse.xml", wrong);
    r = fplan({ "template", "validate", wrong.string() });
    EXPECT_EQ(2, r.exitCode) << r.out;
    EXPECT_NE(std::string::npos,
        r.err.find("the template's id 'familiefaglig-undersoegelse' differs from its file name"))
        << r.err;
}

TEST_F(CliDoc, TemplatesFolderCanBeChangedWithoutRecompiling)
{
    const auto folder = dir / "skabeloner";
    std::filesystem::create_directory(folder);
    for (const char* f : { "template.xsd", "familieplan.xml" })
        std::filesystem::copy_file(test::sourceDir() / "templates" / f, folder / f);
    std::string plan = test::readFile(folder / "familieplan.xml");
    const std::string from = "label=\"Planens dato\"";
    plan.replace(plan.find(from), from.size(), "label=\"Dato for planen\"");
    test::writeFile(folder / "familieplan.xml", plan);
    for (const auto& how :
        { std::vector<std::string> { "--templates", folder.string() }, std::vector<std::string> {} }) {
        std::vector<std::string> args = { "template", "show", "familieplan", "--json" };
        args.insert(args.end(), how.begin(), how.end());
        const auto r = fplan(args,
            how.empty() ? std::vector<std::string> { "FPLAN_TEMPLATES=" + folder.string() }
                        : std::vector<std::string> {});
        ASSERT_EQ(0, r.exitCode) << r.err;
        EXPECT_NE(std::string::npos, r.out.find("Dato for planen"));
    }
}

TEST_F(CliDoc, EveryFieldOfEveryTemplateRoundTrips)
{
    const std::string caseId = importCase();
    for (const std::string& templateId : test::shippedTemplateIds()) {
        const auto description = Json::parse(fplan({ "template", "show", templateId, "--json" }).out);
        Json values = Json::object();
        for (const auto& f : description.at("fields"))
            values[f.at("path").get<std::string>()] = valueFor(f, 0);
        const std::string docId = newDoc(caseId, templateId);
        // The tables replace the new draft's default and seeded rows, which the filler saw.
        Json withSeen = values;
        withSeen["@seen"] = show(docId).at("seen");
        const auto r = fill(docId, withSeen);
        ASSERT_EQ(0, r.exitCode) << templateId << ": " << r.err;
        const Json shown = show(docId);
        EXPECT_EQ(values, shown.at("values")) << templateId;
        EXPECT_EQ(docId, shown.at("id"));
        EXPECT_EQ(caseId, shown.at("case_id"));
        EXPECT_EQ(templateId, shown.at("template"));
        EXPECT_TRUE(shown.at("conflicts").empty());
        EXPECT_TRUE(shown.at("versions").empty());
        const auto fin = fplan({ "doc", "finalize", docId });
        EXPECT_EQ(0, fin.exitCode) << fin.err;
        EXPECT_EQ("1\n", fin.out);
        const Json after = show(docId);
        ASSERT_EQ(1u, after.at("versions").size());
        EXPECT_EQ("jr", after.at("versions")[0].at("finalized_by"));
    }
}

TEST_F(CliDoc, BadValuesExitTwoNamingFileAndPathAndStoreNothing)
{
    const std::string docId = newDoc(importCase(), "familieplan");
    const Json before = show(docId);
    const auto r
        = fill(docId, { { "om_planen.periode_fra", "2026-04-01" }, { "om_planen.tovholder", "t99" } });
    EXPECT_EQ(2, r.exitCode);
    EXPECT_NE(std::string::npos, r.err.find(".json: om_planen.tovholder: no team member with id 't99'"))
        << r.err;
    EXPECT_EQ(1, std::count(r.err.begin(), r.err.end(), '\n')) << r.err;
    EXPECT_EQ(before, show(docId));
    test::writeFile(dir / "broken.json", "{\"om_planen.dato\": ");
    const auto broken = fplan({ "doc", "fill", docId, (dir / "broken.json").string() });
    EXPECT_EQ(2, broken.exitCode);
    EXPECT_NE(std::string::npos, broken.err.find("broken.json: not valid JSON")) << broken.err;
}

TEST_F(CliDoc, FillWithoutSeenKeepsRowsTheFileLeavesOutAndSaysSo)
{
    const std::string docId = newDoc(importCase(), "familieplan");
    ASSERT_EQ(0,
        fill(docId,
            { { "faelles_maal.maal",
                Json::array({ { { "@id", "g1" }, { "maal", "Ro om morgenen" } },
                    { { "@id", "g2" }, { "maal", "Skolegang" } } }) } })
            .exitCode);
    const auto r = fill(
        docId, { { "faelles_maal.maal", Json::array({ { { "@id", "g1" }, { "maal", "Mere ro" } } }) } });
    EXPECT_EQ(0, r.exitCode) << r.err;
    EXPECT_NE(std::string::npos, r.err.find("faelles_maal.maal: 1 row(s) not in the file stay (g2)"))
        << r.err;
    const Json goals = show(docId).at("values").at("faelles_maal.maal");
    ASSERT_EQ(2u, goals.size());
    EXPECT_EQ("Mere ro", goals[0].at("maal"));
    EXPECT_EQ("g2", goals[1].at("@id"));
}

TEST_F(CliDoc, FinalizeRefusesIncompleteDraftNamingFields)
{
    const std::string docId = newDoc(importCase(), "opfoelgningsmoede");
    const auto r = fplan({ "doc", "finalize", docId });
    EXPECT_EQ(1, r.exitCode);
    EXPECT_NE(std::string::npos, r.err.find("moedet.tidspunkt")) << r.err;
    EXPECT_NE(std::string::npos, r.err.find("revision.revideres")) << r.err;
}

TEST_F(CliDoc, PlanFollowUpReviseAndDiff)
{
    const std::string caseId = importCase();
    const auto docs = Json::parse(fplan({ "doc", "list", caseId, "--json" }).out);
    ASSERT_EQ(1u, docs.size()); // the plan that came with the bundle
    const std::string plan = docs[0].at("id");
    Json values = show(plan).at("values");
    ASSERT_EQ(1u, values.at("indsatser.indsats").size());
    const std::string interventionRow = values.at("indsatser.indsats")[0].at("@id");
    // Documents that come in a bundle hold only what the bundle gives (no automatic fields).
    ASSERT_EQ(0,
        fill(plan,
            { { "om_planen.periode_fra", "2026-03-12" }, { "om_planen.tovholder", "t1" },
                { "godkendelse.tovholder", "t1" },
                { "om_planen.familieteam",
                    Json::array({ { { "fagperson", "t1" } }, { { "fagperson", "t2" } } }) },
                { "opfoelgning.interval", "uger_8" }, { "opfoelgning.naeste_moede", "2026-05-07" },
                { "godkendelse.lavet_sammen_dato", "2026-03-12" } })
            .exitCode);
    ASSERT_EQ("1\n", fplan({ "doc", "finalize", plan }).out);

    const std::string agenda = newDoc(caseId, "opfoelgningsmoede");
    Json rows = show(agenda).at("values").at("opfoelgning_indsatser.indsats");
    ASSERT_EQ(1u, rows.size());
    EXPECT_EQ(interventionRow, rows[0].at("plan_indsats_id"));
    EXPECT_EQ("ikke_startet", rows[0].at("status"));
    rows[0]["status"] = "i_gang";
    rows[0]["justering"] = "Starter 1. april som aftalt.";
    ASSERT_EQ(0,
        fill(agenda,
            { { "opfoelgning_indsatser.indsats", rows }, { "moedet.tidspunkt", "2026-05-07T14:00" },
                { "revision.revideres", true }, { "revision.hvorfor", "Indsatsen er gået i gang." } })
            .exitCode);
    ASSERT_EQ("1\n", fplan({ "doc", "finalize", agenda }).out);

    const auto revised = fplan({ "doc", "revise", plan });
    ASSERT_EQ(0, revised.exitCode) << revised.err;
    EXPECT_EQ("2\n", revised.out);
    ASSERT_EQ("2\n", fplan({ "doc", "finalize", plan }).out);
    const auto diff = fplan({ "doc", "diff", plan, "1", "2", "--json" });
    ASSERT_EQ(0, diff.exitCode) << diff.err;
    std::map<std::string, Json> changes;
    for (const auto& c : Json::parse(diff.out))
        changes[c.at("path")] = c;
    const std::string statusPath = "indsatser.indsats[" + interventionRow + "].status";
    ASSERT_TRUE(changes.count(statusPath)) << diff.out;
    EXPECT_EQ("ikke_startet", changes[statusPath].at("before"));
    EXPECT_EQ("i_gang", changes[statusPath].at("after"));
    EXPECT_EQ(2, changes["om_planen.version"].at("after"));
    const auto text = fplan({ "doc", "diff", plan, "1", "2" });
    EXPECT_NE(std::string::npos,
        text.out.find(statusPath + " (Opfølgningsstatus): changed: ikke_startet -> i_gang"))
        << text.out;
    const auto v1 = Json::parse(fplan({ "doc", "show", plan, "--json", "--version", "1" }).out);
    EXPECT_EQ(1, v1.at("version"));
    EXPECT_EQ("ikke_startet", v1.at("values").at("indsatser.indsats")[0].at("status"));
    EXPECT_EQ(2, fplan({ "doc", "show", plan, "--version", "3" }).exitCode);
    EXPECT_EQ(2, fplan({ "doc", "diff", plan, "1", "7" }).exitCode);
    EXPECT_EQ(2, fplan({ "doc", "diff", plan, "1", "x" }).exitCode);
}

TEST_F(CliDoc, BundleDocumentWithBadValueIsRefusedWithItsPath)
{
    std::string text = test::readFile(test::dataFile("bundles/multilingual.json"));
    const std::string from = "\"status\": \"ikke_startet\"";
    text.replace(text.find(from), from.size(), "\"status\": \"faerdig\"");
    test::writeFile(dir / "bad.json", text);
    const auto r = fplan({ "case", "import", (dir / "bad.json").string() });
    EXPECT_EQ(2, r.exitCode);
    EXPECT_NE(std::string::npos,
        r.err.find(
            "$.documents[0].values.indsatser.indsats[0].status: \"faerdig\" is not one of the choices"))
        << r.err;
    EXPECT_TRUE(Json::parse(fplan({ "case", "list", "--json" }).out).empty());
}

TEST_F(CliDoc, TeamChangeAndWithdrawalThroughTheConsentGate)
{
    const std::string caseId = importCase();
    const auto none = Json::parse(fplan({ "case", "consent", caseId, "--date", "2026-04-01", "--json" }).out);
    EXPECT_FALSE(none.at("covered"));
    EXPECT_EQ(5u, none.at("gaps").size());
    EXPECT_EQ("no_consent", none.at("gaps")[0].at("reason"));

    const std::string docId = newDoc(caseId, "samtykke");
    ASSERT_EQ(0,
        fill(docId,
            { { "hvem.giver",
                  Json::array({ { { "person", "p1" }, { "grundlag", "foraeldremyndighed" },
                                    { "dato", "2026-03-01" }, { "form", "papir" } },
                      { { "person", "p2" }, { "grundlag", "foraeldremyndighed" }, { "dato", "2026-03-01" },
                          { "form", "papir" } } }) },
                { "udveksling.formaal", "Familiens plan" },
                { "udveksling.fagomraader",
                    Json::array({ "boern_og_familie", "dagtilbud_og_undervisning", "handicap_og_psykiatri",
                        "beskaeftigelse", "sundhed_og_omsorg" }) },
                { "udveksling.oplysninger", "Skolegang" }, { "gyldighed.fra", "2026-01-01" },
                { "gyldighed.til", "2099-12-31" }, { "modtaget.dato", "2026-03-01" } })
            .exitCode);
    ASSERT_EQ(0, fplan({ "doc", "finalize", docId }).exitCode);
    auto r = fplan({ "case", "consent", caseId });
    EXPECT_EQ(0, r.exitCode) << r.err;
    EXPECT_EQ(0u, r.out.find("the consent covers the team on ")) << r.out;

    // A professional from a discipline the consent does not name: stored, with a warning naming the gap.
    r = fplan({ "case", "team", "add", caseId, "--name", "Bo Lind", "--fagomraade", "Socialpsykiatri",
        "--role", "bostøtte" });
    ASSERT_EQ(0, r.exitCode) << r.err;
    EXPECT_NE(std::string::npos,
        r.err.find(
            "fplan: warning: consent: Bo Lind (Socialpsykiatri): the consent does not name this discipline"))
        << r.err;
    const std::string boId = firstLine(r.out);
    r = fplan({ "case", "team", "add", caseId, "--name", "Ida Berg", "--fagomraade", "Beskæftigelse" });
    ASSERT_EQ(0, r.exitCode) << r.err;
    EXPECT_TRUE(r.err.empty()) << r.err; // covered: no warning
    auto status = Json::parse(fplan({ "case", "consent", caseId, "--json" }).out);
    ASSERT_EQ(1u, status.at("gaps").size());
    EXPECT_EQ(boId, status.at("gaps")[0].at("team_member"));
    EXPECT_EQ("not_named", status.at("gaps")[0].at("reason"));

    // A withdrawal for Beskæftigelse, dated ahead (the team members added today count from today):
    // the day before it, only Bo is outside; from it, Mette Skov (t4) and Ida are too.
    ASSERT_EQ(0,
        fill(docId,
            { { "tilbagekaldelse.tilbagekald",
                Json::array({ { { "dato", "2099-06-01" }, { "hvem", "p2" }, { "omfang", "fagomraader" },
                    { "fagomraader", Json::array({ "beskaeftigelse" }) } } }) } })
            .exitCode);
    status = Json::parse(fplan({ "case", "consent", caseId, "--date", "2099-05-31", "--json" }).out);
    EXPECT_EQ(1u, status.at("gaps").size());
    status = Json::parse(fplan({ "case", "consent", caseId, "--date", "2099-06-01", "--json" }).out);
    ASSERT_EQ(3u, status.at("gaps").size());
    for (const auto& g : status.at("gaps"))
        if (g.at("fagomraade") == "Beskæftigelse") {
            EXPECT_EQ("withdrawn", g.at("reason"));
            EXPECT_EQ("2099-06-01", g.at("date"));
        }

    EXPECT_EQ(2, fplan({ "case", "consent", caseId, "--date", "1. juni" }).exitCode);
    r = fplan({ "case", "team", "add", caseId, "--name", "Uden fagområde" });
    EXPECT_EQ(2, r.exitCode);
    EXPECT_NE(std::string::npos, r.err.find("needs a discipline")) << r.err;
    EXPECT_EQ(2, fplan({ "case", "team", "add", caseId, "--name", "X", "--fagomrade", "Y" }).exitCode);
}

TEST_F(CliDoc, DocFileWritesPdfAndMetadataIntoTheFilingFolder)
{
    const std::string caseId = importCase();
    const std::string docId = newDoc(caseId, "samtykke");
    const auto description = Json::parse(fplan({ "template", "show", "samtykke", "--json" }).out);
    Json values = Json::object();
    for (const auto& f : description.at("fields"))
        values[f.at("path").get<std::string>()] = valueFor(f, 0);
    ASSERT_EQ(0, fill(docId, values).exitCode);

    auto r = fplan({ "doc", "file", docId });
    EXPECT_EQ(2, r.exitCode);
    EXPECT_NE(std::string::npos, r.err.find("setting filing.folder is missing")) << r.err;
    const auto folder = dir / "esdh";
    ASSERT_EQ(0, fplan({ "config", "set", "filing.folder", folder.string() }).exitCode);
    r = fplan({ "doc", "file", docId });
    EXPECT_EQ(1, r.exitCode); // the folder is not there
    EXPECT_NE(std::string::npos, r.err.find(folder.string() + " is not there")) << r.err;
    std::filesystem::create_directory(folder);
    r = fplan({ "doc", "file", docId });
    EXPECT_EQ(2, r.exitCode); // a draft
    EXPECT_NE(std::string::npos, r.err.find("no finalised version")) << r.err;
    ASSERT_EQ(0, fplan({ "doc", "finalize", docId }).exitCode);

    r = fplan({ "doc", "file", docId, "--json" });
    ASSERT_EQ(0, r.exitCode) << r.err;
    EXPECT_NE(std::string::npos, r.err.find("fplan: warning: consent: "))
        << r.err; // the fixture's consent is narrow
    const Json filed = Json::parse(r.out);
    EXPECT_FALSE(filed.at("already_filed"));
    EXPECT_EQ((folder / ("samtykke-" + docId + "-v1.pdf")).string(), filed.at("pdf"));
    const Json meta = Json::parse(test::readFile(filed.at("metadata").get<std::string>()));
    EXPECT_EQ(filed.at("metadata_content"), meta);
    EXPECT_EQ("27.24.00-G01-2-26", meta.at("journal_number"));
    EXPECT_EQ("samtykke", meta.at("document_type"));
    r = fplan({ "doc", "file", docId, "--version", "1" });
    ASSERT_EQ(0, r.exitCode) << r.err;
    EXPECT_NE(std::string::npos, r.out.find("already filed")) << r.out;
    EXPECT_EQ(2, fplan({ "doc", "file", docId, "--version", "2" }).exitCode);
}
