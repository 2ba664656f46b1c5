// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include "base/error.h"
#include "gui/i18n.h"

#include <wx/string.h>

#include <initializer_list>
#include <string>

class wxActivityIndicator;
class wxButton;
class wxColour;
class wxGrid;
class wxPanel;
class wxSizer;
class wxStaticText;
class wxWindow;

namespace fplan::gui {

// The panels' side of i18n.h: every visible string goes through the same catalogue.
inline wxString wxTr(const char* source)
{
    return wxString::FromUTF8(tr(source));
}
inline wxString toWx(const std::string& text)
{
    return wxString::FromUTF8(text);
}
inline std::string fromWx(const wxString& text)
{
    return std::string(text.utf8_str());
}

// Bold and scaled; the minimum size is measured with that font (GTK measures a label changed
// after creation with the old font, which clips it).
void setHeadingFont(wxStaticText* text, float scale);
// Measures the label again after SetLabel on a label with its own font.
void fitLabel(wxStaticText* text);

// The GUI's error edge (docs/style.md 8): show the message, keep the window.
void showError(wxWindow* parent, const std::string& message);

// Runs `work`; a project error is shown over `parent` instead. Returns whether it succeeded.
template <class Work> bool runShowingErrors(wxWindow* parent, Work&& work)
{
    try {
        work();
        return true;
    } catch (const Error& e) {
        showError(parent, e.what());
        return false;
    }
}

// A dialog's default button and "Annuller" in the platform's order, added to `sizer`.
// wx's stock labels would be English, hence the explicit Danish ones. Returns the default button.
wxButton* addOkCancelButtons(wxWindow* dialog, wxSizer* sizer, const wxString& okLabel);

// A panel for one control (its sizer is ready for it) that draws a frame in the focus colour
// while keyboard focus is inside it, so focus can be seen even on an empty table.
wxPanel* newFocusFrame(wxWindow* parent);

// The keyboard rules of every table: Tab and Shift+Tab leave it (also an empty one; the arrow
// keys move between cells), Esc ends editing a cell, and the current cell has a thick frame.
// A grid inside newFocusFrame also lights up its frame while it has focus.
void setUpGridKeyboard(wxGrid* grid);

// Esc closes `window` (a modal dialog ends with wxID_CANCEL), whatever control has focus.
void closeOnEscape(wxWindow* window);
// A dialog's slow part on a worker: the spinner turns and the controls (nullptr: skipped) are
// off while `working`.
void showWorking(wxActivityIndicator* spinner, bool working, std::initializer_list<wxWindow*> controls);

// The colour of what went wrong: a dialog's problems, a field's message, a failed sync.
wxColour errorColour();
// The red line where a dialog lists what must be fixed before it can be accepted.
wxStaticText* newProblemsLabel(wxWindow* parent);

} // namespace fplan::gui

// wx's own _() is switched off (WXINTL_NO_GETTEXT_MACRO): its literals would be read in the C
// locale's encoding, and the presenters' strings must come from the same catalogue.
#define _(source) ::fplan::gui::wxTr(source)
