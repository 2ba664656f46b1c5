// SPDX-License-Identifier: EUPL-1.2
#include "gui/sign_in_dialog.h"

#include "crypto/random.h"
#include "gui/accessibility.h"
#include "gui/main_thread.h"
#include "gui/wx_util.h"

#include <wx/activityindicator.h>
#include <wx/button.h>
#include <wx/sizer.h>
#include <wx/stattext.h>
#include <wx/textctrl.h>

namespace fplan::gui {

namespace {

wxTextCtrl* addField(wxWindow* parent, wxSizer* grid, const wxString& label, const wxString& name,
    const std::string& value, long style = 0)
{
    grid->Add(new wxStaticText(parent, wxID_ANY, label), 0, wxALIGN_CENTER_VERTICAL);
    auto* field = new wxTextCtrl(parent, wxID_ANY, toWx(value), wxDefaultPosition,
        parent->FromDIP(wxSize(320, -1)), style | wxTE_PROCESS_ENTER);
    setAccessibleName(field, name);
    grid->Add(field, 1, wxEXPAND);
    return field;
}

} // namespace

SignInDialog::SignInDialog(wxWindow* parent, SignInPresenter presenter, std::function<Store()> openConnection)
    : wxDialog(parent, wxID_ANY, toWx(presenter.title()))
    , m_presenter(std::move(presenter))
    , m_openConnection(std::move(openConnection))
{
    auto* sizer = new wxBoxSizer(wxVERTICAL);
    auto* explanation = new wxStaticText(this, wxID_ANY, toWx(m_presenter.explanation()));
    explanation->Wrap(FromDIP(460));
    sizer->Add(explanation, 0, wxALL, FromDIP(12));

    auto* grid = new wxFlexGridSizer(2, FromDIP(6), FromDIP(8));
    grid->AddGrowableCol(1);
    if (!m_presenter.passwordOnly()) {
        m_server = addField(this, grid, _("&Server:"), _("Server"), m_presenter.server());
        m_server->SetHint("https://");
        m_account = addField(this, grid, _("&Brugernavn:"), _("Brugernavn"), m_presenter.account());
    }
    m_password = addField(this, grid, _("&Adgangskode:"), _("Adgangskode"), {}, wxTE_PASSWORD);
    sizer->Add(grid, 0, wxEXPAND | wxLEFT | wxRIGHT, FromDIP(12));

    auto* status = new wxBoxSizer(wxHORIZONTAL);
    m_busy = new wxActivityIndicator(this, wxID_ANY);
    m_busy->Hide();
    status->Add(m_busy, 0, wxALIGN_CENTER_VERTICAL | wxRIGHT, FromDIP(6));
    m_message = newProblemsLabel(this);
    m_errorColour = m_message->GetForegroundColour();
    status->Add(m_message, 1, wxALIGN_CENTER_VERTICAL);
    sizer->Add(status, 0, wxEXPAND | wxALL, FromDIP(12));

    m_ok = addOkCancelButtons(this, sizer, _("&Log ind"));
    m_cancel = dynamic_cast<wxButton*>(FindWindow(wxID_CANCEL));
    SetSizerAndFit(sizer);
    CentreOnParent();
    (m_server ? m_server : m_password)->SetFocus();

    m_ok->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
        if (m_done)
            EndModal(wxID_OK);
        else
            onOk();
    });
    for (auto* field : { m_server, m_account, m_password })
        if (field)
            field->Bind(wxEVT_TEXT_ENTER, [this](wxCommandEvent&) { onOk(); });
    // While the worker signs in the dialog stays: the result must have somewhere to go.
    Bind(wxEVT_CLOSE_WINDOW, [this](wxCloseEvent& e) {
        if (m_working && e.CanVeto())
            e.Veto();
        else
            e.Skip();
    });
}

void SignInDialog::onOk()
{
    if (m_working || m_done)
        return;
    const std::string server = m_server ? fromWx(m_server->GetValue()) : std::string();
    const std::string account = m_account ? fromWx(m_account->GetValue()) : std::string();
    auto password = std::make_shared<std::string>(fromWx(m_password->GetValue()));
    if (const auto problem = m_presenter.check(server, account, *password); !problem.empty()) {
        m_message->SetLabel(toWx(problem));
        m_message->Wrap(FromDIP(460));
        Fit();
        return;
    }
    setBusy(true);
    m_message->SetForegroundColour(GetForegroundColour());
    m_message->SetLabel(_("Logger ind …"));
    runInBackground(
        this,
        [presenter = m_presenter, open = m_openConnection, server, account, password] {
            SignInOutcome outcome;
            try {
                Store store = open();
                outcome = presenter.signIn(store, server, account, *password);
            } catch (const std::exception& e) {
                outcome.message = syncErrorMessage(e);
            }
            crypto::wipe(password->data(), password->size());
            return outcome;
        },
        [this](const SignInOutcome& outcome) { finished(outcome); });
}

void SignInDialog::finished(const SignInOutcome& outcome)
{
    setBusy(false);
    m_message->SetForegroundColour(outcome.ok ? GetForegroundColour() : m_errorColour);
    m_message->SetLabel(toWx(outcome.message));
    m_message->Wrap(FromDIP(460));
    if (outcome.ok) {
        m_password->ChangeValue({});
        for (auto* field : { m_server, m_account, m_password })
            if (field)
                field->Disable();
        m_done = true;
        m_ok->SetLabel(_("&Luk"));
        m_cancel->Hide();
        if (!outcome.firstSignIn) {
            EndModal(wxID_OK);
            return;
        }
    } else {
        m_password->SetFocus();
        m_password->SelectAll();
    }
    Fit();
    Layout();
}

void SignInDialog::setBusy(bool busy)
{
    m_working = busy;
    showWorking(m_busy, busy, { m_ok, m_cancel, m_server, m_account, m_password });
    Layout();
}

} // namespace fplan::gui
