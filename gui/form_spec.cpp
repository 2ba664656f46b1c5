// SPDX-License-Identifier: EUPL-1.2
#include "gui/form_spec.h"

namespace fplan::gui {

const FormField* FormSpec::field(const std::string& path) const
{
    for (const auto& section : sections)
        for (const auto& f : section.fields)
            if (f.path == path)
                return &f;
    return nullptr;
}

} // namespace fplan::gui
