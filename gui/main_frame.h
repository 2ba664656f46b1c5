// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include "gui/session.h"

#include <wx/frame.h>

#include <memory>
#include <string>

class wxNotebook;

namespace fplan::gui {

class CaseListPanel;
class CaseOverviewPanel;
class EditorPanel;

// The main window: the cases on the left; the open case and its documents as tabs on the right.
class MainFrame : public wxFrame {
public:
    explicit MainFrame(std::unique_ptr<Session> session);
    ~MainFrame() override;

    void openCase(const std::string& caseId);
    void openDocument(const std::string& docId);

private:
    void buildMenus();
    void reloadCases();
    void newCase();
    void editSettings();
    // Adds and shows a tab titled `text` (cut short where long), with `tooltip` as its tooltip.
    void addTab(wxWindow* page, const std::string& text, const std::string& tooltip);
    EditorPanel* currentEditor() const;
    CaseOverviewPanel* overview() const;

    std::unique_ptr<Session> m_session;
    CaseListPanel* m_cases = nullptr;
    wxNotebook* m_tabs = nullptr;
};

} // namespace fplan::gui
