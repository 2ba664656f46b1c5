// SPDX-License-Identifier: EUPL-1.2
#include "core/bundle.h"
#include "docgen/forms/template.h"
#include "docgen/forms/values.h"
#include "docgen/render/document_renderer.h"
#include "docgen/render/fonts.h"
#include "docgen/render/pdf_writer.h"
#include "tests/docgen/sample_plan.h"
#include "tests/support/test_support.h"

#include <gtest/gtest.h>

#include <regex>
#include <sstream>

using namespace fplan::docgen;
using fplan::Json;
using fplan::test::run;
using fplan::test::TempDir;

namespace {

SystemFonts& systemFonts()
{
    static SystemFonts fonts;
    return fonts;
}

std::string collapse(const std::string& s)
{
    std::string out;
    bool space = false;
    for (char c : s) {
        if (c == ' ' || c == '\n' || c == '\t' || c == '\f' || c == '\r') {
            space = !out.empty();
            continue;
        }
        if (space)
            out += ' ';
        space = false;
        out += c;
    }
    return out;
}

struct Rendered {
    TempDir dir;
    std::filesystem::path file;
    RenderedPdf pdf;
};

std::unique_ptr<Rendered> render(const RenderDocument& doc)
{
    auto r = std::make_unique<Rendered>();
    r->pdf = renderPdf(doc, systemFonts());
    r->file = r->dir / "plan.pdf";
    fplan::test::writeFile(r->file, r->pdf.bytes);
    return r;
}

// Text in content order (-raw): each table cell and field comes out whole.
std::string text(const std::filesystem::path& file, int page = 0)
{
    std::vector<std::string> argv { "pdftotext", "-raw", "-enc", "UTF-8" };
    if (page > 0)
        argv.insert(argv.end(), { "-f", std::to_string(page), "-l", std::to_string(page) });
    argv.insert(argv.end(), { file.string(), "-" });
    const auto result = run(argv);
    EXPECT_EQ(0, result.exitCode) << result.err;
    // A hyphen the layout added reads as a soft hyphen (U+00AD): the word goes on on the next line.
    std::string out = result.out;
    for (auto at = out.find("\u00AD\n"); at != std::string::npos; at = out.find("\u00AD\n", at))
        out.erase(at, 3);
    return out;
}

} // namespace

TEST(Pdf, EveryValueExtractsExactly)
{
    const auto doc = fplan::test::samplePlan(8);
    const auto r = render(doc);
    const std::string all = collapse(text(r->file));
    // A value split over two pages has the other cells of its row in between: its words must
    // still all be there, in order.
    auto expectText = [&](const std::string& value) {
        std::istringstream words(value);
        std::string word;
        std::size_t pos = 0;
        while (words >> word) {
            pos = all.find(word, pos);
            ASSERT_NE(std::string::npos, pos) << "missing '" << word << "' of: " << value;
            pos += word.size();
        }
    };
    expectText(doc.title.municipality);
    expectText(doc.title.family);
    expectText(doc.title.versionText);
    for (const auto& block : doc.blocks) {
        if (const auto* h = std::get_if<Heading>(&block)) {
            expectText(h->text);
        } else if (const auto* f = std::get_if<FieldList>(&block)) {
            for (const auto& field : f->fields) {
                if (field.value.empty())
                    continue;
                expectText(field.label);
                expectText(field.value);
            }
        } else if (const auto* p = std::get_if<Paragraph>(&block)) {
            expectText(p->text);
        } else if (const auto* b = std::get_if<BulletList>(&block)) {
            for (const auto& item : b->items)
                expectText(item);
        } else if (const auto* t = std::get_if<Table>(&block)) {
            for (const auto& row : t->rows)
                for (const auto& cell : row)
                    expectText(cell);
        }
    }
    for (const auto& name : fplan::test::sampleNames())
        EXPECT_NE(std::string::npos, all.find(name)) << name;
    EXPECT_TRUE(r->pdf.warnings.empty());
}

TEST(Pdf, EveryFontIsEmbeddedSubsetAndUnicode)
{
    const auto r = render(fplan::test::samplePlan(8));
    const auto result = run({ "pdffonts", r->file.string() });
    ASSERT_EQ(0, result.exitCode) << result.err;
    std::istringstream lines(result.out);
    std::string line;
    int fonts = 0;
    const std::regex row(R"(CID TrueType\s+Identity-H\s+yes\s+yes\s+yes\s)");
    while (std::getline(lines, line)) {
        if (line.rfind("name", 0) == 0 || line.rfind("----", 0) == 0 || line.empty())
            continue;
        ++fonts;
        EXPECT_TRUE(std::regex_search(line, row)) << line;
    }
    EXPECT_GE(fonts, 2); // regular and bold
}

TEST(Pdf, QpdfFindsNoProblems)
{
    const auto r = render(fplan::test::samplePlan(40));
    const auto result = run({ "qpdf", "--check", r->file.string() });
    EXPECT_EQ(0, result.exitCode) << result.out << result.err;
    EXPECT_NE(std::string::npos, result.out.find("No syntax or stream encoding errors"));
    EXPECT_EQ(std::string::npos, result.out.find("WARNING")) << result.out;
}

TEST(Pdf, PdfA2MetadataMatchesTheInfoDictionary)
{
    const auto r = render(fplan::test::samplePlan(3));
    const std::string& bytes = r->pdf.bytes;
    // The XMP packet is an uncompressed stream, readable in the raw bytes.
    EXPECT_NE(std::string::npos, bytes.find("<?xpacket begin="));
    EXPECT_NE(std::string::npos, bytes.find("<pdfaid:part>2</pdfaid:part>"));
    EXPECT_NE(std::string::npos, bytes.find("<pdfaid:conformance>A</pdfaid:conformance>"));
    EXPECT_NE(std::string::npos, bytes.find("<pdfuaid:part>1</pdfuaid:part>"));
    EXPECT_NE(std::string::npos, bytes.find("Familieplan – Familien Nørgaard</rdf:li>"));
    EXPECT_NE(std::string::npos, bytes.find("/GTS_PDFA1"));
    EXPECT_NE(std::string::npos, bytes.find("/DestOutputProfile"));
    EXPECT_NE(std::string::npos, bytes.find("/Lang(da-DK)"));
    EXPECT_EQ(std::string::npos, bytes.find("/Encrypt"));
    EXPECT_EQ(0u, bytes.rfind("%PDF-1.7", 0));
    const auto info = run({ "pdfinfo", "-enc", "UTF-8", r->file.string() });
    ASSERT_EQ(0, info.exitCode) << info.err;
    EXPECT_NE(std::string::npos, info.out.find("Title:           Familieplan – Familien Nørgaard"));
    EXPECT_NE(std::string::npos, info.out.find("Author:          Jens Ravn"));
    EXPECT_NE(std::string::npos, info.out.find("Page size:       595.276 x 841.89 pts (A4)"));
    EXPECT_NE(std::string::npos, info.out.find("Metadata Stream: yes"));
    const auto meta = run({ "pdfinfo", "-meta", r->file.string() });
    EXPECT_NE(std::string::npos, meta.out.find("<dc:title>"));
}

TEST(Pdf, GlyphWidthsAreExact)
{
    const auto r = render(fplan::test::samplePlan(3));
    TempDir dir;
    const auto qdf = dir / "qdf.pdf";
    ASSERT_EQ(
        0, run({ "qpdf", "--qdf", "--object-streams=disable", r->file.string(), qdf.string() }).exitCode);
    const std::string content = fplan::test::readFile(qdf);
    // DejaVu Sans' space is 651/2048 em: 317.871, where PoDoFo's merged ranges would say 318.
    EXPECT_NE(std::string::npos, content.find("317.871"));
}

TEST(Pdf, SameInputGivesSameBytes)
{
    const auto doc = fplan::test::samplePlan(8);
    PdfMetadata meta;
    meta.title = "Familieplan";
    meta.time = 1773309600; // 2026-03-12 10:00 UTC
    auto& fonts = systemFonts();
    const auto layout = layoutDocument(doc, fonts);
    const std::string a = writePdf(layout, fonts, meta);
    const std::string b = writePdf(layout, fonts, meta);
    EXPECT_EQ(a, b);
    EXPECT_NE(std::string::npos, a.find("D:20260312100000"));
    EXPECT_NE(std::string::npos, a.find("2026-03-12T10:00:00+00:00"));
    auto other = doc;
    other.title.family = "Familien Şahin";
    const std::string c = writePdf(layoutDocument(other, fonts), fonts, meta);
    const auto id = [](const std::string& pdf) { return pdf.substr(pdf.rfind("/ID")); };
    EXPECT_NE(id(a), id(c));
}

TEST(Pdf, SourceDateEpochFixesTheDates)
{
    ::setenv("SOURCE_DATE_EPOCH", "1773309600", 1);
    const auto r = render(fplan::test::samplePlan(2));
    ::unsetenv("SOURCE_DATE_EPOCH");
    EXPECT_NE(std::string::npos, r->pdf.bytes.find("/CreationDate(D:20260312100000+00'00')"));
}

TEST(Pdf, ThreeHundredInterventionsRepeatTheTitleAndHeaderOnEveryPage)
{
    // The interventions with the columns that read as a table (all of them are set as rows).
    auto plan = fplan::test::samplePlan(300);
    for (auto& block : plan.blocks)
        if (auto* t = std::get_if<Table>(&block); t && t->title == "Indsatser") {
            const std::vector<std::size_t> keep { 0, 2, 7 };
            Table narrow;
            narrow.title = t->title;
            for (std::size_t c : keep)
                narrow.columns.push_back(t->columns[c]);
            for (const auto& row : t->rows) {
                narrow.rows.emplace_back();
                for (std::size_t c : keep)
                    narrow.rows.back().push_back(row[c]);
            }
            *t = narrow;
        }
    const auto r = render(plan);
    ASSERT_GT(r->pdf.pageCount, 15u);
    std::vector<std::string> pages { "" };
    std::size_t tableStart = 0;
    std::size_t tableEnd = 0;
    for (std::size_t p = 1; p <= r->pdf.pageCount; ++p) {
        pages.push_back(text(r->file, static_cast<int>(p)));
        const std::string& page = pages.back();
        EXPECT_NE(std::string::npos,
            page.find("Side " + std::to_string(p) + " af " + std::to_string(r->pdf.pageCount)));
        EXPECT_NE(std::string::npos, page.find("Fortroligt – indeholder personoplysninger"));
        if (page.find("Indsatser\n") != std::string::npos)
            tableStart = p;
        if (page.find("Aftaler\n") != std::string::npos)
            tableEnd = p;
    }
    ASSERT_GT(tableStart, 0u);
    ASSERT_GT(tableEnd, tableStart);
    // Every page from the table's heading up to the next section's starts with the header row.
    int tablePages = 0;
    for (std::size_t p = tableStart; p < tableEnd; ++p, ++tablePages) {
        EXPECT_NE(std::string::npos, collapse(pages[p]).find("Indsats Beskrivelse af tilbuddet Status"))
            << "page " << p;
        if (p > tableStart) { // a continued table says so under its repeated title
            EXPECT_NE(std::string::npos, pages[p].find("Indsatser (fortsat)\n")) << "page " << p;
        }
    }
    EXPECT_GT(tablePages, 12);
    EXPECT_NE(std::string::npos, collapse(text(r->file)).find("Økonomisk rådgivning 296"));
    EXPECT_EQ(std::string::npos, text(r->file, static_cast<int>(tableStart)).find("(fortsat)"));
}

TEST(Pdf, LetterWithoutFontIsVisibleAndWarned)
{
    RenderDocument doc;
    doc.title.documentTitle = "Familieplan";
    doc.blocks.emplace_back(Paragraph { "Smil 😀 og 中" });
    const auto r = render(doc);
    ASSERT_EQ(2u, r->pdf.warnings.size());
    EXPECT_NE(std::string::npos, r->pdf.warnings[0].find("U+1F600"));
    const std::string all = text(r->file);
    EXPECT_NE(std::string::npos, all.find("Smil \xEF\xBF\xBD og \xEF\xBF\xBD")) << all;
}

TEST(Pdf, FallbackFontIsEmbeddedToo)
{
    RenderDocument doc;
    doc.title.documentTitle = "Familieplan";
    doc.blocks.emplace_back(Paragraph { "Navn: Łukasz, Ελένη, Дмитрий, कमल" });
    const auto r = render(doc);
    ASSERT_EQ(1u, r->pdf.warnings.size()); // the font is there; the shaping PoDoFo lacks is warned about
    EXPECT_EQ(0u, r->pdf.warnings[0].rfind("Indic", 0));
    const auto fonts = run({ "pdffonts", r->file.string() });
    EXPECT_NE(std::string::npos, fonts.out.find("NotoSansDevanagari"));
    EXPECT_NE(std::string::npos, collapse(text(r->file)).find("Navn: Łukasz, Ελένη, Дмитрий,"));
}

namespace {

// A value of the right type for every field: what a form with everything filled in would hold.
Json fullValue(const fplan::docgen::Field& f, const fplan::Case& kase, int n)
{
    using fplan::docgen::FieldType;
    switch (f.type) {
    case FieldType::Text:
        if (f.format == fplan::docgen::TextFormat::Cpr)
            return "0101901234";
        if (f.format == fplan::docgen::TextFormat::Email)
            return "navn" + std::to_string(n) + "@kommune.dk";
        if (f.format == fplan::docgen::TextFormat::Phone)
            return "1234567" + std::to_string(n % 10);
        return "Tekst" + std::to_string(n) + " til " + f.id;
    case FieldType::LongText:
        return "Første afsnit om " + f.id + " nummer " + std::to_string(n)
            + ".\n\nAndet afsnit med æ, ø og å.";
    case FieldType::Date:
        return "2026-0" + std::to_string(1 + n % 9) + "-1" + std::to_string(n % 10);
    case FieldType::DateTime:
        return "2026-05-07T09:3" + std::to_string(n % 10);
    case FieldType::Number:
        return f.max && *f.max < 10 ? Json(1) : Json(std::min(2.5 + n, f.max.value_or(1e9)));
    case FieldType::Bool:
        return n % 2 == 0;
    case FieldType::Choice:
        return f.choices.at(static_cast<std::size_t>(n) % f.choices.size()).id;
    case FieldType::MultiChoice:
        return Json::array({ f.choices.front().id });
    case FieldType::Person:
        return kase.people.at(static_cast<std::size_t>(n) % kase.people.size()).id;
    case FieldType::TeamMember:
        for (const auto& m : kase.team)
            if (!f.sameFagomraade || m.fagomraade == f.fagomraade)
                return m.id;
        return kase.team.front().id;
    case FieldType::Table: {
        Json rows = Json::array();
        for (int r = 0; r < 2; ++r) {
            Json row = Json::object();
            for (const auto& c : f.columns)
                row[c.id] = fullValue(c, kase, n + r + 1);
            rows.push_back(row);
        }
        return rows;
    }
    }
    return nullptr;
}

} // namespace

TEST(Pdf, EveryFieldOfEveryTemplateIsPrinted)
{
    const fplan::docgen::TemplateRegistry registry(fplan::test::sourceDir() / "templates");
    const auto bundle = fplan::parseBundle(
        fplan::test::readFile(fplan::test::dataFile("render/bundle.json")), "bundle.json");
    for (const auto& id : registry.ids()) {
        const auto tmpl = registry.load(id);
        Json values = Json::object();
        int n = 0;
        for (const auto* f : tmpl.fields())
            values[f->path] = fullValue(*f, bundle.kase, n++);
        ASSERT_NO_THROW(fplan::docgen::checkValues(tmpl, values, &bundle.kase)) << id;
        std::vector<std::string> warnings;
        const auto doc = fplan::docgen::buildRenderDocument(tmpl, values, bundle.kase, {}, &warnings);
        EXPECT_TRUE(warnings.empty()) << id;
        // Every field is in the render model: fields by label, tables by their printed columns.
        std::vector<std::string> printed;
        std::vector<std::string> firstHeaders;
        for (const auto& block : doc.blocks) {
            if (const auto* list = std::get_if<FieldList>(&block)) {
                for (const auto& field : list->fields)
                    printed.push_back(field.label), printed.push_back(field.value);
            } else if (const auto* chart = std::get_if<fplan::docgen::Chart>(&block)) {
                // A charted table prints its values as charts: the title names the series.
                printed.push_back(chart->title), printed.push_back(chart->text);
            } else if (const auto* table = std::get_if<Table>(&block)) {
                for (const auto& c : table->columns)
                    printed.push_back(c.header);
                // Set as one block per row, the first column's value heads each block: its header
                // is not printed.
                firstHeaders.push_back(table->columns.front().header);
                for (const auto& row : table->rows)
                    printed.insert(printed.end(), row.begin(), row.end());
            }
        }
        for (const auto* f : tmpl.fields()) {
            if (f->type == fplan::docgen::FieldType::Table && f->chart) {
                EXPECT_TRUE(std::any_of(doc.blocks.begin(), doc.blocks.end(),
                    [](const auto& b) { return std::holds_alternative<fplan::docgen::Chart>(b); }))
                    << id << ": " << f->path << " is charted";
            } else if (f->type == fplan::docgen::FieldType::Table) {
                for (const auto& c : f->columns)
                    if (c.width > 0 && c.id != "start" && c.id != "slut") {
                        EXPECT_NE(printed.end(), std::find(printed.begin(), printed.end(), c.label))
                            << id << ": " << f->path << "." << c.id;
                    }
            } else {
                EXPECT_NE(printed.end(), std::find(printed.begin(), printed.end(), f->label))
                    << id << ": " << f->path;
            }
        }
        // And every printed value comes out of the PDF, word for word.
        const auto r = render(doc);
        const std::string all = collapse(text(r->file));
        for (const auto& value : printed) {
            if (std::find(firstHeaders.begin(), firstHeaders.end(), value) != firstHeaders.end())
                continue;
            std::string plain = value; // a no-break space in the model prints as a space
            for (auto at = plain.find("\u00A0"); at != std::string::npos; at = plain.find("\u00A0", at))
                plain.replace(at, 2, " ");
            std::istringstream words(plain);
            std::string word;
            std::size_t pos = 0;
            while (words >> word) {
                pos = all.find(word, pos);
                ASSERT_NE(std::string::npos, pos) << id << ": missing '" << word << "' of: " << value;
                pos += word.size();
            }
        }
    }
}

namespace {

// Claims DejaVu Sans draws every letter, so that the writer's own glyph check is what remains.
class OverconfidentMetrics final : public FontMetrics {
public:
    int faceFor(FontStyle, char32_t) override { return 0; }
    double advance(int, char32_t) override { return 500; }
    const FaceInfo& face(int) const override { return m_face; }
    std::size_t faceCount() const override { return 1; }

private:
    FaceInfo m_face { "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "DejaVu Sans", false };
};

} // namespace

TEST(Pdf, WriterWarnsAboutAGlyphTheFontLacks)
{
    OverconfidentMetrics fonts;
    RenderDocument doc;
    doc.blocks.emplace_back(Paragraph { "Navn: 中" });
    const auto layout = layoutDocument(doc, fonts);
    std::vector<std::string> warnings;
    PdfMetadata meta;
    meta.title = "Test";
    writePdf(layout, fonts, meta, &warnings);
    ASSERT_EQ(1u, warnings.size());
    EXPECT_NE(std::string::npos, warnings[0].find("Navn: 中"));
}
