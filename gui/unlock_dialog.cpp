// SPDX-License-Identifier: EUPL-1.2
#include "gui/unlock_dialog.h"

#include "gui/accessibility.h"
#include "gui/main_thread.h"
#include "gui/wx_util.h"

#include <wx/activityindicator.h>
#include <wx/button.h>
#include <wx/sizer.h>
#include <wx/stattext.h>
#include <wx/textctrl.h>

namespace fplan::gui {

UnlockDialog::UnlockDialog(wxWindow* parent, UnlockPresenter presenter, const std::string& passphrase)
    : wxDialog(parent, wxID_ANY, toWx(presenter.title()))
    , m_presenter(std::move(presenter))
{
    build(toWx(m_presenter.explanation()), passphrase);
}

UnlockDialog::UnlockDialog(wxWindow* parent, UnlockPresenter presenter, ChangePassphrase)
    : wxDialog(parent, wxID_ANY, _("Skift adgangskode"))
    , m_presenter(std::move(presenter))
    , m_change(true)
{
    build(toWx(format(tr("Skriv den nuværende adgangskode og den nye to gange; den nye skal have mindst {0} "
                         "tegn. Sagerne lukkes imens og åbnes igen med den nye adgangskode. Husk den: en "
                         "glemt adgangskode kan ikke genskabes."),
              { std::to_string(UnlockPresenter::MinimumLength) })),
        {});
}

std::string UnlockDialog::current() const
{
    return m_current ? fromWx(m_current->GetValue()) : std::string();
}

std::string UnlockDialog::chosen() const
{
    return fromWx(m_passphrase->GetValue());
}

void UnlockDialog::build(const wxString& text, const std::string& passphrase)
{
    auto* sizer = new wxBoxSizer(wxVERTICAL);
    auto* explanation = new wxStaticText(this, wxID_ANY, text);
    explanation->Wrap(FromDIP(420));
    sizer->Add(explanation, 0, wxALL, FromDIP(12));

    auto* grid = new wxFlexGridSizer(2, FromDIP(6), FromDIP(8));
    grid->AddGrowableCol(1);
    if (m_change) {
        grid->Add(new wxStaticText(this, wxID_ANY, _("&Nuværende adgangskode:")), 0, wxALIGN_CENTER_VERTICAL);
        m_current = new wxTextCtrl(this, wxID_ANY, {}, wxDefaultPosition, FromDIP(wxSize(260, -1)),
            wxTE_PASSWORD | wxTE_PROCESS_ENTER);
        setAccessibleName(m_current, _("Nuværende adgangskode"));
        grid->Add(m_current, 1, wxEXPAND);
    }
    grid->Add(new wxStaticText(this, wxID_ANY, m_change ? _("N&y adgangskode:") : _("&Adgangskode:")), 0,
        wxALIGN_CENTER_VERTICAL);
    m_passphrase = new wxTextCtrl(
        this, wxID_ANY, {}, wxDefaultPosition, FromDIP(wxSize(260, -1)), wxTE_PASSWORD | wxTE_PROCESS_ENTER);
    setAccessibleName(m_passphrase, m_change ? _("Ny adgangskode") : _("Adgangskode"));
    grid->Add(m_passphrase, 1, wxEXPAND);
    if (m_change || m_presenter.needsRepeat()) {
        grid->Add(new wxStaticText(this, wxID_ANY, _("&Gentag adgangskoden:")), 0, wxALIGN_CENTER_VERTICAL);
        m_repeat = new wxTextCtrl(
            this, wxID_ANY, {}, wxDefaultPosition, wxDefaultSize, wxTE_PASSWORD | wxTE_PROCESS_ENTER);
        setAccessibleName(m_repeat, _("Gentag adgangskoden"));
        grid->Add(m_repeat, 1, wxEXPAND);
    }
    sizer->Add(grid, 0, wxEXPAND | wxLEFT | wxRIGHT, FromDIP(12));

    auto* status = new wxBoxSizer(wxHORIZONTAL);
    m_busy = new wxActivityIndicator(this, wxID_ANY);
    m_busy->Hide();
    status->Add(m_busy, 0, wxALIGN_CENTER_VERTICAL | wxRIGHT, FromDIP(6));
    m_message = new wxStaticText(this, wxID_ANY, {});
    status->Add(m_message, 1, wxALIGN_CENTER_VERTICAL);
    sizer->Add(status, 0, wxEXPAND | wxALL, FromDIP(12));

    auto* buttons = new wxStdDialogButtonSizer();
    m_ok = new wxButton(this, wxID_OK,
        m_change                        ? _("&Skift adgangskode")
            : m_presenter.needsRepeat() ? _("&Opret")
                                        : _("&Lås op"));
    m_ok->SetDefault();
    buttons->AddButton(m_ok);
    m_cancel = new wxButton(this, wxID_CANCEL, _("&Annuller"));
    buttons->AddButton(m_cancel);
    buttons->Realize();
    sizer->Add(buttons, 0, wxEXPAND | wxALL, FromDIP(12));
    SetSizerAndFit(sizer);
    CentreOnScreen();
    (m_current ? m_current : m_passphrase)->SetFocus();

    m_ok->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { onOk(); });
    // While the worker derives the key the dialog stays: the result must have somewhere to go.
    Bind(wxEVT_CLOSE_WINDOW, [this](wxCloseEvent& e) {
        if (m_working && e.CanVeto())
            e.Veto();
        else
            e.Skip();
    });
    m_passphrase->Bind(wxEVT_TEXT_ENTER, [this](wxCommandEvent&) {
        if (m_repeat)
            m_repeat->SetFocus();
        else
            onOk();
    });
    if (m_repeat)
        m_repeat->Bind(wxEVT_TEXT_ENTER, [this](wxCommandEvent&) { onOk(); });
    if (m_current)
        m_current->Bind(wxEVT_TEXT_ENTER, [this](wxCommandEvent&) { m_passphrase->SetFocus(); });

    if (!passphrase.empty()) {
        m_passphrase->ChangeValue(toWx(passphrase));
        if (m_repeat)
            m_repeat->ChangeValue(toWx(passphrase));
        CallAfter([this] { onOk(); });
    }
}

void UnlockDialog::onOk()
{
    const std::string passphrase = fromWx(m_passphrase->GetValue());
    const std::string repeat = m_repeat ? fromWx(m_repeat->GetValue()) : std::string();
    const auto problem = m_change ? m_presenter.checkChange(current(), passphrase, repeat)
                                  : m_presenter.check(passphrase, repeat);
    if (!problem.empty()) {
        showMessage(toWx(problem), true);
        return;
    }
    // Changing: the current passphrase must open the store before anything is closed.
    start(m_change ? current() : passphrase);
}

void UnlockDialog::showMessage(const wxString& text, bool error)
{
    // The error colour only for what went wrong; "Låser op …" is work in progress.
    m_message->SetForegroundColour(error ? errorColour() : GetForegroundColour());
    m_message->SetLabel(text);
    Layout();
}

void UnlockDialog::start(const std::string& passphrase)
{
    setBusy(true);
    m_secret = crypto::SecretString(passphrase);
    m_started = std::chrono::steady_clock::now();
    showMessage(m_change                ? _("Kontrollerer adgangskoden …")
            : m_presenter.needsRepeat() ? _("Opretter filen …")
                                        : _("Låser op …"),
        false);
    runInBackground(
        this, [presenter = m_presenter, passphrase] { return presenter.unlock(passphrase); },
        [this](const UnlockOutcome& outcome) { finished(outcome); });
}

void UnlockDialog::finished(const UnlockOutcome& outcome)
{
    setBusy(false);
    m_unlockMs
        = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - m_started)
              .count();
    if (outcome.store) {
        m_store = outcome.store;
        m_connections = std::make_shared<StoreConnections>(m_presenter.path(), std::move(m_secret));
        EndModal(wxID_OK);
        return;
    }
    m_secret.clear();
    showMessage(toWx(m_change && outcome.wrongPassphrase ? tr("Den nuværende adgangskode er forkert.")
                                                         : outcome.error),
        true);
    wxTextCtrl* again = m_change ? m_current : m_passphrase;
    again->SetFocus();
    again->SelectAll();
}

void UnlockDialog::setBusy(bool busy)
{
    m_working = busy;
    showWorking(m_busy, busy, { m_ok, m_cancel, m_passphrase, m_current, m_repeat });
    Layout();
}

} // namespace fplan::gui
