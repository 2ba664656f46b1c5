// SPDX-License-Identifier: EUPL-1.2
#include "base/error.h"
#include "crypto/hash.h"
#include "docgen/forms/template.h"
#include "tests/support/test_support.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <set>
#include <source_location>

using namespace fplan;
using namespace fplan::docgen;
using fplan::test::TempDir;

namespace {

const std::filesystem::path TemplatesDir = fplan::test::sourceDir() / "templates";
const std::filesystem::path Schema = TemplatesDir / "template.xsd";

// The message loading `file` fails with (a test failure when it loads or fails otherwise).
std::string loadError(
    const std::filesystem::path& file, std::source_location where = std::source_location::current())
{
    return test::expectError(
        ErrorCode::BadInput, "", [&] { loadTemplateFile(file, Schema); }, where);
}

std::string bad(const std::string& name)
{
    return fplan::test::dataFile("bad-templates/" + name).string();
}

} // namespace

TEST(Templates, AllThreeLoadAndValidate)
{
    const TemplateRegistry registry(TemplatesDir);
    const auto ids = registry.ids();
    for (const char* id : { "familiefaglig-undersoegelse", "familieplan", "opfoelgningsmoede", "samtykke" })
        EXPECT_NE(std::find(ids.begin(), ids.end(), id), ids.end()) << id;
    EXPECT_EQ(fplan::test::shippedTemplateIds(), ids);
    for (const std::string& id : ids) {
        const Template t = registry.load(id);
        EXPECT_EQ(id, t.id);
        EXPECT_FALSE(t.version.empty());
        EXPECT_FALSE(t.title.empty());
        EXPECT_GT(t.fields().size(), 5u) << id;
        std::set<std::string> paths;
        for (const Field* f : t.fields()) {
            EXPECT_TRUE(paths.insert(f->path).second) << f->path;
            EXPECT_FALSE(f->label.empty()) << f->path;
            for (char c : f->path)
                EXPECT_TRUE((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.')
                    << f->path;
        }
    }
}

TEST(Templates, EveryFieldTypeIsUsed)
{
    const TemplateRegistry registry(TemplatesDir);
    std::set<FieldType> used;
    for (const auto& id : registry.ids()) {
        const Template t = registry.load(id); // fields() points into it: keep it alive
        for (const Field* f : t.fields()) {
            used.insert(f->type);
            for (const auto& c : f->columns)
                used.insert(c.type);
        }
    }
    for (const char* name : { "text", "longtext", "date", "datetime", "number", "bool", "choice",
             "multichoice", "person", "team_member", "table" })
        EXPECT_TRUE(used.count(*fieldTypeFromString(name))) << name;
}

TEST(Templates, IdMustMatchFileName)
{
    TempDir dir;
    std::filesystem::copy_file(Schema, dir / "template.xsd");
    std::filesystem::copy_file(TemplatesDir / "familieplan.xml", dir / "plan.xml");
    const TemplateRegistry registry(dir.path());
    test::expectError(ErrorCode::BadInput,
        ":1: the template's id 'familieplan' differs from its file name 'plan.xml'",
        [&] { registry.load("plan"); });
    // Checking one file (`template validate`) is the same check as loading it from the folder.
    test::expectError(ErrorCode::BadInput, "differs from its file name 'plan.xml'",
        [&] { registry.loadFile(dir / "plan.xml"); });
    // A familieplan.xml that holds the investigation is refused, also outside the folder.
    std::filesystem::copy_file(TemplatesDir / "familiefaglig-undersoegelse.xml", dir / "familieplan.xml");
    test::expectError(ErrorCode::BadInput,
        "the template's id 'familiefaglig-undersoegelse' differs from its file name 'familieplan.xml'",
        [&] { TemplateRegistry(TemplatesDir).loadFile(dir / "familieplan.xml"); });
    EXPECT_EQ("familieplan", TemplateRegistry(TemplatesDir).loadFile(TemplatesDir / "familieplan.xml").id);
}

TEST(Templates, FamilyPlanHasInterventionsWithFollowUpCodes)
{
    const Template t = TemplateRegistry(TemplatesDir).load("familieplan");
    const Field* indsats = t.field("indsatser.indsats");
    ASSERT_NE(nullptr, indsats);
    EXPECT_EQ(FieldType::Table, indsats->type);
    const Field* status = indsats->column("status");
    ASSERT_NE(nullptr, status);
    std::vector<std::string> codes;
    for (const auto& c : status->choices)
        codes.push_back(c.id);
    EXPECT_EQ((std::vector<std::string> {
                  "ikke_startet", "i_gang", "fortsaettes", "aendres", "afsluttes", "revisitation" }),
        codes);
    for (const char* column :
        { "indsats", "maal", "beskrivelse", "modtager", "ansvarlig", "start", "slut", "timer_pr_uge" })
        EXPECT_NE(nullptr, indsats->column(column)) << column;
    EXPECT_EQ(FieldType::Person, indsats->column("modtager")->type);
    EXPECT_EQ(FieldType::TeamMember, indsats->column("ansvarlig")->type);
    EXPECT_EQ(FieldType::Number, indsats->column("timer_pr_uge")->type);
    // The family's goals are printed first.
    ASSERT_FALSE(t.sections.empty());
    EXPECT_TRUE(t.sections.front().familyFirst);
    EXPECT_EQ("faelles_maal", t.sections.front().id);
    EXPECT_GT(indsats->column("indsats")->width, 0);
}

TEST(Templates, InvestigationHasOneSectionPerDiscipline)
{
    const Template t = TemplateRegistry(TemplatesDir).load("familiefaglig-undersoegelse");
    std::set<std::string> disciplines;
    for (const Section* s : t.allSections()) {
        if (s->fagomraade.empty())
            continue;
        disciplines.insert(s->fagomraade);
        const Field* author = t.field(s->path + ".forfatter");
        ASSERT_NE(nullptr, author) << s->path;
        EXPECT_EQ(FieldType::TeamMember, author->type);
        EXPECT_TRUE(author->sameFagomraade);
        EXPECT_EQ(s->fagomraade, author->fagomraade);
    }
    EXPECT_EQ((std::set<std::string> { "Børn og Familie", "Dagtilbud og Undervisning",
                  "Handicap og Psykiatri", "Beskæftigelse", "Sundhed og Omsorg" }),
        disciplines);
    const Field* cpr = t.field("familien.medlem")->column("cpr");
    ASSERT_NE(nullptr, cpr);
    EXPECT_EQ(TextFormat::Cpr, cpr->format);
    EXPECT_STREQ("cpr", toString(cpr->format));
}

TEST(Templates, FollowUpSeedsFromThePlanAndHasDefaultAgenda)
{
    const TemplateRegistry registry(TemplatesDir);
    const Template plan = registry.load("familieplan");
    const Template t = registry.load("opfoelgningsmoede");
    const Field* points = t.field("dagsorden.punkt");
    ASSERT_NE(nullptr, points);
    ASSERT_EQ(7u, points->defaultRows.size());
    EXPECT_EQ("Velkommen og forventninger", points->defaultRows.front().at("punkt"));
    EXPECT_EQ("Næste møde", points->defaultRows.back().at("punkt"));
    for (const char* path : { "opfoelgning_maal.maal", "opfoelgning_indsatser.indsats" }) {
        const Field* table = t.field(path);
        ASSERT_NE(nullptr, table);
        ASSERT_TRUE(table->seed) << path;
        EXPECT_EQ("familieplan", table->seed->templateId);
        const Field* source = plan.field(table->seed->table);
        ASSERT_NE(nullptr, source) << table->seed->table;
        for (const auto& copy : table->seed->copies)
            EXPECT_NE(nullptr, source->column(copy.from)) << copy.from;
    }
}

TEST(Templates, ShowJsonListsPathsTypesAndColumns)
{
    const Json j = templateToJson(TemplateRegistry(TemplatesDir).load("familieplan"));
    EXPECT_EQ("familieplan", j.at("id"));
    EXPECT_EQ("2", j.at("version")); // 2: the sector plans
    bool sawTable = false, sawDate = false;
    for (const auto& f : j.at("fields")) {
        if (f.at("path") == "faelles_maal.maal") {
            sawTable = true;
            EXPECT_EQ("table", f.at("type"));
            EXPECT_EQ("maal", f.at("columns").at(0).at("id"));
            EXPECT_EQ(2000, f.at("columns").at(0).at("max_length"));
        }
        if (f.at("path") == "om_planen.dato") {
            sawDate = true;
            EXPECT_EQ("date", f.at("type"));
            EXPECT_EQ(true, f.at("required"));
            EXPECT_EQ("Planens dato", f.at("label"));
        }
    }
    EXPECT_TRUE(sawTable);
    EXPECT_TRUE(sawDate);
}

TEST(Templates, FieldKindsNameTablesAndMergeableText)
{
    const auto kinds = TemplateRegistry(TemplatesDir).load("familieplan").fieldKinds();
    EXPECT_TRUE(kinds.tables.count("indsatser.indsats"));
    EXPECT_TRUE(kinds.mergeableText.count("familiens_bemaerkninger.bemaerkninger"));
    EXPECT_TRUE(kinds.mergeableText.count("faelles_maal.maal.maal"));
    EXPECT_FALSE(kinds.mergeableText.count("om_planen.dato"));
}

TEST(Templates, UnknownIdIsNotFound)
{
    const TemplateRegistry registry(TemplatesDir);
    test::expectError(ErrorCode::NotFound, "no template 'nope' in ", [&] { registry.load("nope"); });
    test::expectError(ErrorCode::NotFound, "no template '../templates/familieplan' in ",
        [&] { registry.load("../templates/familieplan"); });
}

TEST(Templates, SearchPathPrefersExplicitThenEnvironment)
{
    TempDir dir;
    EXPECT_EQ(dir.path(), templateSearchPath(dir.path()).front());
    test::expectError(ErrorCode::NotFound,
        dir.path().string() + ": no template.xsd in this folder (from --templates)",
        [&] { findTemplateDir(dir.path()); });
    setenv("FPLAN_TEMPLATES", dir.path().c_str(), 1);
    EXPECT_EQ(dir.path(), templateSearchPath(std::nullopt).front());
    // A wrong FPLAN_TEMPLATES is reported, not skipped.
    test::expectError(ErrorCode::NotFound, "no template.xsd in this folder (from FPLAN_TEMPLATES)",
        [] { findTemplateDir(); });
    std::filesystem::copy_file(Schema, dir / "template.xsd");
    EXPECT_EQ(dir.path(), findTemplateDir());
    unsetenv("FPLAN_TEMPLATES");
    // Without either, the build falls back to the source tree's folder.
    EXPECT_EQ(std::filesystem::weakly_canonical(TemplatesDir),
        std::filesystem::weakly_canonical(findTemplateDir()));
}

struct HostileCase {
    const char* file;
    int line;
    const char* reason;
};

class HostileTemplates : public testing::TestWithParam<HostileCase> { };

TEST_P(HostileTemplates, RefusedWithFileLineAndReasonWithinASecond)
{
    const auto& c = GetParam();
    const auto start = std::chrono::steady_clock::now();
    const std::string message = loadError(bad(c.file));
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
    const std::string prefix = bad(c.file) + ":" + std::to_string(c.line) + ": ";
    EXPECT_EQ(0u, message.rfind(prefix, 0)) << message;
    EXPECT_NE(std::string::npos, message.find(c.reason)) << message;
    EXPECT_EQ(std::string::npos, message.find("root:x")) << message;
}

INSTANTIATE_TEST_SUITE_P(BadTemplates, HostileTemplates,
    testing::Values(HostileCase { "unknown-type.xml", 4, "unknown field type 'dato'" },
        HostileCase { "duplicate-id.xml", 5, "duplicate id 'navn'" },
        HostileCase { "duplicate-id-nested.xml", 6, "duplicate id 'navn'" },
        HostileCase { "choice-without-choices.xml", 7, "has no choices" },
        HostileCase { "choices-on-text.xml", 4, "only choice and multichoice" },
        HostileCase { "table-in-table.xml", 6, "a table cannot be inside a table" },
        HostileCase { "table-column-type.xml", 6, "a table cannot be inside a table" },
        HostileCase { "seed-bad-column.xml", 8, "no column 'maalet'" },
        HostileCase { "refers-to-missing.xml", 6, "refers-to=\"a.maal\" is not a table" },
        HostileCase { "xxe.xml", 2, "DOCTYPE" }, HostileCase { "billion-laughs.xml", 2, "DOCTYPE" },
        HostileCase { "quadratic-blowup.xml", 2, "DOCTYPE" }, HostileCase { "malformed.xml", 5, "mismatch" },
        HostileCase { "wrong-root.xml", 2, "root element must be <template>" }),
    [](const testing::TestParamInfo<HostileCase>& param) {
        std::string name = param.param.file;
        name = name.substr(0, name.find('.'));
        std::erase(name, '-');
        return name;
    });

TEST(HostileTemplatesRuntime, FiftyMegabyteTemplateRefusedWithinASecond)
{
    TempDir dir;
    const auto path = dir / "huge.xml";
    {
        std::ofstream out(path, std::ios::binary);
        out << "<?xml version=\"1.0\"?>\n<template id=\"t\" version=\"1\" title=\"";
        const std::string chunk(1 << 20, 'x');
        for (int i = 0; i < 50; ++i)
            out << chunk;
        out << "\"/>\n";
    }
    const auto start = std::chrono::steady_clock::now();
    const std::string message = loadError(path);
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
    EXPECT_EQ(0u, message.rfind(path.string() + ":1: file is ", 0)) << message;
}

TEST(HostileTemplatesRuntime, SchemaCatchesWhatTheReaderDoesNotLookAt)
{
    TempDir dir;
    fplan::test::writeFile(dir / "t.xml",
        "<template id=\"t\" version=\"1\" title=\"T\">\n"
        "<section id=\"a\" label=\"A\">\n"
        "<field id=\"x\" type=\"text\" label=\"X\" colour=\"red\"/>\n"
        "</section>\n</template>\n");
    const std::string message = loadError(dir / "t.xml");
    EXPECT_EQ(0u, message.rfind((dir / "t.xml").string() + ":3: ", 0)) << message;
    EXPECT_NE(std::string::npos, message.find("colour")) << message;
}

TEST(HostileTemplatesRuntime, SeedsAreCheckedAgainstTheSourceTemplate)
{
    const TemplateRegistry registry(TemplatesDir);
    const std::vector<std::pair<std::string, std::string>> cases
        = { { "seed-unknown-source-column.xml",
                ":7: table 'faelles_maal.maal' of 'familieplan' has no column 'maalet'" },
              { "seed-choices-differ.xml", ":10: column 'status' does not fit column 'status'" } };
    for (const auto& [name, expected] : cases)
        test::expectError(ErrorCode::BadInput, bad(name) + expected, [&] { registry.loadFile(bad(name)); });
}

TEST(HostileTemplatesRuntime, DecimalsDoNotDependOnTheLocale)
{
    TempDir dir;
    const std::string text = "<template id=\"t\" version=\"1\" title=\"T\">\n<section id=\"a\" label=\"A\">\n"
                             "<field id=\"x\" type=\"number\" label=\"X\" min=\"0.5\" max=\"37.5\"/>\n"
                             "</section>\n</template>\n";
    const Template t = parseTemplate(text, "t.xml", Schema);
    EXPECT_EQ(0.5, *t.field("a.x")->min);
    EXPECT_EQ(37.5, *t.field("a.x")->max);
    std::string bad = text;
    bad.replace(bad.find("37.5"), 4, "37,5");
    test::expectError(ErrorCode::BadInput, "t.xml:3: ", [&] { parseTemplate(bad, "t.xml", Schema); });
}

TEST(HostileTemplatesRuntime, NonAsciiIdRefused)
{
    TempDir dir;
    fplan::test::writeFile(dir / "t.xml",
        "<template id=\"t\" version=\"1\" title=\"T\">\n"
        "<section id=\"a\" label=\"A\">\n"
        "<field id=\"målet\" type=\"text\" label=\"X\"/>\n"
        "</section>\n</template>\n");
    EXPECT_EQ(0u, loadError(dir / "t.xml").rfind((dir / "t.xml").string() + ":3: ", 0));
}

// A template keeps the bytes it was parsed from, read once, and their hash: stores keep the
// template a document was made with by that hash.
TEST(Templates, KeepsAndHashesTheBytesItParsed)
{
    const auto file = TemplatesDir / "familieplan.xml";
    const std::string bytes = fplan::test::readFile(file);
    const Template direct = loadTemplateFile(file, Schema);
    EXPECT_EQ(bytes, direct.text);
    EXPECT_EQ(fplan::crypto::sha256Hex(bytes), direct.hash);
    const Template viaFolder = TemplateRegistry(TemplatesDir).loadFile(file);
    EXPECT_EQ(bytes, viaFolder.text);
    EXPECT_EQ(direct.hash, viaFolder.hash);
}
