// SPDX-License-Identifier: EUPL-1.2
#include "docgen/render/layout.h"

#include "base/utf8.h"
#include "docgen/render/hyphenation.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <map>
#include <set>
#include <string_view>
#include <unordered_map>

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
// The smallest type outside the running header and footer: 9 pt stays readable on a phone.
constexpr double TableTypeSize = 9;
const Style CellStyle { FontStyle::Regular, TableTypeSize, Role::TableCell, Ink };
const Style CellHeaderStyle { FontStyle::Bold, TableTypeSize, Role::TableHeader, Ink };
// A long-text column narrower than this many average letters cannot be read as a table column.
constexpr double MinReadableLetters = 25;
// A column whose longest line is at most this share of the text width holds short values.
constexpr double ShortColumnShare = 0.2;

double lineHeight(double size)
{
    return size * LineFactor;
}

// Baseline below the top of a line box: ascent plus half the leading.
double baselineOffset(double size)
{
    return size * 1.04;
}

enum class BreakKind : unsigned char { None, Space, Soft, After };

struct Glyph {
    char32_t cp;
    int face;
    double advance; // 1/1000 em
    bool glue = false; // a space that does not break ("§ 85", "28. februar", inside a date)
    bool breakAfter = false; // a hard hyphen or dash inside a word: the line may end after it
};

struct Run {
    int face;
    std::string text;
    double x; // from the line's start
    double width;
    bool hyphen = false;
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
    int element = -1; // structure element of its text
    bool alignRight = false;
};

struct RowOptions {
    double padTop = 0;
    double padBottom = 0;
    double keepWholeBelow = 0; // rows lower than this share of the body height move whole
    std::size_t minLines = 2; // fewest lines of a split row left at a page's foot or head
    bool grid = false;
    bool fill = false;
    double repeatHeight = 0; // height of what onNewPage draws
    std::function<void()> onNewPage; // e.g. repeat a table's title and header row
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

bool isLetter(char32_t cp)
{
    return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z')
        || (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7) || (cp >= 0x370 && cp <= 0x52F);
}

bool isUpper(char32_t cp)
{
    return (cp >= 'A' && cp <= 'Z') || (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7);
}

bool isDigit(char32_t cp)
{
    return cp >= '0' && cp <= '9';
}

bool isDash(char32_t cp)
{
    return cp == 0x2013 || cp == 0x2014;
}

bool isSpace(char32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == 0xA0;
}

// The word (lower case letters) that starts at `from`.
std::u32string wordAt(const std::u32string& text, std::size_t from)
{
    std::u32string w;
    for (std::size_t i = from; i < text.size() && isLetter(text[i]); ++i)
        w += (text[i] >= 'A' && text[i] <= 'Z') ? text[i] + 32 : text[i];
    return w;
}

bool isMonth(const std::u32string& w)
{
    static const std::u32string months[] = { U"januar", U"februar", U"marts", U"april", U"maj", U"juni",
        U"juli", U"august", U"september", U"oktober", U"november", U"december", U"jan", U"feb", U"mar",
        U"apr", U"jun", U"jul", U"aug", U"sep", U"sept", U"okt", U"nov", U"dec" };
    for (const auto& m : months)
        if (w == m)
            return true;
    return false;
}

// Danish typesetting keeps some spaces unbroken: after "§", between a day and its month
// ("28. februar"), after "kl." before the time ("kl. 14.00"), and before a dash ("2026 – 2027").
bool gluedSpace(const std::u32string& text, std::size_t i)
{
    if (i == 0 || i + 1 >= text.size())
        return false;
    std::size_t p = i;
    while (p > 0 && isSpace(text[p - 1]))
        --p;
    if (p == 0)
        return false;
    const char32_t before = text[p - 1];
    const char32_t after = text[i + 1];
    if (before == U'§' || isDash(after))
        return true;
    if (before == '.' && p >= 2 && isDigit(text[p - 2]) && isMonth(wordAt(text, i + 1)))
        return true;
    if (before == '.' && p >= 3 && (text[p - 2] == 'l' || text[p - 2] == 'L')
        && (text[p - 3] == 'k' || text[p - 3] == 'K') && (p < 4 || !isLetter(text[p - 4])) && isDigit(after))
        return true;
    return false;
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
        m_result.structure.push_back(StructElement { StructTag::Document, -1 });
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

    int element(StructTag tag, int parent = 0)
    {
        m_result.structure.push_back(StructElement { tag, parent });
        return static_cast<int>(m_result.structure.size() - 1);
    }

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

    // Where a prose word may be hyphenated: lower-case Danish words (a capital mid-text is
    // mostly a name, which is never hyphenated), not touching digits or other symbols.
    void hyphenate(const std::u32string& text, std::vector<std::size_t>& softAfter)
    {
        std::size_t i = 0;
        while (i < text.size()) {
            if (!isLetter(text[i])) {
                ++i;
                continue;
            }
            std::size_t end = i;
            while (end < text.size() && isLetter(text[end]))
                ++end;
            const bool attached = (i > 0 && !isSpace(text[i - 1]) && text[i - 1] != '(' && text[i - 1] != '"'
                                      && text[i - 1] != 0x201C && text[i - 1] != '-' && text[i - 1] != '/'
                                      && text[i - 1] != '\n')
                || (end < text.size() && (isDigit(text[end]) || text[end] == '@' || text[end] == '_'));
            // A word bound to the one before by a no-break space ("28. februar") stays whole:
            // a hyphen in it would split what the no-break space keeps on one line.
            const bool bound
                = i > 0 && (text[i - 1] == 0xA0 || (text[i - 1] == ' ' && gluedSpace(text, i - 1)));
            if (end - i >= 5 && !isUpper(text[i]) && !attached && !bound) {
                std::string word;
                for (std::size_t k = i; k < end; ++k)
                    utf8::append(word, text[k]);
                for (std::size_t after : m_hyphenator.breaks(word))
                    softAfter.push_back(i + after - 1);
            }
            i = end;
        }
    }

    // Text as glyphs with its break rules: a `kind` of Atomic or Number never breaks, Name and
    // Period break at spaces only, Prose also after hard hyphens and at hyphenation points.
    // shape(), remembered: a table's cells are measured (extent) before they are wrapped, and a
    // text is set again when a table moves from one form to the other; each text is shaped and
    // hyphenated once.
    const std::vector<Glyph>& shaped(std::string_view text, FontStyle style, TextKind kind)
    {
        std::string key;
        key.reserve(text.size() + 2);
        key += static_cast<char>('0' + static_cast<int>(style));
        key += static_cast<char>('0' + static_cast<int>(kind));
        key += text;
        if (auto it = m_shaped.find(key); it != m_shaped.end())
            return it->second;
        return m_shaped.emplace(std::move(key), shape(text, style, kind)).first->second;
    }

    std::vector<Glyph> shape(std::string_view text, FontStyle style, TextKind kind)
    {
        std::u32string cps;
        cps.reserve(text.size());
        for (std::size_t pos = 0; pos < text.size();)
            cps += utf8::next(text, pos);
        std::vector<std::size_t> softAfter;
        if (kind == TextKind::Prose)
            hyphenate(cps, softAfter);
        std::size_t nextSoft = 0;
        const bool unbreakable = kind == TextKind::Atomic || kind == TextKind::Number;
        const int hyphenFace = m_fonts.faceFor(style, '-');
        const double hyphenAdvance = m_fonts.advance(hyphenFace, '-');
        std::vector<Glyph> glyphs;
        glyphs.reserve(cps.size() + cps.size() / 4);
        for (std::size_t k = 0; k < cps.size(); ++k) {
            char32_t cp = cps[k];
            if (cp == '\t')
                cp = ' ';
            if (cp == '\r' || (cp < 0x20 && cp != '\n') || (cp >= 0x7F && cp < 0xA0) || cp == 0x200B
                || cp == 0xFEFF)
                continue; // control characters and invisible marks have no place on paper
            if (cp == SoftHyphen) {
                // A place to break a long word ("Opfølgnings\u00ADstatus"); carries the hyphen's width.
                if (!unbreakable)
                    glyphs.push_back({ cp, hyphenFace, hyphenAdvance });
                continue;
            }
            if (cp == '\n') {
                glyphs.push_back({ cp, -1, 0 });
                continue;
            }
            bool glue = false;
            if (cp == ' ' || cp == 0xA0) {
                glue = cp == 0xA0 || unbreakable || gluedSpace(cps, k);
                cp = ' ';
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
            Glyph g { cp, face, m_fonts.advance(face, cp), glue };
            // "Ringkøbing-Skjern" may end a line after its hyphen; "20.01.2026–12.06.2026" after its dash.
            if (!unbreakable && (cp == '-' || isDash(cp)) && k > 0 && k + 1 < cps.size()
                && !isSpace(cps[k - 1]) && !isSpace(cps[k + 1]) && cps[k + 1] != '\n'
                && (kind == TextKind::Prose || isDash(cp) || isLetter(cps[k - 1])))
                g.breakAfter = true;
            glyphs.push_back(g);
            while (nextSoft < softAfter.size() && softAfter[nextSoft] < k)
                ++nextSoft;
            if (nextSoft < softAfter.size() && softAfter[nextSoft] == k)
                glyphs.push_back({ SoftHyphen, hyphenFace, hyphenAdvance });
        }
        return glyphs;
    }

    // The glyphs [from, to) as runs of one face each; `hyphenAt` is a soft hyphen the line ends at.
    // A line that ends at a space keeps one, of no width, so that text read from the PDF's
    // structure has its words apart ("at\nfå", not "atfå").
    Line makeLine(const std::vector<Glyph>& glyphs, std::size_t from, std::size_t to, double size,
        const Glyph* hyphenAt = nullptr, bool spaceAfter = false)
    {
        while (to > from && glyphs[to - 1].cp == ' ')
            --to;
        while (from < to && glyphs[from].cp == ' ' && !glyphs[from].glue)
            ++from;
        Line line;
        double x = 0;
        for (std::size_t i = from; i < to; ++i) {
            const Glyph& g = glyphs[i];
            if (g.cp == SoftHyphen)
                continue; // not broken here: invisible
            const double w = g.advance * size / 1000.0;
            if (line.runs.empty() || line.runs.back().face != g.face)
                line.runs.push_back(Run { g.face, {}, x, 0 });
            utf8::append(line.runs.back().text, g.cp);
            line.runs.back().width += w;
            x += w;
        }
        if (hyphenAt) {
            const double w = hyphenAt->advance * size / 1000.0;
            line.runs.push_back(Run { hyphenAt->face, "-", x, w, true });
            x += w;
        } else if (spaceAfter && !line.runs.empty()) {
            line.runs.back().text += ' ';
        }
        line.width = x;
        return line;
    }

    // Greedy line breaking at the glyphs' break points; a piece longer than the line is broken
    // where it overflows (counted in forcedBreaks: the column sizing is there to prevent it).
    std::vector<Line> wrapGlyphs(const std::vector<Glyph>& glyphs, double size, double maxWidth)
    {
        std::vector<Line> lines;
        std::size_t start = 0;
        double width = 0; // of [start, i)
        double rest = 0; // of the glyphs after the last break point
        std::size_t brk = std::string::npos;
        BreakKind kind = BreakKind::None;
        for (std::size_t i = 0; i < glyphs.size(); ++i) {
            const Glyph& g = glyphs[i];
            if (g.cp == '\n') {
                lines.push_back(makeLine(glyphs, start, i, size, nullptr, true));
                start = i + 1;
                width = rest = 0;
                brk = std::string::npos;
                continue;
            }
            const double w = g.advance * size / 1000.0;
            if (g.cp == SoftHyphen) {
                if (width + w <= maxWidth + Epsilon) { // the hyphen itself must fit
                    brk = i;
                    kind = BreakKind::Soft;
                    rest = 0;
                }
                continue;
            }
            if (g.cp == ' ' && !g.glue) {
                brk = i;
                kind = BreakKind::Space;
                width += w;
                rest = 0;
                continue;
            }
            while (width + w > maxWidth + Epsilon && i > start) {
                if (brk != std::string::npos && brk >= start) {
                    if (kind == BreakKind::After) {
                        lines.push_back(makeLine(glyphs, start, brk + 1, size));
                    } else {
                        lines.push_back(makeLine(glyphs, start, brk, size,
                            kind == BreakKind::Soft ? &glyphs[brk] : nullptr, kind == BreakKind::Space));
                    }
                    start = brk + 1;
                    width = rest;
                    brk = std::string::npos;
                } else {
                    lines.push_back(makeLine(glyphs, start, i, size));
                    ++m_result.forcedBreaks;
                    start = i;
                    width = rest = 0;
                }
            }
            width += w;
            rest += w;
            if (g.breakAfter) {
                brk = i;
                kind = BreakKind::After;
                rest = 0;
            }
        }
        if (start < glyphs.size())
            lines.push_back(makeLine(glyphs, start, glyphs.size(), size));
        return lines;
    }

    std::vector<Line> wrap(
        std::string_view text, const Style& style, double maxWidth, TextKind kind = TextKind::Prose)
    {
        return wrapGlyphs(shaped(text, style.font, kind), style.size, maxWidth);
    }

    // Paragraphs of a text, wrapped, with an empty line between paragraphs.
    std::vector<Line> wrapParagraphs(
        std::string_view text, const Style& style, double maxWidth, TextKind kind = TextKind::Prose)
    {
        std::vector<Line> lines;
        for (const auto& para : splitParagraphs(text)) {
            if (!lines.empty()) {
                if (!lines.back().runs.empty()) // read from the structure, paragraphs stay apart
                    lines.back().runs.back().text += ' ';
                lines.emplace_back();
            }
            auto wrapped = wrap(para, style, maxWidth, kind);
            lines.insert(lines.end(), std::make_move_iterator(wrapped.begin()),
                std::make_move_iterator(wrapped.end()));
        }
        return lines;
    }

    // The narrowest a text can be set without breaking a word (its longest unbreakable piece,
    // with the hyphen where it ends at a hyphenation point) and its natural width (the longest
    // line when nothing wraps).
    struct Extent {
        double min = 0;
        double max = 0;
    };

    Extent extent(std::string_view text, const Style& style, TextKind kind)
    {
        const auto& glyphs = shaped(text, style.font, kind);
        Extent e;
        double piece = 0;
        double line = 0;
        const double k = style.size / 1000.0;
        for (const Glyph& g : glyphs) {
            if (g.cp == '\n') {
                piece = line = 0;
                continue;
            }
            if (g.cp == SoftHyphen) {
                e.min = std::max(e.min, piece + g.advance * k);
                piece = 0;
                continue;
            }
            line += g.advance * k;
            e.max = std::max(e.max, line);
            if (g.cp == ' ' && !g.glue) {
                piece = 0;
                continue;
            }
            piece += g.advance * k;
            e.min = std::max(e.min, piece);
            if (g.breakAfter)
                piece = 0;
        }
        return e;
    }

    void drawLine(const Line& line, double x, double baseline, const Style& style, int elem)
    {
        for (const Run& run : line.runs) {
            TextItem item { x + run.x, baseline, run.face, style.size, run.text, run.width, style.role,
                style.color };
            item.element = elem;
            item.hyphen = run.hyphen;
            page().items.emplace_back(std::move(item));
        }
    }

    void hrule(double x1, double x2, double y, double width, const Color& color)
    {
        page().items.emplace_back(LineItem { x1, y, x2, y, width, color });
    }

    // Places a row of cells that share one line height; splits it across pages if it is long,
    // never leaving fewer than `minLines` lines at a page's foot or at the next page's head.
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
            std::size_t take = std::min(fit, remaining);
            // No widow: what goes on to the next page is at least `minLines` lines too.
            if (remaining - take > 0 && remaining - take < opt.minLines)
                take = remaining >= 2 * opt.minLines ? remaining - opt.minLines : 0;
            if (take > 0 && take < opt.minLines)
                take = 0;
            if (!moved && !fresh() && (keepWhole || take == 0)) {
                breakPage(opt);
                moved = true;
                continue;
            }
            if (take == 0) // nothing better on an empty page: fill it
                take = std::max<std::size_t>(1, std::min(fit, remaining));
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
                const Line& line = cell.lines[i];
                const double x = cell.alignRight ? cell.x + cell.width - line.width : cell.x;
                drawLine(line, x, lineTop + baselineOffset(cell.style.size), cell.style, cell.element);
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
        auto put = [&](const std::string& text, const Style& style, double after, StructTag tag) {
            if (trim(text).empty())
                return;
            const int elem = element(tag);
            for (const auto& line : wrap(text, style, textWidth(), TextKind::Name)) {
                drawLine(line, left(), m_y + baselineOffset(style.size), style, elem);
                m_y += lineHeight(style.size);
            }
            m_y += after;
        };
        put(t.municipality, municipality, 4, StructTag::P);
        put(t.documentTitle, title, 2, StructTag::H1);
        put(t.family, family, 4, StructTag::P);
        std::string metaLine;
        auto add = [&](const std::string& part) {
            if (trim(part).empty())
                return;
            if (!metaLine.empty())
                metaLine += "   ·   ";
            metaLine += part;
        };
        if (!trim(t.date).empty())
            add("Dato:\u00A0" + t.date);
        add(t.versionText);
        if (!trim(t.journalNumber).empty())
            add("Journalnr.\u00A0" + t.journalNumber);
        // The version's id on a line of its own, so that it is never broken.
        const bool withId = !trim(t.versionId).empty();
        put(metaLine, meta, withId ? 2 : 6, StructTag::P);
        if (withId)
            put("Versionens id:\u00A0" + t.versionId, meta, 6, StructTag::P);
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
        if (level == 2)
            return { Style { FontStyle::Bold, 11, Role::Heading, Ink }, 9, 4 };
        return { Style { FontStyle::Bold, 10, Role::Heading, Ink }, 8, 3 };
    }

    static StructTag headingTag(int level)
    {
        // The document's title is H1; sections are H2, subsections H3, a table's row blocks H4.
        return level <= 1 ? StructTag::H2 : level == 2 ? StructTag::H3 : StructTag::H4;
    }

    // The least of a block that must share the page with the heading or label above it: two
    // lines of what follows.
    double minHeight(const Block& block)
    {
        if (const auto* h = std::get_if<Heading>(&block)) {
            const auto m = headingMetrics(h->level);
            return m.before + lineHeight(m.style.size) + m.after + 2 * lineHeight(BodyStyle.size);
        }
        if (const auto* t = std::get_if<Table>(&block))
            return tableMinHeight(*t);
        if (const auto* c = std::get_if<Chart>(&block))
            return chartHeight(*c);
        if (std::holds_alternative<Signatures>(block))
            return signatureHeight();
        if (const auto* f = std::get_if<FieldList>(&block)) {
            for (const auto& field : f->fields)
                if (!trim(field.value).empty())
                    return (field.labelAbove ? 3 : 2) * lineHeight(BodyStyle.size) + 4;
        }
        return 2 * lineHeight(BodyStyle.size) + 4;
    }

    // A table's header row and two lines of its first row (or, set as rows, the first row's
    // heading and two lines).
    double tableMinHeight(const Table& t)
    {
        if (t.rows.empty() || t.columns.empty())
            return lineHeight(BodyStyle.size);
        const auto& plan = tablePlan(t);
        if (plan.rows)
            return headingMetrics(3).before + 3 * lineHeight(BodyStyle.size);
        std::size_t headerLines = 1;
        for (std::size_t c = 0; c < t.columns.size(); ++c)
            headerLines = std::max(headerLines,
                wrap(t.columns[c].header, CellHeaderStyle, plan.widths[c] - 2 * CellPadX).size());
        std::size_t firstRow = 1;
        for (std::size_t c = 0; c < t.columns.size() && c < t.rows.front().size(); ++c)
            firstRow = std::max(firstRow,
                wrapParagraphs(t.rows.front()[c], CellStyle, plan.widths[c] - 2 * CellPadX, t.columns[c].kind)
                    .size());
        return 4 * CellPadY
            + static_cast<double>(headerLines + std::min<std::size_t>(firstRow, 2))
            * lineHeight(CellStyle.size);
    }

    static Cell cell(std::vector<Line> lines, double x, double width, const Style& style, int elem)
    {
        Cell c { std::move(lines), x, width, style, x, width };
        c.element = elem;
        return c;
    }

    void headingLines(const std::string& text, int level, const Block* next, double nextMin)
    {
        const auto m = headingMetrics(level);
        const double width = textWidth();
        auto lines = wrap(text, m.style, width, TextKind::Name);
        const double own = static_cast<double>(lines.size()) * lineHeight(m.style.size) + m.after;
        const double before = atTop() ? 0 : m.before;
        ensure(before + own + (next ? minHeight(*next) : nextMin));
        if (!atTop())
            m_y += m.before;
        if (level <= 2)
            m_result.bookmarks.push_back(Bookmark { text, level, m_result.pages.size() - 1, m_y });
        const int elem = element(headingTag(level));
        for (const auto& line : lines) {
            drawLine(line, left(), m_y + baselineOffset(m.style.size), m.style, elem);
            m_y += lineHeight(m.style.size);
        }
        if (level <= 1)
            hrule(left(), right(), m_y + 1.5, 0.6, Rule);
        m_y += m.after;
    }

    void place(const Heading& h, const Block* next)
    {
        m_level = h.level;
        headingLines(h.text, h.level, next, 0);
    }

    // A chart: its title, the plot with the values at the points, the months under it, and the
    // numbers again as text. The graphics are artifacts; the title and the text are what a
    // screen reader reads. Black lines and square markers: readable in black and white.
    static constexpr double ChartPlotHeight = 64;
    static constexpr double ChartAxisRoom = 26; // left of the plot, for the scale
    static constexpr double ChartValueRoom = 11; // above the plot, for the top value's label
    static constexpr double ChartMonthRoom = 25; // under the plot: month, and year when it changes
    const Style ChartTitleStyle { FontStyle::Bold, 9.5, Role::Label, Ink };
    // 9 pt like table text: the smallest that stays readable on a phone.
    const Style ChartTextStyle { FontStyle::Regular, TableTypeSize, Role::Body, Muted };
    const Style ChartMarkStyle { FontStyle::Regular, TableTypeSize, Role::Body, Ink };
    const Style ChartScaleStyle { FontStyle::Regular, TableTypeSize, Role::Body, Muted };

    double chartHeight(const Chart& c)
    {
        return static_cast<double>(wrap(c.title, ChartTitleStyle, textWidth(), TextKind::Name).size())
            * lineHeight(ChartTitleStyle.size)
            + ChartValueRoom + ChartPlotHeight + ChartMonthRoom
            + static_cast<double>(wrap(c.text, ChartTextStyle, textWidth()).size())
            * lineHeight(ChartTextStyle.size)
            + 12;
    }

    // One line of artifact text (no structure element) centred on x, or right-aligned to it.
    void chartLabel(const std::string& text, const Style& style, double x, double baseline, bool alignRight)
    {
        const auto lines = wrap(text, style, 1000, TextKind::Atomic);
        if (lines.empty())
            return;
        const double width = lines.front().width;
        drawLine(lines.front(), alignRight ? x - width : x - width / 2, baseline, style, -1);
    }

    void place(const Chart& c, const Block*)
    {
        static constexpr const char* Months[]
            = { "jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec" };
        ensure(chartHeight(c));
        const int titleElem = element(StructTag::P);
        for (const auto& line : wrap(c.title, ChartTitleStyle, textWidth(), TextKind::Name)) {
            drawLine(line, left(), m_y + baselineOffset(ChartTitleStyle.size), ChartTitleStyle, titleElem);
            m_y += lineHeight(ChartTitleStyle.size);
        }
        const double x0 = left() + ChartAxisRoom;
        const double x1 = right() - 8;
        const double top = m_y + ChartValueRoom;
        const double base = top + ChartPlotHeight;
        const double yMax = c.yMax > 0 ? c.yMax : 1;
        const auto yOf = [&](double v) { return base - std::clamp(v, 0.0, yMax) / yMax * ChartPlotHeight; };
        for (double v : { 0.0, yMax / 2, yMax }) {
            if (v > 0)
                page().items.emplace_back(LineItem { x0, yOf(v), x1, yOf(v), 0.4, Rule });
            chartLabel(formatScale(v), ChartScaleStyle, x0 - 4, yOf(v) + 2.5, true);
        }
        page().items.emplace_back(LineItem { x0, top, x0, base, 0.8, Ink });
        page().items.emplace_back(LineItem { x0, base, x1, base, 0.8, Ink });
        if (!c.points.empty()) {
            const int first = c.points.front().month;
            const int count = c.points.back().month - first + 1;
            const double slot = (x1 - x0) / count;
            const auto xOf = [&](int month) { return x0 + slot * (month - first + 0.5); };
            const int every = std::max(1, static_cast<int>(std::ceil(24.0 / slot)));
            for (int m = first; m < first + count; ++m) {
                page().items.emplace_back(LineItem { xOf(m), base, xOf(m), base + 3, 0.6, Ink });
                if ((m - first) % every != 0)
                    continue;
                chartLabel(Months[m % 12], ChartScaleStyle, xOf(m), base + 12, false);
                if (m == first || m % 12 == 0)
                    chartLabel(std::to_string(m / 12), ChartScaleStyle, xOf(m), base + 22, false);
            }
            for (std::size_t i = 0; i + 1 < c.points.size(); ++i) {
                const auto& a = c.points[i];
                const auto& b = c.points[i + 1];
                if (b.month == a.month + 1) // a month without a number stays a gap
                    page().items.emplace_back(
                        LineItem { xOf(a.month), yOf(a.value), xOf(b.month), yOf(b.value), 1.3, Ink });
            }
            for (const auto& p : c.points) {
                page().items.emplace_back(RectItem { xOf(p.month) - 2.2, yOf(p.value) - 2.2, 4.4, 4.4, Ink });
                chartLabel(p.valueText, ChartMarkStyle, xOf(p.month), yOf(p.value) - 4.5, false);
            }
        }
        m_y = base + ChartMonthRoom;
        const int textElem = element(StructTag::P);
        for (const auto& line : wrap(c.text, ChartTextStyle, textWidth())) {
            drawLine(line, left(), m_y + baselineOffset(ChartTextStyle.size), ChartTextStyle, textElem);
            m_y += lineHeight(ChartTextStyle.size);
        }
        m_y += 12;
    }

    // Per person: the name, room to write, then "Dato" and "Underskrift" on one baseline, each
    // followed by a line to write on. One P per person keeps the three words together for a
    // screen reader; the lines are artifacts. A person's block never breaks across pages.
    static constexpr double SignatureWriteRoom = 22; // between the name and the lines
    static constexpr double SignatureDateLine = 110; // points of line after "Dato"
    static constexpr double SignatureGap = 14;

    double signatureHeight() const
    {
        return 2 * lineHeight(BodyStyle.size) + SignatureWriteRoom + SignatureGap;
    }

    void place(const Signatures& s, const Block*)
    {
        for (const auto& name : s.names) {
            ensure(signatureHeight());
            const int elem = element(StructTag::P);
            for (const auto& line : wrap(name, LabelStyle, textWidth(), TextKind::Name)) {
                drawLine(line, left(), m_y + baselineOffset(LabelStyle.size), LabelStyle, elem);
                m_y += lineHeight(LabelStyle.size);
            }
            m_y += SignatureWriteRoom;
            const double baseline = m_y + baselineOffset(BodyStyle.size);
            // A word, then its line from just after it to `end`; returns where the line ends.
            const auto labelled = [&](const char* word, double x, double end) {
                const auto lines = wrap(word, BodyStyle, textWidth(), TextKind::Atomic);
                drawLine(lines.front(), x, baseline, BodyStyle, elem);
                const double from = x + lines.front().width + 4;
                page().items.emplace_back(LineItem { from, baseline + 1.5, end, baseline + 1.5, 0.6, Ink });
                return end;
            };
            const double dateEnd = labelled("Dato", left(), left() + 30 + SignatureDateLine);
            labelled("Underskrift", dateEnd + 18, right());
            m_y += lineHeight(BodyStyle.size) + SignatureGap;
        }
    }

    // The scale's numbers: whole where they are whole, else one decimal with a comma.
    static std::string formatScale(double v)
    {
        const long whole = std::lround(v * 10);
        return whole % 10 == 0 ? std::to_string(whole / 10)
                               : std::to_string(whole / 10) + "," + std::to_string(whole % 10);
    }

    static constexpr double FieldGap = 8; // between fields: more than between a field's paragraphs
    static constexpr double ParagraphGap = 4;

    // Label-value pairs: a list whose items are a label (Lbl) and its value (LBody). Long text
    // has its label above it at full width; every other type sits beside its label.
    void place(const FieldList& list, const Block*)
    {
        const double labelWidth = std::round(textWidth() * 0.32);
        const double gap = 10;
        const double valueWidth = textWidth() - labelWidth - gap;
        const double lh = lineHeight(BodyStyle.size);
        // The last field does not go alone to the next page: the one before it, if short, goes
        // with it (a row block's "Opfølgningsstatus  Afsluttes" alone at the head of a page
        // says nothing). Found first: the last two printed fields and the last one's height.
        const FieldValue* last = nullptr;
        const FieldValue* beforeLast = nullptr;
        for (const auto& field : list.fields)
            if (!trim(field.value).empty()) {
                beforeLast = last;
                last = &field;
            }
        const double lastHeight = last && !last->labelAbove
            ? static_cast<double>(std::max(wrap(last->label, LabelStyle, labelWidth, TextKind::Name).size(),
                  wrapParagraphs(trim(last->value), BodyStyle, valueWidth, last->kind).size()))
                * lh
            : 0;
        int listElem = -1;
        for (const auto& field : list.fields) {
            const std::string value = trim(field.value);
            if (value.empty())
                continue;
            if (listElem < 0)
                listElem = element(StructTag::L);
            const int item = element(StructTag::LI, listElem);
            const int lbl = element(StructTag::Lbl, item);
            const int body = element(StructTag::LBody, item);
            if (field.labelAbove) {
                auto labelLines = wrap(field.label, LabelStyle, textWidth(), TextKind::Name);
                const auto paragraphs = splitParagraphs(value);
                std::vector<std::vector<Line>> wrapped;
                for (const auto& para : paragraphs)
                    wrapped.push_back(wrap(para, BodyStyle, textWidth(), field.kind));
                // The label travels with at least two lines of its text.
                const std::size_t firstLines
                    = wrapped.empty() ? 0 : std::min<std::size_t>(2, wrapped[0].size());
                ensure(static_cast<double>(labelLines.size() + firstLines) * lh + 1);
                for (const auto& line : labelLines) {
                    drawLine(line, left(), m_y + baselineOffset(LabelStyle.size), LabelStyle, lbl);
                    m_y += lh;
                }
                m_y += 1;
                for (std::size_t p = 0; p < wrapped.size(); ++p)
                    placeRow({ cell(std::move(wrapped[p]), left(), textWidth(), BodyStyle,
                                 wrapped.size() > 1 ? element(StructTag::P, body) : body) },
                        simpleRow(0, p + 1 < wrapped.size() ? ParagraphGap : 0, 0, 2));
                m_y += FieldGap;
                continue;
            }
            std::vector<Cell> cells { cell(wrap(field.label, LabelStyle, labelWidth, TextKind::Name), left(),
                                          labelWidth, LabelStyle, lbl),
                cell(wrapParagraphs(value, BodyStyle, valueWidth, field.kind), left() + labelWidth + gap,
                    valueWidth, BodyStyle, body) };
            const double own
                = static_cast<double>(std::max(cells[0].lines.size(), cells[1].lines.size())) * lh;
            if (&field == beforeLast && lastHeight > 0 && own + lastHeight <= 4 * lh)
                ensure(own + FieldGap + lastHeight);
            placeRow(cells, simpleRow(0, FieldGap, 0.3, 2));
        }
        m_y += 2;
    }

    void place(const Paragraph& p, const Block*)
    {
        const auto paragraphs = splitParagraphs(p.text);
        for (const auto& para : paragraphs) {
            auto lines = wrap(para, BodyStyle, textWidth());
            if (lines.empty())
                continue;
            placeRow({ cell(std::move(lines), left(), textWidth(), BodyStyle, element(StructTag::P)) },
                simpleRow(0, 6, 0, 2));
        }
    }

    void place(const BulletList& list, const Block*)
    {
        const double indent = 14;
        int listElem = -1;
        for (const auto& item : list.items) {
            const std::string text = trim(item);
            if (text.empty())
                continue;
            if (listElem < 0)
                listElem = element(StructTag::L);
            const int li = element(StructTag::LI, listElem);
            const int lbl = element(StructTag::Lbl, li);
            const int body = element(StructTag::LBody, li);
            std::vector<Cell> cells { cell(wrap("•", BodyStyle, indent), left() + 3, indent, BodyStyle, lbl),
                cell(wrapParagraphs(text, BodyStyle, textWidth() - indent - 3), left() + 3 + indent,
                    textWidth() - indent - 3, BodyStyle, body) };
            placeRow(cells, simpleRow(0, 3, 0.2, 2));
        }
        m_y += 4;
    }

    static constexpr double CellPadX = 3.5;
    static constexpr double CellPadY = 3;

    struct TablePlan {
        bool rows = false; // set as one block per row
        std::vector<double> widths;
    };

    // Column widths the way CSS 2.1's automatic table layout finds them: each column's minimum
    // is its longest unbreakable piece (header included), its maximum its longest line. When
    // every column can have its maximum, the spare width goes by the template's hints; else each
    // column gets its minimum plus a share of the rest in proportion to how much more it wants.
    // A table whose minimums do not fit, or whose long-text columns would be narrower than about
    // 25 letters even with all the room the other columns can give, is set as rows instead.
    const TablePlan& tablePlan(const Table& t)
    {
        if (auto it = m_planCache.find(&t); it != m_planCache.end())
            return it->second;
        const std::size_t n = t.columns.size();
        const double pad = 2 * CellPadX + 0.5;
        std::vector<double> minW(n), maxW(n), hint(n);
        for (std::size_t c = 0; c < n; ++c) {
            const Extent h = extent(t.columns[c].header, CellHeaderStyle, TextKind::Prose);
            Extent e = h;
            for (const auto& row : t.rows)
                if (c < row.size()) {
                    const Extent v = extent(row[c], CellStyle, t.columns[c].kind);
                    e.min = std::max(e.min, v.min);
                    e.max = std::max(e.max, v.max);
                }
            minW[c] = e.min + pad;
            maxW[c] = std::max(e.max, h.min) + pad;
            hint[c] = t.columns[c].widthHint > 0 ? t.columns[c].widthHint : 1.0;
        }
        const double W = textWidth();
        double sumMin = 0, sumMax = 0, sumHint = 0;
        for (std::size_t c = 0; c < n; ++c) {
            sumMin += minW[c];
            sumMax += maxW[c];
            sumHint += hint[c];
        }
        TablePlan plan;
        plan.widths.resize(n);
        if (sumMax <= W) {
            for (std::size_t c = 0; c < n; ++c)
                plan.widths[c] = maxW[c] + (W - sumMax) * hint[c] / sumHint;
        } else if (sumMin <= W) {
            // Columns of short values (a name, a role, a status) first get their whole width if
            // the long ones still fit: "Sundhedsplejerske" stays one word while a description
            // can wrap instead.
            std::vector<bool> fixed(n, false);
            double fixedWidth = 0, restMin = 0, restMax = 0;
            for (std::size_t c = 0; c < n; ++c) {
                fixed[c] = maxW[c] <= W * ShortColumnShare;
                fixedWidth += fixed[c] ? maxW[c] : 0;
                restMin += fixed[c] ? 0 : minW[c];
                restMax += fixed[c] ? 0 : maxW[c];
            }
            if (fixedWidth + restMin > W || restMax <= restMin) {
                std::fill(fixed.begin(), fixed.end(), false);
                fixedWidth = 0;
                restMin = sumMin;
                restMax = sumMax;
            }
            for (std::size_t c = 0; c < n; ++c)
                plan.widths[c] = fixed[c]
                    ? maxW[c]
                    : minW[c] + (maxW[c] - minW[c]) * (W - fixedWidth - restMin) / (restMax - restMin);
        } else {
            plan.rows = true;
            for (std::size_t c = 0; c < n; ++c) // only used when the template insists on a table
                plan.widths[c] = minW[c] * W / sumMin;
        }
        if (!plan.rows && sumMax > W) {
            // A long-text column at its best: all the width the other columns can spare.
            const double letter = averageLetter(CellStyle);
            for (std::size_t c = 0; c < n; ++c) {
                if (t.columns[c].kind != TextKind::Prose || maxW[c] <= plan.widths[c] + Epsilon)
                    continue;
                const double best = W - (sumMin - minW[c]);
                if (best < std::min(maxW[c], MinReadableLetters * letter + pad) - Epsilon)
                    plan.rows = true;
            }
        }
        if (t.layout == TableLayout::Table)
            plan.rows = false;
        else if (t.layout == TableLayout::Rows)
            plan.rows = true;
        return m_planCache.emplace(&t, std::move(plan)).first->second;
    }

    // The average advance of a letter in Danish running text.
    double averageLetter(const Style& style)
    {
        static constexpr std::string_view sample
            = "Familien har brug for hjælp til at få hverdagen til at hænge sammen";
        const auto glyphs = shape(sample, style.font, TextKind::Name);
        double sum = 0;
        for (const auto& g : glyphs)
            sum += g.advance;
        return sum * style.size / 1000.0 / static_cast<double>(glyphs.size());
    }

    void place(const Table& t, const Block* next)
    {
        if (t.columns.empty())
            return;
        if (t.rows.empty()) {
            const Style empty { FontStyle::Regular, 10, Role::Body, Muted };
            auto lines = wrap(t.emptyText, empty, textWidth());
            placeRow({ cell(std::move(lines), left(), textWidth(), empty, element(StructTag::P)) },
                simpleRow(0, 8, 0, 1));
            return;
        }
        if (tablePlan(t).rows)
            placeRows(t, next);
        else
            placeTable(t);
    }

    // A table too wide to read as one: each row a block, headed by its first column, then its
    // other columns as label-value lines.
    void placeRows(const Table& t, const Block*)
    {
        const int level = std::min(m_level + 1, 3);
        for (std::size_t r = 0; r < t.rows.size(); ++r) {
            const auto& row = t.rows[r];
            std::string heading = row.empty() ? std::string() : trim(row[0]);
            if (heading.empty())
                heading = (t.title.empty() ? t.columns[0].header : t.title) + " " + std::to_string(r + 1);
            FieldList fields;
            for (std::size_t c = 1; c < t.columns.size() && c < row.size(); ++c)
                fields.fields.push_back(FieldValue { t.columns[c].header, row[c], t.columns[c].kind,
                    t.columns[c].kind == TextKind::Prose && rowValueIsLong(row[c]) });
            const Block body = fields;
            if (r > 0 && !atTop())
                hrule(left(), right(), m_y + 2, 0.4, Rule);
            const int saved = m_level;
            headingLines(heading, level, &body, 0);
            m_level = saved;
            place(fields, nullptr);
        }
        m_y += 6;
    }

    // Prose that would take more than a line beside its label goes under it (the field rule).
    bool rowValueIsLong(const std::string& value)
    {
        const double valueWidth = textWidth() - std::round(textWidth() * 0.32) - 10;
        return extent(value, BodyStyle, TextKind::Prose).max > valueWidth * 1.5;
    }

    void placeTable(const Table& t)
    {
        const auto widths = tablePlan(t).widths;
        const int tableElem = element(StructTag::Table);
        auto rowCells = [&](auto&& textOf, const Style& style, bool header, int rowElem) {
            std::vector<Cell> cells;
            double x = left();
            for (std::size_t c = 0; c < t.columns.size(); ++c) {
                const double inner = widths[c] - 2 * CellPadX;
                const std::string text = textOf(c);
                Cell cl { header ? wrap(text, style, inner)
                                 : wrapParagraphs(text, style, inner, t.columns[c].kind),
                    x + CellPadX, inner, style, x, widths[c] };
                cl.alignRight = t.columns[c].kind == TextKind::Number;
                if (rowElem >= 0)
                    cl.element = element(header ? StructTag::TH : StructTag::TD, rowElem);
                cells.push_back(std::move(cl));
                x += widths[c];
            }
            return cells;
        };
        auto headerText = [&](std::size_t c) { return t.columns[c].header; };
        const auto header = rowCells(headerText, CellHeaderStyle, true, element(StructTag::TR, tableElem));
        auto repeated = header; // on later pages the header row is a repetition: an artifact
        for (auto& c : repeated)
            c.element = -1;
        std::size_t headerLines = 1;
        for (const auto& h : header)
            headerLines = std::max(headerLines, h.lines.size());
        const double headerHeight
            = 2 * CellPadY + static_cast<double>(headerLines) * lineHeight(CellHeaderStyle.size);
        const auto title = headingMetrics(std::min(m_level + 1, 3));
        const std::string continued = t.title.empty() ? std::string() : t.title + " (fortsat)";
        const double titleHeight = continued.empty() ? 0 : lineHeight(title.style.size) + title.after;
        const RowOptions headerOpt { CellPadY, CellPadY, 1, 1, true, true, 0, {} };
        auto drawRepeat = [this, &repeated, &headerOpt, &continued, title]() {
            if (!continued.empty()) {
                for (const auto& line : wrap(continued, title.style, textWidth(), TextKind::Name)) {
                    drawLine(line, left(), m_y + baselineOffset(title.style.size), title.style, -1);
                    m_y += lineHeight(title.style.size);
                }
                m_y += title.after;
            }
            placeRow(repeated, headerOpt);
        };
        ensure(tableMinHeight(t));
        placeRow(header, headerOpt);
        const RowOptions rowOpt { CellPadY, CellPadY, 0.25, 2, true, false, headerHeight + titleHeight,
            drawRepeat };
        for (const auto& row : t.rows) {
            const int tr = element(StructTag::TR, tableElem);
            auto cells = rowCells(
                [&](std::size_t c) { return c < row.size() ? row[c] : std::string(); }, CellStyle, false, tr);
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
                auto lines = wrap(text, style, maxWidth, TextKind::Name);
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
    Hyphenator m_hyphenator;
    LayoutResult m_result;
    double m_y = 0;
    double m_freshY = 0;
    int m_level = 1; // of the last heading: a table's title and row headings sit one below it
    std::set<char32_t> m_warned;
    std::set<std::string> m_warnedScripts;
    std::map<const Table*, TablePlan> m_planCache;
    std::unordered_map<std::string, std::vector<Glyph>> m_shaped;
};

} // namespace

const char* toString(StructTag tag)
{
    switch (tag) {
    case StructTag::Document:
        return "Document";
    case StructTag::H1:
        return "H1";
    case StructTag::H2:
        return "H2";
    case StructTag::H3:
        return "H3";
    case StructTag::H4:
        return "H4";
    case StructTag::P:
        return "P";
    case StructTag::L:
        return "L";
    case StructTag::LI:
        return "LI";
    case StructTag::Lbl:
        return "Lbl";
    case StructTag::LBody:
        return "LBody";
    case StructTag::Table:
        return "Table";
    case StructTag::TR:
        return "TR";
    case StructTag::TH:
        return "TH";
    case StructTag::TD:
        return "TD";
    }
    return "P";
}

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
