// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include "app/documents.h"
#include "core/case.h"
#include "core/store.h"
#include "delivery/outbox.h"
#include "gui/new_case_presenter.h"

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace fplan::gui {

struct DocumentLine {
    std::string id;
    std::string templateId;
    std::string title;
    std::string status; // "Kladde", "Færdig (version 2)", "Version 2 + ændringer"
    std::string versions; // "v1, v2"
    std::string lastChanged; // local time, Danish form ("12.03.2026 kl. 10:30")
    std::string delivery; // from the outbox, all versions: "2 sendt, 1 venter, 1 fejlet"; "" if none
    std::size_t conflicts = 0;
};

// What "Nyt dokument" offers, in the overview and the Dokument menu alike: every template in the
// catalogue (the templates folder) by its title, in the catalogue's order. The case's own data
// ("sag") is no document one makes.
struct TemplateChoice {
    std::string templateId;
    std::string title;
};
std::vector<TemplateChoice> creatableTemplates(const docgen::TemplateRegistry& templates,
    const std::function<std::string(const std::string&)>& titleFor);

// The case overview: the family, the team with the tovholder and its history, the documents.
class CaseOverviewPresenter {
public:
    using TitleFor = std::function<std::string(const std::string& templateId)>;

    CaseOverviewPresenter(app::DocumentService& documents, std::string caseId, TitleFor titleFor);
    void reload();

    const Case& kase() const { return m_case; }
    const std::vector<DocumentLine>& documents() const { return m_lines; }
    std::string heading() const;
    std::vector<std::string> familyLines() const;
    std::vector<std::string> teamLines() const;
    std::vector<std::string> coordinatorHistoryLines() const;

    // A handover: the new tovholder (a team member id), the date (as typed: DD.MM.ÅÅÅÅ) and why. The history
    // keeps the earlier ones. Error(BadInput) names what is wrong.
    void changeCoordinator(const std::string& teamMemberId, const std::string& date,
        const std::string& reason, const std::string& author);

    // The family and the team after the case was made. index = nullopt adds; the edit is stored as
    // ops on the case document (only the changed table). Error(BadInput) names what is wrong.
    PersonDraft personDraft(std::size_t index) const;
    void savePerson(std::optional<std::size_t> index, const PersonDraft& draft, const std::string& author);
    void removePerson(std::size_t index, const std::string& author);
    TeamMemberDraft teamMemberDraft(std::size_t index) const;
    // Stored through the document service (its author writes) whatever the consent says; returns
    // the warning to show when the family's consent does not cover this professional ("" if it does).
    std::string saveTeamMember(std::optional<std::size_t> index, const TeamMemberDraft& draft);
    // The tovholder, and anyone the tovholder history names, stays: the history must keep its names.
    void removeTeamMember(std::size_t index, const std::string& author);

    // "Start næste version" of a document (startNextVersion); returns the new draft's number.
    int startNextVersion(const std::string& docId);

    // The consent gate for today's team (app/consent.h): a headline and one line per gap.
    const app::ConsentStatus& consent() const { return m_consent; }
    std::vector<std::string> consentLines() const;
    static std::string consentGapText(const app::ConsentGap& gap);

    // Writes a finalised document's latest version for ESDH/eDoc (setting filing.folder); returns
    // what to tell the user: where it went, and the warnings.
    std::string fileDocument(const std::string& docId);

    // Makes a new document of a template in this case through the document service (default
    // rows, seeded tables, automatic values); returns its id.
    std::string newDocument(const std::string& templateId);

    // What "Nyt dokument" offers in this case (creatableTemplates).
    std::vector<TemplateChoice> creatableDocuments() const;

    // "Gem kalenderfil": the meeting of a document whose template has calendar fields (an
    // invitation), its latest finalised version as sent, written as `doc ics` writes it
    // (private, durable; the store's own files are never replaced). Returns what to tell the
    // user. Error(BadInput) in Danish for a document that is no meeting or not finalised.
    std::string saveCalendarFile(const std::string& docId, const std::filesystem::path& target);
    // The file name offered: the document's title, made safe as a file name.
    std::string calendarFileName(const std::string& docId) const;

private:
    void storeTable(CaseTable table, const Case& changed, const std::string& author);

    app::DocumentService& m_documents;
    Store& m_store;
    std::string m_caseId;
    TitleFor m_titleFor;
    Case m_case;
    std::vector<DocumentLine> m_lines;
    app::ConsentStatus m_consent;
};

// A document's letters in the outbox, counted by state: "2 sendt, 1 venter, 1 fejlet" ("" if none).
std::string deliveryText(const std::vector<delivery::OutboxEntry>& entries);

// Template ids of the documents (templates/*.xml, docs/templates.md).
inline constexpr const char* InvestigationTemplate = "familiefaglig-undersoegelse";
inline constexpr const char* PlanTemplate = "familieplan";
inline constexpr const char* FollowUpTemplate = "opfoelgningsmoede";
inline constexpr const char* ConsentTemplate = app::ConsentTemplateId;

} // namespace fplan::gui
