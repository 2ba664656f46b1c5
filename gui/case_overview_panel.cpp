// SPDX-License-Identifier: EUPL-1.2
#include "gui/case_overview_panel.h"

#include "base/error.h"
#include "gui/accessibility.h"
#include "gui/date_field.h"
#include "gui/send_dialog.h"
#include "gui/wx_util.h"

#include <wx/button.h>
#include <wx/checkbox.h>
#include <wx/choice.h>
#include <wx/dataview.h>
#include <wx/datetime.h>
#include <wx/dialog.h>
#include <wx/filedlg.h>
#include <wx/listbox.h>
#include <wx/menu.h>
#include <wx/menuitem.h>
#include <wx/msgdlg.h>
#include <wx/sizer.h>
#include <wx/statbox.h>
#include <wx/stattext.h>
#include <wx/textctrl.h>
#include <wx/wrapsizer.h>

#include <algorithm>
#include <functional>

namespace fplan::gui {

namespace {

wxListBox* addList(wxWindow* parent, wxSizer* sizer, const wxString& title, int height)
{
    auto* box = new wxStaticBoxSizer(wxVERTICAL, parent, title);
    // Narrow at first: lists side by side share the width equally instead of by their longest line.
    auto* list = new wxListBox(
        box->GetStaticBox(), wxID_ANY, wxDefaultPosition, parent->FromDIP(wxSize(120, height)));
    setAccessibleName(list, title);
    box->Add(list, 1, wxEXPAND | wxALL, parent->FromDIP(4));
    sizer->Add(box, 1, wxEXPAND | wxALL, parent->FromDIP(4));
    return list;
}

// Add / change / remove under a list of people; the lambdas get the selected row (or -1).
void addEditButtons(wxWindow* parent, wxListBox* list, const wxString& what, std::function<void(int)> add,
    std::function<void(int)> edit, std::function<void(int)> remove)
{
    wxSizer* box = list->GetContainingSizer();
    auto* row = new wxBoxSizer(wxHORIZONTAL);
    auto* addButton = new wxButton(list->GetParent(), wxID_ANY, _("Tilføj …"));
    auto* editButton = new wxButton(list->GetParent(), wxID_ANY, _("Ret …"));
    auto* removeButton = new wxButton(list->GetParent(), wxID_ANY, _("Fjern"));
    setAccessibleName(addButton, _("Tilføj") + " " + what);
    setAccessibleName(editButton, _("Ret") + " " + what);
    setAccessibleName(removeButton, _("Fjern") + " " + what);
    for (auto* b : { addButton, editButton, removeButton })
        row->Add(b, 0, wxRIGHT, parent->FromDIP(4));
    box->Add(row, 0, wxLEFT | wxRIGHT | wxBOTTOM, parent->FromDIP(4));
    // After the click: the list is refilled by the handler, so the event must be over first.
    addButton->Bind(wxEVT_BUTTON, [parent, add](wxCommandEvent&) { parent->CallAfter([add] { add(-1); }); });
    editButton->Bind(wxEVT_BUTTON, [parent, list, edit](wxCommandEvent&) {
        parent->CallAfter([list, edit] { edit(list->GetSelection()); });
    });
    removeButton->Bind(wxEVT_BUTTON, [parent, list, remove](wxCommandEvent&) {
        parent->CallAfter([list, remove] { remove(list->GetSelection()); });
    });
    list->Bind(wxEVT_LISTBOX_DCLICK, [parent, list, edit](wxCommandEvent&) {
        parent->CallAfter([list, edit] { edit(list->GetSelection()); });
    });
}

wxArrayString toArray(const std::vector<std::string>& items)
{
    wxArrayString out;
    for (const auto& i : items)
        out.Add(toWx(i));
    return out;
}

wxTextCtrl* addTextRow(
    wxDialog& dialog, wxFlexGridSizer* form, const wxString& label, const std::string& value)
{
    form->Add(new wxStaticText(&dialog, wxID_ANY, label + ":"), 0, wxALIGN_CENTER_VERTICAL);
    auto* text
        = new wxTextCtrl(&dialog, wxID_ANY, toWx(value), wxDefaultPosition, dialog.FromDIP(wxSize(280, -1)));
    setAccessibleName(text, wxStripMenuCodes(label));
    form->Add(text, 1, wxEXPAND);
    return text;
}

wxChoice* addChoiceRow(wxDialog& dialog, wxFlexGridSizer* form, const wxString& label,
    const std::vector<std::string>& items, const std::string& value)
{
    form->Add(new wxStaticText(&dialog, wxID_ANY, label + ":"), 0, wxALIGN_CENTER_VERTICAL);
    auto* choice = new wxChoice(&dialog, wxID_ANY, wxDefaultPosition, wxDefaultSize, toArray(items));
    const auto found = std::find(items.begin(), items.end(), value);
    choice->SetSelection(found == items.end() ? wxNOT_FOUND : static_cast<int>(found - items.begin()));
    setAccessibleName(choice, wxStripMenuCodes(label));
    form->Add(choice, 1, wxEXPAND);
    return choice;
}

// Shows the dialog until `save` accepts what is typed (it shows its own errors) or it is cancelled.
void runUntilSaved(wxDialog& dialog, wxFlexGridSizer* form, const std::function<bool()>& save)
{
    auto* sizer = new wxBoxSizer(wxVERTICAL);
    sizer->Add(form, 0, wxEXPAND | wxALL, dialog.FromDIP(12));
    addOkCancelButtons(&dialog, sizer, _("&Gem"));
    dialog.SetSizerAndFit(sizer);
    while (dialog.ShowModal() == wxID_OK)
        if (save())
            return;
}

void fill(wxListBox* list, const std::vector<std::string>& lines)
{
    list->Clear();
    for (const auto& l : lines)
        list->Append(toWx(l));
}

} // namespace

CaseOverviewPanel::CaseOverviewPanel(wxWindow* parent, Session& session, const std::string& caseId)
    : wxScrolledWindow(parent, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxVSCROLL | wxTAB_TRAVERSAL)
    , m_session(session)
    , m_caseId(caseId)
{
    auto* sizer = new wxBoxSizer(wxVERTICAL);
    m_heading = new wxStaticText(this, wxID_ANY, {});
    setHeadingFont(m_heading, 1.4f);
    sizer->Add(m_heading, 0, wxALL, FromDIP(8));

    auto* top = new wxBoxSizer(wxHORIZONTAL);
    m_family = addList(this, top, _("Familien"), 90);
    m_team = addList(this, top, _("Familieteam"), 90);
    sizer->Add(top, 0, wxEXPAND | wxLEFT | wxRIGHT, FromDIP(4));
    addEditButtons(
        this, m_family, _("familiemedlem"), [this](int) { editPerson(-1); }, [this](int i) { editPerson(i); },
        [this](int i) { removePerson(i); });
    addEditButtons(
        this, m_team, _("fagperson"), [this](int) { editTeamMember(-1); },
        [this](int i) { editTeamMember(i); }, [this](int i) { removeTeamMember(i); });
    auto* middle = new wxBoxSizer(wxHORIZONTAL);
    m_history = addList(this, middle, _("Tovholder, historik"), 60);
    auto* handover = new wxButton(this, wxID_ANY, _("Skift &tovholder …"));
    middle->Add(handover, 0, wxALIGN_CENTER_VERTICAL | wxALL, FromDIP(4));
    sizer->Add(middle, 0, wxEXPAND | wxLEFT | wxRIGHT, FromDIP(4));
    handover->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { CallAfter([this] { changeCoordinator(); }); });
    // The consent gate (app/consent.h) for today's team: covered, or who is not and why.
    auto* consent = new wxBoxSizer(wxHORIZONTAL);
    m_consent = addList(this, consent, _("Samtykke"), 60);
    sizer->Add(consent, 0, wxEXPAND | wxLEFT | wxRIGHT, FromDIP(4));

    auto* docs = new wxStaticBoxSizer(wxVERTICAL, this, _("Dokumenter"));
    m_documents = new wxDataViewListCtrl(
        docs->GetStaticBox(), wxID_ANY, wxDefaultPosition, wxDefaultSize, wxDV_SINGLE | wxDV_ROW_LINES);
    m_documents->SetMinSize(wxSize(-1, FromDIP(150))); // a few documents in view, however low the window
    m_documents->AppendTextColumn(_("Dokument"), wxDATAVIEW_CELL_INERT, FromDIP(250));
    m_documents->AppendTextColumn(_("Status"), wxDATAVIEW_CELL_INERT, FromDIP(200));
    m_documents->AppendTextColumn(_("Versioner"), wxDATAVIEW_CELL_INERT, FromDIP(90));
    m_documents->AppendTextColumn(_("Senest ændret"), wxDATAVIEW_CELL_INERT, FromDIP(160));
    m_documents->AppendTextColumn(_("Sendt til familien"), wxDATAVIEW_CELL_INERT, FromDIP(140));
    setAccessibleName(m_documents, _("Dokumenter"));
    docs->Add(m_documents, 1, wxEXPAND | wxALL, FromDIP(4));

    auto* buttons = new wxWrapSizer(wxHORIZONTAL); // wraps in a narrow tab instead of clipping a button
    auto* open = new wxButton(docs->GetStaticBox(), wxID_ANY, _("Å&bn dokument"));
    // Every document the templates folder offers, chosen from a menu: a new template needs no new button.
    auto* newDoc = new wxButton(docs->GetStaticBox(), wxID_ANY, _("Nyt &dokument …"));
    setAccessibleName(newDoc, _("Nyt dokument"));
    auto* send = new wxButton(docs->GetStaticBox(), wxID_ANY, _("&Send til familien …"));
    setAccessibleName(send, _("Send til familien"));
    auto* nextVersion = new wxButton(docs->GetStaticBox(), wxID_ANY, _("Start &næste version"));
    auto* fileButton = new wxButton(docs->GetStaticBox(), wxID_ANY, _("&Journalisér i ESDH"));
    auto* calendar = new wxButton(docs->GetStaticBox(), wxID_ANY, _("Gem &kalenderfil …"));
    setAccessibleName(calendar, _("Gem kalenderfil"));
    for (auto* b : { open, newDoc, send, nextVersion, fileButton, calendar })
        buttons->Add(b, 0, wxRIGHT | wxBOTTOM, FromDIP(6));
    docs->Add(buttons, 0, wxALL, FromDIP(4));
    sizer->Add(docs, 1, wxEXPAND | wxALL, FromDIP(8));
    SetSizer(sizer);
    SetScrollRate(0, FromDIP(12));

    open->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { openSelected(); });
    // After the click returns: the menu's own loop inside it would block AT-SPI's action.
    newDoc->Bind(wxEVT_BUTTON,
        [this, newDoc](wxCommandEvent&) { CallAfter([this, newDoc] { chooseNewDocument(newDoc); }); });
    calendar->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { CallAfter([this] { saveCalendarFile(); }); });
    fileButton->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
        const int row = m_documents->GetSelectedRow();
        if (row == wxNOT_FOUND || static_cast<std::size_t>(row) >= m_presenter->documents().size()) {
            showError(this, tr("Vælg først det dokument, der skal journaliseres."));
            return;
        }
        const std::string docId = m_presenter->documents()[static_cast<std::size_t>(row)].id;
        CallAfter([this, docId] {
            runShowingErrors(this, [&] {
                const std::string message = m_presenter->fileDocument(docId);
                wxMessageBox(toWx(message), _("Journalisér i ESDH"), wxOK | wxICON_INFORMATION, this);
            });
        });
    });
    send->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
        const int row = m_documents->GetSelectedRow();
        if (row == wxNOT_FOUND || static_cast<std::size_t>(row) >= m_presenter->documents().size()) {
            showError(this, tr("Vælg først det dokument, der skal sendes."));
            return;
        }
        const auto doc = m_presenter->documents()[static_cast<std::size_t>(row)];
        // After the click returns, as "Skift tovholder": a modal loop inside it blocks AT-SPI's action.
        CallAfter([this, doc] {
            runShowingErrors(this, [&] {
                SendDialog dialog(this, m_session, doc.id);
                dialog.ShowModal();
            });
        });
    });
    // After the click returns: a message box inside it would block AT-SPI's action.
    nextVersion->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { CallAfter([this] { startNextVersion(); }); });
    m_documents->Bind(wxEVT_DATAVIEW_ITEM_ACTIVATED, [this](wxDataViewEvent&) { openSelected(); });

    m_presenter = std::make_unique<CaseOverviewPresenter>(
        session.documents(), caseId, [this](const std::string& id) { return m_session.templateTitle(id); });
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
    fill(m_consent, m_presenter->consentLines());
    m_documents->DeleteAllItems();
    for (const auto& d : m_presenter->documents()) {
        wxVector<wxVariant> row;
        row.push_back(toWx(d.title));
        row.push_back(toWx(d.status));
        row.push_back(toWx(d.versions));
        row.push_back(toWx(d.lastChanged));
        row.push_back(toWx(d.delivery));
        m_documents->AppendItem(row);
    }
    FitInside();
    Layout();
}

void CaseOverviewPanel::startNextVersion()
{
    const int row = m_documents->GetSelectedRow();
    if (row == wxNOT_FOUND || static_cast<std::size_t>(row) >= m_presenter->documents().size()) {
        showError(this, tr("Vælg først det dokument, hvis næste version skal startes."));
        return;
    }
    const auto doc = m_presenter->documents()[static_cast<std::size_t>(row)];
    try {
        m_presenter->startNextVersion(doc.id);
        reload();
    } catch (const Error& e) {
        showError(this, e.what());
        return;
    }
    // The new draft opens at once, as after "Nyt dokument".
    if (onNewDraft)
        onNewDraft(doc.id);
}

void CaseOverviewPanel::newDocument(const std::string& templateId)
{
    runShowingErrors(this, [&] {
        const std::string docId = m_presenter->newDocument(templateId);
        reload();
        if (onOpenDocument)
            onOpenDocument(docId);
    });
}

void CaseOverviewPanel::chooseNewDocument(wxWindow* below)
{
    const auto choices = m_presenter->creatableDocuments();
    wxMenu menu;
    for (std::size_t i = 0; i < choices.size(); ++i) {
        wxString title = toWx(choices[i].title);
        title.Replace("&", "&&"); // a title's "&" is text, not a mnemonic
        menu.Append(wxID_HIGHEST + 1 + static_cast<int>(i), title);
    }
    const int chosen = GetPopupMenuSelectionFromUser(
        menu, ScreenToClient(below->GetScreenPosition()) + wxPoint(0, below->GetSize().y));
    const int index = chosen - (wxID_HIGHEST + 1);
    if (chosen == wxID_NONE || index < 0 || static_cast<std::size_t>(index) >= choices.size())
        return;
    newDocument(choices[static_cast<std::size_t>(index)].templateId);
}

void CaseOverviewPanel::saveCalendarFile()
{
    const int row = m_documents->GetSelectedRow();
    if (row == wxNOT_FOUND || static_cast<std::size_t>(row) >= m_presenter->documents().size())
        return showError(this, tr("Vælg først den invitation, hvis kalenderfil skal gemmes."));
    const std::string docId = m_presenter->documents()[static_cast<std::size_t>(row)].id;
    wxFileDialog save(this, _("Gem kalenderfil"), wxString(), toWx(m_presenter->calendarFileName(docId)),
        _("Kalenderfiler (*.ics)|*.ics"), wxFD_SAVE | wxFD_OVERWRITE_PROMPT);
    if (save.ShowModal() != wxID_OK)
        return;
    runShowingErrors(this, [&] {
        const std::string message = m_presenter->saveCalendarFile(docId, fromWx(save.GetPath()));
        wxMessageBox(toWx(message), _("Gem kalenderfil"), wxOK | wxICON_INFORMATION, this);
    });
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
    addOkCancelButtons(&dialog, sizer, _("&Skift tovholder"));
    dialog.SetSizerAndFit(sizer);
    if (ids.empty()) {
        showError(this, tr("Tilføj først en anden fagperson til familieteamet."));
        return;
    }
    who->SetSelection(0);
    if (dialog.ShowModal() != wxID_OK)
        return;
    runShowingErrors(this, [&] {
        m_presenter->changeCoordinator(ids[static_cast<std::size_t>(who->GetSelection())],
            fromWx(date->GetValue()), fromWx(reason->GetValue()), m_session.author());
        reload();
    });
}

void CaseOverviewPanel::editPerson(int index)
{
    const bool adding = index < 0;
    if (!adding && static_cast<std::size_t>(index) >= m_presenter->kase().people.size())
        return showError(this, tr("Vælg først et familiemedlem på listen."));
    const PersonDraft draft
        = adding ? PersonDraft {} : m_presenter->personDraft(static_cast<std::size_t>(index));
    wxDialog dialog(this, wxID_ANY, adding ? _("Tilføj familiemedlem") : _("Ret familiemedlem"));
    auto* form = new wxFlexGridSizer(2, FromDIP(6), FromDIP(8));
    form->AddGrowableCol(1);
    auto* name = addTextRow(dialog, form, _("&Navn"), draft.name);
    auto* cpr = addTextRow(dialog, form, _("&CPR-nummer"), draft.cpr);
    cpr->SetHint(_("DDMMÅÅ-XXXX"));
    auto* relation
        = addChoiceRow(dialog, form, _("&Relation"), NewCasePresenter::relations(), draft.relation);
    form->AddSpacer(0);
    auto* custody = new wxCheckBox(&dialog, wxID_ANY, _("&Forældremyndighed"));
    custody->SetValue(draft.custody);
    form->Add(custody);
    runUntilSaved(dialog, form, [&] {
        PersonDraft typed;
        typed.name = fromWx(name->GetValue());
        typed.cpr = fromWx(cpr->GetValue());
        typed.relation = relation->GetSelection() == wxNOT_FOUND ? std::string()
                                                                 : fromWx(relation->GetStringSelection());
        typed.custody = custody->GetValue();
        return runShowingErrors(&dialog, [&] {
            m_presenter->savePerson(
                adding ? std::nullopt : std::optional<std::size_t>(static_cast<std::size_t>(index)), typed,
                m_session.author());
        });
    });
    reload();
}

void CaseOverviewPanel::removePerson(int index)
{
    const auto& people = m_presenter->kase().people;
    if (index < 0 || static_cast<std::size_t>(index) >= people.size())
        return showError(this, tr("Vælg først et familiemedlem på listen."));
    const wxString question
        = wxString::Format(_("Fjern %s fra sagen?"), toWx(people[static_cast<std::size_t>(index)].name));
    if (wxMessageBox(question, _("Fjern familiemedlem"), wxYES_NO | wxNO_DEFAULT | wxICON_QUESTION, this)
        != wxYES)
        return;
    runShowingErrors(
        this, [&] { m_presenter->removePerson(static_cast<std::size_t>(index), m_session.author()); });
    reload();
}

void CaseOverviewPanel::editTeamMember(int index)
{
    const bool adding = index < 0;
    if (!adding && static_cast<std::size_t>(index) >= m_presenter->kase().team.size())
        return showError(this, tr("Vælg først en fagperson på listen."));
    const TeamMemberDraft draft
        = adding ? TeamMemberDraft {} : m_presenter->teamMemberDraft(static_cast<std::size_t>(index));
    wxDialog dialog(this, wxID_ANY, adding ? _("Tilføj fagperson") : _("Ret fagperson"));
    auto* form = new wxFlexGridSizer(2, FromDIP(6), FromDIP(8));
    form->AddGrowableCol(1);
    auto* name = addTextRow(dialog, form, _("&Navn"), draft.name);
    auto* area
        = addChoiceRow(dialog, form, _("&Fagområde"), NewCasePresenter::fagomraader(), draft.fagomraade);
    auto* role = addTextRow(dialog, form, _("&Rolle"), draft.role);
    auto* email = addTextRow(dialog, form, _("&E-mail"), draft.email);
    auto* phone = addTextRow(dialog, form, _("&Telefon"), draft.phone);
    runUntilSaved(dialog, form, [&] {
        TeamMemberDraft typed;
        typed.name = fromWx(name->GetValue());
        typed.fagomraade
            = area->GetSelection() == wxNOT_FOUND ? std::string() : fromWx(area->GetStringSelection());
        typed.role = fromWx(role->GetValue());
        typed.email = fromWx(email->GetValue());
        typed.phone = fromWx(phone->GetValue());
        std::string warning;
        const bool saved = runShowingErrors(&dialog, [&] {
            warning = m_presenter->saveTeamMember(
                adding ? std::nullopt : std::optional<std::size_t>(static_cast<std::size_t>(index)), typed);
        });
        if (saved && !warning.empty())
            wxMessageBox(
                toWx(warning), _("Samtykket dækker ikke fagpersonen"), wxOK | wxICON_WARNING, &dialog);
        return saved;
    });
    reload();
}

void CaseOverviewPanel::removeTeamMember(int index)
{
    const auto& team = m_presenter->kase().team;
    if (index < 0 || static_cast<std::size_t>(index) >= team.size())
        return showError(this, tr("Vælg først en fagperson på listen."));
    const wxString question = wxString::Format(
        _("Fjern %s fra familieteamet?"), toWx(team[static_cast<std::size_t>(index)].name));
    if (wxMessageBox(question, _("Fjern fagperson"), wxYES_NO | wxNO_DEFAULT | wxICON_QUESTION, this)
        != wxYES)
        return;
    runShowingErrors(
        this, [&] { m_presenter->removeTeamMember(static_cast<std::size_t>(index), m_session.author()); });
    reload();
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
