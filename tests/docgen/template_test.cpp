// SPDX-License-Identifier: EUPL-1.2
#include "base/error.h"
#include "crypto/hash.h"
#include "docgen/forms/template.h"
#include "tests/support/test_support.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <map>
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

TEST(Templates, AllLoadAndValidate)
{
    const TemplateRegistry registry(TemplatesDir);
    const auto ids = registry.ids();
    for (const char* id : { "familiefaglig-undersoegelse", "familieplan", "opfoelgningsmoede", "samtykke",
             "invitation", "aarshjul" })
        EXPECT_NE(std::find(ids.begin(), ids.end(), id), ids.end()) << id;
    EXPECT_EQ(fplan::test::shippedTemplateIds(), ids);
    // familieplan 2 added the sector plans; the agenda's 2 the family's aim, the parents' view on
    // the children's participation, progression and the feedback round.
    EXPECT_EQ("2", registry.load("familieplan").version);
    EXPECT_EQ("2", registry.load("opfoelgningsmoede").version);
    for (const std::string& id : ids) {
        const Template t = registry.load(id);
        EXPECT_EQ(id, t.id);
        EXPECT_FALSE(t.version.empty());
        EXPECT_FALSE(t.title.empty());
        EXPECT_GE(t.fields().size(), 3u) << id; // the årshjul has three
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
        HostileCase {
            "seed-draft-return.xml", 7, "a seed from the draft (source=\"draft\") cannot write back" },
        HostileCase { "signature-not-a-name.xml", 4, "signature=\"dato\" must name a person" },
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
              { "seed-choices-differ.xml", ":10: column 'status' does not fit column 'status'" },
              { "seed-field-unknown.xml", ":5: template 'opfoelgningsmoede' has no field 'moedet.lokale'" },
              { "seed-field-type-differs.xml",
                  ":5: field 'moedet.tidspunkt' of 'opfoelgningsmoede' does not fit field 'a.start' (type or "
                  "choices differ)" } };
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

// The schema check runs once per exact schema and template: what passed is remembered in the
// user's private cache, and a template that differs in one byte is checked again.
TEST(Templates, RemembersAPassedSchemaCheckOnlyForTheExactBytes)
{
    const TempDir dir;
    const std::filesystem::path cache = dir.path() / "cache";
    const fplan::test::ScopedEnv env("XDG_CACHE_HOME", cache.string());

    const std::filesystem::path remembered = cache / "familieplan" / "validated-templates";
    auto entries = [&] {
        std::vector<std::filesystem::path> out;
        for (const auto& e : std::filesystem::directory_iterator(remembered))
            out.push_back(e.path());
        return out;
    };
    const std::string bytes = fplan::test::readFile(TemplatesDir / "aarshjul.xml");
    const auto good = dir.path() / "aarshjul.xml";
    fplan::test::writeFile(good, bytes);
    loadTemplateFile(good, Schema);
    ASSERT_EQ(1u, entries().size());
    const auto entry = entries().front();
    EXPECT_EQ(64u, entry.filename().string().size()); // 256 bits in hex
    EXPECT_EQ(std::filesystem::perms::owner_read | std::filesystem::perms::owner_write,
        std::filesystem::status(entry).permissions());
    EXPECT_EQ(0700, static_cast<int>(std::filesystem::status(remembered).permissions()));
    loadTemplateFile(good, Schema);
    EXPECT_EQ(1u, entries().size());

    // The same template, as long, with a version the schema refuses (the reader alone takes it).
    std::string changed = bytes;
    const std::string version = "version=\"1\"";
    ASSERT_NE(std::string::npos, changed.find(version));
    changed.replace(changed.find(version), version.size(), "version=\"x\"");
    const auto bad = dir.path() / "changed.xml";
    fplan::test::writeFile(bad, changed);
    EXPECT_NE(std::string::npos, loadError(bad).find("version")) << loadError(bad);
    EXPECT_EQ(std::vector<std::filesystem::path> { entry }, entries());
}

TEST(Templates, InvitationIsACalendarEntryWhosePreMeetingIsForTheTeam)
{
    const TemplateRegistry registry(TemplatesDir);
    const Template t = registry.load("invitation");
    std::map<CalendarRole, std::string> roles;
    for (const Field* f : t.fields()) {
        if (f->calendar != CalendarRole::None)
            roles[f->calendar] = f->path;
        for (const auto& c : f->columns)
            if (c.calendar != CalendarRole::None)
                roles[c.calendar] = f->path + "." + c.id;
    }
    EXPECT_EQ((std::map<CalendarRole, std::string> { { CalendarRole::Summary, "moedet.slags" },
                  { CalendarRole::Start, "moedet.start" }, { CalendarRole::End, "moedet.slut" },
                  { CalendarRole::Location, "moedet.sted" }, { CalendarRole::Description, "moedet.formaal" },
                  { CalendarRole::Organizer, "moedet.tovholder" },
                  { CalendarRole::Attendee, "deltagere.deltager.fagperson" } }),
        roles);
    const Field* kind = t.field("moedet.slags");
    ASSERT_NE(nullptr, kind);
    std::vector<std::string> teamOnly, everyone;
    for (const auto& c : kind->choices)
        (c.audience == Audience::Team ? teamOnly : everyone).push_back(c.id);
    EXPECT_EQ((std::vector<std::string> { "formoede" }), teamOnly);
    EXPECT_EQ(
        (std::vector<std::string> { "intromoede", "familieplansmoede", "opfoelgningsmoede" }), everyone);
    // "Hvad vil I gerne have ud af mødet?" opens the invitation.
    EXPECT_TRUE(t.sections.front().familyFirst);
    EXPECT_EQ("Hvad vil I gerne have ud af mødet?", t.sections.front().label);
    // Who comes, when and where is seeded from the latest agenda, its draft included: the
    // invitation goes out before the meeting.
    const Field* who = t.field("deltagere.deltager");
    ASSERT_TRUE(who && who->seed);
    EXPECT_EQ("opfoelgningsmoede", who->seed->templateId);
    EXPECT_EQ("moedet.deltagere", who->seed->table);
    EXPECT_EQ(SeedSource::Draft, who->seed->source);
    for (const auto& [path, source] : std::map<std::string, std::string> {
             { "moedet.start", "moedet.tidspunkt" }, { "moedet.sted", "moedet.sted" } }) {
        const Field* f = t.field(path);
        ASSERT_TRUE(f && f->fieldSeed) << path;
        EXPECT_EQ("opfoelgningsmoede", f->fieldSeed->templateId);
        EXPECT_EQ(source, f->fieldSeed->field);
        EXPECT_EQ(SeedSource::Draft, f->fieldSeed->source);
    }
    const Json shown = templateToJson(t);
    bool sawAudience = false;
    for (const auto& f : shown.at("fields"))
        if (f.at("path") == "moedet.slags") {
            EXPECT_EQ("summary", f.at("calendar"));
            EXPECT_EQ("team", f.at("choices").at(3).at("audience"));
            sawAudience = true;
        } else if (f.at("path") == "moedet.start") {
            EXPECT_EQ((Json { { "template", "opfoelgningsmoede" }, { "field", "moedet.tidspunkt" },
                          { "source", "draft" } }),
                f.at("seed"));
        }
    EXPECT_TRUE(sawAudience);
}

TEST(Templates, FollowUpChartsProgressionCarriedFromTheAgendaBefore)
{
    const Template t = TemplateRegistry(TemplatesDir).load("opfoelgningsmoede");
    const Field* table = t.field("progression.maaling");
    ASSERT_TRUE(table && table->chart);
    EXPECT_EQ("maaned", table->chart->x);
    EXPECT_EQ("vaerdi", table->chart->y);
    EXPECT_EQ((std::vector<std::string> { "person", "indikator", "maal" }), table->chart->series);
    ASSERT_TRUE(table->seed);
    EXPECT_EQ("opfoelgningsmoede", table->seed->templateId);
    EXPECT_EQ("progression.maaling", table->seed->table);
    std::vector<std::string> indicators;
    for (const auto& c : table->column("indikator")->choices)
        indicators.push_back(c.id);
    EXPECT_EQ((std::vector<std::string> { "skolefremmoede", "timer_arbejde", "trivsel", "maal_vurdering" }),
        indicators);
    for (const char* path :
        { "familiens_oenske.oenske", "boernenes_deltagelse.foraeldrenes_syn", "feedback.runde" })
        EXPECT_NE(nullptr, t.field(path)) << path;
    for (const char* scale : { "hoert", "emner", "maade", "samlet" }) {
        const Field* c = t.field("feedback.runde")->column(scale);
        ASSERT_NE(nullptr, c) << scale;
        EXPECT_EQ(1, *c->min);
        EXPECT_EQ(10, *c->max);
    }
}

// The calendar, audience and chart attributes are checked like every other rule: the file and
// line, and what is wrong.
TEST(HostileTemplatesRuntime, CalendarAudienceAndChartRulesNameTheLine)
{
    const auto wrap = [](const std::string& items) {
        return "<template id=\"t\" version=\"1\" title=\"T\">\n<section id=\"a\" label=\"A\">\n" + items
            + "\n</section>\n</template>\n";
    };
    const std::vector<std::pair<std::string, std::string>> cases = {
        { "<field id=\"x\" type=\"date\" label=\"X\" calendar=\"start\"/>",
            "t.xml:3: calendar=\"start\" does not fit a date field (a.x)" },
        { "<field id=\"x\" type=\"team_member\" label=\"X\" calendar=\"attendee\"/>",
            "t.xml:3: calendar=\"attendee\" belongs on a table column" },
        { "<field id=\"x\" type=\"datetime\" label=\"X\" calendar=\"start\"/>\n"
          "<field id=\"y\" type=\"datetime\" label=\"Y\" calendar=\"start\"/>",
            "t.xml:4: a second field with calendar=\"start\"" },
        { "<field id=\"x\" type=\"text\" label=\"X\" calendar=\"when\"/>", "t.xml:3: " },
        { "<field id=\"x\" type=\"choice\" label=\"X\">\n<choice id=\"a\" label=\"A\" "
          "audience=\"family\"/></field>",
            "t.xml:4: " },
        { "<table id=\"m\" label=\"M\"><column id=\"d\" type=\"text\" label=\"D\"/>"
          "<column id=\"v\" type=\"number\" label=\"V\"/>\n<chart x=\"d\" y=\"v\"/></table>",
            "t.xml:4: the chart's x column 'd' must be a date column" },
        { "<table id=\"m\" label=\"M\"><column id=\"d\" type=\"date\" label=\"D\"/>"
          "<column id=\"v\" type=\"number\" label=\"V\"/>\n<chart x=\"d\" y=\"v\" series=\"nope\"/></table>",
            "t.xml:4: the chart's series column 'nope' is not a column of a.m" },
        { "<table id=\"m\" label=\"M\"><column id=\"d\" type=\"text\" label=\"D\"/>\n"
          "<series template=\"familieplan\" start=\"x\" cadence=\"y\" date=\"d\"><every choice=\"a\" "
          "weeks=\"8\"/></series></table>",
            "t.xml:4: the series' date column 'd' must be a date column of a.m" },
        { "<table id=\"m\" label=\"M\"><column id=\"d\" type=\"date\" label=\"D\"/>\n"
          "<series template=\"familieplan\" start=\"x\" cadence=\"y\" date=\"d\"/></table>",
            "t.xml:4: a <series> needs at least one <every" },
    };
    for (const auto& [items, expected] : cases)
        test::expectError(
            ErrorCode::BadInput, expected, [&] { parseTemplate(wrap(items), "t.xml", Schema); });
}

// A series names the plan's fields; a plan without them stops the årshjul from loading, with
// the line of its <series>, rather than silently giving no dates.
TEST(HostileTemplatesRuntime, SeriesIsCheckedAgainstItsSourceTemplate)
{
    TempDir dir;
    for (const char* f : { "template.xsd", "familieplan.xml", "aarshjul.xml" })
        std::filesystem::copy_file(TemplatesDir / f, dir / f);
    const TemplateRegistry registry(dir.path());
    const Template loaded = registry.load("aarshjul");
    EXPECT_EQ(3u, loaded.field("moeder.moede")->series->cadences.size());
    const auto replace = [&](const std::string& from, const std::string& to) {
        std::string text = test::readFile(dir / "aarshjul.xml");
        text.replace(text.find(from), from.size(), to);
        test::writeFile(dir / "aarshjul.xml", text);
    };
    replace("<every choice=\"uger_6\"", "<every choice=\"uger_5\"");
    test::expectError(ErrorCode::BadInput, "'uger_5' is not a choice of familieplan's opfoelgning.interval",
        [&] { registry.load("aarshjul"); });
    replace("<every choice=\"uger_5\"", "<every choice=\"uger_6\"");
    replace("start=\"opfoelgning.naeste_moede\"", "start=\"opfoelgning.kontakt\"");
    test::expectError(ErrorCode::BadInput, "template 'familieplan' has no date field 'opfoelgning.kontakt'",
        [&] { registry.load("aarshjul"); });
}
