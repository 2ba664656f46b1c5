// SPDX-License-Identifier: EUPL-1.2
#include "tests/docgen/realistic_values.h"

#include "docgen/forms/values.h"

#include <algorithm>
#include <string>
#include <vector>

namespace fplan::test {

using namespace docgen;

namespace {

const std::vector<std::string>& shortTexts()
{
    static const std::vector<std::string> texts { "Sundhedsplejerske", "Familiebehandling efter § 52",
        "Mette Nørgaard og Jens Ravn", "Revisitation", "Skolesocialrådgiver",
        "Mødet den 28. februar kl. 14.00", "Støttekontaktperson", "Praktik i jobcenteret",
        "Ringkøbing-Skjern Kommune", "Hele familien" };
    return texts;
}

const std::vector<std::string>& sentences()
{
    static const std::vector<std::string> s {
        "Sundhedsplejersken besøger familien hver 14. dag, og forældrene har selv bedt om hjælp efter § 11, "
        "stk. 3.",
        "Revisitationen sker den 28. februar kl. 14.00 på rådhuset, hvor familien kan tage en bisidder med.",
        "Alma går i 4. klasse og har et fravær på 0,5 dag om ugen, som skolen og forældrene arbejder med.",
        "Forældrekompetenceundersøgelsen viser, at familien har brug for støtte i hverdagen, især om "
        "morgenen.",
        "Mette Nørgaard fortæller, at samarbejdet med Sundhedsplejersken og Skolesocialrådgiveren fungerer "
        "godt.",
        "Familiebehandlingen efter § 52, stk. 3, nr. 3, fortsætter til og med 12. juni 2026.",
        "Støttekontaktpersonen hjælper Søs med at komme til aftalerne i jobcenteret og hos egen læge.",
        "Beskæftigelsesindsatsen tilrettelægges, så den passer til helbredet og til familiens hverdag.",
    };
    return s;
}

std::string longText(std::size_t seed, std::size_t maxLength)
{
    const auto& s = sentences();
    std::string out;
    const std::size_t count = 1 + seed % 4;
    for (std::size_t i = 0; i < count; ++i) {
        if (!out.empty())
            out += (i == 2 ? "\n\n" : " ");
        out += s[(seed + i * 3) % s.size()];
    }
    while (maxLength && utf8Length(out) > maxLength) {
        const auto cut = out.rfind(' ');
        if (cut == std::string::npos)
            break;
        out.resize(cut);
    }
    return out;
}

std::string date(std::size_t seed)
{
    const int month = 1 + static_cast<int>(seed % 12);
    const int day = 1 + static_cast<int>((seed * 7) % 28);
    return "2026-" + std::string(month < 10 ? "0" : "") + std::to_string(month) + "-"
        + std::string(day < 10 ? "0" : "") + std::to_string(day);
}

Json value(const Field& f, const Case& kase, std::size_t seed)
{
    switch (f.type) {
    case FieldType::Text: {
        if (!f.refersTo.empty())
            return nullptr;
        if (f.format == TextFormat::Cpr)
            return "0101901234";
        if (f.format == TextFormat::Phone)
            return "4" + std::to_string(1234567 + seed % 7);
        if (f.format == TextFormat::Email)
            return "mette.noergaard@ringkobing-skjern.dk";
        std::string text = shortTexts()[seed % shortTexts().size()];
        if (f.maxLength && utf8Length(text) > f.maxLength)
            text = "Ja";
        return text;
    }
    case FieldType::LongText:
        return longText(seed, f.maxLength);
    case FieldType::Date:
        return date(seed);
    case FieldType::DateTime:
        return date(seed) + "T14:00";
    case FieldType::Number: {
        static const double numbers[] = { 0.5, 2.5, 12, 37, 1.5 };
        double n = numbers[seed % 5];
        if (f.autoValue == AutoValue::PlanVersion)
            n = 2;
        if (f.max && n > *f.max)
            n = *f.max;
        if (f.min && n < *f.min)
            n = *f.min;
        return n;
    }
    case FieldType::Bool:
        return seed % 2 == 0;
    case FieldType::Choice:
        return f.choices.empty() ? Json(nullptr) : Json(f.choices[seed % f.choices.size()].id);
    case FieldType::MultiChoice: {
        Json ids = Json::array();
        for (std::size_t i = 0; i < std::min<std::size_t>(2, f.choices.size()); ++i)
            ids.push_back(f.choices[(seed + i) % f.choices.size()].id);
        return ids;
    }
    case FieldType::Person:
        return kase.people[seed % kase.people.size()].id;
    case FieldType::TeamMember: {
        for (std::size_t i = 0; i < kase.team.size(); ++i) {
            const auto& m = kase.team[(seed + i) % kase.team.size()];
            if (!f.sameFagomraade || m.fagomraade == f.fagomraade)
                return m.id;
        }
        return nullptr;
    }
    case FieldType::Table:
        break;
    }
    return nullptr;
}

} // namespace

Case realisticCase()
{
    Case kase;
    kase.id = "realistic";
    kase.title = "Familien Nørgaard";
    kase.journalNumber = "27.24.00-G01-1-26";
    kase.municipality = "Ringkøbing-Skjern Kommune";
    kase.people = { { "p1", "Mette Nørgaard", "0101901234", "mor", true },
        { "p2", "Łukasz Şahin", "0202881237", "far", true },
        { "p3", "Alma Nørgaard", "1205154321", "barn", false },
        { "p4", "Ñuñez Ærø Şahin", "0309184325", "barn", false } };
    const char* disciplines[] = { "Børn og Familie", "Sundhed og Omsorg", "Beskæftigelse",
        "Dagtilbud og Undervisning", "Handicap og Psykiatri" };
    const char* names[]
        = { "Jens Ravn", "Ελένη Παπαδοπούλου", "Дмитрий Соколов", "Mette Kjær Andersen", "Ahmad Al-Sayed" };
    const char* roles[] = { "myndighedsrådgiver", "sundhedsplejerske", "jobkonsulent", "skolesocialrådgiver",
        "støttekontaktperson" };
    for (std::size_t i = 0; i < 5; ++i) {
        TeamMember m;
        m.id = "t" + std::to_string(i + 1);
        m.name = names[i];
        m.fagomraade = disciplines[i];
        m.role = roles[i];
        kase.team.push_back(m);
    }
    kase.coordinator = "t1";
    return kase;
}

Json realisticValues(const Template& tmpl, const Case& kase, int rows)
{
    Json values = Json::object();
    std::size_t seed = 0;
    for (const Field* f : tmpl.fields()) {
        if (f->type != FieldType::Table) {
            Json v = value(*f, kase, seed++);
            if (!v.is_null())
                values[f->path] = std::move(v);
            continue;
        }
        Json table = Json::array();
        // As many rows as asked, but never more than the table takes (max-rows).
        const int count = f->maxRows ? std::min(rows, static_cast<int>(f->maxRows)) : rows;
        for (int r = 0; r < count; ++r) {
            Json row = Json::object();
            row["@id"] = "r" + std::to_string(r + 1);
            for (const auto& c : f->columns) {
                Json v = value(c, kase, seed++);
                if (!v.is_null())
                    row[c.id] = std::move(v);
            }
            table.push_back(std::move(row));
        }
        values[f->path] = std::move(table);
    }
    return values;
}

} // namespace fplan::test
