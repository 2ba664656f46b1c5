// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include "gui/new_case_presenter.h"

#include <wx/dialog.h>

class wxChoice;
class wxGrid;
class wxStaticText;
class wxTextCtrl;

namespace fplan::gui {

// Shows NewCasePresenter: the case's name and numbers, the family, the team and the tovholder.
class NewCaseDialog : public wxDialog {
public:
    NewCaseDialog(wxWindow* parent, Store& store, std::string author);
    const std::string& caseId() const { return m_caseId; }

private:
    void collect();
    void refreshCoordinators();
    void onOk();
    // After the first "Opret sag": lists what is still wrong, anew after every change.
    void showProblems();

    Store& m_store;
    std::string m_author;
    NewCasePresenter m_presenter;
    wxTextCtrl* m_title = nullptr;
    wxTextCtrl* m_journal = nullptr;
    wxTextCtrl* m_kle = nullptr;
    wxGrid* m_people = nullptr;
    wxGrid* m_team = nullptr;
    wxChoice* m_coordinator = nullptr;
    wxStaticText* m_problems = nullptr;
    bool m_problemsShown = false;
    std::string m_caseId;
};

} // namespace fplan::gui
