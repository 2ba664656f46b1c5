// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include "core/case.h"
#include "core/op.h"
#include "docgen/forms/template.h"

namespace fplan::test {

// A case of a Danish family with a team whose names are long and ordinary ("Mette Nørgaard",
// "Ahmad Al-Sayed"), each discipline represented.
Case realisticCase();

// Values for every field of `tmpl` with the content a family team writes: people and team
// members of `kase`, every choice in turn (the longest labels too), decimal hours ("0,5"),
// § references, "28. februar", "kl. 14.00", long compound words ("Sundhedsplejersken",
// "Forældrekompetenceundersøgelsen"), paragraphs of several sentences; `rows` rows per table
// (at most the table's max-rows).
Json realisticValues(const docgen::Template& tmpl, const Case& kase, int rows);

} // namespace fplan::test
