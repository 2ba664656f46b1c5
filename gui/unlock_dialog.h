// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include "core/store_connections.h"
#include "crypto/secret_string.h"
#include "gui/unlock_presenter.h"

#include <wx/dialog.h>

#include <chrono>
#include <memory>
#include <string>

class wxActivityIndicator;
class wxButton;
class wxStaticText;
class wxTextCtrl;

namespace fplan::gui {

// Shows UnlockPresenter: asks for the passphrase (twice for a new store) and derives the key on
// a worker thread, so the window keeps drawing during the ~0.4 s it takes.
class UnlockDialog : public wxDialog {
public:
    // A non-empty `passphrase` (from $FPLAN_PASSPHRASE) is tried at once, as if typed.
    UnlockDialog(wxWindow* parent, UnlockPresenter presenter, const std::string& passphrase);
    // "Skift adgangskode": the current passphrase and the new one twice; OK once the current one
    // opens the store (the caller then closes its own and changes it: current(), chosen()).
    struct ChangePassphrase { };
    UnlockDialog(wxWindow* parent, UnlockPresenter presenter, ChangePassphrase);
    std::shared_ptr<Store> store() const { return m_store; }
    std::string current() const;
    std::string chosen() const;
    // Further connections to the unlocked store, for worker threads (the background sync).
    std::shared_ptr<StoreConnections> connections() const { return m_connections; }
    // How long the worker took (key derivation and opening), for the start-up timing.
    long long unlockMilliseconds() const { return m_unlockMs; }

private:
    void build(const wxString& explanation, const std::string& passphrase);
    void onOk();
    void showMessage(const wxString& text, bool error);
    void start(const std::string& passphrase);
    void finished(const UnlockOutcome& outcome);
    void setBusy(bool busy);

    UnlockPresenter m_presenter;
    bool m_change = false;
    wxTextCtrl* m_current = nullptr; // only when changing the passphrase
    wxTextCtrl* m_passphrase = nullptr;
    wxTextCtrl* m_repeat = nullptr;
    wxStaticText* m_message = nullptr;
    wxActivityIndicator* m_busy = nullptr;
    wxButton* m_ok = nullptr;
    wxButton* m_cancel = nullptr;
    bool m_working = false;
    std::shared_ptr<Store> m_store;
    std::shared_ptr<StoreConnections> m_connections;
    crypto::SecretString m_secret; // while unlocking; then the connections' until they derive the key
    std::chrono::steady_clock::time_point m_started;
    long long m_unlockMs = 0;
};

} // namespace fplan::gui
