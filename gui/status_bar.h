// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include <wx/statusbr.h> // wxStatusBarGeneric, which wxGTK's wxStatusBar is

#include <set>

namespace fplan::gui {

// The main window's status bar: a field can show its text in the error colour (a sync that
// failed). The generic status bar draws each field itself.
class StatusBar : public wxStatusBarGeneric {
public:
    StatusBar(wxWindow* parent, int fields);

    void setError(int field, bool error);
    bool isError(int field) const { return m_errors.count(field) > 0; }

protected:
    void DrawFieldText(wxDC& dc, const wxRect& rect, int field, int textHeight) override;

private:
    std::set<int> m_errors;
};

} // namespace fplan::gui
