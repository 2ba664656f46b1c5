// SPDX-License-Identifier: EUPL-1.2
#include "gui/main_frame.h"

#include "base/error.h"
#include "gui/accessibility.h"
#include "gui/case_list_panel.h"
#include "gui/case_overview_panel.h"
#include "gui/editor_panel.h"
#include "gui/new_case_dialog.h"
#include "gui/settings_dialog.h"
#include "gui/wx_util.h"

#include <wx/aboutdlg.h>
#include <wx/menu.h>
#include <wx/msgdlg.h>
#include <wx/notebook.h>
#include <wx/sizer.h>
#include <wx/splitter.h>
#include <wx/stattext.h>
#include <wx/wupdlock.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>

namespace fplan::gui {

namespace {
// How often the window looks for ops other connections stored: a co-author's edit shows within
// a second of reaching this store; a look that finds nothing is one indexed query.
constexpr int FollowStoreMs = 250;

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
    IdFollowStore, // the timer
};
} // namespace

MainFrame::MainFrame(std::unique_ptr<Session> session)
    : wxFrame(nullptr, wxID_ANY, _("Familieplan"), wxDefaultPosition, wxSize(1240, 780))
    , m_session(std::move(session))
    , m_watch(m_session->store())
    , m_follow(this, IdFollowStore)
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
    CreateStatusBar();
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
    document->AppendSeparator();
    document->Append(IdOpenPdf, _("Åbn &PDF\tCtrl+Shift+P"));
    document->Append(IdPrint, _("&Udskriv …\tCtrl+P"));
    auto* help = new wxMenu;
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
    SettingsDialog dialog(this, m_session->store());
    if (dialog.ShowModal() == wxID_OK)
        m_session->setAuthor(dialog.userName());
}

void MainFrame::reloadCases()
{
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
        changes = m_watch.poll();
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
        m_tabs->AddPage(panel, toWx(m_session->documents().openCase(caseId).title), true);
    } catch (const Error& e) {
        showError(this, e.what());
    }
}

void MainFrame::openDocument(const std::string& docId)
{
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
