// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include "gui/send_presenter.h"
#include "gui/session.h"

#include <wx/dialog.h>

#include <functional>
#include <memory>
#include <string>

class wxButton;
class wxCheckListBox;
class wxDataViewListCtrl;
class wxListBox;
class wxStaticText;
class wxTextCtrl;

namespace fplan::gui {

// "Send til familien" for the latest finalised version of a document: recipients, notification,
// problems, earlier sends with their status ("Forsendelser", "Prøv igen") and printed copies.
class SendDialog : public wxDialog {
public:
    SendDialog(wxWindow* parent, Session& session, const std::string& docId);

private:
    void refresh();
    void sendAfterConfirmation();
    void flushInBackground();
    void retrySelected();
    void printForHandover();
    void askWhoGotThePaper();
    // Renders the version on a worker thread; `then(bytes)` runs on the main thread.
    void withPdf(std::function<void(const std::string& pdf)> then);

    Session& m_session;
    std::string m_docId;
    std::unique_ptr<SendPresenter> m_presenter;
    bool m_busy = false;
    wxStaticText* m_what = nullptr;
    wxCheckListBox* m_recipients = nullptr;
    wxTextCtrl* m_notification = nullptr;
    wxStaticText* m_counter = nullptr;
    wxStaticText* m_problems = nullptr;
    wxDataViewListCtrl* m_deliveries = nullptr;
    wxListBox* m_paper = nullptr;
    wxStaticText* m_status = nullptr;
    wxButton* m_send = nullptr;
    wxButton* m_retry = nullptr;
    wxButton* m_print = nullptr;
};

} // namespace fplan::gui
