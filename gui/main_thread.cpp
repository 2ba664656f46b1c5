// SPDX-License-Identifier: EUPL-1.2
#include "gui/main_thread.h"

namespace fplan::gui {

std::atomic<int>& runningBackgroundTasks()
{
    static std::atomic<int> count { 0 };
    return count;
}

} // namespace fplan::gui
