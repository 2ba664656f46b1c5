// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include "gui/case_list_presenter.h"

#include <wx/panel.h>

#include <functional>
#include <string>

class wxDataViewCtrl;
class wxSearchCtrl;
class wxStaticText;

namespace fplan::gui {

class CaseListModel;

// Shows CaseListPresenter: a search field over a virtual list, sorted by clicking a header.
class CaseListPanel : public wxPanel {
public:
    explicit CaseListPanel(wxWindow* parent);
    void setCases(std::vector<CaseSummary> cases);
    void select(const std::string& caseId);
    void focusSearch();

    std::function<void(const std::string& caseId)> onOpen;
    std::function<void()> onNewCase;

private:
    void refresh();
    void openSelected();
    bool listHasFocus() const;

    CaseListPresenter m_presenter;
    wxSearchCtrl* m_search = nullptr;
    wxDataViewCtrl* m_list = nullptr;
    CaseListModel* m_model = nullptr;
    wxStaticText* m_status = nullptr;
};

} // namespace fplan::gui
