// SPDX-License-Identifier: EUPL-1.2
#include "sync/client/sync_loop.h"

#include "sync/client/client_state.h"

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace fplan::sync {

struct SyncLoop::Impl {
    using Clock = std::chrono::steady_clock;

    SyncLoopOptions options;
    std::mutex mutex;
    std::condition_variable wake;
    bool stopping = false;
    bool requested = true; // the first sync starts at once
    Clock::time_point requestedAt = Clock::now() - std::chrono::hours(1);
    std::string token; // the session the live channel connects with
    std::unique_ptr<LiveClient> live; // made and ended on the loop's thread; guarded by `mutex`
    std::optional<Presence> presence;
    std::thread thread;

    void request()
    {
        std::lock_guard lock(mutex);
        requested = true;
        requestedAt = Clock::now();
        wake.notify_all();
    }

    void report(const SyncLoopStatus& status)
    {
        if (options.onStatus)
            options.onStatus(status);
    }

    // Waits for a request (and the quiet time after it); false when the loop is to end.
    bool nextRequest()
    {
        std::unique_lock lock(mutex);
        wake.wait(lock, [&] { return stopping || requested; });
        while (!stopping && Clock::now() < requestedAt + options.debounce)
            wake.wait_until(lock, requestedAt + options.debounce);
        requested = false;
        return !stopping;
    }

    // After a sync the server refused for want of a connection: the next try comes after
    // `wait`, or sooner when asked.
    void retryAfter(std::chrono::milliseconds wait)
    {
        std::unique_lock lock(mutex);
        wake.wait_for(lock, wait, [&] { return stopping || requested; });
        requested = true;
    }

    void startLive(Store& store)
    {
        const auto binding = ClientState(store).binding();
        if (!binding)
            return;
        {
            std::lock_guard lock(mutex);
            token = binding->token;
        }
        if (live || !options.live)
            return;
        LiveOptions o;
        o.server = binding->url;
        o.ca = options.sync.ca;
        o.fingerprint = binding->fingerprint;
        o.token = [this] {
            std::lock_guard lock(mutex);
            return token;
        };
        o.onNotice = [this](const LiveNotice&) { request(); };
        o.onPresence = options.onPresence;
        o.onConnection = [this](bool up, const std::string&, int status) {
            // Up: catch up on what was missed. 401: the session expired; a sync signs in again
            // (or says that it needs the password).
            if (up || status == 401)
                request();
            if (options.onLive)
                options.onLive(up);
        };
        auto made = std::make_unique<LiveClient>(std::move(o));
        std::lock_guard lock(mutex);
        made->setPresence(presence);
        live = std::move(made);
    }

    void loop()
    {
        std::optional<Store> store;
        std::optional<std::chrono::system_clock::time_point> lastSynced;
        auto retry = options.firstRetry;
        while (nextRequest()) {
            SyncLoopStatus status;
            status.lastSynced = lastSynced;
            report(status);
            try {
                if (!store) {
                    store.emplace(options.openStore());
                    if (const auto binding = ClientState(*store).binding()) // an earlier run's
                        lastSynced = binding->synced;
                }
                SyncReport done = syncWithServer(*store, options.sync);
                lastSynced = done.synced;
                retry = options.firstRetry;
                status.phase = SyncLoopStatus::Phase::Synced;
                status.queued = done.queued;
                status.queuedKnown = true;
                status.lastSynced = lastSynced;
                status.report = std::move(done);
                report(status);
                startLive(*store);
                continue;
            } catch (const std::exception& e) {
                status.lastSynced = lastSynced; // read from the store when it was opened
                status.phase = SyncLoopStatus::Phase::Failed;
                status.problem = problemOf(e);
                status.message = e.what();
                status.error = std::current_exception();
            }
            try {
                if (store) {
                    status.queued = ClientState(*store).pendingCount();
                    status.queuedKnown = true;
                }
            } catch (const std::exception&) {
                // The count is only for the status line; the sync's own error says what matters.
            }
            if (status.problem == SyncProblem::Unreachable)
                status.retryIn = retry;
            report(status);
            if (status.retryIn) {
                retryAfter(retry);
                retry = std::min(retry * 2, options.maxRetry);
            }
        }
        std::unique_ptr<LiveClient> ending;
        {
            std::lock_guard lock(mutex);
            ending = std::move(live);
        }
    }
};

SyncLoop::SyncLoop(SyncLoopOptions options)
    : m_impl(std::make_unique<Impl>())
{
    m_impl->options = std::move(options);
    m_impl->thread = std::thread([impl = m_impl.get()] { impl->loop(); });
}

SyncLoop::~SyncLoop()
{
    stop();
}

void SyncLoop::request()
{
    m_impl->request();
}

void SyncLoop::setPresence(std::optional<Presence> presence)
{
    std::lock_guard lock(m_impl->mutex);
    m_impl->presence = presence;
    if (m_impl->live)
        m_impl->live->setPresence(std::move(presence));
}

void SyncLoop::stop()
{
    {
        std::lock_guard lock(m_impl->mutex);
        m_impl->stopping = true;
        m_impl->wake.notify_all();
    }
    if (m_impl->thread.joinable())
        m_impl->thread.join();
}

} // namespace fplan::sync
