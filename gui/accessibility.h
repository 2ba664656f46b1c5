// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include <functional>

class wxGrid;
class wxWindow;
class wxString;

namespace fplan::gui {

// The one place that names controls for screen readers and AT-SPI tests. On GTK,
// wxWindow::SetName does not reach ATK, so the name is set on the GTK widget (and, for a
// scrolled widget such as a multi-line text or a list, on the widget inside it as well).
void setAccessibleName(wxWindow* window, const wxString& name);

// The help text shown under a field, given to the screen reader as the field's description.
void setAccessibleDescription(wxWindow* window, const wxString& description);

// A field that must be filled in: the screen reader says "required" (ATK's REQUIRED state).
void markRequired(wxWindow* window);

// A control whose keyboard focus sits in an inner widget (a drop-down's button): the control
// itself reports FOCUSED, so the screen reader names the field, not an unnamed button. wx sends
// no focus event for it either: `onFocus` is called when the inner widget gets the focus.
void reportFocusWithin(wxWindow* window, std::function<void()> onFocus = {});

// A wxGrid as an accessible table: its cells (with their text) and column headers, and the
// current cell as the table's active descendant. wxAccessible does not reach ATK on GTK, so the
// grid window's ATK object is replaced by one that reads the grid.
void exposeAsTable(wxGrid* grid, const wxString& name);

// Once at start-up: every wxDialog is exposed as a dialog (not a frame), and message boxes are
// named by their titles (GTK names them "Question", "Information" …).
void installAccessibleDialogs();

} // namespace fplan::gui
