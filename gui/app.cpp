// SPDX-License-Identifier: EUPL-1.2
#include "base/error.h"
#include "base/paths.h"
#include "base/process.h"
#include "gui/accessibility.h"
#include "gui/main_frame.h"
#include "gui/main_thread.h"
#include "gui/private_pdf.h"
#include "gui/session.h"
#include "gui/unlock_dialog.h"
#include "gui/wx_util.h"

#include <wx/app.h>
#include <wx/cmdline.h>
#include <wx/dialog.h>
#include <wx/filename.h>
#include <wx/intl.h>
#include <wx/log.h>
#include <wx/msgdlg.h>
#include <wx/stdpaths.h>
#include <wx/translation.h>
#include <wx/uilocale.h>

#ifdef __WXGTK__
#include <glib-unix.h>
#endif

#include <chrono>
#include <clocale>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string_view>
#include <thread>

namespace fplan::gui {

namespace {

using Clock = std::chrono::steady_clock;

// The C/POSIX locale names no language (a bare server, a kiosk, Xvfb): the program is Danish.
bool systemLanguageUnset()
{
    for (const char* name : { "LC_ALL", "LC_MESSAGES", "LANG" }) {
        const char* value = std::getenv(name);
        if (value && *value) {
            const std::string v(value);
            return v == "C" || v == "POSIX" || v.rfind("C.", 0) == 0;
        }
    }
    return true;
}

// Danish unless the system (or --lang) asks for English; the catalogues sit beside the program
// in the build tree and under share/locale when installed. Returns whether the UI is Danish.
bool setUpTranslations(const wxString& language)
{
    const wxString exeDir = wxFileName(wxStandardPaths::Get().GetExecutablePath()).GetPath();
    wxFileTranslationsLoader::AddCatalogLookupPathPrefix(exeDir + "/locale");
    wxFileTranslationsLoader::AddCatalogLookupPathPrefix(exeDir + "/../share/locale");
    auto* translations = new wxTranslations;
    if (!language.empty())
        translations->SetLanguage(language);
    wxTranslations::Set(translations);
    translations->AddStdCatalog();
    translations->AddCatalog("fplan-desktop", wxLANGUAGE_DANISH);
    setTranslator([](const char* source) {
        const wxString* found = wxTranslations::Get()
            ? wxTranslations::Get()->GetTranslatedString(wxString::FromUTF8(source), "fplan-desktop")
            : nullptr;
        return found ? std::string(found->utf8_str()) : std::string(source);
    });
    setPluralTranslator([](const char* singular, const char* plural, unsigned long n) {
        const wxString* found = wxTranslations::Get() ? wxTranslations::Get()->GetTranslatedString(
                                    wxString::FromUTF8(singular), static_cast<unsigned>(n), "fplan-desktop")
                                                      : nullptr;
        return found ? std::string(found->utf8_str()) : std::string(n == 1 ? singular : plural);
    });
    return translations->GetBestTranslation("fplan-desktop", wxLANGUAGE_DANISH).StartsWith("da");
}

// SIGTERM (logout, shutdown, `kill`) closes the windows the normal way, so open editors save.
// wx calls this on the main thread, not inside the signal.
void closeOnTerminate(int)
{
    // A modal dialog runs a loop of its own: closing the main window under it would destroy what
    // the dialog works on. Cancel every modal dialog first, and close the window once their loops
    // have returned.
    bool modal = false;
    for (wxWindow* w : wxTopLevelWindows)
        if (auto* dialog = dynamic_cast<wxDialog*>(w); dialog && dialog->IsModal()) {
            dialog->EndModal(wxID_CANCEL);
            modal = true;
        }
    if (modal) {
        wxTheApp->CallAfter([] { closeOnTerminate(SIGTERM); });
        return;
    }
    if (wxWindow* top = wxTheApp->GetTopWindow())
        top->Close(true);
    else
        wxTheApp->ExitMainLoop();
}

#ifdef __WXGTK__
// wx's own SetSignalHandler wakes the loop with a call that is not safe in a signal handler, and
// an idle GTK loop then never notices; GLib's signal source is made for exactly this.
gboolean onTerminateSignal(gpointer)
{
    closeOnTerminate(SIGTERM);
    wxWakeUpIdle(); // the frame is destroyed in idle time, which an idle loop must be told of
    return G_SOURCE_CONTINUE;
}
#endif

} // namespace

class App : public wxApp {
public:
    bool OnInit() override;
    int OnExit() override;
    int FilterEvent(wxEvent& event) override;
    void OnInitCmdLine(wxCmdLineParser& parser) override;
    bool OnCmdLineParsed(wxCmdLineParser& parser) override;

private:
    Clock::time_point m_start = Clock::now();
    std::filesystem::path m_store = fplan::defaultStorePath(); // the CLI's default too
    std::optional<std::filesystem::path> m_templates;
    wxString m_language;
    std::unique_ptr<wxLocale> m_locale;
    std::string m_openCase;
    std::string m_openDocument;
};

void App::OnInitCmdLine(wxCmdLineParser& parser)
{
    parser.AddOption("s", "store", "the case store file (default $FPLAN_STORE)");
    parser.AddOption("t", "templates", "the template folder");
    parser.AddOption(
        "l", "lang", "user interface language: da or en (default: $FPLAN_LANG, else the system's)");
    parser.AddOption("c", "case", "open this case at start");
    parser.AddOption("d", "document", "open this document (and its case) at start");
    // Listed for --help only: main() answers --version before wx starts.
    parser.AddSwitch("", "version", "print the version and exit (needs no display)");
    parser.AddSwitch("h", "help", "show this help", wxCMD_LINE_OPTION_HELP);
}

bool App::OnCmdLineParsed(wxCmdLineParser& parser)
{
    wxString value;
    if (parser.Found("store", &value))
        m_store = fromWx(value);
    if (parser.Found("templates", &value))
        m_templates = std::filesystem::path(fromWx(value));
    if (parser.Found("lang", &value))
        m_language = value;
    else if (const char* env = std::getenv("FPLAN_LANG"); env && *env)
        m_language = env;
    if (m_language.empty() && systemLanguageUnset())
        m_language = "da";
    if (parser.Found("case", &value))
        m_openCase = fromWx(value);
    if (parser.Found("document", &value))
        m_openDocument = fromWx(value);
    return true;
}

bool App::OnInit()
{
    // Before any passphrase or family data is in memory: no core dumps, private files.
    try {
        hardenProcess();
    } catch (const Error& e) {
        std::fprintf(stderr, "fplan-desktop: %s\n", e.what());
        return false;
    }
    // PDFs an earlier run made for viewing or printing (a crash, a power cut) go now.
    try {
        clearPrivatePdfs();
    } catch (const Error&) {
        // A folder that is not ours is never written in either; nothing to clear.
    }
    wxUILocale::UseDefault();
    if (!wxApp::OnInit())
        return false;
    if (setUpTranslations(m_language)) {
        // A Danish UI gets Danish calendars, month names and sorting even on a machine set to
        // English (or to C, as under Xvfb). Without da_DK installed the system's stay, quietly.
        wxLogNull quiet;
        m_locale = std::make_unique<wxLocale>();
        if (!m_locale->Init(wxLANGUAGE_DANISH, 0))
            m_locale.reset();
    }
    // Below the GUI, numbers are read and written with a point (strtod, printf); a decimal comma
    // there would corrupt values silently.
    std::setlocale(LC_NUMERIC, "C");
    SetAppDisplayName(_("Familieplan"));
    installAccessibleDialogs();

    std::optional<docgen::TemplateRegistry> templates;
    try {
        templates = docgen::TemplateRegistry::locate(m_templates);
    } catch (const Error& e) {
        showError(nullptr, e.what());
        return false;
    }
    std::error_code ec;
    std::filesystem::create_directories(m_store.parent_path(), ec);

    const char* passphrase = std::getenv("FPLAN_PASSPHRASE");
    UnlockDialog unlock(nullptr, UnlockPresenter(m_store), passphrase ? passphrase : "");
    if (unlock.ShowModal() != wxID_OK || !unlock.store())
        return false;
    const auto unlocked = Clock::now();

    auto store = unlock.store();
    auto session = std::make_unique<Session>(
        store, std::move(*templates), app::defaultAuthor(*store), unlock.connections());
    std::string openCase = m_openCase;
    if (!m_openDocument.empty() && openCase.empty())
        if (const auto doc = store->document(m_openDocument))
            openCase = doc->caseId;
    auto* frame = new MainFrame(std::move(session));
    frame->Show();
    SetTopWindow(frame);
#if defined(__WXGTK__)
    g_unix_signal_add(SIGTERM, onTerminateSignal, nullptr);
#elif defined(__UNIX__)
    SetSignalHandler(SIGTERM, closeOnTerminate);
#endif
    if (!openCase.empty())
        frame->openCase(openCase);
    if (!m_openDocument.empty())
        frame->openDocument(m_openDocument);
    if (std::getenv("FPLAN_TIMING")) {
        // Measured when the window has painted once and takes input (docs/PERFORMANCE.md).
        CallAfter([start = m_start, unlocked, worker = unlock.unlockMilliseconds()] {
            const auto ms
                = [](auto d) { return std::chrono::duration_cast<std::chrono::milliseconds>(d).count(); };
            std::fprintf(stderr,
                "fplan-desktop: usable after %lld ms (until unlocked %lld ms, of which key derivation and "
                "opening on the worker %lld ms; main window %lld ms)\n",
                static_cast<long long>(ms(Clock::now() - start)),
                static_cast<long long>(ms(unlocked - start)), worker,
                static_cast<long long>(ms(Clock::now() - unlocked)));
        });
    }
    return true;
}

int App::FilterEvent(wxEvent& event)
{
    // Any key or click counts as use for the idle lock.
    const auto type = event.GetEventType();
    if (type == wxEVT_KEY_DOWN || type == wxEVT_LEFT_DOWN || type == wxEVT_RIGHT_DOWN
        || type == wxEVT_MOUSEWHEEL)
        if (auto* frame = dynamic_cast<MainFrame*>(GetTopWindow()))
            frame->used();
    return Event_Skip;
}

int App::OnExit()
{
    // A key derivation still running would call back into a dead app; give it a moment to end.
    for (int i = 0; i < 40 && runningBackgroundTasks() > 0; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    return wxApp::OnExit();
}

} // namespace fplan::gui

wxIMPLEMENT_APP_NO_MAIN(fplan::gui::App);

// `--version` is answered before wx starts GTK, so it works without a display (package checks).
int main(int argc, char** argv)
{
    for (int i = 1; i < argc; ++i)
        if (std::string_view(argv[i]) == "--version") {
            std::printf("fplan-desktop %s\n", FPLAN_VERSION);
            return 0;
        }
    return wxEntry(argc, argv);
}
