// SPDX-License-Identifier: EUPL-1.2
#include "gui/date_field.h"

#include "gui/date_input.h"
#include "gui/wx_util.h"

#include <wx/calctrl.h>
#include <wx/textctrl.h>

namespace fplan::gui {

class CalendarPopup : public wxCalendarCtrl, public wxComboPopup {
public:
    explicit CalendarPopup(DateField* field)
        : m_field(field)
    {
    }

    bool Create(wxWindow* parent) override
    {
        // Week numbers: Danish teams plan in weeks ("uge 12").
        if (!wxCalendarCtrl::Create(parent, wxID_ANY, wxDefaultDateTime, wxDefaultPosition, wxDefaultSize,
                wxCAL_MONDAY_FIRST | wxCAL_SHOW_WEEK_NUMBERS | wxBORDER_SIMPLE))
            return false;
        Bind(wxEVT_CALENDAR_SEL_CHANGED, [this](wxCalendarEvent&) { m_chosen = true; });
        Bind(wxEVT_CALENDAR_DOUBLECLICKED, [this](wxCalendarEvent&) { Dismiss(); });
        Bind(wxEVT_KEY_DOWN, [this](wxKeyEvent& e) {
            if (e.GetKeyCode() == WXK_RETURN || e.GetKeyCode() == WXK_NUMPAD_ENTER) {
                m_chosen = true;
                Dismiss();
            } else {
                e.Skip();
            }
        });
        return true;
    }
    wxWindow* GetControl() override { return this; }
    void SetStringValue(const wxString& text) override
    {
        m_chosen = false;
        wxDateTime d;
        const auto iso = parseDateText(fromWx(text));
        if (iso && d.ParseISODate(toWx(*iso)))
            SetDate(d);
        else
            SetDate(wxDateTime::Today());
    }
    wxString GetStringValue() const override
    {
        return toWx(dateText(Json(fromWx(GetDate().FormatISODate())), false));
    }
    wxSize GetAdjustedSize(int minWidth, int, int) override
    {
        const wxSize best = GetBestSize();
        return wxSize(std::max(minWidth, best.x), best.y);
    }
    void OnDismiss() override
    {
        if (m_chosen)
            m_field->picked(GetStringValue());
        m_chosen = false;
    }

private:
    DateField* m_field;
    bool m_chosen = false;
};

DateField::DateField(wxWindow* parent)
{
    // Built in two steps so the popup is set before the control is shown.
    Create(parent, wxID_ANY, wxString(), wxDefaultPosition, wxSize(FromDIP(130), -1), wxTE_PROCESS_ENTER);
    UseAltPopupWindow(); // a plain popup steals keyboard focus badly on GTK under some window managers
    SetPopupControl(new CalendarPopup(this));
    SetHint(_("DD.MM.ÅÅÅÅ"));
    Bind(wxEVT_TEXT, [this](wxCommandEvent&) { typed(false); });
    Bind(wxEVT_TEXT_ENTER, [this](wxCommandEvent&) { typed(true); });
    if (wxTextCtrl* text = GetTextCtrl())
        text->Bind(wxEVT_KILL_FOCUS, [this](wxFocusEvent& e) {
            typed(true);
            e.Skip();
        });
}

void DateField::showValue(const Json& value)
{
    m_committed = toWx(dateText(value, false));
    if (GetValue() != m_committed)
        ChangeValue(m_committed);
}

void DateField::picked(const wxString& text)
{
    ChangeValue(text);
    typed(true);
}

void DateField::typed(bool leaving)
{
    wxString text = GetValue();
    const Json value = dateValueFromText(fromWx(text), false);
    const bool whole = value.is_string() && isIsoDate(value.get<std::string>());
    // Leaving the field writes the date out in full (5.4.2026 becomes 05.04.2026), as it prints.
    if (leaving && whole) {
        const wxString full = toWx(dateText(value, false));
        if (full != text) {
            ChangeValue(full);
            if (m_committed == text)
                m_committed = full; // the same date, already reported while typing
            text = full;
        }
    }
    if (text == m_committed)
        return;
    // While typing, only a whole date (or an emptied box) is stored; half a date waits for the
    // person to leave the field, and is then kept so the field can say what is wrong.
    if (!leaving && value.is_string() && !whole)
        return;
    m_committed = text;
    if (onEdited)
        onEdited(value);
}

} // namespace fplan::gui
