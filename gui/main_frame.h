// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include "gui/session.h"
#include "gui/store_watch.h"

#include <wx/frame.h>
#include <wx/timer.h>

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
    EditorPanel* currentEditor() const;
    CaseOverviewPanel* overview() const;
    // Hands what other connections stored (sync, other programs) to every open view.
    void followStore();

    std::unique_ptr<Session> m_session;
    CaseListPanel* m_cases = nullptr;
    wxNotebook* m_tabs = nullptr;
    StoreWatch m_watch;
    wxTimer m_follow;
};

} // namespace fplan::gui
