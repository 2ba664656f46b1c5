// SPDX-License-Identifier: EUPL-1.2
#include "cli/command.h"
#include "core/bundle.h"
#include "app/documents.h"

namespace fplan::cli {

PreparedDocument prepareBundleDocument(const BundleDocument& doc, const Case& kase, const Args& args)
{
    return docgen::prepareDocument(templateRegistry(args), doc, kase);
}

} // namespace fplan::cli
