// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace fplan {

enum class CprProblem { None, Shape, NoSuchDate };

struct CprCheck {
    bool valid = false;
    CprProblem problem = CprProblem::None; // lets each user interface say why in its language
    std::string date; // DD.MM.YYYY as the digits read, also when no such date exists
    std::string reason; // why it is invalid, in English (CLI and logs)
    bool modulus11 = true; // false: valid, but fails the pre-2007 checksum (a warning at most)
    std::string birthDate; // YYYY-MM-DD when valid
};

// CPR office rules: 10 digits (a hyphen after the sixth is accepted), DDMMYY a real calendar
// date, the century from digit 7. Modulus 11 is not required (numbers without it exist since 2007).
CprCheck checkCpr(std::string_view cpr);

// "0101901234" or "010190-1234" -> "0101901234"; nullopt if not of that form.
std::optional<std::string> normaliseCpr(std::string_view cpr);

} // namespace fplan
