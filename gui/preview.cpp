// SPDX-License-Identifier: EUPL-1.2
#include "gui/preview.h"

#include "docgen/render/fonts.h"

namespace fplan::gui {

Preview makePreview(const docgen::RenderDocument& doc)
{
    docgen::SystemFonts fonts;
    Preview preview;
    preview.layout = docgen::layoutDocument(doc, fonts);
    for (std::size_t i = 0; i < fonts.faceCount(); ++i)
        preview.faces.push_back(
            { fonts.face(static_cast<int>(i)).family, fonts.face(static_cast<int>(i)).bold });
    return preview;
}

} // namespace fplan::gui
