// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include "core/store.h"

#include <string>

namespace fplan::gui {

// The outbox in the main window's words: "2 breve venter på at blive sendt · 1 fejlet" or "" when
// nothing waits or failed.
std::string outboxStatusText(Store& store);

} // namespace fplan::gui
