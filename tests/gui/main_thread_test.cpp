// SPDX-License-Identifier: EUPL-1.2
#include "gui/main_thread.h"

#include <gtest/gtest.h>
#include <wx/app.h>
#include <wx/event.h>
#include <wx/init.h>

#include <chrono>
#include <thread>

using namespace fplan::gui;

namespace {

// A console wxApp: CallAfter and pending events work without a display.
class MainThreadTest : public ::testing::Test {
protected:
    static void SetUpTestSuite()
    {
        wxApp::SetInstance(new wxAppConsole);
        s_init = new wxInitializer;
        ASSERT_TRUE(s_init->IsOk());
    }
    static void TearDownTestSuite()
    {
        delete s_init;
        s_init = nullptr;
    }
    // Runs the main thread's queue until every background task has reported back.
    static void pumpUntilDone()
    {
        const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (runningBackgroundTasks() > 0 && std::chrono::steady_clock::now() < end) {
            wxTheApp->ProcessPendingEvents();
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        wxTheApp->ProcessPendingEvents();
    }
    static wxInitializer* s_init;
};
wxInitializer* MainThreadTest::s_init = nullptr;

} // namespace

TEST_F(MainThreadTest, WorkRunsOnAWorkerAndTheResultComesBackOnTheMainThread)
{
    wxEvtHandler owner;
    const auto mainThread = std::this_thread::get_id();
    std::thread::id workThread;
    std::thread::id doneThread;
    int result = 0;
    runInBackground(
        &owner,
        [&workThread] {
            workThread = std::this_thread::get_id();
            return 42;
        },
        [&](int value) {
            doneThread = std::this_thread::get_id();
            result = value;
        });
    pumpUntilDone();
    EXPECT_EQ(42, result);
    EXPECT_NE(mainThread, workThread);
    EXPECT_EQ(mainThread, doneThread);
}

TEST_F(MainThreadTest, NothingArrivesForAWindowThatIsGone)
{
    auto* owner = new wxEvtHandler;
    bool called = false;
    runInBackground(
        owner,
        [] {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
            return 1;
        },
        [&called](int) { called = true; });
    delete owner; // the window closes while the work runs
    pumpUntilDone();
    EXPECT_FALSE(called);
    EXPECT_EQ(0, runningBackgroundTasks().load());
}
