// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include <optional>
#include <string>

namespace fplan {

// Three-way merge of two edits of the same text: if the parts of `base` that `ours` and
// `theirs` changed do not overlap, both changes are applied; otherwise nullopt (a conflict).
// Works on UTF-8 code points, so a merge never splits a letter.
std::optional<std::string> mergeText(
    const std::string& base, const std::string& ours, const std::string& theirs);

} // namespace fplan
