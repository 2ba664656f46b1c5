// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include "docgen/forms/template.h"
#include "gui/form_spec.h"

namespace fplan::gui {

// The editor's form for a template: sections flattened in document order, each field typed.
FormSpec formFromTemplate(const docgen::Template& tmpl);

} // namespace fplan::gui
