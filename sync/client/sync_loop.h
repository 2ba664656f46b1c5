// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include "sync/client/live_client.h"
#include "sync/client/sync_client.h"

#include <chrono>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace fplan::sync {

// What a sync loop is doing, for a status line.
struct SyncLoopStatus {
    enum class Phase { Syncing, Synced, Failed };
    Phase phase = Phase::Syncing;
    SyncProblem problem = SyncProblem::Other; // Failed: what went wrong
    std::string message; // Failed: the error's own text
    std::exception_ptr error; // Failed: the error itself
    std::size_t queued = 0; // ops that still wait for the server (when known)
    bool queuedKnown = false;
    // The end of the last sync that went through (also in an earlier run: the store keeps it);
    // known once the loop has opened its connection.
    std::optional<std::chrono::system_clock::time_point> lastSynced;
    std::optional<std::chrono::milliseconds> retryIn; // Failed and tried again by itself after this
    std::optional<SyncReport> report; // Synced: what the sync did
};

struct SyncLoopOptions {
    SyncOptions sync; // without `password` a needed sign-in fails with SyncProblem::SignInNeeded
    // Opens the loop's own connection to the store (on the loop's thread, once).
    std::function<Store()> openStore;
    // Called on the loop's thread before and after every sync. A failure the loop cannot cure by
    // waiting (anything but Unreachable) is not retried until the next request().
    std::function<void(const SyncLoopStatus&)> onStatus;
    // The live channel, once the store is bound: its events ask for a sync by themselves.
    bool live = true;
    std::function<void(bool up)> onLive; // on the live client's thread
    std::function<void(const PresenceNotice&)> onPresence; // likewise
    std::chrono::milliseconds firstRetry { 1000 }; // waits after Unreachable double up to maxRetry
    std::chrono::milliseconds maxRetry { 60000 };
    std::chrono::milliseconds debounce { 0 }; // requests this close together make one sync
};

// Syncs with the case store server on a thread and store connection of its own: once at start,
// whenever request() asks (a local save, the network coming back, a sign-in), whenever the live
// channel says a case has news or comes up again, and after growing waits while the server
// cannot be reached. `fplan sync --watch` and the desktop both run their syncs through it.
class SyncLoop {
public:
    explicit SyncLoop(SyncLoopOptions options); // starts the first sync at once
    ~SyncLoop(); // stop()
    SyncLoop(const SyncLoop&) = delete;
    SyncLoop& operator=(const SyncLoop&) = delete;

    // A sync soon (after `debounce`); any thread, also from a callback.
    void request();
    // Where this client is, for the others on the live channel (see LiveClient::setPresence);
    // kept until the channel is up. Any thread.
    void setPresence(std::optional<Presence> presence);
    // Ends the live channel and the thread after the sync in progress (each request is bounded by
    // the sync options' timeout); no callback runs after it returns. Not from a callback.
    void stop();

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace fplan::sync
