// SPDX-License-Identifier: EUPL-1.2
#include "docgen/render/layout.h"

#include "base/utf8.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <map>
#include <set>
#include <string_view>

namespace fplan::docgen {

namespace {

constexpr double LineFactor = 1.32;
constexpr char32_t SoftHyphen = 0xAD;
constexpr double Epsilon = 0.01;

const Color Ink { 0.10, 0.10, 0.12 };
const Color Muted { 0.38, 0.38, 0.42 };
const Color Accent { 0.11, 0.27, 0.47 };
const Color Rule { 0.70, 0.72, 0.76 };
const Color HeaderFill { 0.90, 0.92, 0.95 };

struct Style {
    FontStyle font = FontStyle::Regular;
    double size = 10;
    Role role = Role::Body;
    Color color = Ink;
};

const Style BodyStyle { FontStyle::Regular, 10, Role::Body, Ink };
const Style LabelStyle { FontStyle::Bold, 10, Role::Label, Ink };
// Wide tables get a smaller type so that words fit their columns.
double tableTypeSize(const Table& t)
{
    return t.columns.size() > 8 ? 7.5 : t.columns.size() > 6 ? 8.0 : 9.0;
}

Style cellStyle(const Table& t)
{
    return Style { FontStyle::Regular, tableTypeSize(t), Role::TableCell, Ink };
}

Style cellHeaderStyle(const Table& t)
{
    return Style { FontStyle::Bold, tableTypeSize(t), Role::TableHeader, Ink };
}

double lineHeight(double size)
{
    return size * LineFactor;
}

// Baseline below the top of a line box: ascent plus half the leading.
double baselineOffset(double size)
{
    return size * 1.04;
}

struct Glyph {
    char32_t cp;
    int face;
    double advance; // 1/1000 em
};

struct Run {
    int face;
    std::string text;
    double x; // from the line's start
    double width;
};

struct Line {
    std::vector<Run> runs;
    double width = 0;
};

struct Cell {
    std::vector<Line> lines;
    double x = 0; // where the text starts
    double width = 0; // the text's width
    Style style;
    double boxX = 0; // the cell's box for grid and fill (table cells are inset by padding)
    double boxWidth = 0;
};

struct RowOptions {
    double padTop = 0;
    double padBottom = 0;
    double keepWholeBelow = 0; // rows lower than this share of the body height move whole
    std::size_t minLines = 2; // fewest lines of a split row left at a page's foot
    bool grid = false;
    bool fill = false;
    double repeatHeight = 0; // height of what onNewPage draws
    std::function<void()> onNewPage; // e.g. repeat a table's header row
};

RowOptions simpleRow(double padTop, double padBottom, double keepWholeBelow, std::size_t minLines)
{
    RowOptions opt;
    opt.padTop = padTop;
    opt.padBottom = padBottom;
    opt.keepWholeBelow = keepWholeBelow;
    opt.minLines = minLines;
    return opt;
}

std::vector<std::string> splitParagraphs(std::string_view text)
{
    std::string normalized;
    normalized.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\r') {
            if (i + 1 < text.size() && text[i + 1] == '\n')
                continue;
            normalized += '\n';
        } else {
            normalized += text[i];
        }
    }
    std::vector<std::string> out;
    std::string current;
    std::size_t pos = 0;
    while (pos <= normalized.size()) {
        const auto nl = normalized.find('\n', pos);
        const std::string_view line
            = std::string_view(normalized)
                  .substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
        const bool blank = line.find_first_not_of(" \t") == std::string_view::npos;
        if (blank) {
            if (!current.empty())
                out.push_back(std::move(current));
            current.clear();
        } else {
            if (!current.empty())
                current += '\n';
            current.append(line);
        }
        if (nl == std::string::npos)
            break;
        pos = nl + 1;
    }
    if (!current.empty())
        out.push_back(std::move(current));
    return out;
}

std::string trim(std::string_view s)
{
    const auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string_view::npos)
        return {};
    const auto e = s.find_last_not_of(" \t\r\n");
    return std::string(s.substr(b, e - b + 1));
}

class Layouter {
public:
    Layouter(FontMetrics& fonts, const PageGeometry& geometry)
        : m_fonts(fonts)
    {
        m_result.geometry = geometry;
    }

    LayoutResult run(const RenderDocument& doc)
    {
        newPage();
        titleBlock(doc.title);
        for (std::size_t i = 0; i < doc.blocks.size(); ++i) {
            const Block* next = i + 1 < doc.blocks.size() ? &doc.blocks[i + 1] : nullptr;
            std::visit([&](const auto& b) { place(b, next); }, doc.blocks[i]);
        }
        decoratePages(doc.title);
        return std::move(m_result);
    }

private:
    const PageGeometry& geo() const { return m_result.geometry; }
    double left() const { return geo().marginLeft; }
    double right() const { return geo().width - geo().marginRight; }
    double textWidth() const { return right() - left(); }
    double top() const { return geo().marginTop; }
    double bottom() const { return geo().height - geo().marginBottom; }
    bool atTop() const { return m_y <= top() + Epsilon; }
    Page& page() { return m_result.pages.back(); }

    void newPage()
    {
        m_result.pages.emplace_back();
        m_y = top();
        m_freshY = m_y;
    }

    // Nothing but a repeated table header is on the page yet: moving on would gain nothing.
    bool fresh() const { return m_y <= m_freshY + Epsilon; }

    // Breaks the page unless `height` still fits; never breaks an empty page.
    void ensure(double height)
    {
        if (m_y + height > bottom() + Epsilon && !atTop())
            newPage();
    }

    void warnMissing(char32_t cp, std::string_view context)
    {
        if (!m_warned.insert(cp).second)
            return;
        char code[16];
        std::snprintf(code, sizeof code, "U+%04X", static_cast<unsigned>(cp));
        std::string letter;
        utf8::append(letter, cp);
        std::string where(context.substr(0, 60));
        m_result.warnings.push_back(std::string("no installed font has the letter ") + code + " '" + letter
            + "' (in \"" + where + "\"); it is shown as a replacement sign");
    }

    // PoDoFo draws letters one by one, left to right: scripts that need shaping or run right to
    // left print legibly wrong. Say so once per script instead of printing it silently.
    void checkShaping(char32_t cp, std::string_view context)
    {
        const char* script = nullptr;
        if ((cp >= 0x0590 && cp <= 0x05FF) || (cp >= 0xFB1D && cp <= 0xFB4F))
            script = "Hebrew";
        else if ((cp >= 0x0600 && cp <= 0x08FF) || (cp >= 0xFB50 && cp <= 0xFDFF)
            || (cp >= 0xFE70 && cp <= 0xFEFF))
            script = "Arabic";
        else if (cp >= 0x0900 && cp <= 0x0DFF)
            script = "Indic";
        if (!script || !m_warnedScripts.insert(script).second)
            return;
        m_result.warnings.push_back(std::string(script) + " text (in \"" + std::string(context.substr(0, 60))
            + "\") is printed letter by letter, left to right, without shaping: check it on paper");
    }

    std::vector<Glyph> shape(std::string_view text, FontStyle style)
    {
        std::vector<Glyph> glyphs;
        glyphs.reserve(text.size());
        std::size_t pos = 0;
        while (pos < text.size()) {
            char32_t cp = utf8::next(text, pos);
            if (cp == '\t')
                cp = ' ';
            if (cp == '\r' || (cp < 0x20 && cp != '\n') || (cp >= 0x7F && cp < 0xA0) || cp == 0x200B
                || cp == 0xFEFF)
                continue; // control characters and invisible marks have no place on paper
            if (cp == SoftHyphen) {
                // A place to break a long word ("Opfølgnings\u00ADstatus"); carries the hyphen's width.
                const int hyphenFace = m_fonts.faceFor(style, '-');
                glyphs.push_back({ cp, hyphenFace, m_fonts.advance(hyphenFace, '-') });
                continue;
            }
            if (cp == '\n') {
                glyphs.push_back({ cp, -1, 0 });
                continue;
            }
            if (cp >= 0x0590)
                checkShaping(cp, text);
            int face = m_fonts.faceFor(style, cp);
            if (face < 0) {
                warnMissing(cp, text);
                cp = utf8::Replacement;
                face = m_fonts.faceFor(style, cp);
                if (face < 0) {
                    cp = '?';
                    face = m_fonts.faceFor(style, cp);
                }
            }
            glyphs.push_back({ cp, face, m_fonts.advance(face, cp) });
        }
        return glyphs;
    }

    // The glyphs [from, to) as runs of one face each; `hyphenAt` is a soft hyphen the line ends at.
    Line makeLine(const std::vector<Glyph>& glyphs, std::size_t from, std::size_t to, double size,
        const Glyph* hyphenAt = nullptr)
    {
        while (to > from && glyphs[to - 1].cp == ' ')
            --to;
        Line line;
        double x = 0;
        for (std::size_t i = from; i <= to; ++i) {
            Glyph g;
            if (i < to)
                g = glyphs[i];
            else if (hyphenAt)
                g = Glyph { '-', hyphenAt->face, hyphenAt->advance };
            else
                break;
            if (g.cp == SoftHyphen)
                continue; // not broken here: invisible
            const double w = g.advance * size / 1000.0;
            if (line.runs.empty() || line.runs.back().face != g.face)
                line.runs.push_back(Run { g.face, {}, x, 0 });
            utf8::append(line.runs.back().text, g.cp);
            line.runs.back().width += w;
            x += w;
        }
        line.width = x;
        return line;
    }

    // Greedy line breaking at spaces; a word longer than the line is broken where it overflows.
    std::vector<Line> wrap(std::string_view text, const Style& style, double maxWidth)
    {
        const auto glyphs = shape(text, style.font);
        std::vector<Line> lines;
        const double size = style.size;
        std::size_t start = 0;
        double width = 0;
        double widthAfterSpace = 0;
        std::size_t lastSpace = std::string::npos; // the last place to break: a space or a soft hyphen
        for (std::size_t i = 0; i < glyphs.size(); ++i) {
            const Glyph& g = glyphs[i];
            if (g.cp == '\n') {
                lines.push_back(makeLine(glyphs, start, i, size));
                start = i + 1;
                width = widthAfterSpace = 0;
                lastSpace = std::string::npos;
                continue;
            }
            const double w = g.advance * size / 1000.0;
            if (g.cp == SoftHyphen) {
                if (width + w <= maxWidth + Epsilon) { // the hyphen itself must fit
                    lastSpace = i;
                    widthAfterSpace = 0;
                }
                continue;
            }
            if (g.cp == ' ') {
                // "01.03.2026 – 31.12.2026": a dash never starts a line.
                const bool glued
                    = i + 1 < glyphs.size() && (glyphs[i + 1].cp == 0x2013 || glyphs[i + 1].cp == 0x2014);
                if (!glued)
                    lastSpace = i;
                width += w;
                widthAfterSpace = 0;
                continue;
            }
            while (width + w > maxWidth + Epsilon && i > start) {
                if (lastSpace != std::string::npos && lastSpace >= start) {
                    const bool hyphen = glyphs[lastSpace].cp == SoftHyphen;
                    lines.push_back(
                        makeLine(glyphs, start, lastSpace, size, hyphen ? &glyphs[lastSpace] : nullptr));
                    start = lastSpace + 1;
                    width = widthAfterSpace;
                    lastSpace = std::string::npos;
                } else {
                    lines.push_back(makeLine(glyphs, start, i, size));
                    start = i;
                    width = widthAfterSpace = 0;
                }
            }
            width += w;
            widthAfterSpace += w;
        }
        if (start < glyphs.size())
            lines.push_back(makeLine(glyphs, start, glyphs.size(), size));
        return lines;
    }

    // Paragraphs of a text, wrapped, with an empty line between paragraphs.
    std::vector<Line> wrapParagraphs(std::string_view text, const Style& style, double maxWidth)
    {
        std::vector<Line> lines;
        for (const auto& para : splitParagraphs(text)) {
            if (!lines.empty())
                lines.emplace_back();
            auto wrapped = wrap(para, style, maxWidth);
            lines.insert(lines.end(), std::make_move_iterator(wrapped.begin()),
                std::make_move_iterator(wrapped.end()));
        }
        return lines;
    }

    void drawLine(const Line& line, double x, double baseline, const Style& style)
    {
        for (const Run& run : line.runs)
            page().items.emplace_back(TextItem {
                x + run.x, baseline, run.face, style.size, run.text, run.width, style.role, style.color });
    }

    void hrule(double x1, double x2, double y, double width, const Color& color)
    {
        page().items.emplace_back(LineItem { x1, y, x2, y, width, color });
    }

    // Places a row of cells that share one line height; splits it across pages if it is long.
    void placeRow(const std::vector<Cell>& cells, const RowOptions& opt)
    {
        std::size_t total = 1;
        for (const auto& c : cells)
            total = std::max(total, c.lines.size());
        const double lh = lineHeight(cells.front().style.size);
        const double pads = opt.padTop + opt.padBottom;
        const double pageBody = bottom() - top() - opt.repeatHeight;
        std::size_t done = 0;
        bool moved = false;
        while (done < total) {
            const std::size_t remaining = total - done;
            const double need = pads + static_cast<double>(remaining) * lh;
            const double avail = bottom() - m_y;
            if (need <= avail + Epsilon) {
                drawChunk(cells, done, total, opt);
                return;
            }
            const auto fit
                = static_cast<std::size_t>(std::max(0.0, std::floor((avail - pads + Epsilon) / lh)));
            const bool keepWhole = done == 0 && need <= opt.keepWholeBelow * pageBody;
            const bool tooFew = fit < std::min(opt.minLines, remaining);
            if (!moved && !fresh() && (keepWhole || tooFew)) {
                breakPage(opt);
                moved = true;
                continue;
            }
            std::size_t take = std::max<std::size_t>(1, std::min(fit, remaining));
            // No widow: one line alone at the top of the next page reads as a mistake.
            if (remaining - take == 1 && take > opt.minLines)
                --take;
            drawChunk(cells, done, done + take, opt);
            done += take;
            if (done < total) {
                breakPage(opt);
                moved = true;
            }
        }
    }

    void breakPage(const RowOptions& opt)
    {
        newPage();
        if (opt.onNewPage)
            opt.onNewPage();
        m_freshY = m_y;
    }

    void drawChunk(const std::vector<Cell>& cells, std::size_t from, std::size_t to, const RowOptions& opt)
    {
        const double lh = lineHeight(cells.front().style.size);
        const double height = opt.padTop + opt.padBottom + static_cast<double>(to - from) * lh;
        const double y0 = m_y;
        const double x0 = cells.front().boxX;
        const double x1 = cells.back().boxX + cells.back().boxWidth;
        if (opt.fill)
            page().items.emplace_back(RectItem { x0, y0, x1 - x0, height, HeaderFill });
        for (const auto& cell : cells) {
            for (std::size_t i = from; i < to && i < cell.lines.size(); ++i) {
                const double lineTop = y0 + opt.padTop + static_cast<double>(i - from) * lh;
                drawLine(cell.lines[i], cell.x, lineTop + baselineOffset(cell.style.size), cell.style);
            }
        }
        if (opt.grid) {
            hrule(x0, x1, y0, 0.5, Rule);
            hrule(x0, x1, y0 + height, 0.5, Rule);
            for (const auto& cell : cells)
                page().items.emplace_back(LineItem { cell.boxX, y0, cell.boxX, y0 + height, 0.5, Rule });
            page().items.emplace_back(LineItem { x1, y0, x1, y0 + height, 0.5, Rule });
        }
        m_y = y0 + height;
    }

    void titleBlock(const TitleBlock& t)
    {
        const Style municipality { FontStyle::Bold, 10, Role::Title, Muted };
        const Style title { FontStyle::Bold, 22, Role::Title, Accent };
        const Style family { FontStyle::Regular, 14, Role::Title, Ink };
        const Style meta { FontStyle::Regular, 9.5, Role::Title, Muted };
        auto put = [&](const std::string& text, const Style& style, double after) {
            if (trim(text).empty())
                return;
            for (const auto& line : wrap(text, style, textWidth())) {
                drawLine(line, left(), m_y + baselineOffset(style.size), style);
                m_y += lineHeight(style.size);
            }
            m_y += after;
        };
        put(t.municipality, municipality, 4);
        put(t.documentTitle, title, 2);
        put(t.family, family, 4);
        std::string metaLine;
        auto add = [&](const std::string& part) {
            if (trim(part).empty())
                return;
            if (!metaLine.empty())
                metaLine += "   ·   ";
            metaLine += part;
        };
        if (!trim(t.date).empty())
            add("Dato: " + t.date);
        add(t.versionText);
        if (!trim(t.journalNumber).empty())
            add("Journalnr. " + t.journalNumber);
        put(metaLine, meta, 6);
        hrule(left(), right(), m_y, 1.2, Accent);
        m_y += 14;
    }

    struct HeadingMetrics {
        Style style;
        double before;
        double after;
    };

    static HeadingMetrics headingMetrics(int level)
    {
        if (level <= 1)
            return { Style { FontStyle::Bold, 13.5, Role::Heading, Accent }, 14, 7 };
        return { Style { FontStyle::Bold, 11, Role::Heading, Ink }, 9, 4 };
    }

    // The least of a block that must share the page with the heading above it.
    double minHeight(const Block& block)
    {
        if (const auto* h = std::get_if<Heading>(&block)) {
            const auto m = headingMetrics(h->level);
            return m.before + lineHeight(m.style.size) + m.after + 2 * lineHeight(BodyStyle.size);
        }
        if (const auto* t = std::get_if<Table>(&block))
            return tableMinHeight(*t);
        return 2 * lineHeight(BodyStyle.size) + 4;
    }

    // A table's header row and the start of its first row.
    double tableMinHeight(const Table& t)
    {
        if (t.rows.empty() || t.columns.empty())
            return lineHeight(BodyStyle.size);
        const auto widths = columnWidths(t);
        std::size_t headerLines = 1;
        for (std::size_t c = 0; c < t.columns.size(); ++c)
            headerLines = std::max(
                headerLines, wrap(t.columns[c].header, cellHeaderStyle(t), widths[c] - 2 * CellPadX).size());
        std::size_t firstRow = 1;
        for (std::size_t c = 0; c < t.columns.size() && c < t.rows.front().size(); ++c)
            firstRow = std::max(
                firstRow, wrapParagraphs(t.rows.front()[c], cellStyle(t), widths[c] - 2 * CellPadX).size());
        return 4 * CellPadY
            + static_cast<double>(headerLines + std::min<std::size_t>(firstRow, 3))
            * lineHeight(cellStyle(t).size);
    }

    static Cell cell(std::vector<Line> lines, double x, double width, const Style& style)
    {
        return Cell { std::move(lines), x, width, style, x, width };
    }

    void place(const Heading& h, const Block* next)
    {
        const auto m = headingMetrics(h.level);
        const double width = textWidth();
        auto lines = wrap(h.text, m.style, width);
        const double own = static_cast<double>(lines.size()) * lineHeight(m.style.size) + m.after;
        const double before = atTop() ? 0 : m.before;
        ensure(before + own + (next ? minHeight(*next) : 0));
        if (!atTop())
            m_y += m.before;
        for (const auto& line : lines) {
            drawLine(line, left(), m_y + baselineOffset(m.style.size), m.style);
            m_y += lineHeight(m.style.size);
        }
        if (h.level <= 1)
            hrule(left(), right(), m_y + 1.5, 0.6, Rule);
        m_y += m.after;
    }

    void place(const FieldList& list, const Block*)
    {
        const double labelWidth = std::round(textWidth() * 0.32);
        const double gap = 10;
        const double valueWidth = textWidth() - labelWidth - gap;
        for (const auto& field : list.fields) {
            const std::string value = trim(field.value);
            if (value.empty())
                continue;
            auto valueLines = wrapParagraphs(value, BodyStyle, valueWidth);
            const bool longText = valueLines.size() > 4;
            if (longText) {
                // Long text reads better at full width under its label.
                auto labelLines = wrap(field.label, LabelStyle, textWidth());
                auto full = wrapParagraphs(value, BodyStyle, textWidth());
                const double lh = lineHeight(BodyStyle.size);
                ensure(static_cast<double>(labelLines.size()) * lh + 2 * lh);
                for (const auto& line : labelLines) {
                    drawLine(line, left(), m_y + baselineOffset(LabelStyle.size), LabelStyle);
                    m_y += lh;
                }
                m_y += 1;
                placeRow({ cell(std::move(full), left(), textWidth(), BodyStyle) }, simpleRow(0, 5, 0, 2));
                continue;
            }
            std::vector<Cell> cells { cell(wrap(field.label, LabelStyle, labelWidth), left(), labelWidth,
                                          LabelStyle),
                cell(std::move(valueLines), left() + labelWidth + gap, valueWidth, BodyStyle) };
            placeRow(cells, simpleRow(1, 3, 0.3, 2));
        }
        m_y += 4;
    }

    void place(const Paragraph& p, const Block*)
    {
        const auto paragraphs = splitParagraphs(p.text);
        for (const auto& para : paragraphs) {
            auto lines = wrap(para, BodyStyle, textWidth());
            if (lines.empty())
                continue;
            placeRow({ cell(std::move(lines), left(), textWidth(), BodyStyle) }, simpleRow(0, 6, 0, 2));
        }
    }

    void place(const BulletList& list, const Block*)
    {
        const double indent = 14;
        for (const auto& item : list.items) {
            const std::string text = trim(item);
            if (text.empty())
                continue;
            std::vector<Cell> cells { cell(wrap("•", BodyStyle, indent), left() + 3, indent, BodyStyle),
                cell(wrapParagraphs(text, BodyStyle, textWidth() - indent - 3), left() + 3 + indent,
                    textWidth() - indent - 3, BodyStyle) };
            placeRow(cells, simpleRow(0, 3, 0.2, 2));
        }
        m_y += 4;
    }

    static constexpr double CellPadX = 3.5;
    static constexpr double CellPadY = 3;

    // Width of the longest word in a text, so that a column can be made wide enough for it.
    double longestWord(std::string_view text, const Style& style)
    {
        double longest = 0;
        double current = 0;
        const auto glyphs = shape(text, style.font);
        for (std::size_t i = 0; i < glyphs.size(); ++i) {
            const Glyph& g = glyphs[i];
            const bool glued = g.cp == ' ' && i + 1 < glyphs.size()
                && (glyphs[i + 1].cp == 0x2013 || glyphs[i + 1].cp == 0x2014);
            if (g.cp == SoftHyphen) {
                longest = std::max(longest, current + g.advance * style.size / 1000.0);
                current = 0;
                continue;
            }
            if ((g.cp == ' ' && !glued) || g.cp == '\n') {
                current = 0;
                continue;
            }
            current += g.advance * style.size / 1000.0;
            longest = std::max(longest, current);
        }
        return longest;
    }

    // Widths in proportion to the hints, but no narrower than a column's longest word where the
    // page allows: a name or a date broken in the middle is hard to read.
    std::vector<double> columnWidths(const Table& t)
    {
        if (auto it = m_widthCache.find(&t); it != m_widthCache.end())
            return it->second;
        const std::size_t n = t.columns.size();
        std::vector<double> hint(n), minimum(n), widths(n), cellMinimum(n);
        for (std::size_t c = 0; c < n; ++c)
            hint[c] = t.columns[c].widthHint > 0 ? t.columns[c].widthHint : 1.0;
        double withHeaders = 0;
        for (std::size_t c = 0; c < n; ++c) {
            double word = 0;
            for (const auto& row : t.rows)
                if (c < row.size())
                    word = std::max(word, longestWord(row[c], cellStyle(t)));
            cellMinimum[c] = std::min(word + 2 * CellPadX + 0.5, textWidth() * 0.35);
            const double header = longestWord(t.columns[c].header, cellHeaderStyle(t)) + 2 * CellPadX + 0.5;
            minimum[c] = std::max(cellMinimum[c], std::min(header, textWidth() * 0.35));
            withHeaders += minimum[c];
        }
        // A header word may break if that is what it takes for the values to stay whole.
        if (withHeaders > textWidth())
            minimum = cellMinimum;
        double minSum = 0;
        for (double m : minimum)
            minSum += m;
        if (minSum >= textWidth()) {
            for (std::size_t c = 0; c < n; ++c)
                widths[c] = minimum[c] * textWidth() / minSum;
        } else {
            // Fix columns whose share is below their minimum, share the rest by hint; repeat.
            std::vector<bool> fixed(n, false);
            bool changed = true;
            while (changed) {
                changed = false;
                double freeWidth = textWidth();
                double freeHints = 0;
                for (std::size_t c = 0; c < n; ++c) {
                    if (fixed[c])
                        freeWidth -= minimum[c];
                    else
                        freeHints += hint[c];
                }
                for (std::size_t c = 0; c < n; ++c) {
                    widths[c] = fixed[c] ? minimum[c] : freeWidth * hint[c] / freeHints;
                    if (!fixed[c] && widths[c] < minimum[c]) {
                        fixed[c] = true;
                        changed = true;
                    }
                }
            }
        }
        m_widthCache[&t] = widths;
        return widths;
    }

    void place(const Table& t, const Block*)
    {
        if (t.columns.empty())
            return;
        if (t.rows.empty()) {
            const Style empty { FontStyle::Regular, 10, Role::Body, Muted };
            auto lines = wrap(t.emptyText, empty, textWidth());
            placeRow({ cell(std::move(lines), left(), textWidth(), empty) }, simpleRow(0, 8, 0, 1));
            return;
        }
        const auto widths = columnWidths(t);
        auto rowCells = [&](auto&& textOf, const Style& style, bool paragraphs) {
            std::vector<Cell> cells;
            double x = left();
            for (std::size_t c = 0; c < t.columns.size(); ++c) {
                const double inner = widths[c] - 2 * CellPadX;
                const std::string text = textOf(c);
                cells.push_back(
                    Cell { paragraphs ? wrapParagraphs(text, style, inner) : wrap(text, style, inner),
                        x + CellPadX, inner, style, x, widths[c] });
                x += widths[c];
            }
            return cells;
        };
        const auto header
            = rowCells([&](std::size_t c) { return t.columns[c].header; }, cellHeaderStyle(t), false);
        std::size_t headerLines = 1;
        for (const auto& h : header)
            headerLines = std::max(headerLines, h.lines.size());
        const double headerHeight
            = 2 * CellPadY + static_cast<double>(headerLines) * lineHeight(cellHeaderStyle(t).size);
        const RowOptions headerOpt { CellPadY, CellPadY, 1, 1, true, true, 0, {} };
        auto drawHeader = [this, &header, &headerOpt]() { placeRow(header, headerOpt); };
        ensure(tableMinHeight(t));
        drawHeader();
        const RowOptions rowOpt { CellPadY, CellPadY, 0.25, 2, true, false, headerHeight, drawHeader };
        for (const auto& row : t.rows) {
            auto cells = rowCells(
                [&](std::size_t c) { return c < row.size() ? row[c] : std::string(); }, cellStyle(t), true);
            placeRow(cells, rowOpt);
        }
        m_y += 10;
    }

    void decoratePages(const TitleBlock& t)
    {
        const Style headStyle { FontStyle::Regular, 8, Role::PageHeader, Muted };
        const Style footStyle { FontStyle::Regular, 8, Role::PageFooter, Muted };
        std::string headLeft = t.documentTitle;
        if (!trim(t.family).empty())
            headLeft += (headLeft.empty() ? "" : " · ") + t.family;
        const std::string headRight = t.versionText;
        const std::size_t count = m_result.pages.size();
        const double headBase = top() - 30;
        const double footBase = bottom() + 34;
        for (std::size_t i = 0; i < count; ++i) {
            auto& items = m_result.pages[i].items;
            std::vector<DisplayItem> decor;
            auto put = [&](const std::string& text, const Style& style, double y, bool alignRight,
                           double maxWidth) {
                auto lines = wrap(text, style, maxWidth);
                if (lines.empty())
                    return;
                const Line& line = lines.front();
                const double x = alignRight ? right() - line.width : left();
                for (const Run& run : line.runs)
                    decor.emplace_back(TextItem {
                        x + run.x, y, run.face, style.size, run.text, run.width, style.role, style.color });
            };
            put(headLeft, headStyle, headBase, false, textWidth() * 0.62);
            put(headRight, headStyle, headBase, true, textWidth() * 0.36);
            decor.emplace_back(LineItem { left(), headBase + 6, right(), headBase + 6, 0.5, Rule });
            decor.emplace_back(LineItem { left(), footBase - 12, right(), footBase - 12, 0.5, Rule });
            put("Fortroligt – indeholder personoplysninger", footStyle, footBase, false, textWidth() * 0.7);
            put("Side " + std::to_string(i + 1) + " af " + std::to_string(count), footStyle, footBase, true,
                textWidth() * 0.28);
            items.insert(
                items.end(), std::make_move_iterator(decor.begin()), std::make_move_iterator(decor.end()));
        }
    }

    FontMetrics& m_fonts;
    LayoutResult m_result;
    double m_y = 0;
    double m_freshY = 0;
    std::set<char32_t> m_warned;
    std::set<std::string> m_warnedScripts;
    std::map<const Table*, std::vector<double>> m_widthCache;
};

} // namespace

LayoutResult layoutDocument(const RenderDocument& doc, FontMetrics& fonts, const PageGeometry& geometry)
{
    return Layouter(fonts, geometry).run(doc);
}

std::vector<std::string> pageTexts(const Page& page, Role role)
{
    std::vector<std::string> out;
    const TextItem* previous = nullptr;
    for (const auto& item : page.items) {
        const auto* text = std::get_if<TextItem>(&item);
        if (!text || text->role != role)
            continue;
        if (previous && std::fabs(previous->y - text->y) < Epsilon
            && std::fabs(previous->x + previous->width - text->x) < Epsilon)
            out.back() += text->text;
        else
            out.push_back(text->text);
        previous = text;
    }
    return out;
}

} // namespace fplan::docgen
