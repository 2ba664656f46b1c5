// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include "core/op.h"
#include "core/store.h"

#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

namespace fplan::gui {

// What arrived in the store since the last look, for the open views to follow.
struct StoreChanges {
    std::vector<Op> ops; // in store order
    std::set<std::string> cases; // cases with any new op
    bool caseListChanged = false; // a case was created or a case document changed

    bool empty() const { return ops.empty(); }
    // The ops of one document, in store order.
    std::vector<Op> opsOf(const std::string& docId) const;
};

// Follows the store's op sequence: each poll() returns the ops stored since the previous one,
// whichever connection or process wrote them (the desktop's own saves, its background sync,
// `fplan sync`, another program on the same file). One cheap query when nothing changed.
class StoreWatch {
public:
    // Starts at the store's current end: what is there now, the views have already read.
    explicit StoreWatch(Store& store);

    StoreChanges poll();

    // Ops read per poll at most: a large sync arrives over a few polls instead of one long stall.
    static constexpr std::size_t MaxOpsPerPoll = 5000;

private:
    Store& m_store;
    std::int64_t m_seq = 0;
};

} // namespace fplan::gui
