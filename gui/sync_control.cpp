// SPDX-License-Identifier: EUPL-1.2
#include "gui/sync_control.h"

#include "gui/sign_in_dialog.h"
#include "gui/status_bar.h"
#include "gui/wx_util.h"

#include <wx/app.h>
#include <wx/frame.h>
#include <wx/statusbr.h>

#ifdef __WXGTK__
#include <gio/gio.h>
#endif

namespace fplan::gui {

namespace {

constexpr auto SaveDebounce = std::chrono::milliseconds(150); // co-authors see a save at once
constexpr auto RequestTimeout = std::chrono::seconds(10); // also bounds how long closing waits

#ifdef __WXGTK__
void onNetworkChanged(GNetworkMonitor*, gboolean available, gpointer data)
{
    if (available)
        static_cast<SyncControl*>(data)->request();
}
#endif

} // namespace

// Whether the SyncControl still exists; read and written on the main thread only.
struct SyncControl::Alive {
    bool alive = true;
};

SyncControl::SyncControl(wxFrame* frame, Session& session, int field)
    : m_frame(frame)
    , m_session(session)
    , m_field(field)
    , m_alive(std::make_shared<Alive>())
{
#ifdef __WXGTK__
    m_networkHandler = g_signal_connect(
        g_network_monitor_get_default(), "network-changed", G_CALLBACK(onNetworkChanged), this);
#endif
    start();
}

SyncControl::~SyncControl()
{
    stop();
    m_alive->alive = false;
#ifdef __WXGTK__
    if (m_networkHandler)
        g_signal_handler_disconnect(g_network_monitor_get_default(), m_networkHandler);
#endif
}

void SyncControl::start()
{
    if (m_stopped)
        return;
    m_loop.reset();
    m_alive->alive = false; // what the old loop queued for the main thread is dropped
    m_alive = std::make_shared<Alive>();
    const auto binding = sync::ClientState(m_session.store()).binding();
    if (!binding) {
        m_status.signedOut();
        show();
        return;
    }
    sync::SyncLoopOptions o;
    o.sync.server = binding->url;
    o.sync.account = binding->account;
    o.sync.timeout = RequestTimeout;
    o.debounce = SaveDebounce;
    o.openStore = [&session = m_session] { return session.openConnection(); };
    o.onStatus = [alive = m_alive, this](const sync::SyncLoopStatus& status) {
        wxTheApp->CallAfter([alive, this, status] {
            if (alive->alive)
                statusChanged(status);
        });
    };
    o.onPresence = [alive = m_alive, this](const sync::PresenceNotice& notice) {
        wxTheApp->CallAfter([alive, this, notice] {
            if (!alive->alive)
                return;
            m_presence.update(notice);
            if (onPresence)
                onPresence();
        });
    };
    o.onLive = [alive = m_alive, this](bool up) {
        if (up)
            return;
        wxTheApp->CallAfter([alive, this] {
            if (!alive->alive)
                return;
            m_presence.clear(); // the server tells the current ones again when the channel is back
            if (onPresence)
                onPresence();
        });
    };
    m_loop = std::make_unique<sync::SyncLoop>(std::move(o));
    m_loop->setPresence(m_where);
}

void SyncControl::setPresence(std::optional<sync::Presence> presence)
{
    m_where = std::move(presence);
    if (m_loop)
        m_loop->setPresence(m_where);
}

void SyncControl::request()
{
    if (m_loop)
        m_loop->request();
}

void SyncControl::stop()
{
    m_stopped = true;
    m_loop.reset(); // joins the loop's thread; callbacks it queued find it gone by `alive`
}

void SyncControl::statusChanged(const sync::SyncLoopStatus& status)
{
    m_status.update(status);
    show();
    if (status.report && onPulled
        && (!status.report->casesNew.empty() || !status.report->casesUpdated.empty()))
        onPulled(*status.report);
    // An expired session: ask for the password once (the menu asks again).
    if (m_status.needsSignIn() && !m_askedForPassword) {
        m_askedForPassword = true;
        m_frame->CallAfter([alive = m_alive, this] {
            if (alive->alive)
                signIn();
        });
    }
}

void SyncControl::show()
{
    auto* bar = m_frame->GetStatusBar();
    if (!bar)
        return;
    if (auto* coloured = dynamic_cast<StatusBar*>(bar))
        coloured->setError(m_field, m_status.failed());
    bar->SetStatusText(toWx(m_status.text()), m_field);
}

void SyncControl::signIn()
{
    if (m_stopped)
        return;
    SignInPresenter presenter(sync::ClientState(m_session.store()).binding());
    SignInDialog dialog(
        m_frame, std::move(presenter), [&session = m_session] { return session.openConnection(); });
    if (dialog.ShowModal() != wxID_OK)
        return;
    m_askedForPassword = false;
    start(); // a new loop: the store may only now be bound, and the sign-in has synced once
}

} // namespace fplan::gui
