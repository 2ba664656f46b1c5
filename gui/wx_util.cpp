// SPDX-License-Identifier: EUPL-1.2
#include "gui/wx_util.h"

#include <wx/msgdlg.h>
#include <wx/stattext.h>

namespace fplan::gui {

void showError(wxWindow* parent, const std::string& message)
{
    wxMessageBox(toWx(message), _("Familieplan"), wxOK | wxICON_ERROR, parent);
}

void setHeadingFont(wxStaticText* text, float scale)
{
    text->SetFont(text->GetFont().Scaled(scale).Bold());
    fitLabel(text);
}

void fitLabel(wxStaticText* text)
{
    const wxSize extent = text->GetTextExtent(text->GetLabel());
    text->SetMinSize(wxSize(extent.x + text->FromDIP(4), extent.y + text->FromDIP(2)));
}

} // namespace fplan::gui
