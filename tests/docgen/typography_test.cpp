// SPDX-License-Identifier: EUPL-1.2
// The three templates with realistic Danish content (3 and 25 rows per table), rendered and read
// back the way a reader's tools read them: poppler's word boxes (no word broken without a hyphen,
// no atomic value split), its font sizes (nothing under 9 pt but the running header and footer),
// and the tagged structure (every value, in order; every table with header cells).
#include "docgen/forms/format.h"
#include "docgen/forms/template.h"
#include "docgen/forms/values.h"
#include "docgen/render/document_renderer.h"
#include "docgen/render/fonts.h"
#include "docgen/render/layout.h"
#include "docgen/render/pdf_writer.h"
#include "tests/docgen/realistic_values.h"
#include "tests/support/test_support.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <future>
#include <map>
#include <regex>
#include <set>

using namespace fplan;
using namespace fplan::docgen;
using fplan::test::run;
using fplan::test::TempDir;

namespace {

const std::string Shy = "\u00AD";
const std::string Nbsp = "\u00A0";

SystemFonts& systemFonts()
{
    static SystemFonts fonts;
    return fonts;
}

const TemplateRegistry& registry()
{
    static const TemplateRegistry r(fplan::test::sourceDir() / "templates");
    return r;
}

std::string replaceAll(std::string s, const std::string& from, const std::string& to)
{
    for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
        s.replace(at, from.size(), to);
    return s;
}

std::vector<std::string> splitWords(const std::string& text)
{
    std::vector<std::string> out;
    std::string current;
    const std::string plain = replaceAll(text, Nbsp, " ");
    for (char c : plain) {
        if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
            if (!current.empty())
                out.push_back(current);
            current.clear();
        } else {
            current += c;
        }
    }
    if (!current.empty())
        out.push_back(current);
    return out;
}

// Whitespace collapsed to single spaces, no-break spaces as spaces, soft hyphens dropped.
std::string normalize(const std::string& text)
{
    std::string out;
    for (const auto& w : splitWords(replaceAll(text, Shy, ""))) {
        if (!out.empty())
            out += ' ';
        out += w;
    }
    return out;
}

std::string unescapeXml(std::string s)
{
    s = replaceAll(s, "&lt;", "<");
    s = replaceAll(s, "&gt;", ">");
    s = replaceAll(s, "&quot;", "\"");
    s = replaceAll(s, "&#39;", "'");
    s = replaceAll(s, "&apos;", "'");
    return replaceAll(s, "&amp;", "&");
}

// The text of an element's attribute in a line of XML: attr="value".
std::string attribute(const std::string& xml, std::size_t from, const std::string& name)
{
    const auto at = xml.find(" " + name + "=\"", from);
    if (at == std::string::npos)
        return {};
    const auto begin = at + name.size() + 3;
    return xml.substr(begin, xml.find('"', begin) - begin);
}

// Every value printed, in document order, with the way it may break.
struct Printed {
    std::string text;
    TextKind kind;
    bool columnHeader = false; // a table set as rows repeats it in every row: checked for presence
    bool firstColumnHeader = false; // not printed when the table is set as rows
    bool artifact = false; // drawn but not in the tagged structure (a chart's labels)
};

std::vector<Printed> printedValues(const RenderDocument& doc)
{
    std::vector<Printed> out;
    for (const std::string* t : { &doc.title.municipality, &doc.title.documentTitle, &doc.title.family,
             &doc.title.date, &doc.title.versionText, &doc.title.journalNumber })
        out.push_back({ *t, TextKind::Name });
    for (const auto& block : doc.blocks) {
        if (const auto* h = std::get_if<Heading>(&block))
            out.push_back({ h->text, TextKind::Name });
        else if (const auto* f = std::get_if<FieldList>(&block))
            for (const auto& field : f->fields) {
                out.push_back({ field.label, TextKind::Prose });
                out.push_back({ field.value, field.kind });
            }
        else if (const auto* p = std::get_if<Paragraph>(&block))
            out.push_back({ p->text, TextKind::Prose });
        else if (const auto* b = std::get_if<BulletList>(&block))
            for (const auto& item : b->items)
                out.push_back({ item, TextKind::Prose });
        else if (const auto* chart = std::get_if<Chart>(&block)) {
            // The chart's title and numbers as text, and what the layout draws: the points' values,
            // month labels, years and the scale (0, half and top).
            out.push_back({ chart->title, TextKind::Name });
            out.push_back({ chart->text, TextKind::Prose });
            static const char* const months[]
                = { "jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec" };
            std::vector<std::string> labels;
            for (const auto& point : chart->points) {
                labels.push_back(months[point.month % 12]);
                labels.push_back(point.valueText);
                labels.push_back(std::to_string(point.month / 12));
            }
            for (double v : { 0.0, chart->yMax / 2, chart->yMax })
                labels.push_back(formatNumber(v, 1));
            for (const auto& label : labels)
                out.push_back({ label, TextKind::Atomic, false, false, true });
        } else if (const auto* s = std::get_if<Signatures>(&block)) {
            for (const auto& name : s->names) {
                out.push_back({ name, TextKind::Name });
                out.push_back({ "Dato", TextKind::Atomic });
                out.push_back({ "Underskrift", TextKind::Atomic });
            }
        } else if (const auto* t = std::get_if<Table>(&block)) {
            for (std::size_t c = 0; c < t->columns.size(); ++c) // set as rows, column 0 heads each row
                out.push_back({ t->columns[c].header, TextKind::Prose, true, c == 0 });
            for (const auto& row : t->rows)
                for (std::size_t c = 0; c < row.size() && c < t->columns.size(); ++c)
                    out.push_back({ row[c], t->columns[c].kind });
        }
    }
    return out;
}

struct Rendered {
    RenderDocument doc;
    LayoutResult layout;
    std::filesystem::path pdf;
};

Rendered render(const std::string& templateId, int rows, const TempDir& dir)
{
    const Template tmpl = registry().load(templateId);
    const Case kase = fplan::test::realisticCase();
    const Json values = fplan::test::realisticValues(tmpl, kase, rows);
    checkValues(tmpl, values, &kase); // the content is what a user could type
    Rendered r;
    RenderContext context;
    context.date = "2026-03-12";
    r.doc = buildRenderDocument(tmpl, values, kase, context);
    r.layout = layoutDocument(r.doc, systemFonts());
    const auto pdf = renderPdf(r.doc, systemFonts());
    r.pdf = dir / (templateId + "-" + std::to_string(rows) + ".pdf");
    fplan::test::writeFile(r.pdf, pdf.bytes);
    return r;
}

// poppler's reading of the page: lines of words, as -bbox-layout gives them.
std::vector<std::vector<std::string>> popplerLines(const std::filesystem::path& pdf)
{
    const auto r = run({ "pdftotext", "-bbox-layout", "-enc", "UTF-8", pdf.string(), "-" });
    EXPECT_EQ(0, r.exitCode) << r.err;
    std::vector<std::vector<std::string>> lines;
    std::size_t pos = 0;
    while ((pos = r.out.find("<line", pos)) != std::string::npos) {
        const auto end = r.out.find("</line>", pos);
        std::vector<std::string> words;
        std::size_t w = pos;
        while ((w = r.out.find("<word", w)) != std::string::npos && w < end) {
            const auto open = r.out.find('>', w) + 1;
            const auto close = r.out.find("</word>", open);
            words.push_back(unescapeXml(r.out.substr(open, close - open)));
            w = close;
        }
        lines.push_back(std::move(words));
        pos = end;
    }
    return lines;
}

bool endsWith(const std::string& s, const std::string& tail)
{
    return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

// Words poppler reads that are not a word of the input, a hyphenated part of one, or the tail
// of a hyphenated word: each is a word broken without a hyphen.
std::vector<std::string> wordsBrokenWithoutHyphen(
    const std::vector<std::vector<std::string>>& lines, const std::vector<Printed>& values, std::size_t pages)
{
    std::set<std::string> tokens;
    std::string all; // every token, space separated, for the substring checks
    auto add = [&](const std::string& text) {
        for (const auto& w : splitWords(replaceAll(text, Shy, ""))) {
            tokens.insert(w);
            all += " " + w + " ";
            for (const std::string dash : { "-", "–" }) // a line may end after a hard hyphen or dash
                for (std::size_t at = w.find(dash); at != std::string::npos; at = w.find(dash, at + 1)) {
                    tokens.insert(w.substr(0, at + dash.size()));
                    tokens.insert(w.substr(at + dash.size()));
                }
        }
    };
    for (const auto& v : values)
        add(v.text);
    add("Fortroligt – indeholder personoplysninger (fortsat) Dato: Journalnr. · •");
    for (std::size_t p = 1; p <= pages; ++p)
        add("Side " + std::to_string(p) + " af " + std::to_string(pages));
    std::vector<std::string> broken;
    for (const auto& line : lines)
        for (const auto& w : line) {
            if (tokens.count(w))
                continue;
            if (endsWith(w, "-") || endsWith(w, Shy)) {
                const std::string stem = w.substr(0, w.size() - (endsWith(w, Shy) ? Shy.size() : 1));
                if (all.find(stem) != std::string::npos)
                    continue; // the head of a hyphenated word
            } else if (all.find(w + " ") != std::string::npos) {
                continue; // the tail of a hyphenated word
            }
            broken.push_back(w);
        }
    return broken;
}

// Values that must stay on one line (dates, numbers, choice labels, CPR, phone) found split.
std::vector<std::string> splitAtomicValues(
    const std::vector<std::vector<std::string>>& lines, const std::vector<Printed>& values)
{
    std::vector<std::string> joined;
    for (const auto& line : lines) {
        std::string text;
        for (const auto& w : line)
            text += (text.empty() ? "" : " ") + w;
        joined.push_back(" " + text + " ");
    }
    auto onOneLine = [&](const std::string& v) {
        return std::any_of(joined.begin(), joined.end(),
            [&](const std::string& l) { return l.find(v) != std::string::npos; });
    };
    std::vector<std::string> split;
    for (const auto& v : values) {
        const std::string text = normalize(v.text);
        if (text.empty())
            continue;
        if (v.kind == TextKind::Atomic || v.kind == TextKind::Number) {
            if (!onOneLine(text))
                split.push_back(text);
        } else if (v.kind == TextKind::Period) {
            const auto dash = text.find(" – ");
            if (!onOneLine(text)
                && (dash == std::string::npos || !onOneLine(text.substr(0, dash + 4))
                    || !onOneLine(text.substr(dash + 5))))
                split.push_back(text);
        } else if (v.kind == TextKind::Name) {
            for (const auto& w : splitWords(text)) // a name breaks between its words, never inside one
                if (!onOneLine(w))
                    split.push_back(w);
        }
    }
    return split;
}

struct Case3 {
    std::string id;
    int rows;
};

// Every shipped template, with a few rows per table and with many.
const std::vector<Case3> Cases = [] {
    std::vector<Case3> cases;
    for (const auto& id : fplan::test::shippedTemplateIds())
        for (int rows : { 3, 25 })
            cases.push_back({ id, rows });
    return cases;
}();

} // namespace

TEST(Typography, NoWordBrokenWithoutAHyphenAndNoValueSplit)
{
    TempDir dir;
    for (const auto& c : Cases) {
        const Rendered r = render(c.id, c.rows, dir);
        EXPECT_EQ(0u, r.layout.forcedBreaks) << c.id << " " << c.rows;
        const auto lines = popplerLines(r.pdf);
        ASSERT_GT(lines.size(), 20u);
        const auto values = printedValues(r.doc);
        const auto broken = wordsBrokenWithoutHyphen(lines, values, r.layout.pages.size());
        std::string list;
        for (const auto& w : broken)
            list += "[" + w + "] ";
        EXPECT_TRUE(broken.empty()) << c.id << " with " << c.rows << " rows: " << broken.size()
                                    << " words broken without a hyphen: " << list;
        const auto split = splitAtomicValues(lines, values);
        list.clear();
        for (const auto& w : split)
            list += "[" + w + "] ";
        EXPECT_TRUE(split.empty()) << c.id << " with " << c.rows << " rows: values split: " << list;
    }
}

TEST(Typography, HyphenatedWordsShowAHyphenAndReadWhole)
{
    TempDir dir;
    const Rendered r = render("familieplan", 3, dir);
    std::size_t hyphens = 0;
    for (const auto& page : r.layout.pages)
        for (const auto& item : page.items)
            if (const auto* t = std::get_if<TextItem>(&item); t && t->hyphen) {
                EXPECT_EQ("-", t->text);
                ++hyphens;
            }
    EXPECT_GT(hyphens, 0u) << "the realistic plan has long words in narrow places";
    // The text layer reads each added hyphen as U+00AD (its ActualText): joined with the next
    // line's first word, it gives a word of the input.
    const auto raw = run({ "pdftotext", "-raw", "-enc", "UTF-8", r.pdf.string(), "-" });
    ASSERT_EQ(0, raw.exitCode) << raw.err;
    std::set<std::string> tokens;
    for (const auto& v : printedValues(r.doc))
        for (const auto& w : splitWords(v.text))
            tokens.insert(w);
    std::size_t read = 0;
    for (std::size_t at = raw.out.find(Shy + "\n"); at != std::string::npos;
         at = raw.out.find(Shy + "\n", at + 1)) {
        const auto begin = raw.out.find_last_of(" \n", at - 1) + 1;
        const auto next = at + Shy.size() + 1;
        const auto end = raw.out.find_first_of(" \n", next);
        const std::string word = raw.out.substr(begin, at - begin) + raw.out.substr(next, end - next);
        EXPECT_TRUE(tokens.count(word)) << word;
        ++read;
    }
    EXPECT_EQ(hyphens, read) << "every added hyphen reads as a soft hyphen";
}

TEST(Typography, NoTextUnderNinePointsOutsideHeaderAndFooter)
{
    TempDir dir;
    for (const auto& c : Cases) {
        const Rendered r = render(c.id, c.rows, dir);
        const auto x = run({ "pdftohtml", "-xml", "-i", "-zoom", "1", "-stdout", r.pdf.string() });
        ASSERT_EQ(0, x.exitCode) << x.err;
        std::map<std::string, double> sizes;
        for (std::size_t at = x.out.find("<fontspec"); at != std::string::npos;
             at = x.out.find("<fontspec", at + 1))
            sizes[attribute(x.out, at, "id")] = std::stod(attribute(x.out, at, "size"));
        const auto& g = r.layout.geometry;
        double smallest = 100;
        std::size_t texts = 0;
        for (std::size_t at = x.out.find("<text "); at != std::string::npos;
             at = x.out.find("<text ", at + 1)) {
            const double top = std::stod(attribute(x.out, at, "top"));
            if (top < g.marginTop - 12 || top > g.height - g.marginBottom)
                continue; // the running header and footer
            smallest = std::min(smallest, sizes.at(attribute(x.out, at, "font")));
            ++texts;
        }
        EXPECT_GT(texts, 20u) << c.id << " " << c.rows; // the one-page invitation and årshjul have few
        EXPECT_GE(smallest, 9.0) << c.id << " " << c.rows;
        const auto minSize = [&] {
            double m = 100;
            for (const auto& page : r.layout.pages)
                for (const auto& item : page.items)
                    if (const auto* t = std::get_if<TextItem>(&item);
                        t && t->role != Role::PageHeader && t->role != Role::PageFooter)
                        m = std::min(m, t->size);
            return m;
        }();
        EXPECT_GE(minSize, 9.0);
    }
}

TEST(Typography, TaggedStructureReadsEveryValueInOrderAndTablesHaveHeaderCells)
{
    TempDir dir;
    // Every case, the long documents too: tables over several pages with "(fortsat)" titles and
    // repeated header rows (artifacts), rows split across a page break. poppler's -struct-text
    // reads each element's text by going through its page again (seconds for a long document),
    // so the documents are read side by side.
    std::vector<Rendered> rendered;
    for (const auto& c : Cases)
        rendered.push_back(render(c.id, c.rows, dir));
    std::vector<std::future<fplan::test::RunResult>> structTexts;
    for (const auto& r : rendered)
        structTexts.push_back(std::async(std::launch::async, [pdf = r.pdf.string()] {
            return run({ "pdfinfo", "-struct-text", pdf });
        }));
    for (std::size_t i = 0; i < std::size(Cases); ++i) {
        const auto& c = Cases[i];
        const Rendered& r = rendered[i];
        const auto info = run({ "pdfinfo", r.pdf.string() });
        ASSERT_EQ(0, info.exitCode) << info.err;
        EXPECT_NE(std::string::npos, normalize(info.out).find("Tagged: yes")) << info.out;
        const auto text = structTexts[i].get();
        ASSERT_EQ(0, text.exitCode) << text.err;
        // poppler prints each marked-content sequence of an element on its own line; an element's
        // text is their concatenation. A hyphen the layout added is a sequence of its own whose
        // ActualText is U+00AD (which -struct-text does not apply): it joins its word's halves.
        std::string joined = std::regex_replace(text.out, std::regex("\"\n *\"-\"\n *\""), "");
        joined = std::regex_replace(joined, std::regex("\"\n *\""), "");
        std::string quoted; // the text, without the element names between
        const std::regex string("\"([^\"\n]*)\"");
        for (auto it = std::sregex_iterator(joined.begin(), joined.end(), string);
             it != std::sregex_iterator(); ++it)
            quoted += (*it)[1].str() + " ";
        const std::string structure = normalize(quoted);
        std::size_t at = 0;
        for (const auto& v : printedValues(r.doc)) {
            const std::string want = normalize(v.text);
            if (want.empty())
                continue;
            if (v.firstColumnHeader || v.artifact)
                continue;
            if (v.columnHeader) {
                EXPECT_NE(std::string::npos, structure.find(want)) << want;
                continue;
            }
            const auto found = structure.find(want, at);
            ASSERT_NE(std::string::npos, found)
                << c.id << " " << c.rows << ": \"" << want << "\" is not in the structure after position "
                << at << ": ..." << structure.substr(at > 300 ? at - 300 : 0, 600);
            at = found + want.size();
        }
        // Each header cell reads its column's header once: the header row repeated on a continued
        // page is an artifact, not more text of the same cell.
        std::set<std::string> headers;
        for (const auto& v : printedValues(r.doc))
            if (v.columnHeader)
                headers.insert(normalize(v.text));
        std::size_t headerCells = 0;
        for (std::size_t p = text.out.find("TH"); p != std::string::npos; p = text.out.find("TH", p + 2)) {
            const auto lineStart = text.out.rfind('\n', p) + 1;
            if (text.out.find_first_not_of(' ', lineStart) != p
                || (text.out.compare(p, 3, "TH:") != 0 && text.out.compare(p, 3, "TH\n") != 0
                    && text.out.compare(p, 3, "TH ") != 0))
                continue; // "TH" inside a text, not the element
            const std::size_t indent = p - lineStart;
            std::string cell;
            std::size_t q = text.out.find('\n', p);
            while (q != std::string::npos && q + 1 < text.out.size()) {
                const auto next = text.out.find('\n', q + 1);
                const std::string line = text.out.substr(q + 1, next - q - 1);
                const auto first = line.find_first_not_of(' ');
                if (first == std::string::npos || first <= indent)
                    break;
                if (line[first] == '"' && line.size() > first + 1 && line.back() == '"')
                    cell += line.substr(first + 1, line.size() - first - 2);
                q = next;
            }
            ++headerCells;
            EXPECT_TRUE(headers.count(normalize(cell)))
                << c.id << " " << c.rows << ": header cell \"" << cell << "\"";
        }
        EXPECT_GT(headerCells, 0u) << c.id << " " << c.rows;
        // A continued table's "(fortsat)" title is decoration on paper, not text to read again.
        EXPECT_EQ(std::string::npos, structure.find("(fortsat)")) << c.id << " " << c.rows;
        // Every Table element has exactly one header row of TH cells: the header row repeated on
        // each continued page is an artifact, not another row to read.
        const auto tree = run({ "pdfinfo", "-struct", r.pdf.string() });
        ASSERT_EQ(0, tree.exitCode) << tree.err;
        std::vector<std::size_t> headerRows; // per Table element
        std::size_t tableIndent = std::string::npos;
        bool rowCounted = false;
        std::size_t pos = 0;
        while (pos < tree.out.size()) {
            const auto end = std::min(tree.out.find('\n', pos), tree.out.size());
            const std::string line = tree.out.substr(pos, end - pos);
            pos = end + 1;
            const auto indent = line.find_first_not_of(' ');
            if (indent == std::string::npos)
                continue;
            std::string tag = line.substr(indent, line.find(' ', indent) - indent);
            if (!tag.empty() && tag.back() == ':') // "TH: /Scope /Column"
                tag.pop_back();
            if (tableIndent != std::string::npos && indent <= tableIndent)
                tableIndent = std::string::npos;
            if (tag == "Table") {
                headerRows.push_back(0);
                tableIndent = indent;
            } else if (tag == "TR" && tableIndent != std::string::npos) {
                rowCounted = false;
            } else if (tag == "TH" && tableIndent != std::string::npos && !rowCounted) {
                ++headerRows.back();
                rowCounted = true;
            }
        }
        for (std::size_t t = 0; t < headerRows.size(); ++t)
            EXPECT_EQ(1u, headerRows[t]) << c.id << " " << c.rows << ": table " << t + 1;
        EXPECT_NE(std::string::npos, tree.out.find("H1")) << c.id;
    }
}

TEST(Typography, EverySectionHasABookmark)
{
    TempDir dir;
    const Rendered r = render("familiefaglig-undersoegelse", 3, dir);
    ASSERT_FALSE(r.layout.bookmarks.empty());
    const auto text = run({ "qpdf", "--json", "--json-key=outlines", r.pdf.string() });
    ASSERT_EQ(0, text.exitCode) << text.err;
    for (const auto& block : r.doc.blocks) {
        const auto* h = std::get_if<Heading>(&block);
        if (h && h->level == 1) {
            EXPECT_NE(std::string::npos, text.out.find("\"title\": \"" + h->text + "\"")) << h->text;
        }
    }
}
