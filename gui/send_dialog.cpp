// SPDX-License-Identifier: EUPL-1.2
#include "gui/send_dialog.h"

#include "base/durable_file.h"
#include "base/error.h"
#include "gui/accessibility.h"
#include "gui/main_thread.h"
#include "gui/print_pdf.h"
#include "gui/private_pdf.h"
#include "gui/wx_util.h"

#include <wx/button.h>
#include <wx/checklst.h>
#include <wx/combobox.h>
#include <wx/dataview.h>
#include <wx/datectrl.h>
#include <wx/listbox.h>
#include <wx/msgdlg.h>
#include <wx/sizer.h>
#include <wx/statbox.h>
#include <wx/stattext.h>
#include <wx/textctrl.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace fplan::gui {

namespace {

struct Rendered {
    std::string bytes;
    std::string error;
};

} // namespace

SendDialog::SendDialog(wxWindow* parent, Session& session, const std::string& docId)
    : wxDialog(parent, wxID_ANY, _("Send til familien"), wxDefaultPosition, wxDefaultSize,
        wxDEFAULT_DIALOG_STYLE | wxRESIZE_BORDER)
    , m_session(session)
    , m_docId(docId)
{
    m_presenter = std::make_unique<SendPresenter>(session.documents(), docId, 0);
    const int gap = FromDIP(8);
    auto* sizer = new wxBoxSizer(wxVERTICAL);
    m_what = new wxStaticText(this, wxID_ANY, {});
    setAccessibleName(m_what, _("Dokument og filnavn"));
    sizer->Add(m_what, 0, wxEXPAND | wxALL, gap);

    auto* who = new wxStaticBoxSizer(wxVERTICAL, this, _("Modtagere (navn og CPR-nummer)"));
    m_recipients
        = new wxCheckListBox(who->GetStaticBox(), wxID_ANY, wxDefaultPosition, FromDIP(wxSize(560, 90)));
    for (const auto& c : m_presenter->candidates()) {
        std::string line = c.name + " (" + (c.cpr.empty() ? tr("intet CPR-nummer") : displayCpr(c.cpr)) + ")";
        if (!c.relation.empty())
            line += " – " + c.relation;
        if (c.custody)
            line += ", " + tr("forældremyndighed");
        m_recipients->Check(m_recipients->Append(toWx(line)), c.chosen);
    }
    setAccessibleName(m_recipients, _("Modtagere"));
    who->Add(m_recipients, 1, wxEXPAND | wxALL, FromDIP(4));
    sizer->Add(who, 0, wxEXPAND | wxLEFT | wxRIGHT, gap);

    auto* note = new wxBoxSizer(wxHORIZONTAL);
    note->Add(new wxStaticText(this, wxID_ANY, _("&Besked i notifikationen (valgfri):")), 0,
        wxALIGN_CENTER_VERTICAL | wxRIGHT, FromDIP(6));
    m_notification = new wxTextCtrl(this, wxID_ANY, {});
    m_notification->SetHint(_("fx Din familieplan fra mødet den 20. november"));
    setAccessibleName(m_notification, _("Besked i notifikationen"));
    note->Add(m_notification, 1, wxEXPAND | wxRIGHT, FromDIP(6));
    m_counter = new wxStaticText(this, wxID_ANY, toWx(m_presenter->notificationCounter()));
    setAccessibleName(m_counter, _("Antal tegn i beskeden"));
    note->Add(m_counter, 0, wxALIGN_CENTER_VERTICAL);
    sizer->Add(note, 0, wxEXPAND | wxALL, gap);

    m_problems = new wxStaticText(this, wxID_ANY, {});
    m_problems->SetForegroundColour(errorColour());
    setAccessibleName(m_problems, _("Problemer"));
    sizer->Add(m_problems, 0, wxEXPAND | wxLEFT | wxRIGHT, gap);

    auto* sends = new wxStaticBoxSizer(wxVERTICAL, this, _("Forsendelser"));
    m_deliveries = new wxDataViewListCtrl(sends->GetStaticBox(), wxID_ANY, wxDefaultPosition,
        FromDIP(wxSize(-1, 110)), wxDV_SINGLE | wxDV_ROW_LINES);
    m_deliveries->AppendTextColumn(_("Modtager"), wxDATAVIEW_CELL_INERT, FromDIP(210));
    m_deliveries->AppendTextColumn(_("Version"), wxDATAVIEW_CELL_INERT, FromDIP(60));
    m_deliveries->AppendTextColumn(_("Status"), wxDATAVIEW_CELL_INERT, FromDIP(70));
    m_deliveries->AppendTextColumn(_("Forsøg"), wxDATAVIEW_CELL_INERT, FromDIP(55));
    m_deliveries->AppendTextColumn(_("Seneste fejl"), wxDATAVIEW_CELL_INERT, FromDIP(220));
    setAccessibleName(m_deliveries, _("Forsendelser"));
    sends->Add(m_deliveries, 1, wxEXPAND | wxALL, FromDIP(4));
    m_retry = new wxButton(sends->GetStaticBox(), wxID_ANY, _("&Prøv igen"));
    setAccessibleName(m_retry, _("Prøv igen"));
    sends->Add(m_retry, 0, wxALL, FromDIP(4));
    sizer->Add(sends, 1, wxEXPAND | wxALL, gap);

    auto* paperBox = new wxStaticBoxSizer(wxVERTICAL, this, _("Udleveret på papir"));
    m_paper = new wxListBox(paperBox->GetStaticBox(), wxID_ANY, wxDefaultPosition, FromDIP(wxSize(-1, 50)));
    setAccessibleName(m_paper, _("Udleveret på papir"));
    paperBox->Add(m_paper, 1, wxEXPAND | wxALL, FromDIP(4));
    sizer->Add(paperBox, 0, wxEXPAND | wxLEFT | wxRIGHT, gap);

    m_status = new wxStaticText(this, wxID_ANY, {});
    setAccessibleName(m_status, _("Status"));
    sizer->Add(m_status, 0, wxEXPAND | wxALL, gap);

    auto* buttons = new wxBoxSizer(wxHORIZONTAL);
    m_print = new wxButton(this, wxID_ANY, _("&Udskriv til udlevering …"));
    setAccessibleName(m_print, _("Udskriv til udlevering"));
    buttons->Add(m_print, 0, wxRIGHT, FromDIP(6));
    buttons->AddStretchSpacer();
    m_send = new wxButton(this, wxID_ANY, _("&Send …"));
    setAccessibleName(m_send, _("Send"));
    m_send->SetDefault();
    buttons->Add(m_send, 0, wxRIGHT, FromDIP(6));
    auto* close = new wxButton(this, wxID_CANCEL, _("&Luk"));
    setAccessibleName(close, _("Luk"));
    buttons->Add(close, 0);
    sizer->Add(buttons, 0, wxEXPAND | wxALL, gap);
    SetSizerAndFit(sizer);
    closeOnEscape(this); // also from the recipient list and the delivery list, which keep Esc

    m_recipients->Bind(wxEVT_CHECKLISTBOX, [this](wxCommandEvent& e) {
        const auto i = static_cast<std::size_t>(e.GetInt());
        m_presenter->setChosen(i, m_recipients->IsChecked(static_cast<unsigned>(i)));
        refresh();
    });
    m_notification->Bind(wxEVT_TEXT, [this](wxCommandEvent&) {
        m_presenter->setNotification(fromWx(m_notification->GetValue()));
        refresh();
    });
    m_send->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { CallAfter([this] { sendAfterConfirmation(); }); });
    m_retry->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { retrySelected(); });
    m_deliveries->Bind(wxEVT_DATAVIEW_SELECTION_CHANGED, [this](wxDataViewEvent&) { refresh(); });
    m_print->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { CallAfter([this] { printForHandover(); }); });
    refresh();
}

void SendDialog::refresh()
{
    m_what->SetLabel(toWx(m_presenter->version() > 0
            ? format(tr("{0}\nFilnavn: {1}"), { m_presenter->label(), m_presenter->fileName() })
            : tr("Dokumentet har ingen færdiggjort version.")));
    m_counter->SetLabel(toWx(m_presenter->notificationCounter()));
    std::string problems;
    // Everything that stops or delays sending, before anyone presses "Send".
    for (const auto& p : m_presenter->problems())
        problems += (problems.empty() ? "" : "\n") + ("• " + p);
    for (const auto& n : m_presenter->notices())
        problems += (problems.empty() ? "" : "\n") + ("• " + n);
    m_problems->SetLabel(toWx(problems));
    m_problems->Wrap(FromDIP(560));
    m_send->Enable(!m_busy && m_presenter->canSend());
    m_print->Enable(!m_busy && m_presenter->version() > 0);

    const int selected = m_deliveries->GetSelectedRow();
    const auto lines = m_presenter->deliveries();
    if (static_cast<std::size_t>(m_deliveries->GetItemCount()) != lines.size() || selected == wxNOT_FOUND) {
        m_deliveries->DeleteAllItems();
        for (const auto& l : lines) {
            wxVector<wxVariant> row;
            row.push_back(toWx(l.recipient));
            row.push_back(wxString::Format("%d", l.version));
            row.push_back(toWx(l.status));
            row.push_back(wxString::Format("%d", l.attempts));
            row.push_back(toWx(l.lastError));
            m_deliveries->AppendItem(row);
        }
        if (selected != wxNOT_FOUND && static_cast<std::size_t>(selected) < lines.size())
            m_deliveries->SelectRow(static_cast<unsigned>(selected));
    } else {
        for (std::size_t i = 0; i < lines.size(); ++i) {
            const auto row = static_cast<unsigned>(i);
            m_deliveries->SetTextValue(toWx(lines[i].status), row, 2);
            m_deliveries->SetTextValue(wxString::Format("%d", lines[i].attempts), row, 3);
            m_deliveries->SetTextValue(toWx(lines[i].lastError), row, 4);
        }
    }
    const int row = m_deliveries->GetSelectedRow();
    m_retry->Enable(row != wxNOT_FOUND && static_cast<std::size_t>(row) < lines.size()
        && lines[static_cast<std::size_t>(row)].canRetry);

    m_paper->Clear();
    for (const auto& l : m_presenter->paperLines())
        m_paper->Append(toWx(l));
    Layout();
}

void SendDialog::withPdf(std::function<void(const std::string& pdf)> then)
{
    docgen::RenderDocument doc;
    try {
        doc = m_session.printable(m_docId, m_presenter->version());
    } catch (const std::exception& e) {
        showError(this, e.what());
        return;
    }
    m_busy = true;
    m_status->SetLabel(_("Laver PDF …"));
    refresh();
    runInBackground(
        this,
        [doc = std::move(doc)] {
            try {
                const auto pdf = app::renderPdf(doc);
                return Rendered { pdf.bytes, {} };
            } catch (const std::exception& e) {
                return Rendered { {}, e.what() };
            }
        },
        [this, then](const Rendered& rendered) {
            m_busy = false;
            m_status->SetLabel({});
            refresh();
            if (!rendered.error.empty())
                showError(this, rendered.error);
            else
                then(rendered.bytes);
        });
}

void SendDialog::sendAfterConfirmation()
{
    if (m_busy || !m_presenter->canSend())
        return;
    wxMessageDialog confirm(this, toWx(m_presenter->confirmationText()), _("Send til familien"),
        wxYES_NO | wxNO_DEFAULT | wxICON_QUESTION);
    confirm.SetYesNoLabels(_("&Send"), _("&Annuller"));
    if (confirm.ShowModal() != wxID_YES)
        return;
    withPdf([this](const std::string& pdf) {
        try {
            const auto result = m_presenter->send(pdf);
            m_status->SetLabel(toWx(result.newlyQueued == 0
                    ? tr("Denne version er allerede sendt til de valgte modtagere; intet nyt er lagt i kø.")
                    : format(
                        trn("{0} brev lagt i udbakken.", "{0} breve lagt i udbakken.", result.newlyQueued),
                        { std::to_string(result.newlyQueued) })));
        } catch (const Error& e) {
            showError(this, e.what());
            return;
        }
        refresh();
        flushInBackground();
    });
}

void SendDialog::flushInBackground()
{
    std::shared_ptr<delivery::Transport> transport;
    try {
        transport = delivery::transportFromSettings(m_session.store());
    } catch (const Error&) {
        m_status->SetLabel(
            _("Brevene venter i udbakken, til en forsendelsesvej til Digital Post er sat op."));
        return;
    }
    // The store stays on this thread: claim here, only the transport's I/O runs on the worker,
    // then record here. A claim left by a closed dialog is retried after the outbox's lease.
    std::vector<delivery::ClaimedMessage> attempts;
    try {
        attempts = m_presenter->claimDue(delivery::unixNow());
    } catch (const Error& e) {
        showError(this, e.what());
        return;
    }
    if (attempts.empty())
        return;
    m_busy = true;
    m_status->SetLabel(_("Sender …"));
    refresh();
    runInBackground(
        this, [transport, attempts] { return delivery::sendClaimed(*transport, attempts); },
        [this, attempts](const std::vector<delivery::SendOutcome>& outcomes) {
            m_busy = false;
            try {
                const int sent = m_presenter->finishAttempts(attempts, outcomes, delivery::unixNow());
                m_status->SetLabel(
                    toWx(format(trn("{0} af {1} brev sendt.", "{0} af {1} breve sendt.", attempts.size()),
                        { std::to_string(sent), std::to_string(attempts.size()) })));
            } catch (const Error& e) {
                showError(this, e.what());
            }
            refresh();
        });
}

void SendDialog::retrySelected()
{
    const int row = m_deliveries->GetSelectedRow();
    const auto lines = m_presenter->deliveries();
    if (row == wxNOT_FOUND || static_cast<std::size_t>(row) >= lines.size())
        return;
    try {
        m_presenter->retry(lines[static_cast<std::size_t>(row)].messageUuid, delivery::unixNow());
    } catch (const Error& e) {
        showError(this, e.what());
        return;
    }
    refresh();
    flushInBackground();
}

void SendDialog::printForHandover()
{
    if (m_busy)
        return;
    withPdf([this](const std::string& pdf) {
        std::string file;
        try {
            file = writePrivatePdf(m_presenter->fileName(), pdf).string();
        } catch (const std::exception& e) {
            showError(this, e.what());
            return;
        }
        if (!printPdfFile(this, file, m_presenter->label())) {
            showError(this, tr("Udskrivning er ikke mulig her. Åbn PDF-filen, og udskriv den derfra."));
            return;
        }
        askWhoGotThePaper();
    });
}

void SendDialog::askWhoGotThePaper()
{
    wxDialog dialog(this, wxID_ANY, _("Udleveret på papir"));
    auto* sizer = new wxBoxSizer(wxVERTICAL);
    auto* form = new wxFlexGridSizer(2, FromDIP(6), FromDIP(8));
    form->AddGrowableCol(1);
    form->Add(new wxStaticText(&dialog, wxID_ANY, _("&Udleveret til:")), 0, wxALIGN_CENTER_VERTICAL);
    auto* who = new wxComboBox(&dialog, wxID_ANY, {}, wxDefaultPosition, FromDIP(wxSize(300, -1)));
    for (const auto& c : m_presenter->candidates())
        who->Append(toWx(c.name));
    for (const auto& c : m_presenter->candidates())
        if (c.chosen) {
            who->SetValue(toWx(c.name));
            break;
        }
    setAccessibleName(who, _("Udleveret til"));
    form->Add(who, 1, wxEXPAND);
    form->Add(new wxStaticText(&dialog, wxID_ANY, _("&Dato:")), 0, wxALIGN_CENTER_VERTICAL);
    auto* date = new wxDatePickerCtrl(&dialog, wxID_ANY, wxDateTime::Today(), wxDefaultPosition,
        wxDefaultSize, wxDP_DROPDOWN | wxDP_SHOWCENTURY);
    setAccessibleName(date, _("Dato for udlevering"));
    form->Add(date, 0);
    sizer->Add(form, 0, wxEXPAND | wxALL, FromDIP(12));
    auto* buttons = new wxStdDialogButtonSizer();
    auto* ok = new wxButton(&dialog, wxID_OK, _("&Registrér"));
    ok->SetDefault();
    buttons->AddButton(ok);
    buttons->AddButton(new wxButton(&dialog, wxID_CANCEL, _("Ikke &udleveret")));
    buttons->Realize();
    sizer->Add(buttons, 0, wxEXPAND | wxALL, FromDIP(12));
    dialog.SetSizerAndFit(sizer);
    while (dialog.ShowModal() == wxID_OK) {
        try {
            m_presenter->recordPaper(
                fromWx(who->GetValue()), fromWx(date->GetValue().Format("%Y-%m-%d")), m_session.author());
            refresh();
            return;
        } catch (const Error& e) {
            showError(&dialog, e.what());
        }
    }
}

} // namespace fplan::gui
