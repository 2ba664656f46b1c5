// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include "core/case.h"
#include "core/op.h"
#include "docgen/forms/template.h"
#include "docgen/render/render_model.h"

#include <string>
#include <vector>

namespace fplan::docgen {

struct RenderContext {
    std::string municipality; // for the title block; falls back to the case's
    int version = 0; // the finalised version printed; 0 = the draft
    std::string versionId; // its id (the finalize op id); empty for the draft
    std::string date; // ISO date of that version (or of printing); "" = today
};

// Turns a template's values into what the layout prints: people and team members as names,
// choices as their labels, dates and numbers in Danish, empty optional fields and columns left
// out, and the sections the family wrote (family-first) at the front. Values are keyed by field
// path as `doc fill` takes them. References to people not in the case go to `warnings`.
RenderDocument buildRenderDocument(const Template& tmpl, const Json& values, const Case& kase,
    const RenderContext& context, std::vector<std::string>* warnings = nullptr);

} // namespace fplan::docgen
