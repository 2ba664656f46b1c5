// SPDX-License-Identifier: EUPL-1.2
#include "gui/new_case_dialog.h"

#include "base/error.h"
#include "gui/accessibility.h"
#include "gui/wx_util.h"

#include <wx/button.h>
#include <wx/choice.h>
#include <wx/grid.h>
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
    auto* grid = new wxGrid(parent, wxID_ANY, wxDefaultPosition, parent->FromDIP(wxSize(width, 150)));
    grid->CreateGrid(rows, static_cast<int>(columns.size()));
    grid->HideRowLabels();
    for (std::size_t c = 0; c < columns.size(); ++c) {
        grid->SetColLabelValue(static_cast<int>(c), columns[c].first);
        grid->SetColSize(static_cast<int>(c), parent->FromDIP(columns[c].second));
    }
    grid->SetTabBehaviour(wxGrid::Tab_Leave);
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
    auto* sizer = new wxBoxSizer(wxVERTICAL);
    auto* form = new wxFlexGridSizer(2, FromDIP(6), FromDIP(8));
    form->AddGrowableCol(1);
    auto addText = [&](const wxString& label, const wxString& name, const wxString& hint) {
        form->Add(new wxStaticText(this, wxID_ANY, label), 0, wxALIGN_CENTER_VERTICAL);
        auto* text = new wxTextCtrl(this, wxID_ANY);
        text->SetHint(hint);
        setAccessibleName(text, name);
        form->Add(text, 1, wxEXPAND);
        return text;
    };
    m_title = addText(_("Sagens &navn: *"), _("Sagens navn"), _("Familien Nørgaard"));
    m_journal = addText(_("&Journalnummer:"), _("Journalnummer"), "27.24.00-G01-1-26");
    m_kle = addText(_("&KLE-nummer:"), _("KLE-nummer"), "27.24.00");
    sizer->Add(form, 0, wxEXPAND | wxALL, FromDIP(12));

    auto* people = new wxStaticBoxSizer(wxVERTICAL, this, _("Familien"));
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
    setAccessibleName(m_people, _("Familiemedlemmer"));
    people->Add(m_people, 1, wxEXPAND | wxALL, FromDIP(4));
    auto* addPerson = new wxButton(people->GetStaticBox(), wxID_ANY, _("Tilføj &familiemedlem"));
    people->Add(addPerson, 0, wxALL, FromDIP(4));
    sizer->Add(people, 1, wxEXPAND | wxLEFT | wxRIGHT, FromDIP(12));

    auto* team = new wxStaticBoxSizer(wxVERTICAL, this, _("Familieteam"));
    m_team = makeGrid(team->GetStaticBox(),
        { { _("Navn"), 170 }, { _("Fagområde"), 190 }, { _("Rolle"), 130 }, { _("E-mail"), 130 },
            { _("Telefon"), 90 } },
        3);
    for (int r = 0; r < m_team->GetNumberRows(); ++r)
        m_team->SetCellEditor(
            r, TeamFagomraade, new wxGridCellChoiceEditor(toArray(NewCasePresenter::fagomraader())));
    setAccessibleName(m_team, _("Fagpersoner"));
    team->Add(m_team, 1, wxEXPAND | wxALL, FromDIP(4));
    auto* addMember = new wxButton(team->GetStaticBox(), wxID_ANY, _("Tilføj fag&person"));
    team->Add(addMember, 0, wxALL, FromDIP(4));
    auto* coordinatorRow = new wxBoxSizer(wxHORIZONTAL);
    coordinatorRow->Add(new wxStaticText(team->GetStaticBox(), wxID_ANY, _("&Tovholder: *")), 0,
        wxALIGN_CENTER_VERTICAL | wxRIGHT, FromDIP(8));
    m_coordinator = new wxChoice(team->GetStaticBox(), wxID_ANY);
    setAccessibleName(m_coordinator, _("Tovholder"));
    coordinatorRow->Add(m_coordinator, 1);
    team->Add(coordinatorRow, 0, wxEXPAND | wxALL, FromDIP(4));
    sizer->Add(team, 1, wxEXPAND | wxLEFT | wxRIGHT | wxTOP, FromDIP(12));

    m_problems = newProblemsLabel(this);
    sizer->Add(m_problems, 0, wxEXPAND | wxALL, FromDIP(12));

    auto* ok = addOkCancelButtons(this, sizer, _("&Opret sag"));
    SetSizerAndFit(sizer);
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

void NewCaseDialog::onOk()
{
    collect();
    const auto problems = m_presenter.problems();
    if (!problems.empty()) {
        wxString text;
        for (const auto& p : problems)
            text += "• " + toWx(p) + "\n";
        m_problems->SetLabel(text.Trim());
        Layout();
        Fit();
        return;
    }
    try {
        m_caseId = m_presenter.create(m_store, m_author, localDateToday());
        EndModal(wxID_OK);
    } catch (const Error& e) {
        showError(this, e.what());
    }
}

} // namespace fplan::gui
