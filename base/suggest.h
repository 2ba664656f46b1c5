// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace fplan {

// The known name closest to a mistyped one ("custodi" -> "custody", "verison" -> "version"), or
// "" when none is close enough to be a likely typo. For "did you mean" in error messages.
std::string closestName(std::string_view typed, const std::vector<std::string>& known);

} // namespace fplan
