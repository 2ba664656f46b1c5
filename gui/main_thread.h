// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include <wx/app.h>
#include <wx/weakref.h>

#include <atomic>
#include <memory>
#include <thread>
#include <type_traits>
#include <utility>

namespace fplan::gui {

// How many background tasks are still running; the app waits for them before it exits.
std::atomic<int>& runningBackgroundTasks();

// The one way background work reaches a window (docs/style.md 4): `work` runs on a worker thread,
// then `done(result)` runs on the main thread only if `owner` still exists. `done` may capture
// `owner` as a raw pointer; the weak reference is made, read and deleted on the main thread only.
template <class Window, class Work, class Done> void runInBackground(Window* owner, Work work, Done done)
{
    using Result = std::invoke_result_t<Work&>;
    auto* ref = new wxWeakRef<Window>(owner);
    ++runningBackgroundTasks();
    std::thread([ref, work = std::move(work), done = std::move(done)]() mutable {
        auto result = std::make_shared<Result>(work());
        wxTheApp->CallAfter([ref, result, done]() {
            std::unique_ptr<wxWeakRef<Window>> owned(ref);
            --runningBackgroundTasks();
            if (owned->get())
                done(*result);
        });
    }).detach();
}

} // namespace fplan::gui
