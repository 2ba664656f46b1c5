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
    std::shared_ptr<Store> store() const { return m_store; }
    // Further connections to the unlocked store, for worker threads (the background sync).
    std::shared_ptr<StoreConnections> connections() const { return m_connections; }
    // How long the worker took (key derivation and opening), for the start-up timing.
    long long unlockMilliseconds() const { return m_unlockMs; }

private:
    void onOk();
    void start(const std::string& passphrase);
    void finished(const UnlockOutcome& outcome);
    void setBusy(bool busy);

    UnlockPresenter m_presenter;
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
