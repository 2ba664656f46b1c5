// SPDX-License-Identifier: EUPL-1.2
#include "gui/idle_lock.h"

#include <algorithm>

namespace fplan::gui {

IdleLock::IdleLock(int minutes, Clock::time_point now)
    : m_minutes(std::clamp(minutes, 0, MaximumMinutes))
    , m_lastUse(now)
{
}

void IdleLock::setMinutes(int minutes, Clock::time_point now)
{
    m_minutes = std::clamp(minutes, 0, MaximumMinutes);
    m_lastUse = now; // a new limit counts from when it was set
}

bool IdleLock::due(Clock::time_point now) const
{
    return m_minutes > 0 && now - m_lastUse >= std::chrono::minutes(m_minutes);
}

std::optional<int> parseLockMinutes(const std::string& text)
{
    const auto first = text.find_first_not_of(' ');
    if (first == std::string::npos)
        return std::nullopt;
    const std::string digits = text.substr(first, text.find_last_not_of(' ') - first + 1);
    if (digits.size() > 3 || digits.find_first_not_of("0123456789") != std::string::npos)
        return std::nullopt;
    const int minutes = std::stoi(digits);
    if (minutes > IdleLock::MaximumMinutes)
        return std::nullopt;
    return minutes;
}

int lockMinutes(const Store& store)
{
    const auto value = store.setting("desktop.lock_minutes");
    const auto minutes = value ? parseLockMinutes(*value) : std::nullopt;
    return minutes.value_or(IdleLock::DefaultMinutes);
}

} // namespace fplan::gui
