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
class SyncControl;

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
    EditorPanel* currentEditor() const;
    // Tells the others where this desktop is, and shows in each editor where they are.
    void updatePresence(const std::string& section = {});
    void showPresence();
    CaseOverviewPanel* overview() const;

    std::unique_ptr<Session> m_session;
    std::unique_ptr<SyncControl> m_sync; // after m_session: it stops first
    CaseListPanel* m_cases = nullptr;
    wxNotebook* m_tabs = nullptr;
};

} // namespace fplan::gui
