// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include "core/case.h"

#include <string>
#include <vector>

namespace fplan {

struct BundleDocument {
    std::string templateId;
    Json values;
    std::string jsonPath; // "$.documents[0]" for messages about it
};

struct Bundle {
    Case kase;
    std::vector<BundleDocument> documents;
};

// Parses and checks a case bundle (CLI.md). Every problem throws Error(BadInput) with the JSON
// path and the reason, e.g. "$.people[1].cpr: 3102901234 is not a real date (31.02.1990)".
// `origin` (the file name) prefixes the message.
Bundle parseBundle(const std::string& text, const std::string& origin);
Json bundleToJson(const Bundle& bundle);

} // namespace fplan
