// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include <string>
#include <string_view>

namespace fplan::docgen {

// "2026-03-12" -> "12.03.2026"; anything that is not an ISO date is returned unchanged.
std::string formatDate(std::string_view isoDate);
// "2026-03-12T14:30" -> "12.03.2026 kl. 14:30".
std::string formatDateTime(std::string_view isoDateTime);
// Decimal comma and dot as thousands separator: 1234.5 -> "1.234,5"; at most `maxDecimals`
// decimals, trailing zeros dropped.
std::string formatNumber(double value, int maxDecimals = 2);
std::string formatBool(bool value); // "Ja" / "Nej"
// "Version 2 af 12.03.2026" (the date as ISO or already Danish).
std::string formatVersion(int version, std::string_view isoDate);
// Today's date (or SOURCE_DATE_EPOCH's) as ISO "YYYY-MM-DD", in UTC.
std::string todayIso();

} // namespace fplan::docgen
