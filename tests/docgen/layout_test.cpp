// SPDX-License-Identifier: EUPL-1.2
#include "docgen/render/fonts.h"
#include "docgen/render/layout.h"
#include "tests/docgen/sample_plan.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <string>

using namespace fplan::docgen;

namespace {

// Every letter 500/1000 em wide, one face: layout arithmetic that a test can predict.
class FixedMetrics final : public FontMetrics {
public:
    int faceFor(FontStyle style, char32_t cp) override
    {
        if (cp == 0x4E2D) // one letter that "no installed font" has
            return -1;
        return style == FontStyle::Bold ? 1 : 0;
    }
    double advance(int, char32_t) override { return 500; }
    const FaceInfo& face(int index) const override { return m_faces.at(static_cast<std::size_t>(index)); }
    std::size_t faceCount() const override { return m_faces.size(); }

private:
    std::vector<FaceInfo> m_faces { { "regular.ttf", "Fixed", false }, { "bold.ttf", "Fixed", true } };
};

SystemFonts& systemFonts()
{
    static SystemFonts fonts;
    return fonts;
}

std::vector<const TextItem*> texts(const Page& page, Role role)
{
    std::vector<const TextItem*> out;
    for (const auto& item : page.items)
        if (const auto* t = std::get_if<TextItem>(&item); t && t->role == role)
            out.push_back(t);
    return out;
}

std::string words(int count, const std::string& stem = "ord")
{
    std::string s;
    for (int i = 0; i < count; ++i)
        s += (i ? " " : "") + stem + std::to_string(i);
    return s;
}

// The page and baseline of the first text item that equals `text`.
std::optional<std::pair<std::size_t, double>> find(const LayoutResult& r, const std::string& text)
{
    for (std::size_t p = 0; p < r.pages.size(); ++p)
        for (const auto& item : r.pages[p].items)
            if (const auto* t = std::get_if<TextItem>(&item); t && t->text == text)
                return std::make_pair(p, t->y);
    return std::nullopt;
}

} // namespace

TEST(Layout, EveryPageHasHeaderFooterAndPageNumber)
{
    const auto r = layoutDocument(fplan::test::samplePlan(60), systemFonts());
    ASSERT_GT(r.pages.size(), 5u);
    const std::string total = std::to_string(r.pages.size());
    for (std::size_t i = 0; i < r.pages.size(); ++i) {
        const auto footer = pageTexts(r.pages[i], Role::PageFooter);
        ASSERT_EQ(2u, footer.size()) << "page " << i + 1;
        EXPECT_EQ("Fortroligt – indeholder personoplysninger", footer[0]);
        EXPECT_EQ("Side " + std::to_string(i + 1) + " af " + total, footer[1]);
        const auto header = pageTexts(r.pages[i], Role::PageHeader);
        ASSERT_EQ(2u, header.size());
        EXPECT_EQ("Familieplan · Familien Nørgaard", header[0]);
        EXPECT_EQ("Version 2 af 12.03.2026", header[1]);
    }
}

TEST(Layout, TitleBlockOnFirstPageOnly)
{
    const auto r = layoutDocument(fplan::test::samplePlan(60), systemFonts());
    const auto title = pageTexts(r.pages[0], Role::Title);
    ASSERT_GE(title.size(), 4u);
    EXPECT_EQ("Ringkøbing-Skjern Kommune", title[0]);
    EXPECT_EQ("Familieplan", title[1]);
    EXPECT_EQ("Familien Nørgaard", title[2]);
    EXPECT_NE(std::string::npos, title[3].find("Version 2 af 12.03.2026"));
    for (std::size_t i = 1; i < r.pages.size(); ++i)
        EXPECT_TRUE(pageTexts(r.pages[i], Role::Title).empty());
}

TEST(Layout, NothingLeavesTheTextArea)
{
    const auto r = layoutDocument(fplan::test::samplePlan(300), systemFonts());
    const auto& g = r.geometry;
    for (std::size_t p = 0; p < r.pages.size(); ++p) {
        for (const auto& item : r.pages[p].items) {
            const auto* t = std::get_if<TextItem>(&item);
            if (!t)
                continue;
            EXPECT_GE(t->x, g.marginLeft - 0.01) << t->text;
            EXPECT_LE(t->x + t->width, g.width - g.marginRight + 0.01) << "page " << p + 1 << ": " << t->text;
            if (t->role != Role::PageHeader && t->role != Role::PageFooter) {
                EXPECT_GT(t->y, g.marginTop) << t->text;
                EXPECT_LE(t->y, g.height - g.marginBottom) << "page " << p + 1 << ": " << t->text;
            }
        }
    }
}

TEST(Layout, TableHeaderRowRepeatsOnEveryPage)
{
    RenderDocument doc;
    Table t;
    t.columns = { { "Indsats", 2 }, { "Modtager", 1 }, { "Status", 1 } };
    for (int i = 0; i < 300; ++i)
        t.rows.push_back({ "Indsats nummer " + std::to_string(i), "Alma", "I gang" });
    doc.blocks.emplace_back(t);
    const auto r = layoutDocument(doc, systemFonts());
    ASSERT_GE(r.pages.size(), 8u);
    int rowsSeen = 0;
    for (std::size_t p = 0; p < r.pages.size(); ++p) {
        const auto header = texts(r.pages[p], Role::TableHeader);
        ASSERT_EQ(3u, header.size()) << "page " << p + 1;
        EXPECT_EQ("Indsats", header[0]->text);
        for (const auto* cell : texts(r.pages[p], Role::TableCell)) {
            EXPECT_GT(cell->y, header[0]->y);
            if (cell->text.rfind("Indsats nummer ", 0) == 0) {
                EXPECT_EQ("Indsats nummer " + std::to_string(rowsSeen), cell->text); // in order, none lost
                ++rowsSeen;
            }
        }
    }
    EXPECT_EQ(300, rowsSeen);
}

TEST(Layout, LongRowSplitsAcrossPagesAndKeepsItsLines)
{
    FixedMetrics fonts;
    RenderDocument doc;
    Table t;
    t.columns = { { "Kort", 1 }, { "Lang", 3 } };
    t.rows.push_back({ "a", "b" });
    t.rows.push_back({ "første", words(2000) });
    doc.blocks.emplace_back(t);
    const auto r = layoutDocument(doc, fonts);
    ASSERT_GE(r.pages.size(), 3u);
    std::string joined;
    for (const auto& page : r.pages) {
        EXPECT_EQ(2u, texts(page, Role::TableHeader).size());
        for (const auto* cell : texts(page, Role::TableCell))
            if (cell->text != "a" && cell->text != "b"
                && cell->text != "første") // lines keep a trailing space
                joined += (joined.empty() ? "" : " ")
                    + cell->text.substr(0, cell->text.find_last_not_of(' ') + 1);
    }
    EXPECT_EQ(words(2000), joined);
    // The split row starts on the first page, right under the first row: no page left empty.
    EXPECT_EQ(0u, find(r, "første")->first);
}

TEST(Layout, ShortRowMovesWholeToTheNextPage)
{
    FixedMetrics fonts;
    RenderDocument doc;
    doc.blocks.emplace_back(Paragraph { words(1200) }); // ends somewhere down a page
    Table t;
    t.columns = { { "A", 1 }, { "B", 1 } };
    for (int i = 0; i < 80; ++i)
        t.rows.push_back({ "r" + std::to_string(i), "linje1\nlinje2\nlinje3\nlinje4" });
    doc.blocks.emplace_back(t);
    const auto r = layoutDocument(doc, fonts);
    std::size_t rowPage = 0;
    int rows = 0;
    for (std::size_t p = 0; p < r.pages.size(); ++p) {
        for (const auto* cell : texts(r.pages[p], Role::TableCell)) {
            if (cell->text[0] == 'r') {
                rowPage = p;
                ++rows;
            } else {
                EXPECT_EQ(rowPage, p) << "a line of row " << rows - 1 << " went to the next page";
            }
        }
    }
    EXPECT_EQ(80, rows);
}

TEST(Layout, HeadingIsKeptWithWhatFollows)
{
    FixedMetrics fonts;
    // Try many paragraph lengths so that the heading lands at every height near a page's foot.
    for (int n = 300; n < 700; n += 7) {
        RenderDocument doc;
        doc.blocks.emplace_back(Paragraph { words(n) });
        doc.blocks.emplace_back(Heading { "Overskrift", 1 });
        doc.blocks.emplace_back(Paragraph { "efter overskriften" });
        doc.blocks.emplace_back(Heading { "Tabel", 1 });
        Table t;
        t.columns = { { "Kolonne", 1 } };
        t.rows.push_back({ "celle" });
        doc.blocks.emplace_back(t);
        const auto r = layoutDocument(doc, fonts);
        EXPECT_EQ(find(r, "Overskrift")->first, find(r, "efter overskriften")->first) << n;
        EXPECT_EQ(find(r, "Tabel")->first, find(r, "Kolonne")->first) << n;
        EXPECT_EQ(find(r, "Kolonne")->first, find(r, "celle")->first) << n;
    }
}

TEST(Layout, EmptyFieldsAreLeftOut)
{
    FixedMetrics fonts;
    RenderDocument doc;
    doc.blocks.emplace_back(
        FieldList { { { "Udfyldt", "ja" }, { "Tom", "" }, { "Kun mellemrum", "  \n " } } });
    const auto r = layoutDocument(doc, fonts);
    const auto labels = pageTexts(r.pages[0], Role::Label);
    ASSERT_EQ(1u, labels.size());
    EXPECT_EQ("Udfyldt", labels[0]);
}

TEST(Layout, EmptyTableSaysSo)
{
    FixedMetrics fonts;
    RenderDocument doc;
    Table t;
    t.columns = { { "A", 1 } };
    doc.blocks.emplace_back(t);
    const auto r = layoutDocument(doc, fonts);
    EXPECT_EQ(std::vector<std::string> { "Ingen" }, pageTexts(r.pages[0], Role::Body));
}

TEST(Layout, LongWordIsBrokenNotLost)
{
    FixedMetrics fonts;
    RenderDocument doc;
    const std::string word(400, 'x');
    doc.blocks.emplace_back(Paragraph { word });
    const auto r = layoutDocument(doc, fonts);
    std::string joined;
    for (const auto& s : pageTexts(r.pages[0], Role::Body))
        joined += s;
    EXPECT_EQ(word, joined);
}

TEST(Layout, DashNeverStartsALine)
{
    FixedMetrics fonts;
    RenderDocument doc;
    doc.blocks.emplace_back(Paragraph { words(400, "12.03.2026 – 11.03.2027") });
    const auto r = layoutDocument(doc, fonts);
    for (const auto& line : pageTexts(r.pages[0], Role::Body))
        EXPECT_NE(0u, line.rfind("–", 0)) << line;
}

TEST(Layout, MissingLetterBecomesReplacementWithWarning)
{
    FixedMetrics fonts;
    RenderDocument doc;
    doc.blocks.emplace_back(Paragraph { "Navn: 中文" });
    const auto r = layoutDocument(doc, fonts);
    EXPECT_EQ(std::vector<std::string> { "Navn: \xEF\xBF\xBD文" }, pageTexts(r.pages[0], Role::Body));
    ASSERT_EQ(1u, r.warnings.size());
    EXPECT_NE(std::string::npos, r.warnings[0].find("U+4E2D"));
}

TEST(SystemFonts, FallbackFindsAFontForOtherScripts)
{
    auto& fonts = systemFonts();
    const int latin = fonts.faceFor(FontStyle::Regular, U'Ł');
    ASSERT_GE(latin, 0);
    EXPECT_EQ("DejaVu Sans", fonts.face(latin).family);
    EXPECT_GE(fonts.faceFor(FontStyle::Regular, U'Ε'), 0); // Greek
    EXPECT_GE(fonts.faceFor(FontStyle::Regular, U'Д'), 0); // Cyrillic
    const int devanagari = fonts.faceFor(FontStyle::Regular, U'क');
    ASSERT_GE(devanagari, 0);
    EXPECT_NE("DejaVu Sans", fonts.face(devanagari).family);
    EXPECT_EQ(-1, fonts.faceFor(FontStyle::Regular, U'😀')); // beyond the BMP: PoDoFo 0.9.8 cannot
    const int bold = fonts.faceFor(FontStyle::Bold, U'Æ');
    EXPECT_TRUE(fonts.face(bold).bold);
}

TEST(SystemFonts, AdvancesAreExactFontUnits)
{
    auto& fonts = systemFonts();
    const int face = fonts.faceFor(FontStyle::Regular, U' ');
    EXPECT_NEAR(651.0 * 1000.0 / 2048.0, fonts.advance(face, U' '), 1e-6); // DejaVu Sans space
}

TEST(Layout, ParagraphLeavesNeitherOrphanNorWidow)
{
    FixedMetrics fonts;
    for (int n = 300; n < 1200; n += 13) {
        RenderDocument doc;
        doc.blocks.emplace_back(Paragraph { words(n) });
        const auto r = layoutDocument(doc, fonts);
        for (std::size_t p = 0; p < r.pages.size(); ++p) {
            const auto lines = pageTexts(r.pages[p], Role::Body);
            if (r.pages.size() > 1) {
                EXPECT_GE(lines.size(), 2u) << n << " words, page " << p + 1;
            }
        }
    }
}

TEST(Layout, SoftHyphenBreaksAWordVisiblyAndIsOtherwiseInvisible)
{
    FixedMetrics fonts; // 5 pt per letter at 10 pt
    RenderDocument doc;
    doc.blocks.emplace_back(Paragraph { "Opfølgnings\u00ADstatus" });
    auto r = layoutDocument(doc, fonts);
    EXPECT_EQ(std::vector<std::string> { "Opfølgningsstatus" }, pageTexts(r.pages[0], Role::Body));
    Table t; // six long columns, kept as a table: narrower than the whole word, wider than its parts
    t.columns.assign(6, TableColumn { "Opfølgnings\u00ADstatus", 1 });
    t.rows.emplace_back(6, words(100));
    t.layout = TableLayout::Table;
    doc.blocks = { t };
    r = layoutDocument(doc, fonts);
    const auto header = pageTexts(r.pages[0], Role::TableHeader);
    ASSERT_EQ(12u, header.size());
    EXPECT_EQ("Opfølgnings-", header[0]);
    EXPECT_EQ("status", header[1]);
}

TEST(Layout, RightToLeftAndShapedScriptsAreWarnedAbout)
{
    FixedMetrics fonts;
    RenderDocument doc;
    doc.blocks.emplace_back(Paragraph { "Navne: أحمد, דוד, कमल, Søren, أحمد" });
    const auto r = layoutDocument(doc, fonts);
    ASSERT_EQ(3u, r.warnings.size()); // once per script, however often it occurs
    EXPECT_EQ(0u, r.warnings[0].rfind("Arabic", 0));
    EXPECT_EQ(0u, r.warnings[1].rfind("Hebrew", 0));
    EXPECT_EQ(0u, r.warnings[2].rfind("Indic", 0));
}

// "28. februar" is held on one line by its no-break space: a hyphen inside the month would split
// the date all the same. Wherever the date falls, a line never ends inside the month, while an
// ordinary word in the same place is hyphenated.
TEST(Layout, WordBoundByANoBreakSpaceIsNotHyphenated)
{
    FixedMetrics fonts; // 5 pt per letter at 10 pt: about 97 letters a line
    std::size_t hyphenatedElsewhere = 0;
    for (int pad = 0; pad < 12; ++pad) {
        const std::string before = std::string(80 + static_cast<std::size_t>(pad), 'a') + " den ";
        for (const char* tail : { "28. februar om morgenen", "kommunens familiebehandling" }) {
            RenderDocument doc;
            doc.blocks.emplace_back(Paragraph { before + tail });
            const auto r = layoutDocument(doc, fonts);
            const auto lines = pageTexts(r.pages[0], Role::Body);
            ASSERT_FALSE(lines.empty());
            const bool hyphenated = lines.front().back() == '-';
            if (tail[0] == '2')
                EXPECT_FALSE(hyphenated) << pad << ": " << lines.front();
            else
                hyphenatedElsewhere += hyphenated ? 1 : 0;
        }
    }
    EXPECT_GT(hyphenatedElsewhere, 0u) << "the test places words where hyphenation happens";
}

// A label-value list's last field never goes alone to the next page: wherever the page breaks,
// the field before it goes along (a row block's last line alone at a page's head says nothing).
TEST(Layout, LastFieldOfAListDoesNotGoAloneToTheNextPage)
{
    FixedMetrics fonts;
    std::size_t split = 0; // layouts in which the list itself was broken across pages
    for (int filler = 600; filler < 880; filler += 3) {
        RenderDocument doc;
        doc.blocks.emplace_back(Paragraph { words(filler) });
        FieldList list;
        for (int f = 0; f < 6; ++f)
            list.fields.push_back(FieldValue {
                "Felt " + std::to_string(f), "værdi " + std::to_string(f), TextKind::Name, false });
        doc.blocks.emplace_back(list);
        const auto r = layoutDocument(doc, fonts);
        const auto first = find(r, "Felt 0");
        const auto beforeLast = find(r, "Felt 4");
        const auto last = find(r, "Felt 5");
        ASSERT_TRUE(first && beforeLast && last) << filler;
        EXPECT_EQ(beforeLast->first, last->first) << filler << " words before the list";
        split += first->first != last->first ? 1 : 0;
    }
    EXPECT_GT(split, 0u) << "the page breaks inside the list in some of the layouts";
}

// A progression chart: a line between neighbouring months, a gap where a month has no number,
// a square marker and the value at each point, months under the axis, and the numbers again
// as tagged text (what a screen reader reads); the graphics themselves are artifacts.
TEST(Layout, ChartDrawsPointsMonthsAndTheNumbersAsText)
{
    FixedMetrics fonts;
    RenderDocument doc;
    Chart chart;
    chart.title = "Ελένη – Fremmøde i skolen (%)";
    chart.yMax = 100;
    // July, August, September 2025, then November (October has no registration).
    for (const auto& [month, value] : std::vector<std::pair<int, double>> {
             { 2025 * 12 + 6, 62 }, { 2025 * 12 + 7, 70 }, { 2025 * 12 + 8, 75 }, { 2025 * 12 + 10, 88 } })
        chart.points.push_back({ month, value, std::to_string(static_cast<int>(value)) });
    chart.text = "Tallene: juli 2025: 62; august 2025: 70; september 2025: 75; november 2025: 88.";
    doc.blocks.push_back(chart);
    const LayoutResult r = layoutDocument(doc, fonts);
    ASSERT_EQ(1u, r.pages.size());
    const Page& page = r.pages[0];
    std::size_t markers = 0, thickLines = 0;
    for (const auto& item : page.items) {
        if (std::holds_alternative<RectItem>(item))
            ++markers;
        if (const auto* l = std::get_if<LineItem>(&item); l && l->x1 != l->x2 && l->y1 != l->y2)
            ++thickLines;
    }
    EXPECT_EQ(4u, markers);
    EXPECT_EQ(2u, thickLines); // the slanted lines: jul–aug, aug–sep; nothing across the empty October
    std::vector<std::string> artifacts, tagged;
    for (const auto& item : page.items)
        if (const auto* t = std::get_if<TextItem>(&item))
            (t->element < 0 ? artifacts : tagged).push_back(t->text);
    for (const char* label : { "jul", "aug", "sep", "okt", "nov", "2025", "62", "88", "100", "50" })
        EXPECT_NE(std::find(artifacts.begin(), artifacts.end(), label), artifacts.end()) << label;
    std::string said;
    for (const auto& t : tagged)
        said += t + " ";
    EXPECT_NE(std::string::npos, said.find("Fremmøde")) << said;
    EXPECT_NE(std::string::npos, said.find("november")) << said;
    EXPECT_NE(std::string::npos, said.find("88.")) << said;
    // A value's marker sits at its height: 88 % is higher on the page than 62 %.
    std::vector<double> ys;
    for (const auto& item : page.items)
        if (const auto* rect = std::get_if<RectItem>(&item))
            ys.push_back(rect->y);
    ASSERT_EQ(4u, ys.size());
    EXPECT_LT(ys[3], ys[0]);
}

// Lines to sign: per person the name, then "Dato" and "Underskrift" on one baseline, each with a
// line to write on. The words are tagged text, one paragraph per person; the lines are
// artifacts. A person's lines are never split from the name by a page break.
TEST(Layout, SignatureLinesAreWordsToReadAndLinesToWriteOn)
{
    FixedMetrics fonts;
    RenderDocument doc;
    doc.blocks.push_back(Signatures { { "Søs Nørgaard", "Ñuñez Ærø Şahin" } });
    const LayoutResult r = layoutDocument(doc, fonts);
    ASSERT_EQ(1u, r.pages.size());
    std::vector<const TextItem*> tagged;
    for (const auto& item : r.pages[0].items)
        if (const auto* t = std::get_if<TextItem>(&item); t && t->element >= 0)
            tagged.push_back(t);
    ASSERT_FALSE(tagged.empty());
    std::vector<const LineItem*> rules; // level, between the first name and the last words: to write on
    for (const auto& item : r.pages[0].items)
        if (const auto* l = std::get_if<LineItem>(&item);
            l && l->y1 == l->y2 && l->y1 > tagged.front()->y && l->y1 < tagged.back()->y + 5)
            rules.push_back(l);
    std::vector<std::string> said;
    for (const auto* t : tagged)
        said.push_back(t->text);
    ASSERT_EQ((std::vector<std::string> {
                  "Søs Nørgaard", "Dato", "Underskrift", "Ñuñez Ærø Şahin", "Dato", "Underskrift" }),
        said);
    // One paragraph per person: the name and its two words share an element.
    EXPECT_EQ(tagged[0]->element, tagged[2]->element);
    EXPECT_NE(tagged[0]->element, tagged[3]->element);
    EXPECT_EQ(tagged[3]->element, tagged[5]->element);
    EXPECT_EQ(StructTag::P, r.structure[static_cast<std::size_t>(tagged[0]->element)].tag);
    // Room to write under the name; "Dato" and "Underskrift" on one baseline.
    EXPECT_GT(tagged[1]->y - tagged[0]->y, 20);
    EXPECT_EQ(tagged[1]->y, tagged[2]->y);
    // A line after each of the four words, just under their baseline, within the margins.
    ASSERT_EQ(4u, rules.size());
    const PageGeometry g;
    const TextItem* labels[] = { tagged[1], tagged[2], tagged[4], tagged[5] };
    for (std::size_t i = 0; i < 4; ++i) {
        EXPECT_GT(rules[i]->y1, labels[i]->y);
        EXPECT_LT(rules[i]->y1, labels[i]->y + 4);
        EXPECT_GE(rules[i]->x1, labels[i]->x + labels[i]->width);
        EXPECT_GT(rules[i]->x2 - rules[i]->x1, 80);
        EXPECT_LE(rules[i]->x2, g.width - g.marginRight + 0.01);
    }
    // At the foot of a page, a person's block goes whole to the next page.
    bool moved = false;
    for (int n = 300; n <= 1200 && !moved; n += 9) {
        RenderDocument full;
        full.blocks.push_back(Paragraph { words(n) });
        full.blocks.push_back(Signatures { { "Søs Nørgaard" } });
        const LayoutResult laid = layoutDocument(full, fonts);
        const auto name = find(laid, "Søs Nørgaard");
        const auto date = find(laid, "Dato");
        ASSERT_TRUE(name && date);
        EXPECT_EQ(name->first, date->first) << n << " words";
        // The paragraph ends with room for the name (not for the lines) and the name is on the next page.
        const std::string lastWord = "ord" + std::to_string(n - 1);
        std::optional<std::pair<std::size_t, double>> last;
        for (std::size_t p = 0; p < laid.pages.size(); ++p)
            for (const auto& item : laid.pages[p].items)
                if (const auto* t = std::get_if<TextItem>(&item);
                    t && t->text.find(lastWord) != std::string::npos)
                    last = std::make_pair(p, t->y);
        ASSERT_TRUE(last);
        const PageGeometry page;
        moved = last->first + 1 == name->first && page.height - page.marginBottom - last->second > 30;
    }
    EXPECT_TRUE(moved) << "no paragraph length put the lines at a page's foot";
}
