// SPDX-License-Identifier: EUPL-1.2
#include "docgen/render/document_renderer.h"

#include "docgen/forms/format.h"

#include <algorithm>
#include <cstdlib>
#include <set>

namespace fplan::docgen {

namespace {

std::string trimmed(const std::string& s)
{
    const auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos)
        return {};
    return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

std::string joinNonEmpty(const std::vector<std::string>& parts, const std::string& separator)
{
    std::string out;
    for (const auto& p : parts) {
        if (p.empty())
            continue;
        if (!out.empty())
            out += separator;
        out += p;
    }
    return out;
}

// Two date columns that together say when something runs print as one "Periode" column.
bool isPeriodPair(const Field& a, const Field& b)
{
    if (a.type != FieldType::Date || b.type != FieldType::Date)
        return false;
    return (a.id == "start" && b.id == "slut") || (a.id == "fra" && b.id == "til")
        || (a.id == "periode_fra" && b.id == "periode_til");
}

constexpr const char* MonthNames[] = { "januar", "februar", "marts", "april", "maj", "juni", "juli", "august",
    "september", "oktober", "november", "december" };

// "2026-03-01" -> months since January of year 0; -1 when it is no date.
int monthIndex(const std::string& isoDate)
{
    if (isoDate.size() < 7 || isoDate[4] != '-')
        return -1;
    const int year = std::atoi(isoDate.substr(0, 4).c_str());
    const int month = std::atoi(isoDate.substr(5, 2).c_str());
    return month >= 1 && month <= 12 ? year * 12 + month - 1 : -1;
}

// The top of a chart's scale: the smallest of 1, 2, 2.5, 4, 5 times a power of ten that holds
// the highest value (a 1-10 rating tops at 10, a percentage at 100).
double niceCeiling(double value)
{
    double power = 1;
    while (power * 10 < value)
        power *= 10;
    for (double step : { 1.0, 2.0, 2.5, 4.0, 5.0, 10.0 })
        if (step * power >= value)
            return step * power;
    return power * 10;
}

// Danish numbers are read in pairs: "12345678" prints as "12 34 56 78".
std::string phone(const std::string& number)
{
    if (number.size() != 8 || number.find_first_not_of("0123456789") != std::string::npos)
        return number;
    return number.substr(0, 2) + " " + number.substr(2, 2) + " " + number.substr(4, 2) + " "
        + number.substr(6, 2);
}

// One rule for how a field's value may break, by its type (never by how long the value is).
TextKind kindOf(const Field& f)
{
    switch (f.type) {
    case FieldType::Text:
        if (!f.refersTo.empty())
            return TextKind::Prose; // the referred goal's text
        return f.format == TextFormat::None ? TextKind::Prose : TextKind::Atomic; // cpr, phone, email
    case FieldType::LongText:
        return TextKind::Prose;
    case FieldType::Date:
    case FieldType::DateTime:
    case FieldType::Bool:
    case FieldType::Choice:
        return TextKind::Atomic;
    case FieldType::Number:
        return TextKind::Number;
    case FieldType::MultiChoice: // labels joined by ", ": each label stays whole
    case FieldType::Person:
    case FieldType::TeamMember:
        return TextKind::Name;
    case FieldType::Table:
        break;
    }
    return TextKind::Prose;
}

// Long text reads better under its label at full width; everything else sits beside its label.
bool labelAbove(const Field& f)
{
    return f.type == FieldType::LongText;
}

struct PrintedColumn {
    std::string header;
    double width = 1;
    const Field* first = nullptr;
    const Field* second = nullptr; // the end date of a period
};

class Builder {
public:
    Builder(const Template& tmpl, const Json& values, const Case& kase, std::vector<std::string>* warnings)
        : m_tmpl(tmpl)
        , m_values(values)
        , m_case(kase)
        , m_warnings(warnings)
    {
    }

    std::vector<Block> sections()
    {
        std::vector<const Section*> order;
        for (const auto& s : m_tmpl.sections)
            if (s.familyFirst)
                order.push_back(&s);
        for (const auto& s : m_tmpl.sections)
            if (!s.familyFirst)
                order.push_back(&s);
        std::vector<Block> out;
        for (const Section* s : order)
            section(*s, 1, out);
        return out;
    }

    std::string display(const Field& f, const Json& v, bool inTable)
    {
        if (v.is_null())
            return {};
        const std::string text = v.is_string() ? v.get<std::string>() : std::string();
        switch (f.type) {
        case FieldType::Text:
            if (!f.refersTo.empty())
                return referredRow(f, text);
            if (f.format == TextFormat::Phone)
                return phone(trimmed(text));
            return v.is_string() ? trimmed(text) : v.dump();
        case FieldType::LongText:
            return v.is_string() ? trimmed(text) : v.dump();
        case FieldType::Date:
            return formatDate(text);
        case FieldType::DateTime:
            return formatDateTime(text);
        case FieldType::Number:
            return v.is_number() ? formatNumber(v.get<double>()) : text;
        case FieldType::Bool:
            return v.is_boolean() ? formatBool(v.get<bool>()) : text;
        case FieldType::Choice:
            return choiceLabel(f, text);
        case FieldType::MultiChoice: {
            std::vector<std::string> labels;
            if (v.is_array())
                for (const auto& item : v)
                    if (item.is_string())
                        labels.push_back(choiceLabel(f, item.get<std::string>()));
            for (auto& label : labels) // a label is one unit: its spaces do not break
                for (std::size_t at = label.find(' '); at != std::string::npos; at = label.find(' ', at))
                    label.replace(at, 1, "\u00A0");
            return joinNonEmpty(labels, ", ");
        }
        case FieldType::Person: {
            if (const Person* p = m_case.person(text))
                return p->name;
            return unknown("person", text, "person");
        }
        case FieldType::TeamMember: {
            const TeamMember* m = m_case.teamMember(text);
            if (!m)
                return unknown("fagperson", text, "team member");
            if (inTable)
                return m->name;
            // Outside a table there is room to say who the person is.
            const std::string about = joinNonEmpty({ m->role, m->fagomraade }, ", ");
            return about.empty() ? m->name : m->name + " (" + about + ")";
        }
        case FieldType::Table:
            return {};
        }
        return {};
    }

private:
    // A row id means nothing on paper: print the referred row by its first column (a goal's text).
    std::string referredRow(const Field& f, const std::string& rowId)
    {
        if (rowId.empty())
            return {};
        const Field* table = m_tmpl.field(f.refersTo);
        const Json& rows = value(f.refersTo);
        if (table && rows.is_array() && !table->columns.empty())
            for (const auto& row : rows)
                if (row.is_object() && row.value("@id", std::string()) == rowId)
                    return row.contains(table->columns.front().id)
                        ? display(table->columns.front(), row.at(table->columns.front().id), true)
                        : std::string();
        return unknown("række", rowId, "row");
    }

    std::string choiceLabel(const Field& f, const std::string& id)
    {
        if (const Choice* c = f.choice(id))
            return c->label;
        return id;
    }

    // `paper` is the Danish word printed, `what` the English one in the warning.
    std::string unknown(const char* paper, const std::string& id, const char* what)
    {
        if (id.empty())
            return {};
        if (m_warnings && m_warned.insert(id).second)
            m_warnings->push_back(
                std::string("the ") + what + " '" + id + "' is not there; printed as unknown");
        return "(ukendt " + std::string(paper) + ")";
    }

    const Json& value(const std::string& path) const
    {
        static const Json null;
        if (!m_values.is_object())
            return null;
        const auto it = m_values.find(path);
        return it == m_values.end() ? null : *it;
    }

    void section(const Section& s, int level, std::vector<Block>& out)
    {
        std::vector<Block> body;
        if (s.printHelp && !s.help.empty())
            body.emplace_back(Paragraph { s.help });
        // Count what has content first: a lone table needs no heading of its own.
        std::size_t items = 0;
        for (const auto& f : s.fields)
            if (!(f.type == FieldType::Table ? tableRows(f).empty()
                                             : display(f, value(f.path), false).empty()))
                ++items;
        FieldList pending;
        auto flush = [&]() {
            if (!pending.fields.empty())
                body.emplace_back(std::move(pending));
            pending = FieldList {};
        };
        std::size_t sideBySide = s.columns > 1 ? static_cast<std::size_t>(s.columns) : 0;
        Table columns; // fields the template puts side by side become one row of a table
        for (const auto& f : s.fields) {
            if (f.type == FieldType::Table && f.chart) {
                flush();
                auto charts = chartsOf(f);
                if (charts.empty())
                    continue;
                if (items > 1)
                    body.emplace_back(Heading { f.label, level + 1 });
                for (auto& c : charts)
                    body.emplace_back(std::move(c));
                continue;
            }
            if (f.type == FieldType::Table) {
                flush();
                Table t = table(f);
                if (t.rows.empty())
                    continue;
                t.title = items > 1 ? f.label : s.label;
                if (items > 1)
                    body.emplace_back(Heading { f.label, level + 1 });
                body.emplace_back(std::move(t));
                if (auto signatures = signaturesOf(f); !signatures.names.empty())
                    body.emplace_back(std::move(signatures));
                continue;
            }
            const std::string shown = display(f, value(f.path), false);
            if (sideBySide > 0) {
                --sideBySide;
                if (!shown.empty()) {
                    columns.columns.push_back(TableColumn { f.label, 1, kindOf(f) });
                    columns.title = s.label;
                    if (columns.rows.empty())
                        columns.rows.emplace_back();
                    columns.rows.front().push_back(shown);
                }
                if (sideBySide == 0 && !columns.columns.empty())
                    body.emplace_back(std::move(columns));
                continue;
            }
            if (!shown.empty())
                pending.fields.push_back(FieldValue { f.label, shown, kindOf(f), labelAbove(f) });
        }
        if (sideBySide > 0 && !columns.columns.empty())
            body.emplace_back(std::move(columns));
        flush();
        for (const auto& sub : s.sections)
            section(sub, level + 1, body);
        if (body.empty())
            return; // a section with nothing filled in is left out, like an empty field
        out.emplace_back(Heading { s.label, std::min(level, 2) });
        for (auto& b : body)
            out.push_back(std::move(b));
    }

    std::vector<const Json*> tableRows(const Field& f) const
    {
        std::vector<const Json*> rows;
        const Json& v = value(f.path);
        if (!v.is_array())
            return rows;
        for (const auto& row : v) {
            if (!row.is_object())
                continue;
            bool any = false;
            for (const auto& c : f.columns)
                if (c.width > 0 && row.contains(c.id) && !isBlank(row.at(c.id)))
                    any = true;
            if (any)
                rows.push_back(&row);
        }
        return rows;
    }

    // A table with `signature`: one name per row that names someone, for the lines to sign.
    Signatures signaturesOf(const Field& f)
    {
        Signatures out;
        const Field* who = f.signature.empty() ? nullptr : f.column(f.signature);
        if (!who)
            return out;
        for (const Json* row : tableRows(f))
            if (row->contains(who->id))
                if (std::string name = display(*who, row->at(who->id), true); !trimmed(name).empty())
                    out.names.push_back(std::move(name));
        return out;
    }

    static bool isBlank(const Json& v)
    {
        if (v.is_null())
            return true;
        if (v.is_string())
            return trimmed(v.get<std::string>()).empty();
        if (v.is_array())
            return v.empty();
        return false;
    }

    // One chart per distinct combination of the series columns' values, in the order they first
    // appear; a month registered twice shows its last row.
    std::vector<Chart> chartsOf(const Field& f)
    {
        const ChartSpec& spec = *f.chart;
        const Field* y = f.column(spec.y);
        std::vector<Chart> charts;
        std::vector<std::string> keys;
        for (const Json* row : tableRows(f)) {
            const int month = row->contains(spec.x) && row->at(spec.x).is_string()
                ? monthIndex(row->at(spec.x).get<std::string>())
                : -1;
            if (month < 0 || !row->contains(spec.y) || !row->at(spec.y).is_number())
                continue;
            std::vector<std::string> parts;
            for (const auto& id : spec.series)
                if (const Field* c = f.column(id); c && row->contains(id))
                    parts.push_back(display(*c, row->at(id), true));
            const std::string title = joinNonEmpty(parts, " – ");
            auto at = std::find(keys.begin(), keys.end(), title);
            if (at == keys.end()) {
                keys.push_back(title);
                charts.push_back(Chart { title.empty() ? f.label : title, {}, 0, {} });
                at = keys.end() - 1;
            }
            Chart& chart = charts[static_cast<std::size_t>(at - keys.begin())];
            const double value = row->at(spec.y).get<double>();
            ChartPoint point { month, value, display(*y, row->at(spec.y), true) };
            auto same = std::find_if(chart.points.begin(), chart.points.end(),
                [&](const ChartPoint& p) { return p.month == month; });
            if (same != chart.points.end())
                *same = point;
            else
                chart.points.push_back(point);
        }
        for (auto& chart : charts) {
            std::sort(chart.points.begin(), chart.points.end(),
                [](const ChartPoint& a, const ChartPoint& b) { return a.month < b.month; });
            double highest = 0;
            std::vector<std::string> said;
            for (const auto& p : chart.points) {
                highest = std::max(highest, p.value);
                said.push_back(std::string(MonthNames[p.month % 12]) + " " + std::to_string(p.month / 12)
                    + ": " + p.valueText);
            }
            chart.yMax = niceCeiling(std::max(highest, y->max ? std::min(*y->max, 10.0) : 1.0));
            chart.text = "Tallene: " + joinNonEmpty(said, "; ") + ".";
        }
        return charts;
    }

    Table table(const Field& f)
    {
        const auto rows = tableRows(f);
        Table t;
        if (rows.empty())
            return t;
        auto cell = [&](const Json& row, const Field* c) -> std::string {
            if (!c || !row.contains(c->id))
                return {};
            return display(*c, row.at(c->id), true);
        };
        // Columns without a width are the program's own links (a row id); the reader has no use
        // for them. Columns empty in every row are left out like empty fields.
        std::vector<PrintedColumn> printed;
        for (std::size_t i = 0; i < f.columns.size(); ++i) {
            const Field& c = f.columns[i];
            if (c.width <= 0)
                continue;
            PrintedColumn p { c.label, static_cast<double>(c.width), &c, nullptr };
            if (i + 1 < f.columns.size() && isPeriodPair(c, f.columns[i + 1]) && f.columns[i + 1].width > 0) {
                p.header = "Periode";
                p.second = &f.columns[i + 1];
                p.width += f.columns[i + 1].width;
                ++i;
            }
            bool used = false;
            for (const Json* row : rows)
                if (!cell(*row, p.first).empty() || !cell(*row, p.second).empty())
                    used = true;
            if (used)
                printed.push_back(p);
        }
        for (const auto& p : printed)
            t.columns.push_back(
                TableColumn { p.header, p.width, p.second ? TextKind::Period : kindOf(*p.first) });
        if (f.layout == "table")
            t.layout = TableLayout::Table;
        else if (f.layout == "rows")
            t.layout = TableLayout::Rows;
        for (const Json* row : rows) {
            std::vector<std::string> cells;
            for (const auto& p : printed) {
                if (!p.second) {
                    cells.push_back(cell(*row, p.first));
                    continue;
                }
                const std::string from = cell(*row, p.first);
                const std::string to = cell(*row, p.second);
                cells.push_back(to.empty() ? (from.empty() ? "" : "fra " + from) : from + " – " + to);
            }
            t.rows.push_back(std::move(cells));
        }
        return t;
    }

    const Template& m_tmpl;
    const Json& m_values;
    const Case& m_case;
    std::vector<std::string>* m_warnings;
    std::set<std::string> m_warned; // values are looked at more than once; warn once
};

} // namespace

RenderDocument buildRenderDocument(const Template& tmpl, const Json& values, const Case& kase,
    const RenderContext& context, std::vector<std::string>* warnings)
{
    RenderDocument doc;
    const std::string date = context.date.empty() ? todayIso() : context.date.substr(0, 10);
    doc.title.municipality = context.municipality.empty() ? kase.municipality : context.municipality;
    doc.title.documentTitle = tmpl.title;
    doc.title.family = kase.title;
    doc.title.date = formatDate(date);
    doc.title.versionText
        = context.version > 0 ? formatVersion(context.version, date) : "Udkast af " + formatDate(date);
    doc.title.journalNumber = kase.journalNumber;
    doc.title.versionId = context.version > 0 ? context.versionId : "";
    if (const TeamMember* coordinator = kase.teamMember(kase.coordinator))
        doc.author = coordinator->name;
    doc.subject = tmpl.title + ", " + doc.title.versionText;
    Builder builder(tmpl, values, kase, warnings);
    doc.blocks = builder.sections();
    return doc;
}

} // namespace fplan::docgen
