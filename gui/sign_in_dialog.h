// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include "gui/sync_presenter.h"

#include <wx/dialog.h>

#include <functional>
#include <memory>
#include <string>

class wxActivityIndicator;
class wxButton;
class wxStaticText;
class wxTextCtrl;

namespace fplan::gui {

// Shows SignInPresenter: signs in on a worker thread with a store connection of its own, then
// shows the pinned certificate (first time) before it closes.
class SignInDialog : public wxDialog {
public:
    // `openConnection` opens the worker's own connection to the store (called on the worker).
    SignInDialog(wxWindow* parent, SignInPresenter presenter, std::function<Store()> openConnection);

private:
    void onOk();
    void finished(const SignInOutcome& outcome);
    void setBusy(bool busy);

    SignInPresenter m_presenter;
    std::function<Store()> m_openConnection;
    wxTextCtrl* m_server = nullptr;
    wxTextCtrl* m_account = nullptr;
    wxTextCtrl* m_password = nullptr;
    wxStaticText* m_message = nullptr;
    wxActivityIndicator* m_busy = nullptr;
    wxButton* m_ok = nullptr;
    wxButton* m_cancel = nullptr;
    wxColour m_errorColour;
    bool m_working = false;
    bool m_done = false; // signed in: the button now only closes
};

} // namespace fplan::gui
