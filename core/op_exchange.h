// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include "core/op_validation.h"

#include <optional>
#include <string>
#include <vector>

namespace fplan {

class Store;

// The payload that carries ops between installations (an ops file now, the case store protocol
// later): {"format": "familieplan-ops", "version": 1, "ops": [...], "templates": [{"hash",
// "template_id", "version", "text"}]}. The templates are the exact texts the exported documents
// were made with.
inline constexpr const char* OpsPayloadFormat = "familieplan-ops";
inline constexpr int OpsPayloadVersion = 1;

// Every op of the store (or of one case), with the templates its create ops name.
Json exportOps(const Store& store, const std::optional<std::string>& caseId = std::nullopt);

struct ImportResult {
    std::size_t added = 0;
    std::size_t alreadyThere = 0;
    std::vector<OpRefusal> refused; // when not empty, nothing was stored
};

// Checks every op (validateOps, against what the store knows) and every template (its hash)
// first; stores all of it in one transaction only when nothing is refused. A payload that is
// not an ops payload at all throws Error(BadInput).
ImportResult importOps(Store& store, const Json& payload);

} // namespace fplan
