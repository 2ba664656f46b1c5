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
#include "gui/unlock_dialog.h"
#include "gui/wx_util.h"

#include <wx/aboutdlg.h>
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
#include <optional>

namespace fplan::gui {

namespace {
enum MenuId {
    IdNewCase = wxID_HIGHEST + 1,
    IdFind,
    IdNewInvestigation,
    IdNewPlan,
    IdNewAgenda,
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
constexpr int OutboxField = 1; // the status bar's field for letters waiting to be sent
} // namespace

MainFrame::MainFrame(std::unique_ptr<Session> session)
    : wxFrame(nullptr, wxID_ANY, _("Familieplan"), wxDefaultPosition, wxSize(1240, 780))
    , m_session(std::move(session))
    , m_storePath(m_session->store().path())
    , m_idle(lockMinutes(m_session->store()))
    , m_tick(this)
{
    SetTitle(_("Familieplan") + " – " + toWx(m_session->store().path().filename().string()));
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
    splitter->SplitVertically(m_cases, m_tabs, FromDIP(460));
    splitter->SetMinimumPaneSize(FromDIP(200));
    CreateStatusBar(2);
    buildMenus();

    // Save while the window can still say what went wrong; the editors' destructors only retry.
    Bind(wxEVT_CLOSE_WINDOW, [this](wxCloseEvent& e) {
        for (size_t i = 0; i < m_tabs->GetPageCount(); ++i)
            if (auto* editor = dynamic_cast<EditorPanel*>(m_tabs->GetPage(i)))
                editor->saveNow();
        e.Skip();
    });
    m_cases->onOpen = [this](const std::string& caseId) { openCase(caseId); };
    // Later, not inside the click: a modal loop inside an AT-SPI "click" would block the caller.
    m_cases->onNewCase = [this] { CallAfter([this] { newCase(); }); };
    reloadCases();
    m_cases->focusSearch();
    Bind(wxEVT_TIMER, [this](wxTimerEvent&) { tick(); });
    m_tick.Start(TickMs);
    CallAfter([this] { sendWaitingLetters(); }); // what an earlier run left waiting
    // The first time: who is writing, so that every edit carries a name.
    if (!m_session->store().setting("user.name"))
        CallAfter([this] { editSettings(); });
}

MainFrame::~MainFrame()
{
    // Editors save in their destructors; close them while the session still exists.
    m_tabs->DeleteAllPages();
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
    document->Append(IdNewInvestigation, _("Ny familiefaglig &undersøgelse"));
    document->Append(IdNewPlan, _("Ny &familieplan"));
    document->Append(IdNewAgenda, _("Ny &dagsorden\tCtrl+Shift+D"));
    document->AppendSeparator();
    document->Append(IdChanges, _("Vis æn&dringer …"));
    document->Append(IdFinalize, _("&Færdiggør …\tCtrl+Shift+F"));
    document->Append(IdNextVersion, _("Start &næste version"));
    document->AppendSeparator();
    document->Append(IdOpenPdf, _("Åbn &PDF\tCtrl+Shift+P"));
    document->Append(IdPrint, _("&Udskriv …\tCtrl+P"));
    auto* help = new wxMenu;
    help->Append(IdGuide, _("&Brugervejledning\tF1"));
    help->Append(wxID_ABOUT, _("&Om Familieplan"));
    auto* bar = new wxMenuBar;
    bar->Append(file, _("&Filer"));
    bar->Append(edit, _("&Rediger"));
    bar->Append(document, _("&Dokument"));
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
        },
        IdCloseTab);
    auto newDocument = [this](const char* templateId) {
        if (auto* o = overview())
            o->newDocument(templateId);
        else
            SetStatusText(_("Vælg først en sag."));
    };
    Bind(
        wxEVT_MENU, [newDocument](wxCommandEvent&) { newDocument("familiefaglig-undersoegelse"); },
        IdNewInvestigation);
    Bind(
        wxEVT_MENU, [newDocument](wxCommandEvent&) { newDocument("familieplan"); }, IdNewPlan);
    Bind(
        wxEVT_MENU, [newDocument](wxCommandEvent&) { newDocument("opfoelgningsmoede"); }, IdNewAgenda);
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
    m_session.reset(); // the store closes: its key leaves memory
    SetStatusText({}, 0);
    SetStatusText({}, OutboxField);
    return templates;
}

void MainFrame::openSession(std::shared_ptr<Store> store, docgen::TemplateRegistry templates)
{
    const std::string author = app::defaultAuthor(*store);
    m_session = std::make_unique<Session>(std::move(store), std::move(templates), author);
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
    openSession(unlock.store(), std::move(templates));
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
        [this, templates](const Changed& c) {
            Enable();
            SetStatusText({});
            if (!c.reopened.store) {
                if (!c.error.empty())
                    showError(this, c.error);
                askPassphraseAgain(templates);
                return;
            }
            openSession(c.reopened.store, templates);
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
    wxWindowUpdateLocker noFlicker(m_tabs);
    // One case at a time: its overview and its documents replace the previous case's tabs.
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
        m_tabs->AddPage(panel, toWx(m_session->documents().openCase(caseId).title), true);
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
        };
        m_tabs->AddPage(editor, editor->tabTitle(), true);
        if (std::getenv("FPLAN_TIMING"))
            std::fprintf(stderr, "fplan-desktop: editor for %s built in %lld ms\n", docId.c_str(),
                static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(
                    std::chrono::steady_clock::now() - started)
                                           .count()));
    } catch (const Error& e) {
        showError(this, e.what());
    }
}

} // namespace fplan::gui
