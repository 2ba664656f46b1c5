// SPDX-License-Identifier: EUPL-1.2
#include "gui/case_overview_panel.h"

#include "core/error.h"
#include "gui/accessibility.h"
#include "gui/date_field.h"
#include "gui/wx_util.h"

#include <wx/button.h>
#include <wx/choice.h>
#include <wx/dataview.h>
#include <wx/datetime.h>
#include <wx/dialog.h>
#include <wx/listbox.h>
#include <wx/sizer.h>
#include <wx/statbox.h>
#include <wx/stattext.h>
#include <wx/textctrl.h>

namespace fplan::gui {

namespace {

wxListBox* addList(wxWindow* parent, wxSizer* sizer, const wxString& title, int height)
{
    auto* box = new wxStaticBoxSizer(wxVERTICAL, parent, title);
    auto* list = new wxListBox(
        box->GetStaticBox(), wxID_ANY, wxDefaultPosition, parent->FromDIP(wxSize(-1, height)));
    setAccessibleName(list, title);
    box->Add(list, 1, wxEXPAND | wxALL, parent->FromDIP(4));
    sizer->Add(box, 1, wxEXPAND | wxALL, parent->FromDIP(4));
    return list;
}

void fill(wxListBox* list, const std::vector<std::string>& lines)
{
    list->Clear();
    for (const auto& l : lines)
        list->Append(toWx(l));
}

} // namespace

CaseOverviewPanel::CaseOverviewPanel(wxWindow* parent, Session& session, const std::string& caseId)
    : wxPanel(parent)
    , m_session(session)
    , m_caseId(caseId)
{
    auto* sizer = new wxBoxSizer(wxVERTICAL);
    m_heading = new wxStaticText(this, wxID_ANY, {});
    setHeadingFont(m_heading, 1.4f);
    sizer->Add(m_heading, 0, wxALL, FromDIP(8));

    auto* top = new wxBoxSizer(wxHORIZONTAL);
    m_family = addList(this, top, _("Familien"), 110);
    m_team = addList(this, top, _("Familieteam"), 110);
    sizer->Add(top, 0, wxEXPAND | wxLEFT | wxRIGHT, FromDIP(4));
    auto* middle = new wxBoxSizer(wxHORIZONTAL);
    m_history = addList(this, middle, _("Tovholder, historik"), 60);
    auto* handover = new wxButton(this, wxID_ANY, _("Skift &tovholder …"));
    middle->Add(handover, 0, wxALIGN_CENTER_VERTICAL | wxALL, FromDIP(4));
    sizer->Add(middle, 0, wxEXPAND | wxLEFT | wxRIGHT, FromDIP(4));
    handover->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { CallAfter([this] { changeCoordinator(); }); });

    auto* docs = new wxStaticBoxSizer(wxVERTICAL, this, _("Dokumenter"));
    m_documents = new wxDataViewListCtrl(
        docs->GetStaticBox(), wxID_ANY, wxDefaultPosition, wxDefaultSize, wxDV_SINGLE | wxDV_ROW_LINES);
    m_documents->AppendTextColumn(_("Dokument"), wxDATAVIEW_CELL_INERT, FromDIP(250));
    m_documents->AppendTextColumn(_("Status"), wxDATAVIEW_CELL_INERT, FromDIP(200));
    m_documents->AppendTextColumn(_("Versioner"), wxDATAVIEW_CELL_INERT, FromDIP(90));
    m_documents->AppendTextColumn(_("Senest ændret (UTC)"), wxDATAVIEW_CELL_INERT, FromDIP(160));
    setAccessibleName(m_documents, _("Dokumenter"));
    docs->Add(m_documents, 1, wxEXPAND | wxALL, FromDIP(4));

    auto* buttons = new wxBoxSizer(wxHORIZONTAL);
    auto* open = new wxButton(docs->GetStaticBox(), wxID_ANY, _("Å&bn dokument"));
    auto* investigation = new wxButton(docs->GetStaticBox(), wxID_ANY, _("Ny familiefaglig &undersøgelse"));
    auto* plan = new wxButton(docs->GetStaticBox(), wxID_ANY, _("Ny &familieplan"));
    auto* agenda = new wxButton(docs->GetStaticBox(), wxID_ANY, _("Ny &dagsorden"));
    for (auto* b : { open, investigation, plan, agenda })
        buttons->Add(b, 0, wxRIGHT, FromDIP(6));
    docs->Add(buttons, 0, wxALL, FromDIP(4));
    sizer->Add(docs, 1, wxEXPAND | wxALL, FromDIP(8));
    SetSizer(sizer);

    open->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { openSelected(); });
    investigation->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { newDocument(InvestigationTemplate); });
    plan->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { newDocument(PlanTemplate); });
    agenda->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { newDocument(FollowUpTemplate); });
    m_documents->Bind(wxEVT_DATAVIEW_ITEM_ACTIVATED, [this](wxDataViewEvent&) { openSelected(); });

    m_presenter = std::make_unique<CaseOverviewPresenter>(
        session.store(), caseId, [this](const std::string& id) { return m_session.templateTitle(id); });
    reload();
}

void CaseOverviewPanel::reload()
{
    m_presenter->reload();
    m_heading->SetLabel(toWx(m_presenter->heading()));
    fitLabel(m_heading);
    fill(m_family, m_presenter->familyLines());
    fill(m_team, m_presenter->teamLines());
    fill(m_history, m_presenter->coordinatorHistoryLines());
    m_documents->DeleteAllItems();
    for (const auto& d : m_presenter->documents()) {
        wxVector<wxVariant> row;
        row.push_back(toWx(d.title));
        row.push_back(toWx(d.status));
        row.push_back(toWx(d.versions));
        row.push_back(toWx(d.lastChanged));
        m_documents->AppendItem(row);
    }
    Layout();
}

void CaseOverviewPanel::newDocument(const std::string& templateId)
{
    try {
        const std::string docId = m_session.documents().create(m_caseId, templateId);
        reload();
        if (onOpenDocument)
            onOpenDocument(docId);
    } catch (const Error& e) {
        showError(this, e.what());
    }
}

void CaseOverviewPanel::changeCoordinator()
{
    const Case& kase = m_presenter->kase();
    wxDialog dialog(this, wxID_ANY, _("Skift tovholder"));
    auto* sizer = new wxBoxSizer(wxVERTICAL);
    auto* form = new wxFlexGridSizer(2, FromDIP(6), FromDIP(8));
    form->AddGrowableCol(1);
    form->Add(new wxStaticText(&dialog, wxID_ANY, _("&Ny tovholder:")), 0, wxALIGN_CENTER_VERTICAL);
    auto* who = new wxChoice(&dialog, wxID_ANY);
    std::vector<std::string> ids;
    for (const auto& t : kase.team)
        if (t.id != kase.coordinator) {
            who->Append(toWx(t.name + " (" + t.fagomraade + ")"));
            ids.push_back(t.id);
        }
    setAccessibleName(who, _("Ny tovholder"));
    form->Add(who, 1, wxEXPAND);
    form->Add(new wxStaticText(&dialog, wxID_ANY, _("&Fra dato:")), 0, wxALIGN_CENTER_VERTICAL);
    auto* date = new DateField(&dialog);
    date->showValue(Json(fromWx(wxDateTime::Today().FormatISODate())));
    setAccessibleName(date, _("Fra dato"));
    form->Add(date, 0);
    form->Add(new wxStaticText(&dialog, wxID_ANY, _("&Hvorfor:")), 0, wxALIGN_CENTER_VERTICAL);
    auto* reason = new wxTextCtrl(&dialog, wxID_ANY, {}, wxDefaultPosition, FromDIP(wxSize(320, -1)));
    reason->SetHint(_("fx familien ønskede det på mødet"));
    setAccessibleName(reason, _("Hvorfor"));
    form->Add(reason, 1, wxEXPAND);
    sizer->Add(form, 0, wxEXPAND | wxALL, FromDIP(12));
    auto* buttons = new wxStdDialogButtonSizer();
    auto* ok = new wxButton(&dialog, wxID_OK, _("&Skift tovholder"));
    ok->SetDefault();
    buttons->AddButton(ok);
    buttons->AddButton(new wxButton(&dialog, wxID_CANCEL, _("&Annuller")));
    buttons->Realize();
    sizer->Add(buttons, 0, wxEXPAND | wxALL, FromDIP(12));
    dialog.SetSizerAndFit(sizer);
    if (ids.empty()) {
        showError(this, tr("Tilføj først en anden fagperson til familieteamet."));
        return;
    }
    who->SetSelection(0);
    if (dialog.ShowModal() != wxID_OK)
        return;
    try {
        m_presenter->changeCoordinator(ids[static_cast<std::size_t>(who->GetSelection())],
            fromWx(date->GetValue()), fromWx(reason->GetValue()), m_session.author());
        reload();
    } catch (const Error& e) {
        showError(this, e.what());
    }
}

void CaseOverviewPanel::openSelected()
{
    const int row = m_documents->GetSelectedRow();
    if (row == wxNOT_FOUND || static_cast<std::size_t>(row) >= m_presenter->documents().size())
        return;
    if (onOpenDocument)
        onOpenDocument(m_presenter->documents()[static_cast<std::size_t>(row)].id);
}

} // namespace fplan::gui
