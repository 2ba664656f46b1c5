// SPDX-License-Identifier: EUPL-1.2
#include "core/bundle.h"
#include "docgen/forms/template.h"
#include "docgen/render/document_renderer.h"
#include "tests/support/test_support.h"

#include <gtest/gtest.h>

using namespace fplan;
using namespace fplan::docgen;

namespace {

const TemplateRegistry& registry()
{
    static const TemplateRegistry r(fplan::test::sourceDir() / "templates");
    return r;
}

const Case& sampleCase()
{
    static const Bundle bundle
        = parseBundle(fplan::test::readFile(fplan::test::dataFile("render/bundle.json")), "bundle.json");
    return bundle.kase;
}

Json values(const std::string& templateId)
{
    return Json::parse(fplan::test::readFile(fplan::test::dataFile("render/" + templateId + ".json")));
}

RenderDocument build(const std::string& templateId, const Json& v,
    std::vector<std::string>* warnings = nullptr, RenderContext context = {})
{
    if (context.date.empty())
        context.date = "2026-03-12";
    return buildRenderDocument(registry().load(templateId), v, sampleCase(), context, warnings);
}

std::vector<std::string> headings(const RenderDocument& doc, int level)
{
    std::vector<std::string> out;
    for (const auto& b : doc.blocks)
        if (const auto* h = std::get_if<Heading>(&b); h && h->level == level)
            out.push_back(h->text);
    return out;
}

// The value printed for a label in any field list, or nullopt.
std::optional<std::string> field(const RenderDocument& doc, const std::string& label)
{
    for (const auto& b : doc.blocks)
        if (const auto* list = std::get_if<FieldList>(&b))
            for (const auto& f : list->fields)
                if (f.label == label)
                    return f.value;
    return std::nullopt;
}

// The first table after the heading `heading`.
const Table* tableAfter(const RenderDocument& doc, const std::string& heading)
{
    bool seen = false;
    for (const auto& b : doc.blocks) {
        if (const auto* h = std::get_if<Heading>(&b))
            seen = seen || h->text == heading;
        else if (const auto* t = std::get_if<Table>(&b); t && seen)
            return t;
    }
    return nullptr;
}

std::vector<std::string> column(const Table& t, const std::string& header)
{
    std::vector<std::string> out;
    for (std::size_t c = 0; c < t.columns.size(); ++c)
        if (t.columns[c].header == header)
            for (const auto& row : t.rows)
                out.push_back(row[c]);
    return out;
}

bool mentions(const RenderDocument& doc, const std::string& text)
{
    for (const auto& b : doc.blocks) {
        if (const auto* t = std::get_if<Table>(&b)) {
            for (const auto& row : t->rows)
                for (const auto& cell : row)
                    if (cell.find(text) != std::string::npos)
                        return true;
        } else if (const auto* l = std::get_if<FieldList>(&b)) {
            for (const auto& f : l->fields)
                if (f.value.find(text) != std::string::npos || f.label.find(text) != std::string::npos)
                    return true;
        } else if (const auto* h = std::get_if<Heading>(&b); h && h->text.find(text) != std::string::npos) {
            return true;
        }
    }
    return false;
}

} // namespace

TEST(DocumentRenderer, FamilyGoalsComeFirstInThePlan)
{
    const auto doc = build("familieplan", values("familieplan"));
    const auto top = headings(doc, 1);
    ASSERT_FALSE(top.empty());
    EXPECT_EQ("Familiens fælles mål", top.front());
    EXPECT_EQ((std::vector<std::string> { "Familiens fælles mål", "Om planen", "Familiens behov", "Indsatser",
                  "Planer, som familieplanen samler", "Aftaler", "Opfølgning", "Familiens bemærkninger",
                  "Godkendelse" }),
        top);
}

TEST(DocumentRenderer, TitleBlockSaysWhichVersion)
{
    RenderContext v2;
    v2.version = 2;
    v2.date = "2026-03-12";
    v2.municipality = "Ringkøbing-Skjern Kommune";
    const auto doc = build("familieplan", values("familieplan"), nullptr, v2);
    EXPECT_EQ("Version 2 af 12.03.2026", doc.title.versionText);
    EXPECT_EQ("Familieplan", doc.title.documentTitle);
    EXPECT_EQ("Familien Nørgaard", doc.title.family);
    EXPECT_EQ("Ringkøbing-Skjern Kommune", doc.title.municipality);
    EXPECT_EQ("Jens Ravn", doc.author);
    EXPECT_EQ("Udkast af 12.03.2026", build("familieplan", values("familieplan")).title.versionText);
}

TEST(DocumentRenderer, ReferencesPrintAsNames)
{
    const auto doc = build("familieplan", values("familieplan"));
    EXPECT_EQ("Jens Ravn (myndighedsrådgiver, Børn og Familie)", field(doc, "Tovholder").value_or("?"));
    const Table* team = tableAfter(doc, "Familieteamet");
    ASSERT_TRUE(team);
    EXPECT_EQ(
        (std::vector<std::string> { "Jens Ravn", "Ελένη Παπαδοπούλου", "Дмитрий Соколов", "Mette Kjær" }),
        column(*team, "Navn"));
    const Table* interventions = tableAfter(doc, "Indsatser");
    ASSERT_TRUE(interventions);
    EXPECT_EQ(
        (std::vector<std::string> { "Søs Nørgaard", "Alma Nørgaard", "Søs Nørgaard", "Ñuñez Ærø Şahin" }),
        column(*interventions, "Modtager"));
}

TEST(DocumentRenderer, ChoicesDatesAndNumbersAreDanish)
{
    const auto doc = build("familieplan", values("familieplan"));
    EXPECT_EQ("12.03.2026", field(doc, "Planens dato").value_or("?"));
    EXPECT_EQ("Hver 8. uge", field(doc, "Hvor ofte mødes vi?").value_or("?"));
    const Table* goals = tableAfter(doc, "Familiens fælles mål");
    ASSERT_TRUE(goals);
    EXPECT_EQ((std::vector<std::string> { "Kort sigt", "Lang sigt", "Kort sigt" }),
        column(*goals, "Kort eller lang sigt"));
    const Table* interventions = tableAfter(doc, "Indsatser");
    ASSERT_TRUE(interventions);
    EXPECT_EQ((std::vector<std::string> { "2,5", "3", "10", "1" }), column(*interventions, "Timer pr. uge"));
    EXPECT_EQ((std::vector<std::string> { "I gang", "Ikke startet", "Ikke startet", "I gang" }),
        column(*interventions, "Opfølgningsstatus"));
    // Start and end print as one period; an open end says from when.
    EXPECT_EQ((std::vector<std::string> { "15.03.2026 – 31.12.2026", "01.04.2026 – 30.06.2026",
                  "fra 01.05.2026", "20.03.2026 – 30.09.2026" }),
        column(*interventions, "Periode"));
    EXPECT_EQ("12 34 56 78", column(*tableAfter(doc, "Familieteamet"), "Telefon").front());
}

TEST(DocumentRenderer, EmptyOptionalFieldsColumnsAndSectionsAreLeftOut)
{
    auto v = values("familieplan");
    v.erase("om_planen.periode_til");
    v["familiens_bemaerkninger.bemaerkninger"] = "   ";
    for (auto& row : v["indsatser.indsats"])
        row.erase("ansvarlig_fagomraade");
    const auto doc = build("familieplan", v);
    EXPECT_FALSE(field(doc, "Planen gælder til"));
    EXPECT_TRUE(field(doc, "Planen gælder fra"));
    const auto top = headings(doc, 1);
    EXPECT_EQ(top.end(), std::find(top.begin(), top.end(), "Familiens bemærkninger"));
    const Table* interventions = tableAfter(doc, "Indsatser");
    ASSERT_TRUE(interventions);
    EXPECT_TRUE(column(*interventions, "Ansvarligt fagområde").empty());
    for (const auto& c : interventions->columns)
        EXPECT_NE("Hører til målet", c.header); // the program's own link column is never printed
}

TEST(DocumentRenderer, LinkColumnsAreNotPrinted)
{
    const auto doc = build("opfoelgningsmoede", values("opfoelgningsmoede"));
    EXPECT_FALSE(mentions(doc, "m1"));
    EXPECT_FALSE(mentions(doc, "i1"));
    EXPECT_TRUE(mentions(doc, "Fraværet er faldet fra 18 % til 7 %."));
    EXPECT_EQ("07.05.2026 kl. 09:30", field(doc, "Dato og tid").value_or("?"));
}

TEST(DocumentRenderer, SideBySideFieldsBecomeOneRow)
{
    const auto doc = build("familiefaglig-undersoegelse", values("familiefaglig-undersoegelse"));
    const Table* assessment = tableAfter(doc, "Samlet tværfaglig vurdering");
    ASSERT_TRUE(assessment);
    ASSERT_EQ(3u, assessment->columns.size());
    EXPECT_EQ("Hvad går godt?", assessment->columns[0].header);
    ASSERT_EQ(1u, assessment->rows.size());
    EXPECT_EQ("Almas fravær og Søs' helbred.", assessment->rows[0][1]);
}

TEST(DocumentRenderer, DisciplineSubsectionsWithoutTextAreLeftOut)
{
    const auto doc = build("familiefaglig-undersoegelse", values("familiefaglig-undersoegelse"));
    const auto sub = headings(doc, 2);
    EXPECT_NE(sub.end(), std::find(sub.begin(), sub.end(), "Børn og Familie"));
    EXPECT_NE(sub.end(), std::find(sub.begin(), sub.end(), "Sundhed og Omsorg"));
    EXPECT_EQ(sub.end(), std::find(sub.begin(), sub.end(), "Handicap og Psykiatri"));
}

TEST(DocumentRenderer, UnknownPersonIsMarkedAndWarned)
{
    auto v = values("familieplan");
    v["indsatser.indsats"][0]["modtager"] = "p99";
    std::vector<std::string> warnings;
    const auto doc = build("familieplan", v, &warnings);
    ASSERT_EQ(1u, warnings.size());
    EXPECT_NE(std::string::npos, warnings[0].find("p99"));
    EXPECT_EQ("(ukendt person)", column(*tableAfter(doc, "Indsatser"), "Modtager").front());
}

TEST(DocumentRenderer, ARowReferencePrintsTheReferredRow)
{
    auto tmpl = registry().load("familieplan");
    for (auto& sec : tmpl.sections) // give the goal link a width, as a municipality may
        for (auto& f : sec.fields)
            for (auto& c : f.columns)
                if (!c.refersTo.empty())
                    c.width = 10;
    auto v = values("familieplan");
    v["faelles_maal.maal"][0]["@id"] = "goal-a";
    v["indsatser.indsats"][0]["maal_id"] = "goal-a";
    v["indsatser.indsats"][1]["maal_id"] = "goal-gone";
    std::vector<std::string> warnings;
    RenderContext context;
    context.date = "2026-03-12";
    const auto doc = buildRenderDocument(tmpl, v, sampleCase(), context, &warnings);
    const auto linked = column(*tableAfter(doc, "Indsatser"), "Hører til målet");
    ASSERT_EQ(4u, linked.size());
    EXPECT_EQ("Alma kommer i skole hver dag og har det godt i klassen", linked[0]);
    EXPECT_EQ("(ukendt række)", linked[1]);
    EXPECT_EQ("", linked[2]);
    ASSERT_EQ(1u, warnings.size());
    EXPECT_NE(std::string::npos, warnings[0].find("goal-gone"));
}

// The consent's signed paper copy: after who consents, a line for date and signature under each
// person's name, in the table's order; a row naming nobody gets none.
TEST(DocumentRenderer, ConsentHasASignatureLinePerPersonConsenting)
{
    auto v = values("samtykke");
    v["hvem.giver"].push_back({ { "@id", "giver-4" }, { "grundlag", "voksen" } }); // nobody named yet
    const auto doc = build("samtykke", v);
    const Signatures* lines = nullptr;
    bool afterGivers = false;
    for (const auto& b : doc.blocks) {
        if (const auto* t = std::get_if<Table>(&b))
            afterGivers = !column(*t, "Giver samtykke som").empty();
        else if (const auto* s = std::get_if<Signatures>(&b)) {
            EXPECT_TRUE(afterGivers) << "the lines follow the table of who consents";
            EXPECT_EQ(nullptr, lines) << "one block of lines";
            lines = s;
        }
    }
    ASSERT_NE(nullptr, lines);
    EXPECT_EQ((std::vector<std::string> { "Søs Nørgaard", "Łukasz Şahin", "Ñuñez Ærø Şahin" }), lines->names);
    // Only tables that ask for it: the plan has none.
    for (const auto& b : build("familieplan", values("familieplan")).blocks)
        EXPECT_FALSE(std::holds_alternative<Signatures>(b));
}
