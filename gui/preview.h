// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include "docgen/render/layout.h"
#include "docgen/render/render_model.h"

#include <string>
#include <vector>

namespace fplan::gui {

struct PreviewFace {
    std::string family;
    bool bold = false;
};

// The pages exactly as the PDF lays them out (docgen's display list), for drawing on screen.
struct Preview {
    docgen::LayoutResult layout;
    std::vector<PreviewFace> faces; // by TextItem::face
};

// Lays the document out with its own fonts object, so it may run on a worker thread.
Preview makePreview(const docgen::RenderDocument& doc);

} // namespace fplan::gui
