// SPDX-License-Identifier: EUPL-1.2
#include "gui/status_bar.h"

#include "gui/wx_util.h"

#include <wx/dc.h>

namespace fplan::gui {

StatusBar::StatusBar(wxWindow* parent, int fields)
    : wxStatusBarGeneric(parent, wxID_ANY)
{
    SetFieldsCount(fields);
}

void StatusBar::setError(int field, bool error)
{
    if (error == isError(field))
        return;
    if (error)
        m_errors.insert(field);
    else
        m_errors.erase(field);
    wxRect rect;
    if (GetFieldRect(field, rect))
        RefreshRect(rect);
}

void StatusBar::DrawFieldText(wxDC& dc, const wxRect& rect, int field, int textHeight)
{
    const wxColour normal = dc.GetTextForeground();
    if (isError(field))
        dc.SetTextForeground(errorColour());
    wxStatusBarGeneric::DrawFieldText(dc, rect, field, textHeight);
    dc.SetTextForeground(normal);
}

} // namespace fplan::gui
