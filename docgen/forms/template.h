// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include "core/document.h"
#include "core/op.h"
#include "xml/safe_xml.h"

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace fplan::docgen {

// Field types exactly as docs/templates.md names them.
enum class FieldType {
    Text,
    LongText,
    Date,
    DateTime,
    Number,
    Bool,
    Choice,
    MultiChoice,
    Person,
    TeamMember,
    Table
};

const char* toString(FieldType type);
std::optional<FieldType> fieldTypeFromString(const std::string& text);

// A text field's format attribute, checked when a value is filled in.
enum class TextFormat { None, Cpr, Email, Phone };
// A field the program fills in itself (auto attribute): the plan's version number, the tovholder.
enum class AutoValue { None, PlanVersion, Coordinator };

const char* toString(TextFormat format); // "", "cpr", "email", "phone"
const char* toString(AutoValue value); // "", "plan-version", "coordinator"

// Who a document may go to. A choice with audience="team" (the professionals' pre-meeting)
// makes a document that selects it one for the team only: it is never sent to the family.
enum class Audience { Everyone, Team };

struct Choice {
    std::string id;
    std::string label;
    Audience audience = Audience::Everyone;
};

// What a field or column is in a calendar entry (`calendar` attribute; RFC 5545 names).
enum class CalendarRole { None, Summary, Start, End, Location, Description, Organizer, Attendee };

const char* toString(CalendarRole role); // "", "summary", "start", "end", ...

// A table printed as small line charts (`<chart>`): one chart per distinct combination of the
// `series` columns, `x` along the bottom (a date column: months), `y` up the side (a number).
struct ChartSpec {
    std::string x;
    std::string y;
    std::vector<std::string> series;
};

struct ColumnMap {
    std::string from;
    std::string to;
};

// Which of the case's documents of the source template a seed reads (`source` attribute):
// the latest finalised version of the document finalised last (what was agreed), or the
// document made last as it stands, its draft included (a meeting being planned: the invitation
// goes out while the agenda is still a draft).
enum class SeedSource { Finalised, Draft };

const char* toString(SeedSource source); // "finalised", "draft"

// A table filled from another template's table when a document is made (the follow-up agenda
// from the family plan), and written back when that document is revised (only a seed from a
// finalised version writes back).
struct Seed {
    std::string templateId;
    std::string table; // path of the source table
    std::string link; // this table's column that holds the source row id
    SeedSource source = SeedSource::Finalised;
    std::vector<ColumnMap> copies;
    std::vector<ColumnMap> returns;
    long line = 0;
};

// A plain field filled from another template's field of the same type when a document is made
// (the invitation's time and place from the agenda). Never written back.
struct FieldSeed {
    std::string templateId;
    std::string field; // path of the source field
    SeedSource source = SeedSource::Finalised;
    long line = 0;
};

// A table filled with a year of dates when a document is made (the family's årshjul): from the
// date field `start` of the case's latest finalised `templateId` document, every so many weeks
// as its choice field `cadence` says, for `months` months. Each row also gets `cells`.
struct Cadence {
    std::string choice;
    int weeks = 0;
};

struct Series {
    std::string templateId;
    std::string start; // path of a date field there
    std::string cadence; // path of a choice field there
    std::string date; // this table's date column
    int months = 12;
    std::vector<Cadence> cadences;
    Json cells = Json::object(); // column id -> value, as a default row's
    long line = 0;
};

struct Field {
    std::string id;
    std::string path; // "section.field", or the column id for a column
    FieldType type = FieldType::Text;
    std::string label;
    std::string help;
    bool required = false;
    std::size_t maxLength = 0; // 0: no limit (types that are not text)
    TextFormat format = TextFormat::None;
    std::optional<double> min;
    std::optional<double> max;
    std::vector<Choice> choices;
    std::string fagomraade; // the owning discipline, inherited from the section
    bool sameFagomraade = false;
    AutoValue autoValue = AutoValue::None;
    std::string refersTo; // path of a table whose row id this text field holds
    int lines = 0; // editor hint for long text
    int width = 0; // column width hint in per cent
    CalendarRole calendar = CalendarRole::None;
    std::optional<FieldSeed> fieldSeed; // fields only (a table has `seed`)
    long line = 0; // where it is defined, for messages

    // Tables only.
    std::vector<Field> columns;
    std::size_t maxRows = 0;
    std::string layout; // PDF: "table", "rows" (one block per row) or "" (the renderer decides)
    // PDF: the column (person, team member or text) naming who signs: after the table, a line
    // for date and signature per row (the consent's signed paper copy). "" for none.
    std::string signature;
    std::vector<Json> defaultRows; // rows keyed by column id, typed as values
    std::optional<Seed> seed;
    std::optional<Series> series;
    std::optional<ChartSpec> chart;

    const Field* column(const std::string& id) const;
    const Choice* choice(const std::string& id) const;
    bool isText() const { return type == FieldType::Text || type == FieldType::LongText; }
};

struct Section {
    std::string id;
    std::string path;
    std::string label;
    std::string help;
    std::string fagomraade;
    bool familyFirst = false;
    bool printHelp = false; // the PDF prints the help text (a letter to the family)
    int columns = 0; // layout hint: fields side by side
    long line = 0;
    std::vector<Field> fields; // fields and tables, in order
    std::vector<Section> sections;
};

struct Template {
    std::string id;
    std::string title;
    std::string version;
    std::string help;
    std::string file;
    std::string text; // the exact bytes it was read from (TemplateRegistry), and their SHA-256
    std::string hash;
    std::vector<Section> sections;

    // Every field and table, depth first in document order. The pointers point into this
    // template, so the calls are refused on a temporary.
    std::vector<const Field*> fields() const&;
    std::vector<const Field*> fields() const&& = delete;
    std::vector<const Section*> allSections() const&;
    std::vector<const Section*> allSections() const&& = delete;
    const Field* field(const std::string& path) const&;
    const Field* field(const std::string& path) const&& = delete;
    // Which paths are tables and which text merges three-way (for core's opsForValues).
    FieldKinds fieldKinds() const;
};

// `template show --json`: every field with path, type, label, required, max_length, choices and
// columns, plus the help texts and layout hints.
Json templateToJson(const Template& tmpl);

// Parses and checks one template file against `schemaPath` (templates/template.xsd). Every
// problem throws Error(BadInput, "FILE:LINE: reason").
Template loadTemplateFile(const std::filesystem::path& file, const std::filesystem::path& schemaPath);
Template parseTemplate(
    std::string_view bytes, const std::string& origin, const std::filesystem::path& schemaPath);
// The same with a schema loaded once (loadSchemaSafely), for callers that check many templates.
Template parseTemplate(std::string_view bytes, const std::string& origin, const xml::XmlSchema& schema);

// The folder templates are read from at run time: base/paths.h's findDataFolder for
// TemplatesFolder (`explicitDir` is the --templates option, the variable $FPLAN_TEMPLATES).
std::vector<std::filesystem::path> templateSearchPath(
    const std::optional<std::filesystem::path>& explicitDir);
std::filesystem::path findTemplateDir(const std::optional<std::filesystem::path>& explicitDir = {});

class TemplateRegistry {
public:
    explicit TemplateRegistry(std::filesystem::path dir);
    static TemplateRegistry locate(const std::optional<std::filesystem::path>& explicitDir = {});

    const std::filesystem::path& dir() const { return m_dir; }
    std::filesystem::path schemaPath() const { return m_dir / "template.xsd"; }
    std::vector<std::string> ids() const; // the *.xml files' names, sorted
    Template load(const std::string& templateId) const; // Error(NotFound) for an unknown id
    // Every check the folder applies, on one file (also one outside the folder, as `template
    // validate` does): schema, rules, id equal to the file name, seeds against this folder.
    Template loadFile(const std::filesystem::path& file) const;
    // A template from its exact text as a store kept it (a document shows, checks and renders
    // with the template version it was made with, on every replica).
    Template loadText(const std::string& text, const std::string& origin) const;

private:
    // Seeds name another template's table and columns; they are checked against that template
    // in this folder, so a renamed table is reported instead of seeding nothing.
    void checkSeeds(const Template& tmpl) const;

    std::filesystem::path m_dir;
};

} // namespace fplan::docgen
