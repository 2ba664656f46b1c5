// SPDX-License-Identifier: EUPL-1.2
#include "gui/case_overview_presenter.h"

#include "base/error.h"
#include "crypto/random.h"
#include "docgen/forms/format.h"
#include "gui/date_input.h"
#include "gui/i18n.h"

namespace fplan::gui {

CaseOverviewPresenter::CaseOverviewPresenter(
    app::DocumentService& documents, std::string caseId, TitleFor titleFor)
    : m_documents(documents)
    , m_store(documents.store())
    , m_caseId(std::move(caseId))
    , m_titleFor(std::move(titleFor))
{
    reload();
}

void CaseOverviewPresenter::reload()
{
    if (!m_store.caseDocumentId(m_caseId))
        throw Error(ErrorCode::NotFound, format(tr("Sagen {0} findes ikke."), { m_caseId }));
    m_case = m_documents.openCase(m_caseId);
    m_lines.clear();
    for (const auto& info : m_store.documents(m_caseId)) {
        const DocumentState state = m_store.documentState(info.id);
        DocumentLine line;
        line.id = info.id;
        line.templateId = info.templateId;
        line.title = m_titleFor ? m_titleFor(info.templateId) : info.templateId;
        const auto& versions = state.versions();
        for (const auto& v : versions)
            line.versions += (line.versions.empty() ? "v" : ", v") + std::to_string(v.number);
        if (versions.empty())
            line.status = tr("Kladde");
        else if (state.maxHlc() > versions.back().hlc)
            line.status = format(tr("Version {0} + ændringer"), { std::to_string(versions.back().number) });
        else
            line.status = format(tr("Færdig (version {0})"), { std::to_string(versions.back().number) });
        line.conflicts = state.conflicts().size();
        if (line.conflicts > 0)
            line.status += format(trn(", {0} konflikt", ", {0} konflikter", line.conflicts),
                { std::to_string(line.conflicts) });
        line.lastChanged = state.maxHlc() ? hlcText(state.maxHlc()) : "";
        m_lines.push_back(std::move(line));
    }
}

std::string CaseOverviewPresenter::heading() const
{
    return m_case.journalNumber.empty() ? m_case.title : m_case.title + " · " + m_case.journalNumber;
}

std::vector<std::string> CaseOverviewPresenter::familyLines() const
{
    std::vector<std::string> out;
    for (const auto& p : m_case.people) {
        std::string line = p.name + " (" + p.relation + ")";
        if (!p.cpr.empty())
            line += " · " + tr("CPR") + " " + p.cpr.substr(0, 6) + "-" + p.cpr.substr(6);
        if (p.custody)
            line += " · " + tr("forældremyndighed");
        out.push_back(line);
    }
    return out;
}

std::vector<std::string> CaseOverviewPresenter::teamLines() const
{
    std::vector<std::string> out;
    for (const auto& t : m_case.team) {
        // The tovholder mark right after the name: a narrow list cuts the end of the line.
        std::string line = t.name;
        if (t.id == m_case.coordinator)
            line += " (" + tr("tovholder") + ")";
        line += " · " + t.fagomraade;
        if (!t.role.empty())
            line += " · " + t.role;
        out.push_back(line);
    }
    return out;
}

std::vector<std::string> CaseOverviewPresenter::coordinatorHistoryLines() const
{
    std::vector<std::string> out;
    for (const auto& h : m_case.coordinatorHistory) {
        const TeamMember* t = m_case.teamMember(h.teamMemberId);
        std::string line = docgen::formatDate(h.date) + ": " + (t ? t->name : h.teamMemberId);
        if (!h.reason.empty())
            line += " – " + h.reason;
        out.push_back(line);
    }
    return out;
}

void CaseOverviewPresenter::changeCoordinator(const std::string& teamMemberId, const std::string& date,
    const std::string& reason, const std::string& author)
{
    if (!m_case.teamMember(teamMemberId))
        throw Error(ErrorCode::BadInput, tr("Vælg den nye tovholder blandt fagpersonerne."));
    if (teamMemberId == m_case.coordinator)
        throw Error(ErrorCode::BadInput, tr("Den valgte fagperson er allerede tovholder."));
    const auto iso = parseDateText(date);
    if (!iso)
        throw Error(ErrorCode::BadInput, tr("Skriv datoen som DD.MM.ÅÅÅÅ."));
    Case changed = m_case;
    changed.coordinator = teamMemberId;
    changed.coordinatorHistory.push_back({ crypto::newUuid(), *iso, teamMemberId, reason });
    // Only the two paths that change: the rest of the case document is left to other editors.
    storeTable(CaseTable::CoordinatorChange, changed, author);
}

namespace {

[[noreturn]] void refuse(const std::vector<std::string>& problems)
{
    std::string message;
    for (const auto& p : problems)
        message += (message.empty() ? "" : "\n") + p;
    throw Error(ErrorCode::BadInput, message);
}

} // namespace

PersonDraft CaseOverviewPresenter::personDraft(std::size_t index) const
{
    const Person& p = m_case.people.at(index);
    PersonDraft d;
    d.name = p.name;
    // Shown the way it is written on paper; either form is accepted back.
    d.cpr = p.cpr.size() == 10 ? p.cpr.substr(0, 6) + "-" + p.cpr.substr(6) : p.cpr;
    d.relation = p.relation;
    d.custody = p.custody;
    return d;
}

void CaseOverviewPresenter::savePerson(
    std::optional<std::size_t> index, const PersonDraft& draft, const std::string& author)
{
    if (index && *index >= m_case.people.size())
        throw Error(ErrorCode::BadInput, tr("Familiemedlemmet findes ikke længere."));
    const auto problems = personProblems(draft, index ? *index + 1 : m_case.people.size() + 1);
    if (!problems.empty())
        refuse(problems);
    Case changed = m_case;
    if (index)
        changed.people[*index] = personFromDraft(draft, m_case.people[*index].id);
    else
        changed.people.push_back(personFromDraft(draft, crypto::newUuid()));
    storeTable(CaseTable::People, changed, author);
}

void CaseOverviewPresenter::removePerson(std::size_t index, const std::string& author)
{
    if (index >= m_case.people.size())
        return;
    if (m_case.people.size() == 1)
        throw Error(ErrorCode::Conflict, tr("Sagen skal have mindst ét familiemedlem."));
    Case changed = m_case;
    changed.people.erase(changed.people.begin() + static_cast<std::ptrdiff_t>(index));
    storeTable(CaseTable::People, changed, author);
}

TeamMemberDraft CaseOverviewPresenter::teamMemberDraft(std::size_t index) const
{
    const TeamMember& t = m_case.team.at(index);
    return { t.name, t.fagomraade, t.role, t.email, t.phone };
}

void CaseOverviewPresenter::saveTeamMember(
    std::optional<std::size_t> index, const TeamMemberDraft& draft, const std::string& author)
{
    if (index && *index >= m_case.team.size())
        throw Error(ErrorCode::BadInput, tr("Fagpersonen findes ikke længere."));
    const auto problems = teamMemberProblems(draft, index ? *index + 1 : m_case.team.size() + 1);
    if (!problems.empty())
        refuse(problems);
    Case changed = m_case;
    if (index) {
        applyDraft(changed.team[*index], draft);
    } else {
        TeamMember m;
        m.id = crypto::newUuid();
        applyDraft(m, draft);
        m.from = localDateToday();
        changed.team.push_back(std::move(m));
    }
    storeTable(CaseTable::Team, changed, author);
}

void CaseOverviewPresenter::removeTeamMember(std::size_t index, const std::string& author)
{
    if (index >= m_case.team.size())
        return;
    const TeamMember& t = m_case.team[index];
    if (t.id == m_case.coordinator)
        throw Error(ErrorCode::Conflict, format(tr("{0} er tovholder. Skift tovholder først."), { t.name }));
    for (const auto& h : m_case.coordinatorHistory)
        if (h.teamMemberId == t.id)
            throw Error(ErrorCode::Conflict,
                format(tr("{0} står i tovholderhistorikken og bliver derfor på sagen."), { t.name }));
    Case changed = m_case;
    changed.team.erase(changed.team.begin() + static_cast<std::ptrdiff_t>(index));
    storeTable(CaseTable::Team, changed, author);
}

void CaseOverviewPresenter::storeTable(CaseTable table, const Case& changed, const std::string& author)
{
    const auto caseDoc = m_store.caseDocumentId(m_caseId);
    if (!caseDoc)
        throw Error(ErrorCode::NotFound, tr("Sagen findes ikke længere."));
    const DocumentState state = m_store.documentState(*caseDoc);
    OpFactory factory(author, m_store.deviceId(), m_store.clock());
    // Only the one table: a concurrent edit of the rest of the case merges as usual.
    const auto ops = opsForValues(
        state, caseTableValues(m_case, changed, table), caseFieldKinds(), factory, m_caseId, *caseDoc);
    if (!ops.empty())
        m_store.transaction([&] { m_store.appendOps(ops); });
    reload();
}

std::string CaseOverviewPresenter::newDocument(const std::string& templateId)
{
    const std::string docId = m_documents.create(m_caseId, templateId).docId;
    reload();
    return docId;
}

} // namespace fplan::gui
