// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include <string>
#include <variant>
#include <vector>

namespace fplan::docgen {

// A document ready for layout: already in Danish display text (dates, numbers, names), with
// nothing left that needs the template or the case to understand.
struct TitleBlock {
    std::string municipality; // "Ringkøbing-Skjern Kommune"
    std::string documentTitle; // "Familieplan"
    std::string family; // "Familien Nørgaard"
    std::string date; // "12.03.2026"
    std::string versionText; // "Version 2 af 12.03.2026"
    std::string journalNumber; // optional
    std::string versionId; // the finalised version's id, to match a printed copy to the store
};

// How a value may break across lines; the document renderer chooses it by field type.
enum class TextKind {
    Prose, // Danish text: breaks at spaces and hard hyphens, and is hyphenated
    Name, // people's names and lists of labels: breaks at spaces only, never hyphenated
    Atomic, // a date, CPR number, choice label, Ja/Nej, phone number: never broken
    Number, // as Atomic, right-aligned in a table
    Period, // "20.01.2026 – 12.06.2026": breaks only after the dash
};

struct Heading {
    std::string text;
    int level = 1; // 1 = section, 2 = subsection
};

struct FieldValue {
    std::string label;
    std::string value; // may hold several paragraphs separated by blank lines
    TextKind kind = TextKind::Prose;
    bool labelAbove = false; // long text: the label above the value, else beside it
};

struct FieldList {
    std::vector<FieldValue> fields; // empty values are left out by the layout
};

struct Paragraph {
    std::string text; // blank lines separate paragraphs, single newlines break lines
};

struct BulletList {
    std::vector<std::string> items;
};

struct TableColumn {
    std::string header;
    double widthHint = 1.0; // relative width: a hint where content leaves room to choose
    TextKind kind = TextKind::Prose;
};

enum class TableLayout { Auto, Table, Rows };

struct Table {
    std::vector<TableColumn> columns;
    std::vector<std::vector<std::string>> rows; // one string per column
    std::string emptyText = "Ingen"; // shown when there are no rows
    std::string title; // repeated with "(fortsat)" when the table continues on a new page
    TableLayout layout = TableLayout::Auto; // Rows: one block per row; Auto: the layout decides
};

// A small line chart of one measure over the months (progression). The layout draws it as
// graphics and prints `text` beneath it: the same numbers as words, for a screen reader and
// for anyone who prefers figures to a curve.
struct ChartPoint {
    int month = 0; // months since January of year 0: the x position (gaps stay gaps)
    double value = 0;
    std::string valueText; // "85" or "7,5", as printed at the point
};

struct Chart {
    std::string title; // "Mads – Trivsel (1–10)"
    std::vector<ChartPoint> points; // by month, at most one per month
    double yMax = 10; // the top of the scale; the bottom is 0
    std::string text; // "januar 2026: 85. februar 2026: 90. ..."
};

// Lines to sign on paper (the consent): per person their name, then "Dato" and "Underskrift"
// each beside a line to write on. The lines are graphics; the words are what a reader hears.
struct Signatures {
    std::vector<std::string> names;
};

using Block = std::variant<Heading, FieldList, Paragraph, BulletList, Table, Chart, Signatures>;

struct RenderDocument {
    TitleBlock title;
    std::vector<Block> blocks;
    std::string author; // PDF metadata: who made it (tovholder or municipality)
    std::string subject; // PDF metadata
};

} // namespace fplan::docgen
