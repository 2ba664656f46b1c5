// SPDX-License-Identifier: EUPL-1.2
#include "gui/new_case_presenter.h"

#include "base/error.h"
#include "core/bundle.h"
#include "core/cpr.h"
#include "crypto/random.h"
#include "gui/i18n.h"

#include <algorithm>
#include <ctime>

namespace fplan::gui {

namespace {

bool blank(const std::string& s)
{
    return s.find_first_not_of(" \t\r\n") == std::string::npos;
}

std::string trimmed(const std::string& s)
{
    const auto first = s.find_first_not_of(" \t\r\n");
    if (first == std::string::npos)
        return {};
    return s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1);
}

} // namespace

const std::vector<std::string>& NewCasePresenter::relations()
{
    static const std::vector<std::string> list { "mor", "far", "barn", "plejeforælder", "andet" };
    return list;
}

const std::vector<std::string>& NewCasePresenter::fagomraader()
{
    static const std::vector<std::string> list { "Børn og Familie", "Dagtilbud og Undervisning",
        "Handicap og Psykiatri", "Beskæftigelse", "Sundhed og Omsorg" };
    return list;
}

std::vector<std::string> personProblems(const PersonDraft& p, std::size_t number)
{
    std::vector<std::string> out;
    const std::string who
        = blank(p.name) ? format(tr("Familiemedlem {0}"), { std::to_string(number) }) : p.name;
    if (blank(p.name))
        out.push_back(format(tr("{0}: navn skal udfyldes."), { who }));
    if (!blank(p.cpr)) {
        const auto check = checkCpr(trimmed(p.cpr));
        if (check.problem == CprProblem::Shape)
            out.push_back(format(
                tr("{0}: CPR-nummeret {1} skal have 10 cifre (DDMMÅÅ-XXXX)."), { who, trimmed(p.cpr) }));
        else if (check.problem == CprProblem::NoSuchDate)
            out.push_back(format(tr("{0}: CPR-nummeret {1} er ugyldigt ({2} findes ikke)."),
                { who, trimmed(p.cpr), check.date }));
    }
    const auto& relations = NewCasePresenter::relations();
    if (std::find(relations.begin(), relations.end(), p.relation) == relations.end())
        out.push_back(format(tr("{0}: vælg en relation."), { who }));
    return out;
}

std::vector<std::string> teamMemberProblems(const TeamMemberDraft& t, std::size_t number)
{
    std::vector<std::string> out;
    const std::string who = blank(t.name) ? format(tr("Fagperson {0}"), { std::to_string(number) }) : t.name;
    if (blank(t.name))
        out.push_back(format(tr("{0}: navn skal udfyldes."), { who }));
    if (blank(t.fagomraade))
        out.push_back(format(tr("{0}: vælg et fagområde."), { who }));
    if (!blank(t.email) && t.email.find('@') == std::string::npos)
        out.push_back(format(tr("{0}: e-mailadressen {1} mangler @."), { who, t.email }));
    return out;
}

Person personFromDraft(const PersonDraft& p, std::string id)
{
    const auto cpr = normaliseCpr(trimmed(p.cpr));
    return { std::move(id), trimmed(p.name), cpr ? *cpr : trimmed(p.cpr), p.relation, p.custody };
}

void applyDraft(TeamMember& m, const TeamMemberDraft& t)
{
    m.name = trimmed(t.name);
    m.fagomraade = t.fagomraade;
    m.role = trimmed(t.role);
    m.email = trimmed(t.email);
    m.phone = trimmed(t.phone);
}

std::vector<std::string> NewCasePresenter::problems() const
{
    std::vector<std::string> out;
    if (blank(title))
        out.push_back(tr("Sagens navn skal udfyldes (fx \"Familien Nørgaard\")."));
    if (people.empty())
        out.push_back(tr("Tilføj mindst ét familiemedlem."));
    for (std::size_t i = 0; i < people.size(); ++i)
        for (auto& problem : personProblems(people[i], i + 1))
            out.push_back(std::move(problem));
    if (team.empty())
        out.push_back(tr("Tilføj mindst én fagperson til familieteamet."));
    for (std::size_t i = 0; i < team.size(); ++i)
        for (auto& problem : teamMemberProblems(team[i], i + 1))
            out.push_back(std::move(problem));
    if (!team.empty() && (coordinator < 0 || coordinator >= static_cast<int>(team.size())))
        out.push_back(tr("Vælg familiens tovholder blandt fagpersonerne."));
    return out;
}

Case NewCasePresenter::toCase(const std::string& today) const
{
    Case c;
    c.title = trimmed(title);
    c.journalNumber = trimmed(journalNumber);
    c.kle = trimmed(kle);
    for (std::size_t i = 0; i < people.size(); ++i)
        c.people.push_back(personFromDraft(people[i], "p" + std::to_string(i + 1)));
    for (std::size_t i = 0; i < team.size(); ++i) {
        TeamMember m;
        m.id = "t" + std::to_string(i + 1);
        applyDraft(m, team[i]);
        m.from = today;
        c.team.push_back(std::move(m));
    }
    if (coordinator >= 0 && coordinator < static_cast<int>(c.team.size())) {
        c.coordinator = c.team[static_cast<std::size_t>(coordinator)].id;
        c.coordinatorHistory.push_back(
            { crypto::newUuid(), today, c.coordinator, tr("Valgt da sagen blev oprettet") });
    }
    return c;
}

std::string NewCasePresenter::create(Store& store, const std::string& author, const std::string& today) const
{
    const auto found = problems();
    if (!found.empty()) {
        std::string message;
        for (const auto& p : found)
            message += (message.empty() ? "" : "\n") + p;
        throw Error(ErrorCode::BadInput, message);
    }
    Bundle bundle;
    bundle.kase = toCase(today);
    OpFactory factory(author, store.deviceId(), store.clock());
    return importBundle(
        store, bundle, factory, [](const BundleDocument&, const Case&) { return PreparedDocument {}; });
}

} // namespace fplan::gui
