// SPDX-License-Identifier: EUPL-1.2
#include "gui/case_overview_presenter.h"

#include "core/error.h"
#include "crypto/random.h"
#include "docgen/format.h"
#include "gui/date_input.h"
#include "gui/i18n.h"

namespace fplan::gui {

CaseOverviewPresenter::CaseOverviewPresenter(Store& store, std::string caseId, TitleFor titleFor)
    : m_store(store)
    , m_caseId(std::move(caseId))
    , m_titleFor(std::move(titleFor))
{
    reload();
}

void CaseOverviewPresenter::reload()
{
    const auto caseDoc = m_store.caseDocumentId(m_caseId);
    if (!caseDoc)
        throw Error(ErrorCode::NotFound, format(tr("Sagen {0} findes ikke."), { m_caseId }));
    m_case = caseFromState(m_caseId, m_store.documentState(*caseDoc));
    m_documents.clear();
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
            line.status += format(tr(", {0} konflikter"), { std::to_string(line.conflicts) });
        line.lastChanged = state.maxHlc() ? hlcText(state.maxHlc()) : "";
        m_documents.push_back(std::move(line));
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
        std::string line = t.name + " · " + t.fagomraade;
        if (!t.role.empty())
            line += " · " + t.role;
        if (t.id == m_case.coordinator)
            line += " · " + tr("tovholder");
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
    const auto caseDoc = m_store.caseDocumentId(m_caseId);
    const DocumentState state = m_store.documentState(*caseDoc);
    const Json all = caseToValues(changed);
    // Only the two paths that change: the rest of the case document is left to other editors.
    const Json values
        = { { "tovholder", all.at("tovholder") }, { "tovholder_historik", all.at("tovholder_historik") } };
    OpFactory factory(author, m_store.deviceId(), m_store.clock());
    const auto ops = opsForValues(state, values, caseFieldKinds(), factory, m_caseId, *caseDoc);
    m_store.transaction([&] { m_store.appendOps(ops); });
    reload();
}

std::string CaseOverviewPresenter::newDocument(
    const std::string& templateId, const std::string& templateVersion)
{
    const std::string docId = crypto::newUuid();
    m_store.createDocument({ docId, m_caseId, templateId, templateVersion, m_store.clock().now() });
    reload();
    return docId;
}

} // namespace fplan::gui
