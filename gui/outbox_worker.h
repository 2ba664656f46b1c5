// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include "core/store.h"
#include "delivery/transport.h"

#include <cstdint>
#include <string>
#include <vector>

namespace fplan::gui {

// One message claimed for an attempt: the worker thread needs only these two strings.
struct PendingAttempt {
    std::string messageUuid;
    std::string memoXml;
};

// Sending what waits in the outbox, split so the store stays on the main thread: claim the due
// messages there, send them on a worker (network only, no store), record the outcomes there.
// The "Send til familien" dialog does it at once; the main window every minute while it runs.
std::vector<PendingAttempt> claimDueLetters(Store& store, std::int64_t now);
// The worker's part: hands each claimed message to the transport (network only, no store).
std::vector<delivery::SendOutcome> sendAttempts(
    delivery::Transport& transport, const std::vector<PendingAttempt>& attempts);
// Returns how many were delivered.
int recordAttempts(Store& store, const std::vector<PendingAttempt>& attempts,
    const std::vector<delivery::SendOutcome>& outcomes, std::int64_t now);

// The outbox in the main window's words: "2 breve venter på at blive sendt · 1 fejlet" or "" when
// nothing waits or failed.
std::string outboxStatusText(Store& store);

} // namespace fplan::gui
