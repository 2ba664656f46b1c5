// SPDX-License-Identifier: EUPL-1.2
#include "gui/new_case_dialog.h"

#include "base/error.h"
#include "gui/accessibility.h"
#include "gui/wx_util.h"

#include <wx/button.h>
#include <wx/choice.h>
#include <wx/display.h>
#include <wx/grid.h>
#include <wx/scrolwin.h>
#include <wx/sizer.h>
#include <wx/statbox.h>
#include <wx/stattext.h>
#include <wx/textctrl.h>

namespace fplan::gui {

namespace {

enum PersonColumn { PersonName, PersonCpr, PersonRelation, PersonCustody, PersonColumns };
enum TeamColumn { TeamName, TeamFagomraade, TeamRole, TeamEmail, TeamPhone, TeamColumns };

wxArrayString toArray(const std::vector<std::string>& items)
{
    wxArrayString out;
    for (const auto& i : items)
        out.Add(toWx(i));
    return out;
}

wxGrid* makeGrid(wxWindow* parent, const std::vector<std::pair<wxString, int>>& columns, int rows)
{
    int width = 24; // room for the vertical scroll bar
    for (const auto& c : columns)
        width += c.second;
    auto* frame = newFocusFrame(parent);
    auto* grid = new wxGrid(frame, wxID_ANY, wxDefaultPosition, parent->FromDIP(wxSize(width, 150)));
    frame->GetSizer()->Add(grid, 1, wxEXPAND | wxALL, parent->FromDIP(2));
    grid->CreateGrid(rows, static_cast<int>(columns.size()));
    grid->HideRowLabels();
    for (std::size_t c = 0; c < columns.size(); ++c) {
        grid->SetColLabelValue(static_cast<int>(c), columns[c].first);
        grid->SetColSize(static_cast<int>(c), parent->FromDIP(columns[c].second));
    }
    setUpGridKeyboard(grid);
    return grid;
}

std::string cellText(wxGrid* grid, int row, int col)
{
    return fromWx(grid->GetCellValue(row, col).Strip(wxString::both));
}

bool rowIsEmpty(wxGrid* grid, int row)
{
    for (int c = 0; c < grid->GetNumberCols(); ++c)
        if (!grid->GetCellValue(row, c).Strip(wxString::both).empty())
            return false;
    return true;
}

} // namespace

NewCaseDialog::NewCaseDialog(wxWindow* parent, Store& store, std::string author)
    : wxDialog(parent, wxID_ANY, _("Ny sag"), wxDefaultPosition, wxDefaultSize,
        wxDEFAULT_DIALOG_STYLE | wxRESIZE_BORDER)
    , m_store(store)
    , m_author(std::move(author))
{
    // The fields scroll inside the dialog; what is wrong and the buttons stay in view under them.
    auto* sizer = new wxBoxSizer(wxVERTICAL);
    auto* body
        = new wxScrolledWindow(this, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxVSCROLL | wxTAB_TRAVERSAL);
    body->SetScrollRate(0, FromDIP(16));
    auto* content = new wxBoxSizer(wxVERTICAL);
    auto* form = new wxFlexGridSizer(2, FromDIP(6), FromDIP(8));
    form->AddGrowableCol(1);
    auto addText = [&](const wxString& label, const wxString& name, const wxString& hint) {
        form->Add(new wxStaticText(body, wxID_ANY, label), 0, wxALIGN_CENTER_VERTICAL);
        auto* text = new wxTextCtrl(body, wxID_ANY);
        text->SetHint(hint);
        setAccessibleName(text, name);
        form->Add(text, 1, wxEXPAND);
        return text;
    };
    m_title = addText(_("Sagens &navn: *"), _("Sagens navn"), _("Familien Nørgaard"));
    m_journal = addText(_("&Journalnummer:"), _("Journalnummer"), "27.24.00-G01-1-26");
    m_kle = addText(_("&KLE-nummer:"), _("KLE-nummer"), "27.24.00");
    markRequired(m_title);
    content->Add(form, 0, wxEXPAND | wxALL, FromDIP(12));

    auto* people = new wxStaticBoxSizer(wxVERTICAL, body, _("Familien"));
    m_people = makeGrid(people->GetStaticBox(),
        { { _("Navn"), 200 }, { _("CPR-nummer"), 120 }, { _("Relation"), 130 },
            { _("Forældremyndighed"), 140 } },
        4);
    for (int r = 0; r < m_people->GetNumberRows(); ++r) {
        m_people->SetCellEditor(
            r, PersonRelation, new wxGridCellChoiceEditor(toArray(NewCasePresenter::relations())));
        m_people->SetCellValue(r, PersonRelation, r == 0 ? "mor" : "barn");
        m_people->SetCellEditor(r, PersonCustody, new wxGridCellBoolEditor());
        m_people->SetCellRenderer(r, PersonCustody, new wxGridCellBoolRenderer());
    }
    exposeAsTable(m_people, _("Familiemedlemmer"));
    people->Add(m_people->GetParent(), 1, wxEXPAND | wxALL, FromDIP(4));
    auto* addPerson = new wxButton(people->GetStaticBox(), wxID_ANY, _("Tilføj &familiemedlem"));
    people->Add(addPerson, 0, wxALL, FromDIP(4));
    content->Add(people, 1, wxEXPAND | wxLEFT | wxRIGHT, FromDIP(12));

    auto* team = new wxStaticBoxSizer(wxVERTICAL, body, _("Familieteam"));
    m_team = makeGrid(team->GetStaticBox(),
        { { _("Navn"), 170 }, { _("Fagområde"), 190 }, { _("Rolle"), 130 }, { _("E-mail"), 130 },
            { _("Telefon"), 90 } },
        3);
    for (int r = 0; r < m_team->GetNumberRows(); ++r)
        m_team->SetCellEditor(
            r, TeamFagomraade, new wxGridCellChoiceEditor(toArray(NewCasePresenter::fagomraader())));
    exposeAsTable(m_team, _("Fagpersoner"));
    team->Add(m_team->GetParent(), 1, wxEXPAND | wxALL, FromDIP(4));
    auto* addMember = new wxButton(team->GetStaticBox(), wxID_ANY, _("Tilføj fag&person"));
    team->Add(addMember, 0, wxALL, FromDIP(4));
    auto* coordinatorRow = new wxBoxSizer(wxHORIZONTAL);
    coordinatorRow->Add(new wxStaticText(team->GetStaticBox(), wxID_ANY, _("&Tovholder: *")), 0,
        wxALIGN_CENTER_VERTICAL | wxRIGHT, FromDIP(8));
    m_coordinator = new wxChoice(team->GetStaticBox(), wxID_ANY);
    setAccessibleName(m_coordinator, _("Tovholder"));
    markRequired(m_coordinator);
    reportFocusWithin(m_coordinator);
    coordinatorRow->Add(m_coordinator, 1);
    team->Add(coordinatorRow, 0, wxEXPAND | wxALL, FromDIP(4));
    content->Add(team, 1, wxEXPAND | wxLEFT | wxRIGHT | wxTOP, FromDIP(12));
    body->SetSizer(content);
    sizer->Add(body, 1, wxEXPAND);

    m_problems = newProblemsLabel(this);
    sizer->Add(m_problems, 0, wxEXPAND | wxLEFT | wxRIGHT | wxTOP, FromDIP(12));

    auto* ok = addOkCancelButtons(this, sizer, _("&Opret sag"));
    SetSizer(sizer);
    // As tall as the fields need, but never taller than the screen (1024×600): then they scroll.
    const wxSize wanted = content->GetMinSize() + wxSize(0, ok->GetBestSize().y + FromDIP(60));
    const int display = wxDisplay::GetFromWindow(parent ? parent : this);
    const wxRect area
        = wxDisplay(display == wxNOT_FOUND ? 0u : static_cast<unsigned>(display)).GetClientArea();
    SetSize(
        wxSize(std::min(wanted.x + FromDIP(24), area.width), std::min(wanted.y, area.height - FromDIP(40))));
    body->FitInside();
    CentreOnParent();
    m_title->SetFocus();

    addPerson->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
        m_people->AppendRows(1);
        const int r = m_people->GetNumberRows() - 1;
        m_people->SetCellEditor(
            r, PersonRelation, new wxGridCellChoiceEditor(toArray(NewCasePresenter::relations())));
        m_people->SetCellValue(r, PersonRelation, "barn");
        m_people->SetCellEditor(r, PersonCustody, new wxGridCellBoolEditor());
        m_people->SetCellRenderer(r, PersonCustody, new wxGridCellBoolRenderer());
    });
    addMember->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
        m_team->AppendRows(1);
        m_team->SetCellEditor(m_team->GetNumberRows() - 1, TeamFagomraade,
            new wxGridCellChoiceEditor(toArray(NewCasePresenter::fagomraader())));
    });
    m_team->Bind(wxEVT_GRID_CELL_CHANGED, [this](wxGridEvent& e) {
        refreshCoordinators();
        showProblems();
        e.Skip();
    });
    // Once the problems have been shown, they follow every change, so a fixed one goes away.
    m_people->Bind(wxEVT_GRID_CELL_CHANGED, [this](wxGridEvent& e) {
        showProblems();
        e.Skip();
    });
    for (auto* text : { m_title, m_journal, m_kle })
        text->Bind(wxEVT_TEXT, [this](wxCommandEvent& e) {
            showProblems();
            e.Skip();
        });
    m_coordinator->Bind(wxEVT_CHOICE, [this](wxCommandEvent& e) {
        showProblems();
        e.Skip();
    });
    ok->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { onOk(); });
}

void NewCaseDialog::collect()
{
    m_people->SaveEditControlValue();
    m_team->SaveEditControlValue();
    m_presenter.title = fromWx(m_title->GetValue());
    m_presenter.journalNumber = fromWx(m_journal->GetValue());
    m_presenter.kle = fromWx(m_kle->GetValue());
    m_presenter.people.clear();
    for (int r = 0; r < m_people->GetNumberRows(); ++r) {
        if (cellText(m_people, r, PersonName).empty() && cellText(m_people, r, PersonCpr).empty())
            continue; // an untouched row is not a family member
        m_presenter.people.push_back({ cellText(m_people, r, PersonName), cellText(m_people, r, PersonCpr),
            cellText(m_people, r, PersonRelation), cellText(m_people, r, PersonCustody) == "1" });
    }
    m_presenter.team.clear();
    m_presenter.coordinator = -1;
    const int chosen = m_coordinator->GetSelection();
    for (int r = 0; r < m_team->GetNumberRows(); ++r) {
        if (rowIsEmpty(m_team, r))
            continue;
        if (chosen != wxNOT_FOUND
            && reinterpret_cast<std::intptr_t>(m_coordinator->GetClientData(static_cast<unsigned>(chosen)))
                == r)
            m_presenter.coordinator = static_cast<int>(m_presenter.team.size());
        m_presenter.team.push_back({ cellText(m_team, r, TeamName), cellText(m_team, r, TeamFagomraade),
            cellText(m_team, r, TeamRole), cellText(m_team, r, TeamEmail), cellText(m_team, r, TeamPhone) });
    }
}

void NewCaseDialog::refreshCoordinators()
{
    wxString current = m_coordinator->GetStringSelection();
    m_coordinator->Clear();
    for (int r = 0; r < m_team->GetNumberRows(); ++r) {
        const wxString name = m_team->GetCellValue(r, TeamName).Strip(wxString::both);
        if (!name.empty())
            m_coordinator->Append(name, reinterpret_cast<void*>(static_cast<std::intptr_t>(r)));
    }
    if (!current.empty())
        m_coordinator->SetStringSelection(current);
    if (m_coordinator->GetSelection() == wxNOT_FOUND && m_coordinator->GetCount() == 1)
        m_coordinator->SetSelection(0);
}

void NewCaseDialog::showProblems()
{
    if (!m_problemsShown)
        return;
    collect();
    wxString text;
    for (const auto& p : m_presenter.problems())
        text += "• " + toWx(p) + "\n";
    text.Trim();
    if (text == m_problems->GetLabel())
        return;
    m_problems->SetLabel(text);
    m_problems->Wrap(GetClientSize().x - FromDIP(24));
    Layout(); // the fields above give up the room; the dialog keeps its size
}

void NewCaseDialog::onOk()
{
    m_problemsShown = true;
    showProblems(); // collects what was typed
    if (!m_presenter.problems().empty())
        return;
    try {
        m_caseId = m_presenter.create(m_store, m_author, localDateToday());
        EndModal(wxID_OK);
    } catch (const Error& e) {
        showError(this, e.what());
    }
}

} // namespace fplan::gui
