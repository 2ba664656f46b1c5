// SPDX-License-Identifier: EUPL-1.2
#include "gui/case_list_panel.h"

#include "gui/accessibility.h"
#include "gui/wx_util.h"

#include <wx/button.h>
#include <wx/dataview.h>
#include <wx/sizer.h>
#include <wx/srchctrl.h>
#include <wx/stattext.h>

#ifdef __WXGTK__
#include <gtk/gtk.h>
#endif

namespace fplan::gui {

// Asks the presenter for each visible row; nothing is copied per case.
class CaseListModel : public wxDataViewVirtualListModel {
public:
    explicit CaseListModel(const CaseListPresenter& presenter)
        : m_presenter(presenter)
    {
    }

    void GetValueByRow(wxVariant& variant, unsigned int row, unsigned int col) const override
    {
        if (row < m_presenter.rowCount())
            variant = toWx(m_presenter.cell(row, static_cast<CaseColumn>(col)));
        else
            variant = wxString();
    }
    bool SetValueByRow(const wxVariant&, unsigned int, unsigned int) override { return false; }

private:
    const CaseListPresenter& m_presenter;
};

CaseListPanel::CaseListPanel(wxWindow* parent)
    : wxPanel(parent)
{
    auto* sizer = new wxBoxSizer(wxVERTICAL);
    m_search = new wxSearchCtrl(this, wxID_ANY);
    m_search->SetDescriptiveText(_("Søg: navn, journalnummer eller CPR"));
    m_search->ShowCancelButton(true);
    setAccessibleName(m_search, _("Søg i sager"));
    sizer->Add(m_search, 0, wxEXPAND | wxALL, FromDIP(6));

    m_list = new wxDataViewCtrl(
        this, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxDV_SINGLE | wxDV_ROW_LINES | wxDV_VERT_RULES);
    m_model = new CaseListModel(m_presenter);
    m_list->AssociateModel(m_model);
    m_model->DecRef(); // the control owns it now
    const int widths[] = { 220, 150, 80 };
    for (int c = 0; c < CaseColumnCount; ++c)
        m_list->AppendTextColumn(toWx(CaseListPresenter::columnLabel(static_cast<CaseColumn>(c))),
            static_cast<unsigned>(c), wxDATAVIEW_CELL_INERT, FromDIP(widths[c]), wxALIGN_NOT,
            wxDATAVIEW_COL_RESIZABLE | wxDATAVIEW_COL_SORTABLE);
    setAccessibleName(m_list, _("Sager"));
#ifdef __WXGTK__
    // GTK's own type-ahead (started by typing or Ctrl+F in the list) searches only the first
    // column and hides the real search field; the search field does it better.
    if (auto* tree = m_list->GtkGetTreeView())
        gtk_tree_view_set_enable_search(GTK_TREE_VIEW(tree), FALSE);
#endif
    // Ctrl+F anywhere in the list goes to the search field, before GTK's key bindings see it.
    // Tab leaves the list for the next control, Shift+Tab for the search field (GTK's list would
    // take Shift+Tab to its header row, and wx's backward navigation loses the focus there).
    Bind(wxEVT_CHAR_HOOK, [this](wxKeyEvent& e) {
        if (e.GetModifiers() == wxMOD_CONTROL && (e.GetKeyCode() == 'F' || e.GetKeyCode() == 'f'))
            focusSearch();
        else if (e.GetKeyCode() == WXK_TAB && e.GetModifiers() == wxMOD_NONE && listHasFocus())
            m_list->Navigate(wxNavigationKeyEvent::IsForward);
        else if (e.GetKeyCode() == WXK_TAB && e.GetModifiers() == wxMOD_SHIFT && listHasFocus())
            m_search->SetFocus();
        else
            e.Skip();
    });
    sizer->Add(m_list, 1, wxEXPAND | wxLEFT | wxRIGHT, FromDIP(6));

    auto* bottom = new wxBoxSizer(wxHORIZONTAL);
    m_status = new wxStaticText(this, wxID_ANY, {});
    bottom->Add(m_status, 1, wxALIGN_CENTER_VERTICAL);
    auto* newCase = new wxButton(this, wxID_ANY, _("&Ny sag …"));
    bottom->Add(newCase, 0);
    sizer->Add(bottom, 0, wxEXPAND | wxALL, FromDIP(6));
    SetSizer(sizer);

    m_search->Bind(wxEVT_TEXT, [this](wxCommandEvent&) {
        m_presenter.setQuery(fromWx(m_search->GetValue()));
        refresh();
    });
    m_search->Bind(wxEVT_SEARCHCTRL_CANCEL_BTN, [this](wxCommandEvent&) { m_search->Clear(); });
    m_search->Bind(wxEVT_TEXT_ENTER, [this](wxCommandEvent&) {
        if (m_presenter.rowCount() == 1 && onOpen)
            onOpen(m_presenter.row(0).id);
    });
    m_list->Bind(wxEVT_DATAVIEW_COLUMN_HEADER_CLICK, [this](wxDataViewEvent& e) {
        m_presenter.sortBy(static_cast<CaseColumn>(e.GetColumn()));
        refresh();
    });
    m_list->Bind(wxEVT_DATAVIEW_ITEM_ACTIVATED, [this](wxDataViewEvent&) { openSelected(); });
    m_list->Bind(wxEVT_DATAVIEW_SELECTION_CHANGED, [this](wxDataViewEvent&) { openSelected(); });
    newCase->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
        if (onNewCase)
            onNewCase();
    });
}

void CaseListPanel::setCases(std::vector<CaseSummary> cases)
{
    m_presenter.setCases(std::move(cases));
    refresh();
}

void CaseListPanel::refresh()
{
    const wxDataViewItem selected = m_list->GetSelection();
    std::string selectedId;
    if (selected.IsOk()) {
        const auto row = m_model->GetRow(selected);
        if (row < m_presenter.rowCount())
            selectedId = m_presenter.row(row).id;
    }
    m_model->Reset(static_cast<unsigned>(m_presenter.rowCount()));
    // The native sort indicator; the rows themselves are sorted by the presenter (a virtual
    // list model sorts nothing by itself).
    for (int c = 0; c < CaseColumnCount; ++c) {
        wxDataViewColumn* column = m_list->GetColumn(static_cast<unsigned>(c));
        if (static_cast<CaseColumn>(c) == m_presenter.sortColumn())
            column->SetSortOrder(m_presenter.ascending());
        else if (column->IsSortKey())
            column->UnsetAsSortKey();
    }
    m_status->SetLabel(toWx(m_presenter.statusText()));
    if (!selectedId.empty())
        select(selectedId);
}

void CaseListPanel::select(const std::string& caseId)
{
    const long index = m_presenter.indexOf(caseId);
    if (index < 0)
        return;
    const wxDataViewItem item = m_model->GetItem(static_cast<unsigned>(index));
    m_list->Select(item);
    m_list->EnsureVisible(item);
}

void CaseListPanel::focusSearch()
{
    m_search->SetFocus();
    m_search->SelectAll();
}

bool CaseListPanel::listHasFocus() const
{
    for (const wxWindow* w = wxWindow::FindFocus(); w; w = w->GetParent())
        if (w == m_list)
            return true;
    return false;
}

void CaseListPanel::openSelected()
{
    const wxDataViewItem item = m_list->GetSelection();
    if (!item.IsOk())
        return;
    const auto row = m_model->GetRow(item);
    if (row < m_presenter.rowCount() && onOpen)
        onOpen(m_presenter.row(row).id);
}

} // namespace fplan::gui
