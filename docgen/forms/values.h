// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include "core/case.h"
#include "core/op.h"
#include "docgen/forms/template.h"

#include <string>
#include <vector>

namespace fplan::docgen {

struct ValueProblem {
    std::string path; // "om_planen.dato", "indsatser.indsats[2].start"
    std::string reason;
};

// Every value that does not fit its field, in the order of `values`. Values are keyed by field
// path as `doc fill` takes them; null clears a field. Person and team-member ids are checked
// against `kase` (skipped when it is null, e.g. when only the shape is checked).
std::vector<ValueProblem> findValueProblems(const Template& tmpl, const Json& values, const Case* kase);

// Throws Error(BadInput, "PATH: reason") for the first problem (naming how many more there are).
void checkValues(const Template& tmpl, const Json& values, const Case* kase);

// Required fields, tables and cells that are empty in `values` (a whole document's values):
// what stops a draft from being finalised. Reason names the label.
std::vector<ValueProblem> findMissingRequired(const Template& tmpl, const Json& values);

// Fields with refers-to whose row id is not a row of that table in `document` (a whole
// document's values). With `only` given, just the paths it names are checked (those of a fill).
std::vector<ValueProblem> findDanglingReferences(const Template& tmpl, const Json& document,
                                                 const Json* only = nullptr);

bool isEmptyValue(const Json& value);
bool isRealDate(const std::string& text);     // YYYY-MM-DD, a day that exists
bool isRealDateTime(const std::string& text); // YYYY-MM-DDTHH:MM
std::size_t utf8Length(const std::string& text);

} // namespace fplan::docgen
