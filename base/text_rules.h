// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include <string>
#include <string_view>

namespace fplan {

// What is wrong with a text that came from outside (a bundle, a values file, a form), or "" when
// nothing is. Refused: control characters (ESC, BEL, NUL...; line breaks and tabs only where
// `multiline`), DEL and the C1 controls, the bidirectional overrides and isolates that reorder
// what a reader sees (U+202A..U+202E, U+2066..U+2069), invalid UTF-8, and text longer than
// limits::StringBytes.
std::string textProblem(std::string_view text, bool multiline);

} // namespace fplan
