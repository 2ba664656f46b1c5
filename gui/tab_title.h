// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include <cstddef>
#include <string>

namespace fplan::gui {

// A tab's title cut to at most `maxLetters` letters (not bytes), at a word boundary where one
// is near, with "…" where it was cut; the full title goes to the tab's tooltip.
std::string shortTabTitle(const std::string& title, std::size_t maxLetters = 18);

} // namespace fplan::gui
