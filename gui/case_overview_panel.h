// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include "gui/case_overview_presenter.h"
#include "gui/session.h"

#include <wx/scrolwin.h>

#include <functional>
#include <memory>

class wxDataViewListCtrl;
class wxListBox;
class wxStaticText;

namespace fplan::gui {

// Shows CaseOverviewPresenter: family, team with tovholder history, the consent gate, documents
// with their status.
// Scrolls as a whole when the window is too low for it (a 1024×600 screen), so every list and
// button stays reachable.
class CaseOverviewPanel : public wxScrolledWindow {
public:
    CaseOverviewPanel(wxWindow* parent, Session& session, const std::string& caseId);
    const std::string& caseId() const { return m_caseId; }
    void reload();
    // Creates a document of the template (seeded by docgen) and opens it.
    void newDocument(const std::string& templateId);
    // "Start næste version" of the selected document, which then opens.
    void startNextVersion();

    std::function<void(const std::string& docId)> onOpenDocument;
    // After "Start næste version": the document's new draft is to be shown (an open editor anew).
    std::function<void(const std::string& docId)> onNewDraft;

private:
    void openSelected();
    // "Nyt dokument": the templates by title in a menu under `below`; the chosen one is made.
    void chooseNewDocument(wxWindow* below);
    // "Gem kalenderfil": the selected invitation's meeting as an .ics file where the user says.
    void saveCalendarFile();
    void changeCoordinator();
    // index -1 adds a new one.
    void editPerson(int index);
    void removePerson(int index);
    void editTeamMember(int index);
    void removeTeamMember(int index);

    Session& m_session;
    std::string m_caseId;
    std::unique_ptr<CaseOverviewPresenter> m_presenter;
    wxStaticText* m_heading = nullptr;
    wxListBox* m_family = nullptr;
    wxListBox* m_team = nullptr;
    wxListBox* m_history = nullptr;
    wxListBox* m_consent = nullptr;
    wxDataViewListCtrl* m_documents = nullptr;
};

} // namespace fplan::gui
