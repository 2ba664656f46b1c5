// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace fplan {

struct CprCheck {
    bool valid = false;
    std::string reason;         // why it is invalid
    bool modulus11 = true;      // false: valid, but fails the pre-2007 checksum (a warning at most)
    std::string birthDate;      // YYYY-MM-DD when valid
};

// CPR office rules: 10 digits (a hyphen after the sixth is accepted), DDMMYY a real calendar
// date, the century from digit 7. Modulus 11 is not required (numbers without it exist since 2007).
CprCheck checkCpr(std::string_view cpr);

// "0101901234" or "010190-1234" -> "0101901234"; nullopt if not of that form.
std::optional<std::string> normaliseCpr(std::string_view cpr);

} // namespace fplan
