// SPDX-License-Identifier: EUPL-1.2
#include "gui/date_field.h"

#include "gui/date_input.h"
#include "gui/wx_util.h"

#include <wx/calctrl.h>
#include <wx/scrolwin.h>
#include <wx/textctrl.h>
#include <wx/utils.h>

namespace fplan::gui {

namespace {
const wxEventTypeTag<wxScrollWinEvent> ScrollEvents[] = { wxEVT_SCROLLWIN_TOP, wxEVT_SCROLLWIN_BOTTOM,
    wxEVT_SCROLLWIN_LINEUP, wxEVT_SCROLLWIN_LINEDOWN, wxEVT_SCROLLWIN_PAGEUP, wxEVT_SCROLLWIN_PAGEDOWN,
    wxEVT_SCROLLWIN_THUMBTRACK, wxEVT_SCROLLWIN_THUMBRELEASE };
} // namespace

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
        // A click on a day picks it; a day reached with the keys is picked only by Return.
        // (GTK reports a day moved to as selected too, at its own time: the mouse button tells.)
        Bind(wxEVT_CALENDAR_SEL_CHANGED,
            [this](wxCalendarEvent&) { m_chosen = m_chosen || wxGetMouseState().LeftIsDown(); });
        Bind(wxEVT_CALENDAR_DOUBLECLICKED, [this](wxCalendarEvent&) { Dismiss(); });
        // The keyboard works the calendar the same way everywhere: arrows move a day or a week,
        // Page Up/Down a month, Return picks the day, Esc closes without picking.
        Bind(wxEVT_CHAR_HOOK, [this](wxKeyEvent& e) {
            switch (e.GetKeyCode()) {
            case WXK_RETURN:
            case WXK_NUMPAD_ENTER:
            case WXK_SPACE:
                m_chosen = true;
                Dismiss();
                return;
            case WXK_ESCAPE:
                m_chosen = false;
                Dismiss();
                return;
            case WXK_LEFT:
                return move(wxDateSpan::Days(-1));
            case WXK_RIGHT:
                return move(wxDateSpan::Days(1));
            case WXK_UP:
                return move(wxDateSpan::Weeks(-1));
            case WXK_DOWN:
                return move(wxDateSpan::Weeks(1));
            case WXK_PAGEUP:
                return move(wxDateSpan::Months(-1));
            case WXK_PAGEDOWN:
                return move(wxDateSpan::Months(1));
            default:
                e.Skip();
            }
        });
        return true;
    }
    void OnPopup() override { SetFocus(); }
    wxWindow* GetControl() override { return this; }
    void SetStringValue(const wxString& text) override
    {
        m_chosen = false;
        m_shown = text;
        wxDateTime d;
        const auto iso = parseDateText(fromWx(text));
        if (iso && d.ParseISODate(toWx(*iso)))
            SetDate(d);
        else
            SetDate(wxDateTime::Today());
    }
    // wxComboCtrl writes this into the field whenever the calendar closes: the day picked, or
    // (Esc, a click elsewhere, a scroll) what the field showed before.
    wxString GetStringValue() const override
    {
        return m_chosen ? toWx(dateText(Json(fromWx(GetDate().FormatISODate())), false)) : m_shown;
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
    void move(const wxDateSpan& span) { SetDate(GetDate().Add(span)); }

    DateField* m_field;
    bool m_chosen = false;
    wxString m_shown; // the field's text when the calendar opened
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
    // The calendar is a window of its own: when the page under it scrolls, it closes rather than
    // float over other fields.
    for (wxWindow* w = parent; w && !w->IsTopLevel() && !m_scrolled; w = w->GetParent())
        if (dynamic_cast<wxScrollHelperBase*>(w))
            m_scrolled = w;
    if (m_scrolled)
        for (const auto type : ScrollEvents)
            m_scrolled->Bind(type, &DateField::pageScrolled, this);
}

DateField::~DateField()
{
    if (m_scrolled) // it outlives this field (children go first), so the handlers must go now
        for (const auto type : ScrollEvents)
            m_scrolled->Unbind(type, &DateField::pageScrolled, this);
}

void DateField::pageScrolled(wxScrollWinEvent& e)
{
    if (IsPopupShown())
        Dismiss();
    e.Skip();
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
