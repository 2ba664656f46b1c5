// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include "docgen/render/fonts.h"
#include "docgen/render/render_model.h"

#include <string>
#include <variant>
#include <vector>

namespace fplan::docgen {

// What a text item is, so that tests (and a future tagged-PDF writer) can tell them apart.
enum class Role { Title, Heading, Label, Body, TableHeader, TableCell, PageHeader, PageFooter };

struct Color {
    double r = 0, g = 0, b = 0;
    bool operator==(const Color&) const = default;
};

// Coordinates are in points from the top-left corner of the page; y of text is its baseline.
struct TextItem {
    double x = 0, y = 0;
    int face = 0; // index into FontMetrics::face()
    double size = 10;
    std::string text; // UTF-8, every letter drawable by `face`
    double width = 0; // advance width of `text` in points
    Role role = Role::Body;
    Color color;
};

struct LineItem {
    double x1 = 0, y1 = 0, x2 = 0, y2 = 0;
    double width = 0.5;
    Color color;
};

struct RectItem {
    double x = 0, y = 0, w = 0, h = 0;
    Color fill;
};

using DisplayItem = std::variant<TextItem, LineItem, RectItem>;

struct Page {
    std::vector<DisplayItem> items;
};

struct PageGeometry {
    double width = 595.276; // A4
    double height = 841.890;
    double marginLeft = 56;
    double marginRight = 50;
    double marginTop = 72;
    double marginBottom = 68;
};

struct LayoutResult {
    PageGeometry geometry;
    std::vector<Page> pages;
    std::vector<std::string> warnings; // letters no installed font has, shown as a replacement
};

// Lays a document out on A4 pages: title block, headings kept with what follows, tables whose
// header row repeats on every page and whose long rows split, "Side X af Y" on every page.
LayoutResult layoutDocument(const RenderDocument& doc, FontMetrics& fonts, const PageGeometry& geometry = {});

// The text of a page's items with the given role, in drawing order; runs that continue one
// another on a line (a fallback font in the middle of a word) are joined into one string.
std::vector<std::string> pageTexts(const Page& page, Role role);

} // namespace fplan::docgen
