// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include "docgen/render/render_model.h"

namespace fplan::test {

// A realistic familieplan as the layout sees it, with `interventions` rows in its Indsatser
// table (a typical plan has 5-10; 300 stresses the page breaking). Names from many scripts.
docgen::RenderDocument samplePlan(int interventions = 8);

// The names in samplePlan that must come out of the PDF exactly as written.
const std::vector<std::string>& sampleNames();

} // namespace fplan::test
