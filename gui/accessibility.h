// SPDX-License-Identifier: EUPL-1.2
#pragma once

class wxWindow;
class wxString;

namespace fplan::gui {

// The one place that names controls for screen readers and AT-SPI tests. On GTK,
// wxWindow::SetName does not reach ATK, so the name is set on the GTK widget (and, for a
// scrolled widget such as a multi-line text or a list, on the widget inside it as well).
void setAccessibleName(wxWindow* window, const wxString& name);

} // namespace fplan::gui
