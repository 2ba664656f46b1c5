// SPDX-License-Identifier: EUPL-1.2
#include "gui/wx_util.h"

#include <wx/activityindicator.h>
#include <wx/button.h>
#include <wx/msgdlg.h>
#include <wx/sizer.h>
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

wxButton* addOkCancelButtons(wxWindow* dialog, wxSizer* sizer, const wxString& okLabel)
{
    auto* buttons = new wxStdDialogButtonSizer();
    auto* ok = new wxButton(dialog, wxID_OK, okLabel);
    ok->SetDefault();
    buttons->AddButton(ok);
    buttons->AddButton(new wxButton(dialog, wxID_CANCEL, _("&Annuller")));
    buttons->Realize();
    sizer->Add(buttons, 0, wxEXPAND | wxALL, dialog->FromDIP(12));
    return ok;
}

void showWorking(wxActivityIndicator* spinner, bool working, std::initializer_list<wxWindow*> controls)
{
    spinner->Show(working);
    if (working)
        spinner->Start();
    else
        spinner->Stop();
    for (auto* control : controls)
        if (control)
            control->Enable(!working);
}

wxStaticText* newProblemsLabel(wxWindow* parent)
{
    auto* label = new wxStaticText(parent, wxID_ANY, {});
    label->SetForegroundColour(wxColour(0xB0, 0x00, 0x20));
    return label;
}

} // namespace fplan::gui
