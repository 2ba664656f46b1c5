// SPDX-License-Identifier: EUPL-1.2
#include "app/documents.h"
#include "cli/command.h"
#include "core/bundle.h"

namespace fplan::cli {

PreparedDocument prepareBundleDocument(const BundleDocument& doc, const Case& kase, const Args& args)
{
    return app::prepareDocument(templateRegistry(args), doc, kase);
}

} // namespace fplan::cli
