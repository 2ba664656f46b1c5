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
    std::string m_caseId;
};

} // namespace fplan::gui
