// SPDX-License-Identifier: EUPL-1.2
#include "docgen/forms/values.h"

#include "base/error.h"
#include "base/limits.h"
#include "base/suggest.h"
#include "base/text_rules.h"
#include "core/cpr.h"

#include <cmath>
#include <optional>
#include <set>

namespace fplan::docgen {

namespace {

bool digits(const std::string& text, std::size_t from, std::size_t count)
{
    for (std::size_t i = from; i < from + count; ++i)
        if (i >= text.size() || text[i] < '0' || text[i] > '9')
            return false;
    return true;
}

int number(const std::string& text, std::size_t from, std::size_t count)
{
    return std::stoi(text.substr(from, count));
}

// The shared text rule (base/text_rules.h) as a problem code: short text is one line; long text
// may hold line breaks and tabs; no other control characters, no direction overrides.
std::optional<ProblemCode> textProblemCode(const std::string& text, bool multiline)
{
    if (fplan::textProblem(text, multiline).empty())
        return std::nullopt;
    if (text.size() > limits::StringBytes)
        return ProblemCode::TooLong;
    if (!multiline && text.find_first_of("\n\r") != std::string::npos)
        return ProblemCode::LineBreak;
    return ProblemCode::ControlCharacter;
}

bool plausibleEmail(const std::string& text)
{
    const auto at = text.find('@');
    if (at == std::string::npos || at == 0 || text.find('@', at + 1) != std::string::npos)
        return false;
    const auto dot = text.find('.', at);
    return dot != std::string::npos && dot > at + 1 && dot + 1 < text.size()
        && text.find_first_of(" \t<>,;") == std::string::npos;
}

bool plausiblePhone(const std::string& text)
{
    int count = 0;
    for (char c : text) {
        if (c >= '0' && c <= '9')
            ++count;
        else if (c != ' ' && c != '+' && c != '-' && c != '(' && c != ')')
            return false;
    }
    return count >= 8 && count <= 15;
}

std::string shown(const Json& v)
{
    std::string text = v.dump();
    if (utf8Length(text) <= 60)
        return text;
    // Cut at a character boundary, so the message stays valid UTF-8.
    std::size_t cut = 0;
    for (std::size_t chars = 0; cut < text.size() && chars < 57; ++chars)
        do
            ++cut;
        while (cut < text.size() && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80);
    return text.substr(0, cut) + "...";
}

class Checker {
public:
    Checker(const Case* kase, std::vector<ValueProblem>& problems)
        : m_case(kase)
        , m_problems(problems)
    {
    }

    void field(const Field& f, const ProblemPath& path, const Json& v)
    {
        if (v.is_null())
            return; // clears the field; drafts may be incomplete
        switch (f.type) {
        case FieldType::Text:
        case FieldType::LongText: {
            if (!v.is_string())
                return problem(path, ProblemCode::NotText, shown(v));
            const auto& s = v.get_ref<const std::string&>();
            if (const auto why = textProblemCode(s, f.type == FieldType::LongText))
                return *why == ProblemCode::TooLong
                    ? problem(path, *why, std::to_string(utf8Length(s)), std::to_string(limits::StringBytes))
                    : problem(path, *why);
            if (f.maxLength && utf8Length(s) > f.maxLength)
                return problem(
                    path, ProblemCode::TooLong, std::to_string(utf8Length(s)), std::to_string(f.maxLength));
            if (s.empty())
                return;
            if (f.format == TextFormat::Cpr) {
                const auto check = checkCpr(s);
                if (!check.valid)
                    return problem(path, ProblemCode::NotCpr, s, check.reason);
            } else if (f.format == TextFormat::Email && !plausibleEmail(s)) {
                return problem(path, ProblemCode::NotEmail, s);
            } else if (f.format == TextFormat::Phone && !plausiblePhone(s)) {
                return problem(path, ProblemCode::NotPhone, s);
            }
            return;
        }
        case FieldType::Date:
            if (!v.is_string() || !isRealDate(v.get<std::string>()))
                return problem(path, ProblemCode::NotDate, shown(v));
            return;
        case FieldType::DateTime:
            if (!v.is_string() || !isRealDateTime(v.get<std::string>()))
                return problem(path, ProblemCode::NotDateTime, shown(v));
            return;
        case FieldType::Number: {
            if (!v.is_number())
                return problem(path, ProblemCode::NotNumber, shown(v));
            const double d = v.get<double>();
            if (!std::isfinite(d))
                return problem(path, ProblemCode::NotFinite);
            if (f.min && d < *f.min)
                return problem(path, ProblemCode::BelowMin, v.dump(), Json(*f.min).dump());
            if (f.max && d > *f.max)
                return problem(path, ProblemCode::AboveMax, v.dump(), Json(*f.max).dump());
            return;
        }
        case FieldType::Bool:
            if (!v.is_boolean())
                return problem(path, ProblemCode::NotBool, shown(v));
            return;
        case FieldType::Choice:
            if (!v.is_string() || !f.choice(v.get<std::string>()))
                return problem(path, ProblemCode::NotAChoice, shown(v), choiceList(f));
            return;
        case FieldType::MultiChoice: {
            if (!v.is_array())
                return problem(path, ProblemCode::NotAList, shown(v));
            std::set<std::string> seen;
            for (const auto& c : v) {
                if (!c.is_string() || !f.choice(c.get<std::string>()))
                    return problem(path, ProblemCode::NotAChoice, shown(c), choiceList(f));
                if (!seen.insert(c.get<std::string>()).second)
                    return problem(path, ProblemCode::ChosenTwice, shown(c));
            }
            return;
        }
        case FieldType::Person:
            if (!v.is_string() || v.get_ref<const std::string&>().empty())
                return problem(path, ProblemCode::NotAPersonId, shown(v));
            if (m_case && !m_case->person(v.get<std::string>()))
                return problem(path, ProblemCode::UnknownPerson, v.get<std::string>());
            return;
        case FieldType::TeamMember: {
            if (!v.is_string() || v.get_ref<const std::string&>().empty())
                return problem(path, ProblemCode::NotATeamMemberId, shown(v));
            if (!m_case)
                return;
            const TeamMember* member = m_case->teamMember(v.get<std::string>());
            if (!member)
                return problem(path, ProblemCode::UnknownTeamMember, v.get<std::string>());
            if (f.sameFagomraade && member->fagomraade != f.fagomraade)
                return problem(
                    path, ProblemCode::WrongFagomraade, member->name, f.fagomraade, member->fagomraade);
            return;
        }
        case FieldType::Table:
            return table(f, path, v);
        }
    }

    void table(const Field& f, const ProblemPath& path, const Json& v)
    {
        if (!v.is_array())
            return problem(path, ProblemCode::NotATable, shown(v));
        // A table whose template names no max-rows still has one: limits::TableRows.
        const std::size_t maxRows = f.maxRows ? f.maxRows : limits::TableRows;
        if (v.size() > maxRows)
            return problem(path, ProblemCode::TooManyRows, std::to_string(v.size()), std::to_string(maxRows));
        std::set<std::string> ids;
        for (std::size_t i = 0; i < v.size(); ++i) {
            const Json& row = v[i];
            if (!row.is_object()) {
                problem({ path.field, i, "" }, ProblemCode::NotARow, shown(row));
                continue;
            }
            for (const auto& [column, cell] : row.items()) {
                const ProblemPath cellPath { path.field, i, column };
                if (column == "@id") {
                    if (!cell.is_string() || cell.get_ref<const std::string&>().empty()
                        || cell.get_ref<const std::string&>().size() > 64
                        || cell.get_ref<const std::string&>().find_first_of("[]. \t\n") != std::string::npos)
                        problem(cellPath, ProblemCode::BadRowId, shown(cell));
                    else if (!ids.insert(cell.get<std::string>()).second)
                        problem(cellPath, ProblemCode::DuplicateRowId, cell.get<std::string>());
                    continue;
                }
                if (column == "@delete") { // the row is to be deleted (core's table edits)
                    if (!cell.is_boolean())
                        problem(cellPath, ProblemCode::NotBool, shown(cell));
                    continue;
                }
                const Field* c = f.column(column);
                if (!c) {
                    problem(cellPath, ProblemCode::UnknownColumn, f.path);
                    continue;
                }
                field(*c, cellPath, cell);
            }
        }
    }

private:
    static std::string choiceList(const Field& f)
    {
        std::string list;
        for (const auto& c : f.choices)
            list += (list.empty() ? "" : ", ") + c.id;
        return list;
    }

    void problem(const ProblemPath& path, ProblemCode code, std::string detail = {}, std::string limit = {},
        std::string context = {})
    {
        m_problems.push_back({ path, code, std::move(detail), std::move(limit), std::move(context) });
    }

    const Case* m_case;
    std::vector<ValueProblem>& m_problems;
};

} // namespace

std::string ProblemPath::text() const
{
    std::string out = field;
    if (row)
        out += "[" + std::to_string(*row) + "]";
    else if (!rowId.empty())
        out += "[" + rowId + "]";
    if (!column.empty())
        out += "." + column;
    return out;
}

std::string reasonText(const ValueProblem& p)
{
    const std::string& d = p.detail;
    switch (p.code) {
    case ProblemCode::NotAnObject:
        return "values must be a JSON object keyed by field path";
    case ProblemCode::UnknownField:
        return "no such field in template " + d + " (version " + p.limit + ")"
            + (p.context.empty() ? std::string() : "; did you mean '" + p.context + "'?");
    case ProblemCode::UnknownColumn:
        return "the table " + d + " has no column '" + p.path.column + "'";
    case ProblemCode::NotText:
        return "expected text, got " + d;
    case ProblemCode::LineBreak:
        return "a line break is not allowed in a short text field (use a long text field)";
    case ProblemCode::ControlCharacter:
        return "contains a control character";
    case ProblemCode::TooLong:
        return "is " + d + " characters long; at most " + p.limit + " are allowed";
    case ProblemCode::NotCpr:
        return "'" + d + "' is not a CPR number: " + p.limit;
    case ProblemCode::NotEmail:
        return "'" + d + "' is not an e-mail address";
    case ProblemCode::NotPhone:
        return "'" + d + "' is not a phone number";
    case ProblemCode::NotDate:
        return d + " is not a date (YYYY-MM-DD, a day that exists)";
    case ProblemCode::NotDateTime:
        return d + " is not a date and time (YYYY-MM-DDTHH:MM)";
    case ProblemCode::NotNumber:
        return "expected a number, got " + d;
    case ProblemCode::NotFinite:
        return "is not a finite number";
    case ProblemCode::BelowMin:
        return d + " is less than " + p.limit;
    case ProblemCode::AboveMax:
        return d + " is more than " + p.limit;
    case ProblemCode::NotBool:
        return "expected true or false, got " + d;
    case ProblemCode::NotAChoice:
        return d + " is not one of the choices (" + p.limit + ")";
    case ProblemCode::NotAList:
        return "expected a list of choices, got " + d;
    case ProblemCode::ChosenTwice:
        return d + " is chosen twice";
    case ProblemCode::NotAPersonId:
        return "expected the id of a person in the case, got " + d;
    case ProblemCode::UnknownPerson:
        return "no person with id '" + d + "' in this case";
    case ProblemCode::NotATeamMemberId:
        return "expected the id of a team member of the case, got " + d;
    case ProblemCode::UnknownTeamMember:
        return "no team member with id '" + d + "' in this case";
    case ProblemCode::WrongFagomraade:
        return d + " works in " + (p.context.empty() ? "no fagområde" : p.context) + ", not in " + p.limit;
    case ProblemCode::NotATable:
        return "a table takes a list of rows, got " + d;
    case ProblemCode::TooManyRows:
        return "has " + d + " rows; at most " + p.limit + " are allowed";
    case ProblemCode::NotARow:
        return "a row is an object keyed by column id, got " + d;
    case ProblemCode::BadRowId:
        return d + " is not a usable row id";
    case ProblemCode::DuplicateRowId:
        return "'" + d + "' appears twice";
    case ProblemCode::MissingRequired:
        if (p.path.row)
            return "required column '" + d + "' is empty in row " + std::to_string(*p.path.row + 1) + " of '"
                + p.limit + "'";
        return "required field '" + d + "' is empty";
    case ProblemCode::DanglingReference:
        return "'" + d + "' is not a row of " + p.limit;
    case ProblemCode::OpenConflict:
        return "open conflict between " + d + " values";
    case ProblemCode::Unchanged:
        return "nothing has changed since version " + d;
    }
    return "unknown problem";
}

std::string describe(const ValueProblem& p)
{
    return p.path.field.empty() ? reasonText(p) : p.path.text() + ": " + reasonText(p);
}

std::size_t utf8Length(const std::string& text)
{
    std::size_t n = 0;
    for (unsigned char c : text)
        if ((c & 0xC0) != 0x80)
            ++n;
    return n;
}

bool isRealDate(const std::string& t)
{
    if (t.size() != 10 || !digits(t, 0, 4) || t[4] != '-' || !digits(t, 5, 2) || t[7] != '-'
        || !digits(t, 8, 2))
        return false;
    const int y = number(t, 0, 4), m = number(t, 5, 2), d = number(t, 8, 2);
    if (y < 1800 || m < 1 || m > 12 || d < 1)
        return false;
    static constexpr int Days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return d <= Days[m - 1] + (m == 2 && leap ? 1 : 0);
}

bool isRealDateTime(const std::string& t)
{
    return t.size() == 16 && isRealDate(t.substr(0, 10)) && t[10] == 'T' && digits(t, 11, 2) && t[13] == ':'
        && digits(t, 14, 2) && number(t, 11, 2) < 24 && number(t, 14, 2) < 60;
}

bool isEmptyValue(const Json& v)
{
    return v.is_null() || (v.is_string() && v.get_ref<const std::string&>().empty())
        || (v.is_array() && v.empty()) || (v.is_object() && v.empty());
}

std::vector<ValueProblem> findValueProblems(const Template& tmpl, const Json& values, const Case* kase)
{
    std::vector<ValueProblem> problems;
    if (!values.is_object()) {
        problems.push_back({ { "$", {}, "" }, ProblemCode::NotAnObject, {}, {}, {} });
        return problems;
    }
    Checker checker(kase, problems);
    for (const auto& [path, v] : values.items()) {
        const Field* f = tmpl.field(path);
        if (!f) {
            std::vector<std::string> known;
            for (const Field* candidate : tmpl.fields())
                known.push_back(candidate->path);
            problems.push_back({ { path, {}, "" }, ProblemCode::UnknownField, tmpl.id, tmpl.version,
                closestName(path, known) });
            continue;
        }
        checker.field(*f, { path, {}, "" }, v);
    }
    return problems;
}

void checkValues(const Template& tmpl, const Json& values, const Case* kase)
{
    const auto problems = findValueProblems(tmpl, values, kase);
    if (!problems.empty())
        refuseValues(problems);
}

void refuseValues(const std::vector<ValueProblem>& problems)
{
    std::string message = problems.empty() ? std::string("no problem given") : describe(problems.front());
    if (problems.size() > 1)
        message += " (and " + std::to_string(problems.size() - 1) + " more)";
    throw Error(ErrorCode::BadInput, message);
}

std::vector<ValueProblem> findDanglingReferences(const Template& tmpl, const Json& document, const Json* only)
{
    std::vector<ValueProblem> problems;
    if (!document.is_object())
        return problems;
    const auto rowIds = [&](const std::string& table) {
        std::set<std::string> ids;
        if (document.contains(table) && document.at(table).is_array())
            for (const auto& row : document.at(table))
                if (row.is_object() && row.contains("@id") && row.at("@id").is_string()
                    && row.value("@delete", Json(false)) != Json(true))
                    ids.insert(row.at("@id").get<std::string>());
        return ids;
    };
    const auto check = [&](const Field& f, const ProblemPath& path, const Json& v) {
        if (f.refersTo.empty() || !v.is_string() || v.get_ref<const std::string&>().empty())
            return;
        if (!rowIds(f.refersTo).count(v.get<std::string>()))
            problems.push_back(
                { path, ProblemCode::DanglingReference, v.get<std::string>(), f.refersTo, {} });
    };
    for (const Field* f : tmpl.fields()) {
        if ((only && (!only->is_object() || !only->contains(f->path))) || !document.contains(f->path))
            continue;
        const Json& v = document.at(f->path);
        if (f->type != FieldType::Table) {
            check(*f, { f->path, {}, "" }, v);
            continue;
        }
        if (!v.is_array())
            continue;
        for (std::size_t i = 0; i < v.size(); ++i)
            if (v[i].is_object())
                for (const auto& c : f->columns)
                    if (v[i].contains(c.id))
                        check(c, { f->path, i, c.id }, v[i].at(c.id));
    }
    return problems;
}

std::vector<ValueProblem> findMissingRequired(const Template& tmpl, const Json& values)
{
    std::vector<ValueProblem> missing;
    for (const Field* f : tmpl.fields()) {
        const Json v = values.is_object() && values.contains(f->path) ? values.at(f->path) : Json();
        if (f->required && isEmptyValue(v)) {
            missing.push_back({ { f->path, {}, "" }, ProblemCode::MissingRequired, f->label, {}, {} });
            continue;
        }
        if (f->type != FieldType::Table || !v.is_array())
            continue;
        for (std::size_t i = 0; i < v.size(); ++i) {
            const Json& row = v[i];
            for (const auto& c : f->columns) {
                if (!c.required)
                    continue;
                const Json cell = row.is_object() && row.contains(c.id) ? row.at(c.id) : Json();
                if (isEmptyValue(cell))
                    missing.push_back(
                        { { f->path, i, c.id }, ProblemCode::MissingRequired, c.label, f->label, {} });
            }
        }
    }
    return missing;
}

} // namespace fplan::docgen
