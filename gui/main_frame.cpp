// SPDX-License-Identifier: EUPL-1.2
#include "gui/main_frame.h"

#include "base/error.h"
#include "delivery/delivery.h"
#include "gui/accessibility.h"
#include "gui/case_list_panel.h"
#include "gui/case_overview_panel.h"
#include "gui/editor_panel.h"
#include "gui/main_thread.h"
#include "gui/new_case_dialog.h"
#include "gui/outbox_worker.h"
#include "gui/print_pdf.h"
#include "gui/settings_dialog.h"
#include "gui/status_bar.h"
#include "gui/sync_control.h"
#include "gui/tab_title.h"
#include "gui/unlock_dialog.h"
#include "gui/wx_util.h"

#include <wx/aboutdlg.h>
#include <wx/display.h>
#include <wx/menu.h>
#include <wx/msgdlg.h>
#include <wx/notebook.h>
#include <wx/sizer.h>
#include <wx/splitter.h>
#include <wx/stattext.h>
#include <wx/stdpaths.h>
#include <wx/wupdlock.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>

#ifdef __WXGTK__
#include <gtk/gtk.h>
#endif

namespace fplan::gui {

namespace {
// How often the window looks for ops other connections stored: a co-author's edit shows within
// a second of reaching this store; a look that finds nothing is one indexed query.
constexpr int FollowStoreMs = 250;

enum MenuId {
    IdNewCase = wxID_HIGHEST + 1,
    IdFind,
    IdNewDocument, // the first of the "Nyt dokument" submenu's items, one per template
    IdNewDocumentLast = IdNewDocument + 199,
    IdSave,
    IdFinalize,
    IdChanges,
    IdCloseTab,
    IdOpenPdf,
    IdPrint,
    IdNextVersion,
    IdLock,
    IdChangePassphrase,
    IdGuide,
    IdSignIn,
    IdSyncNow,
    IdFollowStore, // the timers
    IdTick,
};

// The user guide: installed beside the program (share/doc/fplan-desktop), or in the source tree
// when the program runs from its build folder.
std::optional<std::filesystem::path> userGuidePath()
{
    const std::filesystem::path exe = fromWx(wxStandardPaths::Get().GetExecutablePath());
    for (const auto& candidate :
        { exe.parent_path().parent_path() / "share/doc/fplan-desktop/brugervejledning.md",
            std::filesystem::path(FPLAN_SOURCE_DIR) / "docs/brugervejledning.md" }) {
        std::error_code ec;
        if (std::filesystem::is_regular_file(candidate, ec))
            return candidate;
    }
    return std::nullopt;
}

constexpr int TickMs = 60 * 1000; // idle check and outbox retry, once a minute
// The status bar: messages, letters waiting to be sent, the case store server's sync status.
constexpr int OutboxField = 1;
constexpr int StatusFieldSync = 2;
} // namespace

MainFrame::MainFrame(std::unique_ptr<Session> session)
    : wxFrame(nullptr, wxID_ANY, _("Familieplan"), wxDefaultPosition, wxSize(1240, 780))
    , m_session(std::move(session))
    , m_storePath(m_session->store().path())
    , m_idle(lockMinutes(m_session->store()))
    , m_tick(this, IdTick)
    , m_follow(this, IdFollowStore)
{
    SetTitle(_("Familieplan") + " – " + toWx(m_session->store().path().filename().string()));
    // Within the screen's free area, also on a 1024×600 laptop.
    const int display = wxDisplay::GetFromWindow(this);
    const wxRect area
        = wxDisplay(display == wxNOT_FOUND ? 0u : static_cast<unsigned>(display)).GetClientArea();
    SetSize(wxSize(std::min(FromDIP(1240), area.width), std::min(FromDIP(780), area.height)));
    SetMinClientSize(FromDIP(wxSize(640, 400)));
    auto* splitter = new wxSplitterWindow(
        this, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxSP_LIVE_UPDATE | wxSP_3DSASH);
    m_cases = new CaseListPanel(splitter);
    m_tabs = new wxNotebook(splitter, wxID_ANY);
    setAccessibleName(m_tabs, _("Åbne sager og dokumenter"));
    auto* welcome = new wxPanel(m_tabs);
    auto* welcomeSizer = new wxBoxSizer(wxVERTICAL);
    welcomeSizer->Add(new wxStaticText(welcome, wxID_ANY,
                          _("Vælg en sag i listen, eller opret en ny med Filer › Ny sag (Ctrl+N).")),
        0, wxALL, FromDIP(24));
    welcome->SetSizer(welcomeSizer);
    m_tabs->AddPage(welcome, _("Start"));
    splitter->SplitVertically(m_cases, m_tabs, std::min(FromDIP(460), GetClientSize().x * 2 / 5));
    splitter->SetMinimumPaneSize(FromDIP(200));
    SetStatusBar(new StatusBar(this, 3));
    const int widths[] = { -3, -1, -2 };
    SetStatusWidths(3, widths);
    buildMenus();
    startBackground();
    m_tabs->Bind(wxEVT_NOTEBOOK_PAGE_CHANGED, [this](wxBookCtrlEvent& e) {
        e.Skip();
        updatePresence();
    });

    // Save while the window can still say what went wrong; the editors' destructors only retry.
    Bind(wxEVT_CLOSE_WINDOW, [this](wxCloseEvent& e) {
        for (size_t i = 0; i < m_tabs->GetPageCount(); ++i)
            if (auto* editor = dynamic_cast<EditorPanel*>(m_tabs->GetPage(i)))
                editor->saveNow();
        e.Skip();
    });
    // Ctrl+Tab and Ctrl+PgDn/PgUp switch tabs from anywhere, also from inside a table or a text.
#ifdef __WXGTK__
    // GTK's scrolled windows (a table's, a form's) would take these keys for themselves before wx
    // sees them when the scrolled window itself has the focus (as after a screen reader's "grab
    // focus" on a table): leaving the scrolled window and scrolling sideways.
    if (auto* set = gtk_binding_set_by_class(g_type_class_ref(GTK_TYPE_SCROLLED_WINDOW))) {
        const auto ctrl = GDK_CONTROL_MASK;
        const auto ctrlShift = static_cast<GdkModifierType>(GDK_CONTROL_MASK | GDK_SHIFT_MASK);
        for (const guint tab : { GDK_KEY_Tab, GDK_KEY_KP_Tab }) {
            gtk_binding_entry_remove(set, tab, ctrl);
            gtk_binding_entry_remove(set, tab, ctrlShift);
        }
        for (const guint page :
            { GDK_KEY_Page_Up, GDK_KEY_Page_Down, GDK_KEY_KP_Page_Up, GDK_KEY_KP_Page_Down })
            gtk_binding_entry_remove(set, page, ctrl);
    }
#endif
    Bind(wxEVT_CHAR_HOOK, [this](wxKeyEvent& e) {
        const int key = e.GetKeyCode();
        if (!e.ControlDown() || e.AltDown() || (key != WXK_TAB && key != WXK_PAGEDOWN && key != WXK_PAGEUP)
            || m_tabs->GetPageCount() < 2) {
            e.Skip();
            return;
        }
        m_tabs->AdvanceSelection(key == WXK_PAGEDOWN || (key == WXK_TAB && !e.ShiftDown()));
        m_tabs->SetFocus();
    });
    m_cases->onOpen = [this](const std::string& caseId) { openCase(caseId); };
    // Later, not inside the click: a modal loop inside an AT-SPI "click" would block the caller.
    m_cases->onNewCase = [this] { CallAfter([this] { newCase(); }); };
    reloadCases();
    m_cases->focusSearch();
    Bind(
        wxEVT_TIMER, [this](wxTimerEvent&) { tick(); }, IdTick);
    m_tick.Start(TickMs);
    CallAfter([this] { sendWaitingLetters(); }); // what an earlier run left waiting
    Bind(
        wxEVT_TIMER, [this](wxTimerEvent&) { followStore(); }, IdFollowStore);
    m_follow.Start(FollowStoreMs);
    // The first time: who is writing, so that every edit carries a name.
    if (!m_session->store().setting("user.name"))
        CallAfter([this] { editSettings(); });
}

MainFrame::~MainFrame()
{
    m_follow.Stop();
    // Editors save in their destructors; close them while the session still exists. The sync
    // stops first: its last save is in the store and goes at the next start.
    if (m_sync)
        m_sync->stop();
    m_tabs->DeleteAllPages();
}

void MainFrame::startBackground()
{
    m_watch.emplace(m_session->store());
    // What the sync pulls reaches the views through the store watch, as any other writer's ops.
    m_sync = std::make_unique<SyncControl>(this, *m_session, StatusFieldSync);
    m_sync->onPresence = [this] { showPresence(); };
}

void MainFrame::buildMenus()
{
    auto* file = new wxMenu;
    file->Append(IdNewCase, _("&Ny sag …\tCtrl+N"));
    file->Append(IdSave, _("&Gem nu\tCtrl+S"));
    file->Append(IdCloseTab, _("&Luk fanen\tCtrl+W"));
    file->AppendSeparator();
    file->Append(wxID_PREFERENCES, _("&Indstillinger …"));
    file->Append(IdChangePassphrase, _("Skift &adgangskode …"));
    file->Append(IdLock, _("&Lås\tCtrl+L"));
    file->AppendSeparator();
    file->Append(wxID_EXIT, _("&Afslut\tCtrl+Q"));
    auto* edit = new wxMenu;
    edit->Append(wxID_UNDO, _("&Fortryd\tCtrl+Z"));
    edit->Append(wxID_REDO, _("&Gentag\tCtrl+Y"));
    edit->AppendSeparator();
    edit->Append(IdFind, _("&Søg i sager\tCtrl+F"));
    auto* document = new wxMenu;
    // One item per template in the catalogue, as the case overview's "Nyt dokument" button offers.
    auto* newDocument = new wxMenu;
    m_newDocuments = creatableTemplates(
        m_session->templates(), [this](const std::string& id) { return m_session->templateTitle(id); });
    m_newDocuments.resize(
        std::min<std::size_t>(m_newDocuments.size(), IdNewDocumentLast - IdNewDocument + 1));
    for (std::size_t i = 0; i < m_newDocuments.size(); ++i) {
        wxString title = toWx(m_newDocuments[i].title);
        title.Replace("&", "&&"); // a title's "&" is text, not a mnemonic
        newDocument->Append(IdNewDocument + static_cast<int>(i), title);
    }
    document->AppendSubMenu(newDocument, _("&Nyt dokument"));
    document->AppendSeparator();
    document->Append(IdChanges, _("Vis æn&dringer …"));
    document->Append(IdFinalize, _("&Færdiggør …\tCtrl+Shift+F"));
    document->Append(IdNextVersion, _("Start &næste version"));
    document->AppendSeparator();
    document->Append(IdOpenPdf, _("Åbn &PDF\tCtrl+Shift+P"));
    document->Append(IdPrint, _("&Udskriv …\tCtrl+P"));
    auto* syncMenu = new wxMenu;
    syncMenu->Append(IdSignIn, _("&Log ind …"));
    syncMenu->Append(IdSyncNow, _("&Synkroniser nu"));
    auto* help = new wxMenu;
    help->Append(IdGuide, _("&Brugervejledning\tF1"));
    help->Append(wxID_ABOUT, _("&Om Familieplan"));
    auto* bar = new wxMenuBar;
    bar->Append(file, _("&Filer"));
    bar->Append(edit, _("&Rediger"));
    bar->Append(document, _("&Dokument"));
    bar->Append(syncMenu, _("&Synkronisering"));
    bar->Append(help, _("&Hjælp"));
    SetMenuBar(bar);

    Bind(
        wxEVT_MENU, [this](wxCommandEvent&) { newCase(); }, IdNewCase);
    Bind(
        wxEVT_MENU, [this](wxCommandEvent&) { Close(); }, wxID_EXIT);
    Bind(
        wxEVT_MENU, [this](wxCommandEvent&) { CallAfter([this] { editSettings(); }); }, wxID_PREFERENCES);
    Bind(
        wxEVT_MENU, [this](wxCommandEvent&) { m_cases->focusSearch(); }, IdFind);
    Bind(
        wxEVT_MENU, [this](wxCommandEvent&) { CallAfter([this] { startNextVersion(); }); }, IdNextVersion);
    Bind(
        wxEVT_MENU, [this](wxCommandEvent&) { CallAfter([this] { lock(); }); }, IdLock);
    Bind(
        wxEVT_MENU, [this](wxCommandEvent&) { CallAfter([this] { changePassphrase(); }); },
        IdChangePassphrase);
    Bind(
        wxEVT_MENU, [this](wxCommandEvent&) { showUserGuide(); }, IdGuide);
    Bind(
        wxEVT_MENU,
        [this](wxCommandEvent&) {
            CallAfter([this] {
                if (m_sync)
                    m_sync->signIn();
            });
        },
        IdSignIn);
    Bind(
        wxEVT_MENU,
        [this](wxCommandEvent&) {
            if (m_sync)
                m_sync->request();
        },
        IdSyncNow);
    Bind(
        wxEVT_MENU,
        [this](wxCommandEvent&) {
            if (auto* e = currentEditor())
                e->undo();
        },
        wxID_UNDO);
    Bind(
        wxEVT_MENU,
        [this](wxCommandEvent&) {
            if (auto* e = currentEditor())
                e->redo();
        },
        wxID_REDO);
    Bind(
        wxEVT_MENU,
        [this](wxCommandEvent&) {
            if (auto* e = currentEditor())
                e->saveNow();
        },
        IdSave);
    Bind(
        wxEVT_MENU,
        [this](wxCommandEvent&) {
            if (auto* e = currentEditor())
                e->finalize();
        },
        IdFinalize);
    Bind(
        wxEVT_MENU,
        [this](wxCommandEvent&) {
            if (auto* e = currentEditor())
                e->showChanges();
        },
        IdChanges);
    Bind(
        wxEVT_MENU,
        [this](wxCommandEvent&) {
            if (auto* e = currentEditor())
                e->openPdf();
        },
        IdOpenPdf);
    Bind(
        wxEVT_MENU,
        [this](wxCommandEvent&) {
            if (auto* e = currentEditor())
                e->printPdf();
        },
        IdPrint);
    Bind(
        wxEVT_MENU,
        [this](wxCommandEvent&) {
            const int page = m_tabs->GetSelection();
            if (page <= 0)
                return;
            if (auto* editor = dynamic_cast<EditorPanel*>(m_tabs->GetPage(static_cast<size_t>(page))))
                editor->saveNow();
            m_tabs->DeletePage(static_cast<size_t>(page));
            updatePresence();
        },
        IdCloseTab);
    Bind(
        wxEVT_MENU,
        [this](wxCommandEvent& e) {
            const auto index = static_cast<std::size_t>(e.GetId() - IdNewDocument);
            if (index >= m_newDocuments.size())
                return;
            if (auto* o = overview())
                o->newDocument(m_newDocuments[index].templateId);
            else
                SetStatusText(_("Vælg først en sag."));
        },
        IdNewDocument, IdNewDocumentLast);
    Bind(
        wxEVT_MENU,
        [this](wxCommandEvent&) {
            wxAboutDialogInfo info;
            info.SetName(_("Familieplan"));
            info.SetDescription(
                _("Familieplaner, familiefaglige undersøgelser og dagsordener for familieteams."));
            info.SetLicence("EUPL-1.2");
            wxAboutBox(info, this);
        },
        wxID_ABOUT);
    Bind(
        wxEVT_UPDATE_UI, [this](wxUpdateUIEvent& e) { e.Enable(currentEditor() != nullptr); }, wxID_UNDO);
    Bind(
        wxEVT_UPDATE_UI, [this](wxUpdateUIEvent& e) { e.Enable(currentEditor() != nullptr); }, wxID_REDO);
}

void MainFrame::editSettings()
{
    if (!m_session)
        return;
    SettingsDialog dialog(this, m_session->store());
    if (dialog.ShowModal() == wxID_OK) {
        m_session->setAuthor(dialog.userName());
        m_idle.setMinutes(lockMinutes(m_session->store()), IdleLock::Clock::now());
    }
}

void MainFrame::used()
{
    m_idle.used(IdleLock::Clock::now());
}

void MainFrame::startNextVersion()
{
    if (auto* e = currentEditor())
        e->startNextVersion();
    else if (auto* o = overview(); o && m_tabs->GetCurrentPage() == o)
        o->startNextVersion();
    else
        SetStatusText(_("Åbn først sagen eller dokumentet."));
}

docgen::TemplateRegistry MainFrame::closeSession()
{
    wxWindowUpdateLocker noFlicker(m_tabs);
    while (m_tabs->GetPageCount() > 1) {
        if (auto* editor = dynamic_cast<EditorPanel*>(m_tabs->GetPage(1)))
            editor->saveNow();
        m_tabs->DeletePage(1); // an editor's destructor saves again and removes its PDFs
    }
    m_cases->setCases({});
    docgen::TemplateRegistry templates = m_session->templates();
    m_sync.reset(); // its connection closes before the store's last one
    m_watch.reset();
    m_session.reset(); // the store closes: its key leaves memory
    SetStatusText({}, 0);
    SetStatusText({}, OutboxField);
    SetStatusText({}, StatusFieldSync);
    static_cast<StatusBar*>(GetStatusBar())->setError(StatusFieldSync, false);
    return templates;
}

void MainFrame::openSession(std::shared_ptr<Store> store, docgen::TemplateRegistry templates,
    std::shared_ptr<StoreConnections> connections)
{
    const std::string author = app::defaultAuthor(*store);
    m_session
        = std::make_unique<Session>(std::move(store), std::move(templates), author, std::move(connections));
    startBackground();
    m_idle.setMinutes(lockMinutes(m_session->store()), IdleLock::Clock::now());
    reloadCases();
    m_cases->focusSearch();
    showOutboxStatus();
}

namespace {
// A modal dialog (a send, a handover) still works on the session: no lock under it.
bool modalDialogOpen()
{
    for (wxWindow* w : wxTopLevelWindows)
        if (auto* d = dynamic_cast<wxDialog*>(w); d && d->IsModal())
            return true;
    return false;
}
} // namespace

void MainFrame::lock()
{
    if (!m_session || modalDialogOpen())
        return;
    auto templates = closeSession();
    askPassphraseAgain(std::move(templates));
}

void MainFrame::askPassphraseAgain(docgen::TemplateRegistry templates)
{
    Hide(); // nothing of the cases shows while locked
    UnlockDialog unlock(nullptr, UnlockPresenter(m_storePath), "");
    if (unlock.ShowModal() != wxID_OK || !unlock.store()) {
        Close(true); // no passphrase, no program: everything is saved already
        return;
    }
    openSession(unlock.store(), std::move(templates), unlock.connections());
    Show();
    Raise();
}

void MainFrame::changePassphrase()
{
    if (!m_session || modalDialogOpen())
        return;
    std::string current, chosen;
    {
        UnlockDialog ask(this, UnlockPresenter(m_storePath), UnlockDialog::ChangePassphrase {});
        if (ask.ShowModal() != wxID_OK)
            return;
        current = ask.current();
        chosen = ask.chosen();
    } // its check opened the store once more; closed here
    auto templates = closeSession(); // the change needs the store to itself
    Disable();
    SetStatusText(_("Skifter adgangskode …"));
    struct Changed {
        std::string error;
        UnlockOutcome reopened;
    };
    runInBackground(
        this,
        [presenter = UnlockPresenter(m_storePath), current, chosen] {
            Changed c;
            c.error = presenter.changePassphrase(current, chosen);
            c.reopened = presenter.unlock(c.error.empty() ? chosen : current);
            return c;
        },
        [this, templates, current, chosen](const Changed& c) {
            Enable();
            SetStatusText({});
            if (!c.reopened.store) {
                if (!c.error.empty())
                    showError(this, c.error);
                askPassphraseAgain(templates);
                return;
            }
            const std::string& now = c.error.empty() ? chosen : current;
            openSession(c.reopened.store, templates,
                std::make_shared<StoreConnections>(m_storePath, crypto::SecretString(now)));
            if (!c.error.empty())
                showError(this, c.error);
            else
                wxMessageBox(_("Adgangskoden er skiftet. Brug den nye, næste gang Familieplan låses op."),
                    _("Skift adgangskode"), wxOK | wxICON_INFORMATION, this);
        });
}

void MainFrame::tick()
{
    if (m_session && m_idle.due(IdleLock::Clock::now()) && !modalDialogOpen()) {
        lock();
        return;
    }
    sendWaitingLetters();
}

void MainFrame::sendWaitingLetters()
{
    if (!m_session || m_sending)
        return;
    std::shared_ptr<delivery::Transport> transport;
    std::vector<delivery::ClaimedMessage> attempts;
    try {
        transport = delivery::transportFromSettings(m_session->store());
        // Claimed here, on the main thread with the store; only the network runs on the worker.
        attempts = delivery::claimDue(m_session->store(), delivery::unixNow());
    } catch (const Error&) {
        // No route set up (the send dialog says so), or the store is busy: the next minute tries again.
    }
    showOutboxStatus();
    if (attempts.empty())
        return;
    m_sending = true;
    SetStatusText(_("Sender breve …"), OutboxField);
    runInBackground(
        this, [transport, attempts] { return delivery::sendClaimed(*transport, attempts); },
        [this, attempts](const std::vector<delivery::SendOutcome>& outcomes) {
            m_sending = false;
            if (!m_session)
                return; // locked meanwhile: the claim runs out, and the letters are tried again
            try {
                delivery::recordOutcomes(m_session->store(), attempts, outcomes, {}, delivery::unixNow());
            } catch (const Error& e) {
                SetStatusText(toWx(e.what()), OutboxField);
                return;
            }
            showOutboxStatus();
            if (auto* o = overview())
                o->reload();
        });
}

void MainFrame::showOutboxStatus()
{
    try {
        SetStatusText(m_session ? toWx(outboxStatusText(m_session->store())) : wxString(), OutboxField);
    } catch (const Error&) {
    }
}

void MainFrame::showUserGuide()
{
    const auto guide = userGuidePath();
    if (!guide) {
        showError(this,
            tr("Brugervejledningen er ikke installeret på denne computer. Den følger med pakken "
               "fplan-desktop."));
        return;
    }
    if (!openWithDefaultProgram(guide->string()))
        showError(this,
            format(tr("Brugervejledningen ligger i {0}, men der er intet program til at vise den."),
                { guide->string() }));
}

void MainFrame::reloadCases()
{
    if (!m_session)
        return;
    try {
        m_cases->setCases(m_session->store().listCases());
    } catch (const Error& e) {
        showError(this, e.what());
    }
}

void MainFrame::followStore()
{
    StoreChanges changes;
    try {
        if (!m_watch)
            return; // locked
        changes = m_watch->poll();
    } catch (const Error& e) {
        SetStatusText(toWx(e.what())); // the next look tries again
        return;
    }
    if (changes.empty())
        return;
    if (changes.caseListChanged)
        reloadCases();
    for (size_t i = 0; i < m_tabs->GetPageCount(); ++i) {
        wxWindow* page = m_tabs->GetPage(i);
        if (auto* editor = dynamic_cast<EditorPanel*>(page)) {
            if (auto ops = changes.opsOf(editor->docId()); !ops.empty())
                editor->followStore(ops);
        } else if (auto* o = dynamic_cast<CaseOverviewPanel*>(page); o && changes.cases.count(o->caseId())) {
            o->reload();
        }
    }
}

void MainFrame::newCase()
{
    if (!m_session)
        return;
    NewCaseDialog dialog(this, m_session->store(), m_session->author());
    if (dialog.ShowModal() != wxID_OK)
        return;
    reloadCases();
    m_cases->select(dialog.caseId());
    openCase(dialog.caseId());
}

void MainFrame::addTab(wxWindow* page, const std::string& text, const std::string& tooltip)
{
    m_tabs->AddPage(page, toWx(shortTabTitle(text)), true);
#ifdef __WXGTK__
    // Short titles keep four tabs and "Start" in view; the whole title is the tab's tooltip.
    if (GtkWidget* label = gtk_notebook_get_tab_label(GTK_NOTEBOOK(m_tabs->GetHandle()), page->GetHandle()))
        gtk_widget_set_tooltip_text(label, tooltip.c_str());
#endif
}

CaseOverviewPanel* MainFrame::overview() const
{
    for (size_t i = 0; i < m_tabs->GetPageCount(); ++i)
        if (auto* o = dynamic_cast<CaseOverviewPanel*>(m_tabs->GetPage(i)))
            return o;
    return nullptr;
}

EditorPanel* MainFrame::currentEditor() const
{
    const int page = m_tabs->GetSelection();
    return page == wxNOT_FOUND ? nullptr
                               : dynamic_cast<EditorPanel*>(m_tabs->GetPage(static_cast<size_t>(page)));
}

void MainFrame::openCase(const std::string& caseId)
{
    if (!m_session)
        return;
    if (auto* o = overview(); o && o->caseId() == caseId) {
        m_tabs->SetSelection(static_cast<size_t>(m_tabs->FindPage(o)));
        return;
    }
    // One case at a time: its overview and its documents replace the previous case's tabs, but
    // open documents are closed only when the person says so.
    bool documentsOpen = false;
    for (size_t i = 1; i < m_tabs->GetPageCount(); ++i)
        documentsOpen = documentsOpen || dynamic_cast<EditorPanel*>(m_tabs->GetPage(i)) != nullptr;
    if (documentsOpen) {
        wxMessageDialog ask(this,
            _("Der er dokumenter åbne fra en anden sag. De er gemt, og de lukkes, når sagen skiftes."),
            _("Skift sag"), wxYES_NO | wxICON_QUESTION);
        ask.SetYesNoLabels(_("&Luk dokumenterne, og skift sag"), _("&Behold dokumenterne åbne"));
        if (ask.ShowModal() != wxID_YES) {
            if (auto* o = overview())
                m_cases->select(o->caseId()); // the list goes back to the case that stays open
            return;
        }
    }
    wxWindowUpdateLocker noFlicker(m_tabs);
    while (m_tabs->GetPageCount() > 1) {
        if (auto* editor = dynamic_cast<EditorPanel*>(m_tabs->GetPage(1)))
            editor->saveNow();
        m_tabs->DeletePage(1);
    }
    try {
        auto* panel = new CaseOverviewPanel(m_tabs, *m_session, caseId);
        panel->onOpenDocument = [this](const std::string& docId) { openDocument(docId); };
        panel->onNewDraft = [this](const std::string& docId) {
            // An editor already open on it shows the old draft: it saves and opens anew.
            for (size_t i = 0; i < m_tabs->GetPageCount(); ++i)
                if (auto* e = dynamic_cast<EditorPanel*>(m_tabs->GetPage(i)); e && e->docId() == docId) {
                    e->saveNow();
                    m_tabs->DeletePage(i);
                    break;
                }
            openDocument(docId);
        };
        const std::string title = m_session->documents().openCase(caseId).title;
        addTab(panel, title, title);
        // The list shows which case is open; focus coming into the list stays on it (GTK selects
        // the first row when nothing is selected, which would open that case instead).
        m_cases->select(caseId);
    } catch (const Error& e) {
        showError(this, e.what());
    }
}

void MainFrame::openDocument(const std::string& docId)
{
    if (!m_session)
        return;
    for (size_t i = 0; i < m_tabs->GetPageCount(); ++i)
        if (auto* e = dynamic_cast<EditorPanel*>(m_tabs->GetPage(i)); e && e->docId() == docId) {
            m_tabs->SetSelection(i);
            return;
        }
    try {
        wxBusyCursor busy;
        const auto started = std::chrono::steady_clock::now();
        auto* editor = new EditorPanel(m_tabs, *m_session, docId);
        editor->onSaved = [this] {
            if (auto* o = overview())
                o->reload();
            if (m_sync)
                m_sync->request();
        };
        editor->onWriting = [this](const std::string& section) { updatePresence(section); };
        addTab(editor, editor->tabTitle(false), editor->tabTitle(true));
        showPresence();
        if (std::getenv("FPLAN_TIMING"))
            std::fprintf(stderr, "fplan-desktop: editor for %s built in %lld ms\n", docId.c_str(),
                static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(
                    std::chrono::steady_clock::now() - started)
                                           .count()));
    } catch (const Error& e) {
        showError(this, e.what());
    }
}

void MainFrame::updatePresence(const std::string& section)
{
    if (!m_sync)
        return;
    if (const auto* editor = currentEditor())
        m_sync->setPresence(sync::Presence { editor->caseId(), editor->docId(), section });
    else
        m_sync->setPresence(std::nullopt);
}

void MainFrame::showPresence()
{
    if (!m_sync)
        return;
    for (size_t i = 0; i < m_tabs->GetPageCount(); ++i) {
        auto* editor = dynamic_cast<EditorPanel*>(m_tabs->GetPage(i));
        if (!editor)
            continue;
        // Accounts by the name the case's team gives them.
        std::map<std::string, std::string> names;
        try {
            for (const auto& member : m_session->documents().openCase(editor->caseId()).team)
                if (!member.user.empty())
                    names[member.user] = member.name;
        } catch (const Error&) {
            // The account name will do.
        }
        editor->showPresence(
            m_sync->presence().textFor(editor->docId(), editor->tmpl(), [&names](const std::string& account) {
                const auto it = names.find(account);
                return it == names.end() ? account : it->second;
            }));
    }
}

} // namespace fplan::gui
