// SPDX-License-Identifier: EUPL-1.2
#include "cli/command.h"
#include "core/bundle.h"
#include "core/error.h"

namespace fplan::cli {

PreparedDocument prepareBundleDocument(const BundleDocument& doc, const Case&, const Args&)
{
    // Replaced by the template layer's check once docgen lands; until then refuse, never guess.
    throw Error(ErrorCode::BadInput, "template '" + doc.templateId + "': documents in bundles need the template layer");
}

} // namespace fplan::cli
