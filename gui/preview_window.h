// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include "gui/preview.h"

#include <wx/frame.h>

namespace fplan::gui {

// Shows a Preview: the A4 pages one under the other, scaled to the window's width.
class PreviewWindow : public wxFrame {
public:
    PreviewWindow(wxWindow* parent, const wxString& title, Preview preview);
};

} // namespace fplan::gui
