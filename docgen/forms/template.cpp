// SPDX-License-Identifier: EUPL-1.2
#include "docgen/forms/template.h"

#include "base/error.h"
#include "base/limits.h"
#include "base/paths.h"
#include "crypto/hash.h"
#include "xml/safe_xml.h"

#include <libxml/tree.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <iterator>
#include <set>
#include <sys/stat.h>
#include <unistd.h>

namespace fplan::docgen {

using xml::loadSchemaSafely;
using xml::parseXmlFileSafely;
using xml::parseXmlSafely;
using xml::validateAgainst;
using xml::XmlDocument;
using xml::XmlSchema;

namespace {

namespace fs = std::filesystem;

// Sections nest (Faglige beskrivelser > one per discipline); deeper is a mistake.
constexpr int MaxSectionDepth = 3;
constexpr std::size_t DefaultTextMax = 500;
constexpr std::size_t DefaultLongTextMax = 20000;
constexpr std::size_t MaxTemplateBytes = limits::TemplateBytes;

struct TypeName {
    FieldType type;
    const char* name;
};
constexpr TypeName TypeNames[] = {
    { FieldType::Text, "text" },
    { FieldType::LongText, "longtext" },
    { FieldType::Date, "date" },
    { FieldType::DateTime, "datetime" },
    { FieldType::Number, "number" },
    { FieldType::Bool, "bool" },
    { FieldType::Choice, "choice" },
    { FieldType::MultiChoice, "multichoice" },
    { FieldType::Person, "person" },
    { FieldType::TeamMember, "team_member" },
    { FieldType::Table, "table" },
};

struct CalendarName {
    CalendarRole role;
    const char* name;
    std::vector<FieldType> types; // the field types that can play the role
};
const std::vector<CalendarName>& calendarNames()
{
    static const std::vector<CalendarName> names = {
        { CalendarRole::Summary, "summary", { FieldType::Text, FieldType::Choice } },
        { CalendarRole::Start, "start", { FieldType::DateTime } },
        { CalendarRole::End, "end", { FieldType::DateTime } },
        { CalendarRole::Location, "location", { FieldType::Text, FieldType::LongText } },
        { CalendarRole::Description, "description", { FieldType::Text, FieldType::LongText } },
        { CalendarRole::Organizer, "organizer", { FieldType::TeamMember } },
        { CalendarRole::Attendee, "attendee", { FieldType::TeamMember } },
    };
    return names;
}

// A decimal with a point whatever the process locale (the GUI runs in a Danish one); finite only.
std::optional<double> parseDecimal(const std::string& text)
{
    double d = 0;
    const char* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, d);
    if (text.empty() || ec != std::errc() || ptr != end || !std::isfinite(d))
        return std::nullopt;
    return d;
}

class Reader {
public:
    explicit Reader(std::string origin)
        : m_origin(std::move(origin))
    {
    }

    [[noreturn]] void fail(const xmlNode* node, const std::string& reason) const
    {
        const long line = node ? xmlGetLineNo(node) : 1;
        throw Error(
            ErrorCode::BadInput, m_origin + ":" + std::to_string(line < 1 ? 1 : line) + ": " + reason);
    }

    static std::string name(const xmlNode* node) { return reinterpret_cast<const char*>(node->name); }

    static std::optional<std::string> attr(const xmlNode* node, const char* attrName)
    {
        xmlChar* value = xmlGetNoNsProp(node, BAD_CAST attrName);
        if (!value)
            return std::nullopt;
        std::string result = reinterpret_cast<const char*>(value);
        xmlFree(value);
        return result;
    }

    std::string required(const xmlNode* node, const char* attrName) const
    {
        auto value = attr(node, attrName);
        if (!value || value->empty())
            fail(node, "<" + name(node) + "> needs the attribute " + attrName);
        return *value;
    }

    bool flag(const xmlNode* node, const char* attrName) const
    {
        const auto value = attr(node, attrName);
        if (!value)
            return false;
        if (*value == "true" || *value == "1")
            return true;
        if (*value == "false" || *value == "0")
            return false;
        fail(node, std::string(attrName) + "=\"" + *value + "\" is not true or false");
    }

    std::size_t count(const xmlNode* node, const char* attrName) const
    {
        const auto value = attr(node, attrName);
        if (!value)
            return 0;
        char* end = nullptr;
        const unsigned long long n = std::strtoull(value->c_str(), &end, 10);
        if (value->empty() || *end || n == 0 || n > 10'000'000)
            fail(node, std::string(attrName) + "=\"" + *value + "\" is not a positive whole number");
        return static_cast<std::size_t>(n);
    }

    std::optional<double> decimal(const xmlNode* node, const char* attrName) const
    {
        const auto value = attr(node, attrName);
        if (!value)
            return std::nullopt;
        const auto d = parseDecimal(*value);
        if (!d)
            fail(node, std::string(attrName) + "=\"" + *value + "\" is not a number");
        return d;
    }

    static std::string text(const xmlNode* node)
    {
        xmlChar* content = xmlNodeGetContent(node);
        std::string result = content ? reinterpret_cast<const char*>(content) : "";
        xmlFree(content);
        return result;
    }

    // Help texts are written indented in the XML; a reader sees paragraphs.
    static std::string helpText(const xmlNode* node)
    {
        const std::string raw = text(node);
        std::string out;
        bool space = false;
        int newlines = 0;
        for (char c : raw) {
            if (c == '\n') {
                ++newlines;
                space = true;
            } else if (c == ' ' || c == '\t' || c == '\r') {
                space = true;
            } else {
                if (!out.empty() && space)
                    out += newlines >= 2 ? "\n\n" : " ";
                out += c;
                space = false;
                newlines = 0;
            }
        }
        return out;
    }

    static std::vector<const xmlNode*> children(const xmlNode* node)
    {
        std::vector<const xmlNode*> result;
        for (const xmlNode* c = node->children; c; c = c->next)
            if (c->type == XML_ELEMENT_NODE)
                result.push_back(c);
        return result;
    }

    Field readField(const xmlNode* node, const std::string& pathPrefix, const std::string& fagomraade,
        bool isColumn) const
    {
        Field f;
        f.line = xmlGetLineNo(node);
        f.id = required(node, "id");
        f.path = pathPrefix.empty() ? f.id : pathPrefix + "." + f.id;
        f.label = required(node, "label");
        f.required = flag(node, "required");
        f.fagomraade = fagomraade;
        if (name(node) == "table") {
            if (isColumn)
                fail(node, "a table cannot be inside a table");
            f.type = FieldType::Table;
            f.maxRows = count(node, "max-rows");
            f.layout = attr(node, "layout").value_or("");
            if (!f.layout.empty() && f.layout != "table" && f.layout != "rows")
                fail(node, "layout=\"" + f.layout + "\" must be \"table\" or \"rows\"");
            readTable(node, f);
            f.signature = attr(node, "signature").value_or("");
            if (!f.signature.empty()) {
                const Field* who = f.column(f.signature);
                if (!who
                    || (who->type != FieldType::Person && who->type != FieldType::TeamMember
                        && who->type != FieldType::Text))
                    fail(node,
                        "signature=\"" + f.signature + "\" must name a person, team_member or text column of "
                            + f.path);
            }
            return f;
        }
        const std::string typeName = required(node, "type");
        const auto type = fieldTypeFromString(typeName);
        if (!type)
            fail(node, "unknown field type '" + typeName + "' in " + f.path);
        if (*type == FieldType::Table)
            fail(node,
                isColumn ? "a table cannot be inside a table (column " + f.id + ")"
                         : "a table is written as <table>, not as a field type");
        f.type = *type;
        f.maxLength = count(node, "max-length");
        if (f.maxLength == 0 && f.type == FieldType::Text)
            f.maxLength = DefaultTextMax;
        if (f.maxLength == 0 && f.type == FieldType::LongText)
            f.maxLength = DefaultLongTextMax;
        if (f.maxLength && !f.isText())
            fail(node,
                "max-length only applies to text and longtext (" + f.path + " is " + toString(f.type) + ")");
        if (const auto format = attr(node, "format")) {
            if (f.type != FieldType::Text)
                fail(node, "format=\"" + *format + "\" only applies to text fields");
            if (*format == "cpr")
                f.format = TextFormat::Cpr;
            else if (*format == "email")
                f.format = TextFormat::Email;
            else if (*format == "phone")
                f.format = TextFormat::Phone;
            else
                fail(node, "unknown format '" + *format + "'");
        }
        f.min = decimal(node, "min");
        f.max = decimal(node, "max");
        if ((f.min || f.max) && f.type != FieldType::Number)
            fail(node, "min and max only apply to number fields");
        if (f.min && f.max && *f.min > *f.max)
            fail(node, "min is larger than max");
        f.sameFagomraade = flag(node, "same-fagomraade");
        if (f.sameFagomraade && (f.type != FieldType::TeamMember || fagomraade.empty()))
            fail(node, "same-fagomraade needs a team_member field in a section with a fagomraade");
        if (const auto autoValue = attr(node, "auto")) {
            if (*autoValue == "coordinator")
                f.autoValue = AutoValue::Coordinator;
            else if (*autoValue == "plan-version")
                f.autoValue = AutoValue::PlanVersion;
            else if (!autoValue->empty())
                fail(node, "unknown auto value '" + *autoValue + "'");
        }
        if (f.autoValue == AutoValue::Coordinator && f.type != FieldType::TeamMember)
            fail(node, "auto=\"coordinator\" needs a team_member field");
        if (f.autoValue == AutoValue::PlanVersion && f.type != FieldType::Number && f.type != FieldType::Text)
            fail(node, "auto=\"plan-version\" needs a number or text field");
        f.refersTo = attr(node, "refers-to").value_or("");
        if (!f.refersTo.empty() && f.type != FieldType::Text)
            fail(node, "refers-to needs a text field (it holds a row id)");
        f.lines = static_cast<int>(count(node, "lines"));
        if (isColumn)
            f.width = static_cast<int>(count(node, "width"));
        else if (attr(node, "width"))
            fail(node, "width is a hint for table columns");
        if (f.width > 100)
            fail(node, "width is a share of the table in per cent (1-100)");
        if (const auto role = attr(node, "calendar")) {
            const auto& names = calendarNames();
            const auto known = std::find_if(
                names.begin(), names.end(), [&](const CalendarName& n) { return *role == n.name; });
            if (known == names.end())
                fail(node, "unknown calendar role '" + *role + "'");
            if (std::find(known->types.begin(), known->types.end(), f.type) == known->types.end())
                fail(node,
                    "calendar=\"" + *role + "\" does not fit a " + toString(f.type) + " field (" + f.path
                        + ")");
            if ((known->role == CalendarRole::Attendee) != isColumn)
                fail(node,
                    known->role == CalendarRole::Attendee
                        ? "calendar=\"attendee\" belongs on a table column (one attendee per row)"
                        : "calendar=\"" + *role + "\" belongs on a field, not a column");
            f.calendar = known->role;
        }

        std::set<std::string> choiceIds;
        for (const xmlNode* c : children(node)) {
            const std::string kind = name(c);
            if (kind == "help") {
                f.help = helpText(c);
            } else if (kind == "choice") {
                Choice choice { required(c, "id"), required(c, "label") };
                if (const auto audience = attr(c, "audience")) {
                    if (*audience == "team")
                        choice.audience = Audience::Team;
                    else if (*audience != "everyone")
                        fail(c, "audience=\"" + *audience + "\" must be \"everyone\" or \"team\"");
                }
                if (!choiceIds.insert(choice.id).second)
                    fail(c, "duplicate choice id '" + choice.id + "' in " + f.path);
                f.choices.push_back(std::move(choice));
            } else if (kind == "seed" && !isColumn) {
                f.fieldSeed = readFieldSeed(c);
            } else {
                fail(c,
                    kind == "seed" ? "a column is filled by its table's <seed>, not its own"
                                   : "unexpected <" + kind + "> in a field");
            }
        }
        const bool needsChoices = f.type == FieldType::Choice || f.type == FieldType::MultiChoice;
        if (needsChoices && f.choices.empty())
            fail(node, "the " + std::string(toString(f.type)) + " field " + f.path + " has no choices");
        if (!needsChoices && !f.choices.empty())
            fail(node,
                "only choice and multichoice fields have choices (" + f.path + " is " + toString(f.type)
                    + ")");
        return f;
    }

    void readTable(const xmlNode* node, Field& table) const
    {
        std::set<std::string> columnIds;
        for (const xmlNode* c : children(node)) {
            const std::string kind = name(c);
            if (kind == "help") {
                table.help = helpText(c);
            } else if (kind == "column" || kind == "table" || kind == "field") {
                if (kind != "column")
                    fail(c,
                        kind == "table" ? "a table cannot be inside a table"
                                        : "a table holds <column>s, not <field>s");
                Field column = readField(c, "", table.fagomraade, true);
                if (!columnIds.insert(column.id).second)
                    fail(c, "duplicate column id '" + column.id + "' in table " + table.path);
                table.columns.push_back(std::move(column));
            } else if (kind == "row") {
                table.defaultRows.push_back(readDefaultRow(c, table));
            } else if (kind == "seed") {
                table.seed = readSeed(c, table);
            } else if (kind == "chart") {
                table.chart = readChart(c, table);
            } else if (kind == "series") {
                table.series = readSeries(c, table);
            } else {
                fail(c, "unexpected <" + kind + "> in a table");
            }
        }
        if (table.columns.empty())
            fail(node, "the table " + table.path + " has no columns");
        int widths = 0;
        for (const auto& c : table.columns)
            widths += c.width;
        if (widths > 100)
            fail(node,
                "the column widths of " + table.path + " add up to " + std::to_string(widths)
                    + "%, more than 100%");
    }

    Json readDefaultRow(const xmlNode* node, const Field& table) const
    {
        Json row = Json::object();
        for (const xmlNode* c : children(node)) {
            if (name(c) != "cell")
                fail(c, "a default row holds <cell>s");
            readCell(c, table, row);
        }
        return row;
    }

    // One <cell column="...">value</cell>, typed by its column, into `row`.
    void readCell(const xmlNode* c, const Field& table, Json& row) const
    {
        const std::string columnId = required(c, "column");
        const Field* column = table.column(columnId);
        if (!column)
            fail(c, "the table " + table.path + " has no column '" + columnId + "'");
        const std::string value = text(c);
        switch (column->type) {
        case FieldType::Text:
        case FieldType::LongText:
        case FieldType::Date:
        case FieldType::DateTime:
            row[columnId] = value;
            break;
        case FieldType::Choice:
            if (!column->choice(value))
                fail(c, "'" + value + "' is not a choice of column " + columnId);
            row[columnId] = value;
            break;
        case FieldType::Bool:
            if (value != "true" && value != "false")
                fail(c, "a yes/no cell is true or false");
            row[columnId] = value == "true";
            break;
        case FieldType::Number: {
            const auto d = parseDecimal(value);
            if (!d)
                fail(c, "'" + value + "' is not a number");
            row[columnId] = *d;
            break;
        }
        default:
            fail(c, "default rows cannot fill " + std::string(toString(column->type)) + " columns");
        }
    }

    Series readSeries(const xmlNode* node, const Field& table) const
    {
        Series series;
        series.line = xmlGetLineNo(node);
        series.templateId = required(node, "template");
        series.start = required(node, "start");
        series.cadence = required(node, "cadence");
        series.date = required(node, "date");
        if (const auto months = count(node, "months"); months) {
            if (months > 36)
                fail(node, "months=\"" + std::to_string(months) + "\": a series covers at most 36 months");
            series.months = static_cast<int>(months);
        }
        const Field* date = table.column(series.date);
        if (!date || date->type != FieldType::Date)
            fail(
                node, "the series' date column '" + series.date + "' must be a date column of " + table.path);
        for (const xmlNode* c : children(node)) {
            if (name(c) == "every") {
                const std::size_t weeks = count(c, "weeks");
                if (weeks == 0 || weeks > 52)
                    fail(c, "<every> needs weeks=\"1\" to weeks=\"52\"");
                series.cadences.push_back({ required(c, "choice"), static_cast<int>(weeks) });
            } else if (name(c) == "cell") {
                readCell(c, table, series.cells);
            } else {
                fail(c, "a <series> holds <every> and <cell>");
            }
        }
        if (series.cadences.empty())
            fail(node, "a <series> needs at least one <every choice=\"...\" weeks=\"N\"/>");
        return series;
    }

    ChartSpec readChart(const xmlNode* node, const Field& table) const
    {
        ChartSpec chart { required(node, "x"), required(node, "y"), {} };
        const auto needColumn = [&](const std::string& id, const char* role) -> const Field& {
            const Field* column = table.column(id);
            if (!column)
                fail(node,
                    std::string("the chart's ") + role + " column '" + id + "' is not a column of "
                        + table.path);
            return *column;
        };
        if (needColumn(chart.x, "x").type != FieldType::Date)
            fail(node, "the chart's x column '" + chart.x + "' must be a date column (the months)");
        if (needColumn(chart.y, "y").type != FieldType::Number)
            fail(node, "the chart's y column '" + chart.y + "' must be a number column");
        std::string series = attr(node, "series").value_or("");
        for (std::size_t start = 0; start < series.size();) {
            const std::size_t end = std::min(series.find(' ', start), series.size());
            if (end > start) {
                const std::string id = series.substr(start, end - start);
                const Field& column = needColumn(id, "series");
                if (column.type == FieldType::LongText || column.type == FieldType::MultiChoice)
                    fail(node, "the chart's series column '" + id + "' must hold one short value");
                chart.series.push_back(id);
            }
            start = end + 1;
        }
        if (!children(node).empty())
            fail(node, "a <chart> holds nothing");
        return chart;
    }

    SeedSource seedSource(const xmlNode* node) const
    {
        const std::string source = attr(node, "source").value_or("finalised");
        if (source == "draft")
            return SeedSource::Draft;
        if (source != "finalised")
            fail(node, "source=\"" + source + "\" must be \"finalised\" or \"draft\"");
        return SeedSource::Finalised;
    }

    FieldSeed readFieldSeed(const xmlNode* node) const
    {
        FieldSeed seed;
        seed.line = xmlGetLineNo(node);
        seed.templateId = required(node, "template");
        seed.field = required(node, "field");
        seed.source = seedSource(node);
        if (!children(node).empty())
            fail(node, "a field's <seed> names the source field; it holds nothing");
        return seed;
    }

    Seed readSeed(const xmlNode* node, const Field& table) const
    {
        Seed seed;
        seed.line = xmlGetLineNo(node);
        seed.templateId = required(node, "template");
        seed.table = required(node, "table");
        seed.link = required(node, "link");
        seed.source = seedSource(node);
        const Field* link = table.column(seed.link);
        if (!link || !link->isText())
            fail(node, "the seed's link column '" + seed.link + "' must be a text column of " + table.path);
        for (const xmlNode* c : children(node)) {
            ColumnMap map { required(c, "from"), required(c, "to") };
            const bool isCopy = name(c) == "copy";
            if (!isCopy && name(c) != "return")
                fail(c, "a seed holds <copy> and <return>");
            // The source table lives in another template; only this table's side is checked here.
            const std::string& local = isCopy ? map.to : map.from;
            if (!table.column(local))
                fail(c, "the table " + table.path + " has no column '" + local + "'");
            (isCopy ? seed.copies : seed.returns).push_back(std::move(map));
        }
        // Writing back needs the version the rows came from; a draft has none.
        if (seed.source == SeedSource::Draft && !seed.returns.empty())
            fail(node,
                "a seed from the draft (source=\"draft\") cannot write back: <return> needs "
                "source=\"finalised\"");
        return seed;
    }

    Section readSection(const xmlNode* node, const std::string& pathPrefix, const std::string& fagomraade,
        int depth, std::set<std::string>& paths) const
    {
        if (depth > MaxSectionDepth)
            fail(node, "sections nest at most " + std::to_string(MaxSectionDepth) + " deep");
        Section s;
        s.line = xmlGetLineNo(node);
        s.id = required(node, "id");
        s.path = pathPrefix.empty() ? s.id : pathPrefix + "." + s.id;
        s.label = required(node, "label");
        s.fagomraade = attr(node, "fagomraade").value_or(fagomraade);
        s.familyFirst = flag(node, "family-first");
        s.printHelp = flag(node, "print-help");
        s.columns = static_cast<int>(count(node, "columns"));
        if (s.columns > 4)
            fail(node, "a section has at most 4 columns");
        if (!paths.insert(s.path).second)
            fail(node, "duplicate id '" + s.id + "' (" + s.path + " is defined twice)");
        for (const xmlNode* c : children(node)) {
            const std::string kind = name(c);
            if (kind == "help") {
                s.help = helpText(c);
            } else if (kind == "field" || kind == "table") {
                Field f = readField(c, s.path, s.fagomraade, false);
                if (!paths.insert(f.path).second)
                    fail(c, "duplicate id '" + f.id + "' (" + f.path + " is defined twice)");
                s.fields.push_back(std::move(f));
            } else if (kind == "section") {
                s.sections.push_back(readSection(c, s.path, s.fagomraade, depth + 1, paths));
            } else if (kind == "column") {
                fail(c, "<column> belongs inside a <table>");
            } else {
                fail(c, "unexpected <" + kind + "> in a section");
            }
        }
        return s;
    }

    Template readTemplate(const xmlNode* root) const
    {
        if (name(root) != "template")
            fail(root, "the root element must be <template>, not <" + name(root) + ">");
        Template t;
        t.id = required(root, "id");
        t.title = required(root, "title");
        t.version = required(root, "version");
        t.file = m_origin;
        std::set<std::string> paths;
        for (const xmlNode* c : children(root)) {
            if (name(c) == "help")
                t.help = helpText(c);
            else if (name(c) == "section")
                t.sections.push_back(readSection(c, "", "", 1, paths));
            else
                fail(c, "unexpected <" + name(c) + "> in a template");
        }
        if (t.sections.empty())
            fail(root, "a template needs at least one section");
        for (const Field* f : t.fields())
            for (const Field* g :
                f->type == FieldType::Table ? columnsOf(*f) : std::vector<const Field*> { f })
                if (!g->refersTo.empty()) {
                    const Field* target = t.field(g->refersTo);
                    if (!target || target->type != FieldType::Table)
                        failAt(g->line, "refers-to=\"" + g->refersTo + "\" is not a table of this template");
                }
        // A calendar entry has one start, one end, one title...; only attendees come in rows.
        std::set<CalendarRole> roles;
        for (const Field* f : t.fields())
            if (f->calendar != CalendarRole::None && !roles.insert(f->calendar).second)
                failAt(
                    f->line, std::string("a second field with calendar=\"") + toString(f->calendar) + "\"");
        return t;
    }

private:
    static std::vector<const Field*> columnsOf(const Field& table)
    {
        std::vector<const Field*> out;
        for (const auto& c : table.columns)
            out.push_back(&c);
        return out;
    }

    [[noreturn]] void failAt(long line, const std::string& reason) const
    {
        throw Error(
            ErrorCode::BadInput, m_origin + ":" + std::to_string(line < 1 ? 1 : line) + ": " + reason);
    }

    std::string m_origin;
};

void collectFields(const Section& s, std::vector<const Field*>& out)
{
    for (const auto& f : s.fields)
        out.push_back(&f);
    for (const auto& sub : s.sections)
        collectFields(sub, out);
}

void collectSections(const Section& s, std::vector<const Section*>& out)
{
    out.push_back(&s);
    for (const auto& sub : s.sections)
        collectSections(sub, out);
}

Json fieldToJson(const Field& f, bool isColumn)
{
    Json j = Json::object();
    j[isColumn ? "id" : "path"] = isColumn ? f.id : f.path;
    j["type"] = toString(f.type);
    j["label"] = f.label;
    j["required"] = f.required;
    if (f.maxLength)
        j["max_length"] = f.maxLength;
    if (!f.help.empty())
        j["help"] = f.help;
    if (f.format != TextFormat::None)
        j["format"] = toString(f.format);
    if (f.min)
        j["min"] = *f.min;
    if (f.max)
        j["max"] = *f.max;
    if (!f.choices.empty()) {
        Json choices = Json::array();
        for (const auto& c : f.choices) {
            Json choice = { { "id", c.id }, { "label", c.label } };
            if (c.audience == Audience::Team)
                choice["audience"] = "team";
            choices.push_back(std::move(choice));
        }
        j["choices"] = std::move(choices);
    }
    if (!f.fagomraade.empty() && !isColumn)
        j["fagomraade"] = f.fagomraade;
    if (f.sameFagomraade)
        j["same_fagomraade"] = true;
    if (f.autoValue != AutoValue::None)
        j["auto"] = toString(f.autoValue);
    if (!f.refersTo.empty())
        j["refers_to"] = f.refersTo;
    if (f.lines)
        j["lines"] = f.lines;
    if (f.width)
        j["width"] = f.width;
    if (f.calendar != CalendarRole::None)
        j["calendar"] = toString(f.calendar);
    if (f.fieldSeed)
        j["seed"] = { { "template", f.fieldSeed->templateId }, { "field", f.fieldSeed->field },
            { "source", toString(f.fieldSeed->source) } };
    if (f.type == FieldType::Table) {
        Json columns = Json::array();
        for (const auto& c : f.columns)
            columns.push_back(fieldToJson(c, true));
        j["columns"] = std::move(columns);
        if (f.maxRows)
            j["max_rows"] = f.maxRows;
        if (!f.layout.empty())
            j["layout"] = f.layout;
        if (!f.signature.empty())
            j["signature"] = f.signature;
        if (!f.defaultRows.empty())
            j["default_rows"] = f.defaultRows;
        if (f.seed) {
            Json copies = Json::array(), returns = Json::array();
            for (const auto& m : f.seed->copies)
                copies.push_back({ { "from", m.from }, { "to", m.to } });
            for (const auto& m : f.seed->returns)
                returns.push_back({ { "from", m.from }, { "to", m.to } });
            j["seed"]
                = { { "template", f.seed->templateId }, { "table", f.seed->table }, { "link", f.seed->link },
                      { "source", toString(f.seed->source) }, { "copy", copies }, { "return", returns } };
        }
        if (f.series) {
            Json every = Json::array();
            for (const auto& c : f.series->cadences)
                every.push_back({ { "choice", c.choice }, { "weeks", c.weeks } });
            j["series"] = { { "template", f.series->templateId }, { "start", f.series->start },
                { "cadence", f.series->cadence }, { "date", f.series->date }, { "months", f.series->months },
                { "every", every }, { "cells", f.series->cells } };
        }
        if (f.chart)
            j["chart"] = { { "x", f.chart->x }, { "y", f.chart->y }, { "series", f.chart->series } };
    }
    return j;
}

// The reader's own checks run first because their messages are plainer ("unknown field type
// 'dato'"); the schema then catches whatever the reader does not look at.
Template readChecked(const XmlDocument& doc, const XmlSchema& schema)
{
    Template t = Reader(doc.origin()).readTemplate(xmlDocGetRootElement(doc.get()));
    const auto problems = validateAgainst(schema, doc);
    if (!problems.empty()) {
        std::string message = problems.front();
        if (problems.size() > 1)
            message += " (and " + std::to_string(problems.size() - 1) + " more)";
        throw Error(ErrorCode::BadInput, message);
    }
    return t;
}

// Compiling template.xsd and validating against it is most of a short command's start-up
// (`fplan render` of a plan). A template that passed once is remembered by the SHA-256 of the
// schema and the template together: one empty file per pair in a private folder of the user's
// cache (0700; files 0600; emptied when it holds more than MaxRemembered). A changed byte in
// either gives another key, so nothing is skipped that was not validated exactly as it is; the
// reader's own checks run every time. The cache is an optimisation: if it cannot be used, the
// template is simply validated.
constexpr std::size_t MaxRemembered = 256;

std::optional<fs::path> validationCacheDir()
{
    fs::path base;
    if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg == '/')
        base = xdg;
    else if (const char* home = std::getenv("HOME"); home && *home == '/')
        base = fs::path(home) / ".cache";
    else
        return std::nullopt;
    const fs::path dir = base / "familieplan" / "validated-templates";
    for (const fs::path& d : { base, base / "familieplan", dir })
        if (::mkdir(d.c_str(), d == base ? 0755 : 0700) != 0 && errno != EEXIST)
            return std::nullopt;
    struct stat st { };
    // Our own private folder only: anything else could let another user vouch for a template.
    if (::lstat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != ::geteuid()
        || (st.st_mode & 077) != 0)
        return std::nullopt;
    return dir;
}

std::string readWhole(const fs::path& file)
{
    std::ifstream in(file, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::string validationKey(const fs::path& schemaPath, std::string_view templateBytes)
{
    const std::string schema = readWhole(schemaPath);
    if (schema.empty())
        return {};
    std::string keyed = std::to_string(schema.size()) + ":" + std::to_string(templateBytes.size()) + ":";
    keyed += schema;
    keyed += templateBytes;
    // BLAKE2b: a fifth of libsodium's SHA-256 time, which was 2 % of a whole `fplan render`.
    const auto digest = crypto::digest256(keyed);
    return crypto::toHex(digest.data(), digest.size());
}

bool validatedBefore(const std::string& key)
{
    if (key.empty())
        return false;
    const auto dir = validationCacheDir();
    struct stat st { };
    return dir && ::lstat((*dir / key).c_str(), &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == ::geteuid();
}

void rememberValidated(const std::string& key)
{
    const auto dir = validationCacheDir();
    if (key.empty() || !dir)
        return;
    std::error_code ec;
    std::size_t count = 0;
    for (auto it = fs::directory_iterator(*dir, ec); !ec && it != fs::directory_iterator(); it.increment(ec))
        ++count;
    if (count >= MaxRemembered)
        for (auto it = fs::directory_iterator(*dir, ec); !ec && it != fs::directory_iterator();
             it.increment(ec))
            fs::remove(it->path(), ec);
    const int fd = ::open((*dir / key).c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd >= 0)
        ::close(fd);
}

// Reads and checks a template: against the schema unless this exact schema and template
// passed before.
Template readValidated(std::string_view bytes, const XmlDocument& doc, const fs::path& schemaPath)
{
    const std::string key = validationKey(schemaPath, bytes);
    if (validatedBefore(key))
        return Reader(doc.origin()).readTemplate(xmlDocGetRootElement(doc.get()));
    Template t = readChecked(doc, loadSchemaSafely(schemaPath));
    rememberValidated(key);
    return t;
}

} // namespace

const char* toString(TextFormat format)
{
    switch (format) {
    case TextFormat::None:
        return "";
    case TextFormat::Cpr:
        return "cpr";
    case TextFormat::Email:
        return "email";
    case TextFormat::Phone:
        return "phone";
    }
    return "";
}

const char* toString(CalendarRole role)
{
    for (const auto& n : calendarNames())
        if (n.role == role)
            return n.name;
    return "";
}

const char* toString(SeedSource source)
{
    return source == SeedSource::Draft ? "draft" : "finalised";
}

const char* toString(AutoValue value)
{
    switch (value) {
    case AutoValue::None:
        return "";
    case AutoValue::PlanVersion:
        return "plan-version";
    case AutoValue::Coordinator:
        return "coordinator";
    }
    return "";
}

const char* toString(FieldType type)
{
    for (const auto& t : TypeNames)
        if (t.type == type)
            return t.name;
    return "?";
}

std::optional<FieldType> fieldTypeFromString(const std::string& text)
{
    for (const auto& t : TypeNames)
        if (text == t.name)
            return t.type;
    return std::nullopt;
}

const Field* Field::column(const std::string& columnId) const
{
    for (const auto& c : columns)
        if (c.id == columnId)
            return &c;
    return nullptr;
}

const Choice* Field::choice(const std::string& choiceId) const
{
    for (const auto& c : choices)
        if (c.id == choiceId)
            return &c;
    return nullptr;
}

std::vector<const Field*> Template::fields() const&
{
    std::vector<const Field*> out;
    for (const auto& s : sections)
        collectFields(s, out);
    return out;
}

std::vector<const Section*> Template::allSections() const&
{
    std::vector<const Section*> out;
    for (const auto& s : sections)
        collectSections(s, out);
    return out;
}

const Field* Template::field(const std::string& path) const&
{
    for (const Field* f : fields())
        if (f->path == path)
            return f;
    return nullptr;
}

FieldKinds Template::fieldKinds() const
{
    FieldKinds kinds;
    for (const Field* f : fields()) {
        if (f->type == FieldType::Table) {
            kinds.tables.insert(f->path);
            for (const auto& c : f->columns)
                if (c.type == FieldType::LongText)
                    kinds.mergeableText.insert(f->path + "." + c.id);
        } else if (f->type == FieldType::LongText) {
            kinds.mergeableText.insert(f->path);
        }
    }
    return kinds;
}

Json templateToJson(const Template& tmpl)
{
    Json fields = Json::array();
    for (const Field* f : tmpl.fields())
        fields.push_back(fieldToJson(*f, false));
    Json sections = Json::array();
    for (const Section* s : tmpl.allSections()) {
        Json j = { { "path", s->path }, { "label", s->label } };
        if (!s->help.empty())
            j["help"] = s->help;
        if (!s->fagomraade.empty())
            j["fagomraade"] = s->fagomraade;
        if (s->familyFirst)
            j["family_first"] = true;
        if (s->columns)
            j["columns"] = s->columns;
        sections.push_back(std::move(j));
    }
    Json j = { { "id", tmpl.id }, { "title", tmpl.title }, { "version", tmpl.version } };
    if (!tmpl.help.empty())
        j["help"] = tmpl.help;
    j["sections"] = std::move(sections);
    j["fields"] = std::move(fields);
    return j;
}

Template parseTemplate(std::string_view bytes, const std::string& origin, const fs::path& schemaPath)
{
    return readValidated(bytes, parseXmlSafely(bytes, origin, MaxTemplateBytes), schemaPath);
}

Template parseTemplate(std::string_view bytes, const std::string& origin, const XmlSchema& schema)
{
    return readChecked(parseXmlSafely(bytes, origin, MaxTemplateBytes), schema);
}

namespace {

// A template keeps the exact bytes it was read from, and their hash (stores keep templates by it).
Template withText(Template t, std::string text)
{
    t.text = std::move(text);
    t.hash = crypto::sha256Hex(t.text);
    return t;
}

} // namespace

Template loadTemplateFile(const fs::path& file, const fs::path& schemaPath)
{
    // Read once, bounded, before the schema (a hostile file is refused fast); the bytes parsed
    // are the bytes kept and hashed.
    std::string bytes = xml::readXmlFileSafely(file, MaxTemplateBytes);
    Template t = parseTemplate(bytes, file.string(), schemaPath);
    return withText(std::move(t), std::move(bytes));
}

std::vector<fs::path> templateSearchPath(const std::optional<fs::path>& explicitDir)
{
    return dataSearchPath(TemplatesFolder, explicitDir);
}

fs::path findTemplateDir(const std::optional<fs::path>& explicitDir)
{
    return findDataFolder(TemplatesFolder, explicitDir);
}

TemplateRegistry::TemplateRegistry(fs::path dir)
    : m_dir(std::move(dir))
{
}

TemplateRegistry TemplateRegistry::locate(const std::optional<fs::path>& explicitDir)
{
    return TemplateRegistry(findTemplateDir(explicitDir));
}

std::vector<std::string> TemplateRegistry::ids() const
{
    std::vector<std::string> result;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(m_dir, ec))
        if (entry.path().extension() == ".xml" && entry.is_regular_file(ec))
            result.push_back(entry.path().stem().string());
    std::sort(result.begin(), result.end());
    return result;
}

Template TemplateRegistry::load(const std::string& templateId) const
{
    const bool plain = !templateId.empty() && templateId.size() <= 64
        && std::all_of(templateId.begin(), templateId.end(),
            [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'; });
    std::error_code ec;
    if (!plain || !fs::exists(m_dir / (templateId + ".xml"), ec))
        throw Error(ErrorCode::NotFound, "no template '" + templateId + "' in " + m_dir.string());
    return loadFile(m_dir / (templateId + ".xml"));
}

Template TemplateRegistry::loadFile(const fs::path& file) const
{
    Template t = loadTemplateFile(file, schemaPath());
    checkSeeds(t);
    // The folder is indexed by file name (ids(), load(id)): a file whose id differs would be
    // listed under one name and store its documents under another.
    if (t.id != file.stem().string())
        throw Error(ErrorCode::BadInput,
            t.file + ":1: the template's id '" + t.id + "' differs from its file name '"
                + file.filename().string() + "'");
    return t;
}

Template TemplateRegistry::loadText(const std::string& text, const std::string& origin) const
{
    return withText(parseTemplate(text, origin, schemaPath()), text);
}

void TemplateRegistry::checkSeeds(const Template& tmpl) const
{
    // The template a seed or series (`what`) reads from, in this folder.
    const auto sourceOf = [&](const std::string& templateId, const char* what, const std::string& where) {
        if (templateId == tmpl.id)
            return tmpl;
        const fs::path sourceFile = m_dir / (templateId + ".xml");
        std::error_code ec;
        if (!fs::exists(sourceFile, ec))
            throw Error(ErrorCode::BadInput,
                where + "the " + what + " names template '" + templateId + "', which is not in "
                    + m_dir.string());
        return loadTemplateFile(sourceFile, schemaPath());
    };
    // A series needs the source's start date and cadence choice, and every choice it maps.
    const auto checkSeries = [&](const Series& series) {
        const std::string where = tmpl.file + ":" + std::to_string(series.line) + ": ";
        const Template source = sourceOf(series.templateId, "series", where);
        const Field* start = source.field(series.start);
        if (!start || start->type != FieldType::Date)
            throw Error(ErrorCode::BadInput,
                where + "template '" + series.templateId + "' has no date field '" + series.start + "'");
        const Field* cadence = source.field(series.cadence);
        if (!cadence || cadence->type != FieldType::Choice)
            throw Error(ErrorCode::BadInput,
                where + "template '" + series.templateId + "' has no choice field '" + series.cadence + "'");
        for (const auto& every : series.cadences)
            if (!cadence->choice(every.choice))
                throw Error(ErrorCode::BadInput,
                    where + "'" + every.choice + "' is not a choice of " + series.templateId + "'s "
                        + series.cadence);
    };
    // Copied values must fit where they land: same type, and no choice the target lacks.
    const auto compatible = [](const Field& a, const Field& b) {
        if (a.type != b.type)
            return false;
        for (const auto& c : a.choices)
            if (!b.choice(c.id))
                return false;
        return true;
    };
    // A field's seed names a field (not a table) of the source whose values fit this field.
    const auto checkFieldSeed = [&](const Field& field) {
        const FieldSeed& seed = *field.fieldSeed;
        const std::string where = tmpl.file + ":" + std::to_string(seed.line) + ": ";
        const Template source = sourceOf(seed.templateId, "seed", where);
        const Field* from = source.field(seed.field);
        if (!from || from->type == FieldType::Table)
            throw Error(ErrorCode::BadInput,
                where + "template '" + seed.templateId + "' has no field '" + seed.field + "'");
        if (!compatible(*from, field))
            throw Error(ErrorCode::BadInput,
                where + "field '" + seed.field + "' of '" + seed.templateId + "' does not fit field '"
                    + field.path + "' (type or choices differ)");
    };
    for (const Field* table : tmpl.fields()) {
        if (table->series)
            checkSeries(*table->series);
        if (table->fieldSeed)
            checkFieldSeed(*table);
        if (!table->seed)
            continue;
        const Seed& seed = *table->seed;
        const std::string where = tmpl.file + ":" + std::to_string(seed.line) + ": ";
        const Template source = sourceOf(seed.templateId, "seed", where);
        const Field* from = source.field(seed.table);
        if (!from || from->type != FieldType::Table)
            throw Error(ErrorCode::BadInput,
                where + "template '" + seed.templateId + "' has no table '" + seed.table + "'");
        for (const auto& m : seed.copies) {
            const Field* a = from->column(m.from);
            if (!a)
                throw Error(ErrorCode::BadInput,
                    where + "table '" + seed.table + "' of '" + seed.templateId + "' has no column '" + m.from
                        + "'");
            if (!compatible(*a, *table->column(m.to)))
                throw Error(ErrorCode::BadInput,
                    where + "column '" + m.from + "' does not fit column '" + m.to
                        + "' (type or choices differ)");
        }
        for (const auto& m : seed.returns) {
            const Field* b = from->column(m.to);
            if (!b)
                throw Error(ErrorCode::BadInput,
                    where + "table '" + seed.table + "' of '" + seed.templateId + "' has no column '" + m.to
                        + "'");
            if (!compatible(*table->column(m.from), *b))
                throw Error(ErrorCode::BadInput,
                    where + "column '" + m.from + "' does not fit column '" + m.to + "' of '"
                        + seed.templateId + "' (type or choices differ)");
        }
    }
}

} // namespace fplan::docgen
