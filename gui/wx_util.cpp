// SPDX-License-Identifier: EUPL-1.2
#include "gui/wx_util.h"

#include <wx/activityindicator.h>
#include <wx/button.h>
#include <wx/dialog.h>
#include <wx/grid.h>
#include <wx/msgdlg.h>
#include <wx/panel.h>
#include <wx/settings.h>
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

namespace {
constexpr const char* FocusFrameName = "fplan-focus-frame";

void showFocusIn(wxWindow* frame)
{
    const wxWindow* focus = wxWindow::FindFocus();
    const bool inside = focus && (focus == frame || frame->IsDescendant(const_cast<wxWindow*>(focus)));
    const wxColour colour = inside ? wxSystemSettings::GetColour(wxSYS_COLOUR_HIGHLIGHT)
                                   : frame->GetParent()->GetBackgroundColour();
    if (frame->GetBackgroundColour() != colour) {
        frame->SetBackgroundColour(colour);
        frame->Refresh();
    }
}
} // namespace

wxPanel* newFocusFrame(wxWindow* parent)
{
    auto* frame = new wxPanel(
        parent, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxTAB_TRAVERSAL | wxBORDER_NONE, FocusFrameName);
    frame->SetSizer(new wxBoxSizer(wxVERTICAL));
    frame->Bind(wxEVT_CHILD_FOCUS, [frame](wxChildFocusEvent& e) {
        showFocusIn(frame);
        e.Skip();
    });
    return frame;
}

void setUpGridKeyboard(wxGrid* grid)
{
    grid->SetCellHighlightPenWidth(grid->FromDIP(3));
    grid->SetCellHighlightROPenWidth(grid->FromDIP(2));
    grid->SetCellHighlightColour(wxSystemSettings::GetColour(wxSYS_COLOUR_HIGHLIGHT));
    // wxGrid's own Tab moves from cell to cell and does nothing in an empty table.
    grid->Bind(wxEVT_KEY_DOWN, [grid](wxKeyEvent& e) {
        if (e.GetKeyCode() != WXK_TAB || e.ControlDown() || e.AltDown()) {
            e.Skip();
            return;
        }
        if (grid->IsCellEditControlEnabled())
            grid->DisableCellEditControl();
        grid->Navigate(e.ShiftDown() ? wxNavigationKeyEvent::IsBackward : wxNavigationKeyEvent::IsForward);
    });
    wxWindow* frame = grid->GetParent();
    if (frame->GetName() != FocusFrameName)
        return;
    // The main grid window and, with frozen columns or rows, the frozen parts take the focus.
    for (wxWindow* window : { static_cast<wxWindow*>(grid->GetGridWindow()),
             static_cast<wxWindow*>(grid->GetFrozenColGridWindow()),
             static_cast<wxWindow*>(grid->GetFrozenRowGridWindow()) })
        for (const auto type : { wxEVT_SET_FOCUS, wxEVT_KILL_FOCUS })
            if (window)
                window->Bind(type, [frame](wxFocusEvent& e) {
                    frame->CallAfter([frame] { showFocusIn(frame); }); // focus has moved on by then
                    e.Skip();
                });
}

void closeOnEscape(wxWindow* window)
{
    window->Bind(wxEVT_CHAR_HOOK, [window](wxKeyEvent& e) {
        if (e.GetKeyCode() != WXK_ESCAPE || e.HasAnyModifiers()) {
            e.Skip();
            return;
        }
        if (auto* dialog = dynamic_cast<wxDialog*>(window); dialog && dialog->IsModal())
            dialog->EndModal(wxID_CANCEL);
        else
            window->Close();
    });
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

wxColour errorColour()
{
    return wxColour(0xB0, 0x00, 0x20);
}

wxStaticText* newProblemsLabel(wxWindow* parent)
{
    auto* label = new wxStaticText(parent, wxID_ANY, {});
    label->SetForegroundColour(errorColour());
    return label;
}

} // namespace fplan::gui
