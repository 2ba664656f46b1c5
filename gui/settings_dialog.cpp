// SPDX-License-Identifier: EUPL-1.2
#include "gui/settings_dialog.h"

#include "base/error.h"
#include "gui/accessibility.h"
#include "gui/wx_util.h"

#include <wx/button.h>
#include <wx/sizer.h>
#include <wx/stattext.h>
#include <wx/textctrl.h>

namespace fplan::gui {

SettingsDialog::SettingsDialog(wxWindow* parent, Store& store)
    : wxDialog(parent, wxID_ANY, _("Indstillinger"))
    , m_presenter(store)
{
    auto* sizer = new wxBoxSizer(wxVERTICAL);
    auto* form = new wxFlexGridSizer(2, FromDIP(6), FromDIP(8));
    form->AddGrowableCol(1);
    auto addText = [&](const wxString& label, const wxString& name, const std::string& value) {
        form->Add(new wxStaticText(this, wxID_ANY, label), 0, wxALIGN_CENTER_VERTICAL);
        auto* text = new wxTextCtrl(this, wxID_ANY, toWx(value), wxDefaultPosition, FromDIP(wxSize(300, -1)));
        setAccessibleName(text, name);
        form->Add(text, 1, wxEXPAND);
        return text;
    };
    m_user = addText(_("Dit &navn: *"), _("Dit navn"), m_presenter.userName);
    m_municipality = addText(_("&Kommune:"), _("Kommune"), m_presenter.municipalityName);
    m_cvr = addText(_("Kommunens &CVR-nummer:"), _("Kommunens CVR-nummer"), m_presenter.municipalityCvr);
    m_lock = addText(_("&Lås efter (minutter uden brug, 0 = aldrig):"), _("Lås efter minutter uden brug"),
        m_presenter.lockMinutes);
    sizer->Add(form, 0, wxEXPAND | wxALL, FromDIP(12));
    m_problems = newProblemsLabel(this);
    sizer->Add(m_problems, 0, wxEXPAND | wxLEFT | wxRIGHT, FromDIP(12));
    auto* ok = addOkCancelButtons(this, sizer, _("&Gem"));
    SetSizerAndFit(sizer);
    CentreOnParent();
    ok->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { onOk(); });
}

void SettingsDialog::onOk()
{
    m_presenter.userName = fromWx(m_user->GetValue());
    m_presenter.municipalityName = fromWx(m_municipality->GetValue());
    m_presenter.municipalityCvr = fromWx(m_cvr->GetValue());
    m_presenter.lockMinutes = fromWx(m_lock->GetValue());
    const auto problems = m_presenter.problems();
    if (!problems.empty()) {
        wxString text;
        for (const auto& p : problems)
            text += "• " + toWx(p) + "\n";
        m_problems->SetLabel(text.Trim());
        Fit();
        return;
    }
    try {
        m_presenter.save();
        EndModal(wxID_OK);
    } catch (const Error& e) {
        showError(this, e.what());
    }
}

} // namespace fplan::gui
