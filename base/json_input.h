// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include "base/limits.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <string_view>

namespace fplan {

// Parses JSON that came from outside (a bundle, a values file): nesting deeper than `maxDepth`,
// invalid JSON and numbers out of range are Error(BadInput) naming `origin` and the limit. The
// parser is not recursive, and refusing deep input keeps every later walk (dump(), checks) safe.
nlohmann::json parseJsonInput(
    std::string_view text, const std::string& origin, std::size_t maxDepth = limits::JsonDepth);

// readFileBounded + parseJsonInput.
nlohmann::json readJsonFile(const std::filesystem::path& path, std::size_t limit, std::string_view what);

} // namespace fplan
