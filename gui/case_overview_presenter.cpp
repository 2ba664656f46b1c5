// SPDX-License-Identifier: EUPL-1.2
#include "gui/case_overview_presenter.h"

#include "base/error.h"
#include "crypto/random.h"
#include "delivery/outbox.h"
#include "docgen/forms/format.h"
#include "docgen/forms/icalendar.h"
#include "gui/date_input.h"
#include "gui/editor_presenter.h"
#include "gui/i18n.h"

#include <algorithm>

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
    const delivery::Outbox outbox(m_store);
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
        line.delivery = deliveryText(outbox.list(info.id));
        m_lines.push_back(std::move(line));
    }
    m_consent = m_documents.consent(m_case, m_case.team, localDateToday());
}

std::string CaseOverviewPresenter::consentGapText(const app::ConsentGap& gap)
{
    const std::string who = gap.name + " (" + gap.fagomraade + "): ";
    switch (gap.kind) {
    case app::ConsentGapKind::Withdrawn:
        return who
            + format(
                tr("samtykket for fagområdet blev trukket tilbage {0}"), { docgen::formatDate(gap.date) });
    case app::ConsentGapKind::Expired:
        return who + format(tr("samtykket udløb {0}"), { docgen::formatDate(gap.date) });
    case app::ConsentGapKind::NotYetValid:
        return who + format(tr("samtykket gælder først fra {0}"), { docgen::formatDate(gap.date) });
    case app::ConsentGapKind::NotNamed:
        return who + tr("fagområdet eller fagpersonen er ikke med i samtykket");
    case app::ConsentGapKind::NoConsent:
        break;
    }
    return who + tr("der er ingen færdig samtykkeerklæring i sagen");
}

std::vector<std::string> CaseOverviewPresenter::consentLines() const
{
    std::vector<std::string> out;
    if (m_consent.documents.empty())
        out.push_back(
            tr("Ingen færdig samtykkeerklæring. Fagpersonerne må ikke udveksle oplysninger endnu."));
    else if (m_consent.covered())
        out.push_back(format(tr("Samtykket dækker hele familieteamet (til {0})."),
            { docgen::formatDate(m_consent.validUntil) }));
    else
        out.push_back(tr("Samtykket dækker ikke hele familieteamet:"));
    if (!m_consent.documents.empty())
        for (const auto& gap : m_consent.gaps)
            out.push_back("• " + consentGapText(gap));
    for (const auto& m : m_consent.missing)
        out.push_back("• "
            + format(m.custody ? tr("{0} har forældremyndighed og har ikke givet samtykke")
                               : tr("{0} er fyldt 15 år og har ikke selv givet samtykke"),
                { m.name }));
    return out;
}

std::string CaseOverviewPresenter::fileDocument(const std::string& docId)
{
    // What a caseworker can put right is said in Danish here; the service checks it all again.
    const auto line
        = std::find_if(m_lines.begin(), m_lines.end(), [&](const auto& l) { return l.id == docId; });
    if (line != m_lines.end() && line->versions.empty())
        throw Error(ErrorCode::BadInput,
            tr("Kun en færdig version kan journaliseres. Gør dokumentet færdigt først."));
    if (m_case.journalNumber.empty())
        throw Error(ErrorCode::BadInput,
            tr("Sagen har intet journalnummer, og ESDH journaliserer efter journalnummer."));
    if (!m_store.setting("filing.folder"))
        throw Error(ErrorCode::BadInput,
            tr("Der er ikke sat en mappe op til journalisering i ESDH (filing.folder). Kontakt "
               "IT-afdelingen."));
    const auto filed = m_documents.file(docId, VersionRef {});
    std::string message = format(filed.alreadyFiled ? tr("Dokumentet var allerede journaliseret:\n{0}\n{1}")
                                                    : tr("Dokumentet er lagt til journalisering:\n{0}\n{1}"),
        { filed.pdf.string(), filed.metadata.string() });
    if (!filed.consent.gaps.empty() || !filed.consent.missing.empty())
        message += "\n\n" + tr("Bemærk: samtykket dækker ikke hele familieteamet, som kan se sagen i ESDH.");
    return message;
}

int CaseOverviewPresenter::startNextVersion(const std::string& docId)
{
    const int next = gui::startNextVersion(m_documents, docId);
    reload();
    return next;
}

std::string deliveryText(const std::vector<delivery::OutboxEntry>& entries)
{
    std::size_t sent = 0, waiting = 0, failed = 0;
    for (const auto& e : entries) {
        switch (e.status) {
        case delivery::OutboxStatus::Sent:
            ++sent;
            break;
        case delivery::OutboxStatus::Queued:
        case delivery::OutboxStatus::Sending:
            ++waiting;
            break;
        case delivery::OutboxStatus::Failed:
            ++failed;
            break;
        }
    }
    std::string out;
    auto add = [&out](std::size_t n, const std::string& pattern) {
        if (n > 0)
            out += (out.empty() ? "" : ", ") + format(pattern, { std::to_string(n) });
    };
    add(sent, tr("{0} sendt"));
    add(waiting, tr("{0} venter"));
    add(failed, tr("{0} fejlet"));
    return out;
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

std::string CaseOverviewPresenter::saveTeamMember(
    std::optional<std::size_t> index, const TeamMemberDraft& draft)
{
    if (index && *index >= m_case.team.size())
        throw Error(ErrorCode::BadInput, tr("Fagpersonen findes ikke længere."));
    const auto problems = teamMemberProblems(draft, index ? *index + 1 : m_case.team.size() + 1);
    if (!problems.empty())
        refuse(problems);
    TeamMember member = index ? m_case.team[*index] : TeamMember {}; // no id: the service adds one
    applyDraft(member, draft);
    const auto change = m_documents.saveTeamMember(m_caseId, member);
    reload();
    const app::ConsentGap* gap = change.gap();
    if (!gap)
        return {};
    return format(tr("{0} er gemt, men familiens samtykke dækker ikke fagpersonen: {1}. Der må ikke "
                     "udveksles oplysninger med fagpersonen, før familien har givet samtykke."),
        { member.name, consentGapText(*gap) });
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
    if (!m_store.caseDocumentId(m_caseId))
        throw Error(ErrorCode::NotFound, tr("Sagen findes ikke længere."));
    m_documents.storeCaseTable(m_case, changed, table, author);
    reload();
}

std::string CaseOverviewPresenter::newDocument(const std::string& templateId)
{
    const std::string docId = m_documents.create(m_caseId, templateId).docId;
    reload();
    return docId;
}

std::vector<TemplateChoice> creatableTemplates(
    const docgen::TemplateRegistry& templates, const std::function<std::string(const std::string&)>& titleFor)
{
    std::vector<TemplateChoice> out;
    for (const auto& id : templates.ids())
        if (id != CaseTemplateId)
            out.push_back({ id, titleFor ? titleFor(id) : id });
    return out;
}

std::vector<TemplateChoice> CaseOverviewPresenter::creatableDocuments() const
{
    return creatableTemplates(m_documents.templates(), m_titleFor);
}

namespace {

// The document's own template (the version it was made with) and its latest finalised version.
struct MeetingDocument {
    app::OpenDocument doc;
    int latestVersion = 0; // 0: none finalised
};

MeetingDocument meetingDocument(const app::DocumentService& documents, const std::string& docId)
{
    MeetingDocument out { documents.open(docId), 0 };
    if (!docgen::describesMeeting(out.doc.tmpl))
        throw Error(ErrorCode::BadInput,
            format(
                tr("Et dokument af typen \"{0}\" beskriver ikke et møde og kan ikke gemmes som kalenderfil. "
                   "Vælg en invitation."),
                { out.doc.tmpl.title }));
    const DocumentState state = documents.store().documentState(docId);
    if (const Version* latest = state.latestVersion())
        out.latestVersion = latest->number;
    return out;
}

} // namespace

std::string CaseOverviewPresenter::saveCalendarFile(
    const std::string& docId, const std::filesystem::path& target)
{
    const MeetingDocument meeting = meetingDocument(m_documents, docId);
    if (meeting.latestVersion == 0)
        throw Error(ErrorCode::BadInput,
            tr("Gør invitationen færdig først. Kalenderfilen har det, der står i den færdige version, så "
               "fagpersonerne får den samme tid og det samme sted som familien."));
    const auto warnings = m_documents.saveCalendarFile(docId, VersionRef(meeting.latestVersion), target,
        WriteOptions { .force = true, .protectedFiles = Store::ownFiles(m_store.path()) });
    std::string message = format(tr("Kalenderfilen for version {0} er gemt som {1}. Send den til "
                                    "fagpersonerne, så de kan åbne mødet i deres kalender."),
        { std::to_string(meeting.latestVersion), target.string() });
    if (!warnings.empty())
        message
            += "\n\n" + tr("Bemærk: fagpersoner uden e-mailadresse står ikke som deltagere i kalenderfilen.");
    return message;
}

std::string CaseOverviewPresenter::calendarFileName(const std::string& docId) const
{
    const auto line
        = std::find_if(m_lines.begin(), m_lines.end(), [&](const auto& l) { return l.id == docId; });
    std::string name = line == m_lines.end() ? "kalender" : line->title;
    for (char& c : name)
        if (c == '/' || c == '\\' || c == ':')
            c = '-';
    return name + ".ics";
}

} // namespace fplan::gui
