// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include "gui/settings_presenter.h"

#include <wx/dialog.h>

class wxStaticText;
class wxTextCtrl;

namespace fplan::gui {

// Shows SettingsPresenter.
class SettingsDialog : public wxDialog {
public:
    SettingsDialog(wxWindow* parent, Store& store);
    const std::string& userName() const { return m_presenter.userName; }

private:
    void onOk();

    SettingsPresenter m_presenter;
    wxTextCtrl* m_user = nullptr;
    wxTextCtrl* m_municipality = nullptr;
    wxTextCtrl* m_cvr = nullptr;
    wxTextCtrl* m_lock = nullptr;
    wxStaticText* m_problems = nullptr;
};

} // namespace fplan::gui
