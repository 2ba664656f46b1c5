// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include "core/store.h"

#include <chrono>

namespace fplan::gui {

// When the desktop locks by itself: after `minutes` without a key press or a click (0: never).
// The window tells it of every use; a timer asks due(). Locking closes the store (the key leaves
// memory); unlocking needs the passphrase again and counts from then.
class IdleLock {
public:
    using Clock = std::chrono::steady_clock;
    static constexpr int DefaultMinutes = 10;
    static constexpr int MaximumMinutes = 480;

    explicit IdleLock(int minutes = DefaultMinutes, Clock::time_point now = Clock::now());
    int minutes() const { return m_minutes; }
    void setMinutes(int minutes, Clock::time_point now);
    void used(Clock::time_point now) { m_lastUse = now; }
    bool due(Clock::time_point now) const;

private:
    int m_minutes;
    Clock::time_point m_lastUse;
};

// The store's desktop.lock_minutes, DefaultMinutes when it is not set (or not a number).
int lockMinutes(const Store& store);
// "15" -> 15; nothing when the text is not 0..MaximumMinutes whole minutes.
std::optional<int> parseLockMinutes(const std::string& text);

} // namespace fplan::gui
