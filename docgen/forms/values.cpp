// SPDX-License-Identifier: EUPL-1.2
#include "docgen/forms/values.h"

#include "core/cpr.h"
#include "base/error.h"
#include "base/limits.h"
#include "base/suggest.h"
#include "base/text_rules.h"

#include <cmath>
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

std::string describe(const Json& v)
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
        : m_case(kase), m_problems(problems)
    {
    }

    void field(const Field& f, const std::string& path, const Json& v)
    {
        if (v.is_null())
            return; // clears the field; drafts may be incomplete
        switch (f.type) {
        case FieldType::Text:
        case FieldType::LongText: {
            if (!v.is_string())
                return problem(path, "expected text, got " + describe(v));
            const auto& s = v.get_ref<const std::string&>();
            if (const auto why = textProblem(s, f.type == FieldType::LongText); !why.empty())
                return problem(path, why);
            if (f.maxLength && utf8Length(s) > f.maxLength)
                return problem(path, "is " + std::to_string(utf8Length(s)) + " characters long; at most "
                                         + std::to_string(f.maxLength) + " are allowed");
            if (s.empty())
                return;
            if (f.format == "cpr") {
                const auto check = checkCpr(s);
                if (!check.valid)
                    return problem(path, "'" + s + "' is not a CPR number: " + check.reason);
            } else if (f.format == "email" && !plausibleEmail(s)) {
                return problem(path, "'" + s + "' is not an e-mail address");
            } else if (f.format == "phone" && !plausiblePhone(s)) {
                return problem(path, "'" + s + "' is not a phone number");
            }
            return;
        }
        case FieldType::Date:
            if (!v.is_string() || !isRealDate(v.get<std::string>()))
                return problem(path, describe(v) + " is not a date (YYYY-MM-DD, a day that exists)");
            return;
        case FieldType::DateTime:
            if (!v.is_string() || !isRealDateTime(v.get<std::string>()))
                return problem(path, describe(v) + " is not a date and time (YYYY-MM-DDTHH:MM)");
            return;
        case FieldType::Number: {
            if (!v.is_number())
                return problem(path, "expected a number, got " + describe(v));
            const double d = v.get<double>();
            if (!std::isfinite(d))
                return problem(path, "is not a finite number");
            if (f.min && d < *f.min)
                return problem(path, v.dump() + " is less than " + Json(*f.min).dump());
            if (f.max && d > *f.max)
                return problem(path, v.dump() + " is more than " + Json(*f.max).dump());
            return;
        }
        case FieldType::Bool:
            if (!v.is_boolean())
                return problem(path, "expected true or false, got " + describe(v));
            return;
        case FieldType::Choice:
            if (!v.is_string() || !f.choice(v.get<std::string>()))
                return problem(path, describe(v) + " is not one of the choices (" + choiceList(f) + ")");
            return;
        case FieldType::MultiChoice: {
            if (!v.is_array())
                return problem(path, "expected a list of choices, got " + describe(v));
            std::set<std::string> seen;
            for (const auto& c : v) {
                if (!c.is_string() || !f.choice(c.get<std::string>()))
                    return problem(path, describe(c) + " is not one of the choices (" + choiceList(f) + ")");
                if (!seen.insert(c.get<std::string>()).second)
                    return problem(path, describe(c) + " is chosen twice");
            }
            return;
        }
        case FieldType::Person:
            if (!v.is_string() || v.get_ref<const std::string&>().empty())
                return problem(path, "expected the id of a person in the case, got " + describe(v));
            if (m_case && !m_case->person(v.get<std::string>()))
                return problem(path, "no person with id '" + v.get<std::string>() + "' in this case");
            return;
        case FieldType::TeamMember: {
            if (!v.is_string() || v.get_ref<const std::string&>().empty())
                return problem(path, "expected the id of a team member of the case, got " + describe(v));
            if (!m_case)
                return;
            const TeamMember* member = m_case->teamMember(v.get<std::string>());
            if (!member)
                return problem(path, "no team member with id '" + v.get<std::string>() + "' in this case");
            if (f.sameFagomraade && member->fagomraade != f.fagomraade)
                return problem(path, member->name + " works in " + (member->fagomraade.empty() ? "no fagområde" : member->fagomraade)
                                         + ", not in " + f.fagomraade);
            return;
        }
        case FieldType::Table:
            return table(f, path, v);
        }
    }

    void table(const Field& f, const std::string& path, const Json& v)
    {
        if (!v.is_array())
            return problem(path, "a table takes a list of rows, got " + describe(v));
        // A table whose template names no max-rows still has one: limits::TableRows.
        const std::size_t maxRows = f.maxRows ? f.maxRows : limits::TableRows;
        if (v.size() > maxRows)
            return problem(path, "has " + std::to_string(v.size()) + " rows; at most "
                                     + std::to_string(maxRows) + " are allowed (limit)");
        std::set<std::string> ids;
        for (std::size_t i = 0; i < v.size(); ++i) {
            const std::string rowPath = path + "[" + std::to_string(i) + "]";
            const Json& row = v[i];
            if (!row.is_object()) {
                problem(rowPath, "a row is an object keyed by column id, got " + describe(row));
                continue;
            }
            for (const auto& [column, cell] : row.items()) {
                if (column == "@id") {
                    if (!cell.is_string() || cell.get_ref<const std::string&>().empty()
                        || cell.get_ref<const std::string&>().size() > 64
                        || cell.get_ref<const std::string&>().find_first_of("[]. \t\n") != std::string::npos)
                        problem(rowPath + ".@id", describe(cell) + " is not a usable row id");
                    else if (!ids.insert(cell.get<std::string>()).second)
                        problem(rowPath + ".@id", "'" + cell.get<std::string>() + "' appears twice");
                    continue;
                }
                const Field* c = f.column(column);
                if (!c) {
                    problem(rowPath + "." + column, "the table " + f.path + " has no column '" + column + "'");
                    continue;
                }
                field(*c, rowPath + "." + column, cell);
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

    void problem(const std::string& path, std::string reason) { m_problems.push_back({path, std::move(reason)}); }

    const Case* m_case;
    std::vector<ValueProblem>& m_problems;
};

} // namespace

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
    if (t.size() != 10 || !digits(t, 0, 4) || t[4] != '-' || !digits(t, 5, 2) || t[7] != '-' || !digits(t, 8, 2))
        return false;
    const int y = number(t, 0, 4), m = number(t, 5, 2), d = number(t, 8, 2);
    if (y < 1800 || m < 1 || m > 12 || d < 1)
        return false;
    static constexpr int Days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
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
        problems.push_back({"$", "values must be a JSON object keyed by field path"});
        return problems;
    }
    Checker checker(kase, problems);
    for (const auto& [path, v] : values.items()) {
        const Field* f = tmpl.field(path);
        if (!f) {
            std::vector<std::string> known;
            for (const Field* candidate : tmpl.fields())
                known.push_back(candidate->path);
            const std::string close = closestName(path, known);
            problems.push_back({path, "no such field in template " + tmpl.id + " (version " + tmpl.version + ")"
                                          + (close.empty() ? std::string() : "; did you mean '" + close + "'?")});
            continue;
        }
        checker.field(*f, path, v);
    }
    return problems;
}

void checkValues(const Template& tmpl, const Json& values, const Case* kase)
{
    const auto problems = findValueProblems(tmpl, values, kase);
    if (problems.empty())
        return;
    std::string message = problems.front().path + ": " + problems.front().reason;
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
                if (row.is_object() && row.contains("@id") && row.at("@id").is_string())
                    ids.insert(row.at("@id").get<std::string>());
        return ids;
    };
    const auto check = [&](const Field& f, const std::string& path, const Json& v) {
        if (f.refersTo.empty() || !v.is_string() || v.get_ref<const std::string&>().empty())
            return;
        if (!rowIds(f.refersTo).count(v.get<std::string>()))
            problems.push_back({path, "'" + v.get<std::string>() + "' is not a row of " + f.refersTo});
    };
    for (const Field* f : tmpl.fields()) {
        if ((only && (!only->is_object() || !only->contains(f->path))) || !document.contains(f->path))
            continue;
        const Json& v = document.at(f->path);
        if (f->type != FieldType::Table) {
            check(*f, f->path, v);
            continue;
        }
        if (!v.is_array())
            continue;
        for (std::size_t i = 0; i < v.size(); ++i)
            if (v[i].is_object())
                for (const auto& c : f->columns)
                    if (v[i].contains(c.id))
                        check(c, f->path + "[" + std::to_string(i) + "]." + c.id, v[i].at(c.id));
    }
    return problems;
}

std::vector<ValueProblem> findMissingRequired(const Template& tmpl, const Json& values)
{
    std::vector<ValueProblem> missing;
    for (const Field* f : tmpl.fields()) {
        const Json v = values.is_object() && values.contains(f->path) ? values.at(f->path) : Json();
        if (f->required && isEmptyValue(v)) {
            missing.push_back({f->path, "required field '" + f->label + "' is empty"});
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
                    missing.push_back({f->path + "[" + std::to_string(i) + "]." + c.id,
                                       "required column '" + c.label + "' is empty in row "
                                           + std::to_string(i + 1) + " of '" + f->label + "'"});
            }
        }
    }
    return missing;
}

} // namespace fplan::docgen
