// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include "gui/case_overview_presenter.h"
#include "gui/idle_lock.h"
#include "gui/session.h"
#include "gui/store_watch.h"

#include <wx/frame.h>
#include <wx/timer.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

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
    // A key press or a click anywhere in the program (the app's event filter): not idle.
    void used();
    // Saves every open document, closes them and the store, and asks for the passphrase again.
    void lock();

private:
    void buildMenus();
    void reloadCases();
    void newCase();
    void editSettings();
    // Adds and shows a tab titled `text` (cut short where long), with `tooltip` as its tooltip.
    void addTab(wxWindow* page, const std::string& text, const std::string& tooltip);
    EditorPanel* currentEditor() const;
    // Tells the others where this desktop is, and shows in each editor where they are.
    void updatePresence(const std::string& section = {});
    void showPresence();
    CaseOverviewPanel* overview() const;
    void startNextVersion();
    void changePassphrase();
    void showUserGuide();
    // Closes every document (each saves first) and the store; returns the session's templates.
    docgen::TemplateRegistry closeSession();
    void openSession(std::shared_ptr<Store> store, docgen::TemplateRegistry templates,
        std::shared_ptr<StoreConnections> connections);
    // The session's background work: the store watch the open views follow, and the sync with
    // the case store server (SyncControl), its status and presence wired here.
    void startBackground();
    void askPassphraseAgain(docgen::TemplateRegistry templates);
    // Every minute: lock when idle; send what waits in the outbox (network on a worker thread).
    void tick();
    void sendWaitingLetters();
    void showOutboxStatus();
    // Hands what other connections stored (sync, other programs) to every open view.
    void followStore();

    std::unique_ptr<Session> m_session;
    std::unique_ptr<SyncControl> m_sync; // after m_session: it stops first
    CaseListPanel* m_cases = nullptr;
    wxNotebook* m_tabs = nullptr;
    std::filesystem::path m_storePath;
    IdleLock m_idle;
    wxTimer m_tick;
    bool m_sending = false; // an outbox attempt is on its way (one at a time)
    std::optional<StoreWatch> m_watch; // while a session is open
    wxTimer m_follow;
    std::vector<TemplateChoice> m_newDocuments; // the Dokument › Nyt dokument items, in order
};

} // namespace fplan::gui
