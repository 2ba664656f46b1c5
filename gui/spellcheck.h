// SPDX-License-Identifier: EUPL-1.2
#pragma once

class wxTextCtrl;

namespace fplan::gui {

// Danish inline spell checking on a multi-line text control (gspell + hunspell-da on GTK).
// Does nothing where gspell or the Danish dictionary is missing.
void enableDanishSpellChecking(wxTextCtrl* text);

} // namespace fplan::gui
