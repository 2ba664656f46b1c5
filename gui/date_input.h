// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include "core/op.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace fplan::gui {

// "2026-03-12": a real calendar date in ISO form, the way documents store it.
bool isIsoDate(std::string_view s);
// "2026-03-12T14:30".
bool isIsoDateTime(std::string_view s);

// A date as a Danish user types it: "12.03.2026", "12.3.2026", "12-03-2026", "12/3/2026" (or ISO).
// Returns the ISO date, or nothing when the text is not a real date.
std::optional<std::string> parseDateText(std::string_view text);
// "12.03.2026 14:30" or "12.03.2026 kl. 14:30" -> "2026-03-12T14:30".
std::optional<std::string> parseDateTimeText(std::string_view text);

// A clock time as a Danish user types it: "14:00", "9.05", "kl. 14:00" -> "14:00" (no seconds).
// Nothing when the text is no time (or is empty).
std::optional<std::string> parseTimeText(std::string_view text);

// Why typed text is not a date (or date and time), in Danish: a date that does not exist
// ("31.02.2026") is told apart from text in another form ("12.03").
std::string dateTextProblem(std::string_view text, bool withTime);

// What a date box and a time box beside it store together: null when both are empty, the ISO
// date and time when both read, else the two texts joined ("12.03.2026 14"), so the field's
// message says what is wrong. An empty time box stays empty: no clock is filled in for it.
Json dateTimeValueFromText(std::string_view date, std::string_view time);
// A stored date-and-time split back into what the date box and the time box show.
std::pair<std::string, std::string> dateTimeTexts(const Json& value);

// What a typed date (or date-and-time) stores: null when empty, ISO when it reads as a date, else
// the text itself, so that the field's message can say what is wrong.
Json dateValueFromText(std::string_view text, bool withTime);
// A stored date the way a text box shows it ("12.03.2026"); a value that is no date comes back as is.
std::string dateText(const Json& value, bool withTime);

// A hybrid-clock time stamp as local time: "12.03.2026 kl. 10:30".
std::string hlcText(std::uint64_t hlc);

} // namespace fplan::gui
