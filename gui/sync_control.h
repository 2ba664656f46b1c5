// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include "gui/session.h"
#include "gui/sync_presenter.h"

#include <functional>
#include <memory>
#include <optional>

class wxFrame;

namespace fplan::gui {

// The desktop's side of the case store server: a SyncLoop on its own store connection while the
// store is bound to a server, the status bar's sync line (SyncStatusPresenter), the sign-in
// dialog, and the network monitor that asks for a sync when the network returns. Main thread.
class SyncControl {
public:
    // Starts syncing at once if the store is bound to a server; the status shows in `frame`'s
    // status bar field `field`.
    SyncControl(wxFrame* frame, Session& session, int field);
    ~SyncControl(); // stop()
    SyncControl(const SyncControl&) = delete;
    SyncControl& operator=(const SyncControl&) = delete;

    // A sync soon: after a local save (the loop waits a moment for more), or when asked.
    void request();
    // The sign-in dialog (first time: server, user, password; later: the password only).
    void signIn();
    // Ends the background sync (window closing, program locking); request() starts nothing after.
    void stop();

    // Where this desktop is (the current editor's document and the section typed in last);
    // nullopt: no document open.
    void setPresence(std::optional<sync::Presence> presence);
    const PresencePresenter& presence() const { return m_presence; }

    // After a sync that brought new or changed cases (on the main thread).
    std::function<void(const sync::SyncReport& report)> onPulled;
    // After another client's presence changed (on the main thread).
    std::function<void()> onPresence;

private:
    void start();
    void show();
    void statusChanged(const sync::SyncLoopStatus& status);

    struct Alive;
    wxFrame* m_frame;
    Session& m_session;
    int m_field;
    SyncStatusPresenter m_status;
    PresencePresenter m_presence;
    std::optional<sync::Presence> m_where;
    std::shared_ptr<Alive> m_alive; // callbacks queued for the main thread check it
    std::unique_ptr<sync::SyncLoop> m_loop;
    unsigned long m_networkHandler = 0;
    bool m_askedForPassword = false;
    bool m_stopped = false;
};

} // namespace fplan::gui
