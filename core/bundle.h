// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include "core/case.h"

#include <functional>
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

// Parses and checks a case bundle (docs/cli.md, "Case bundles"). Every problem throws Error(BadInput) with
// the JSON path and the reason, e.g. "$.people[1].cpr: 3102901234 is not a real date (31.02.1990)". `origin`
// (the file name) prefixes the message.
Bundle parseBundle(const std::string& text, const std::string& origin);
Json bundleToJson(const Bundle& bundle);

} // namespace fplan

namespace fplan {

class Store;
class OpFactory;

// What the template layer says about a bundle document after checking its values.
struct PreparedDocument {
    std::string templateVersion;
    FieldKinds kinds;
    std::string templateHash; // SHA-256 of the template's exact text, kept in the store
    std::string templateText;
};
using PrepareDocument = std::function<PreparedDocument(const BundleDocument&, const Case&)>;

// Stores a bundle as a new case in one transaction and returns the case id. `prepare` checks
// each document against its template (throwing Error(BadInput) with the JSON path) before
// anything is written, so a bad bundle leaves the store unchanged.
std::string importBundle(
    Store& store, const Bundle& bundle, OpFactory& factory, const PrepareDocument& prepare);

// The bundle of a stored case: its own data and every document's current draft values.
Bundle exportBundle(const Store& store, const std::string& caseId);

} // namespace fplan
