// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include "core/op.h"

#include <wx/combo.h>

#include <functional>

namespace fplan::gui {

// A date box that always reads and writes DD.MM.ÅÅÅÅ with a calendar to pick from.
// wxDatePickerCtrl on GTK takes its format from the C library's locale (03/12/2026 in C,
// 12-03-2026 in glibc's da_DK), so it cannot show the Danish form the documents print.
class DateField : public wxComboCtrl {
public:
    explicit DateField(wxWindow* parent);
    ~DateField() override;

    // Shows a stored value (ISO date, or text that is no date) without reporting an edit.
    void showValue(const Json& value);
    // Called with what the field now stores: null, an ISO date, or the text when it is no date.
    std::function<void(const Json& value)> onEdited;

private:
    friend class CalendarPopup;
    void picked(const wxString& text);
    void typed(bool leaving);
    void pageScrolled(wxScrollWinEvent& e);

    wxWindow* m_scrolled = nullptr; // the scrolled page the field sits on, if any
    wxString m_committed; // the text last reported, so focus changes do not repeat an edit
};

} // namespace fplan::gui
