// SPDX-License-Identifier: EUPL-1.2
#include "gui/print_pdf.h"

#include "gui/private_pdf.h"

#include <wx/toplevel.h>
#include <wx/window.h>

#ifdef __WXGTK__
#include <gtk/gtk.h>
#include <gtk/gtkunixprint.h>
#endif

namespace fplan::gui {

#ifdef __WXGTK__
namespace {
void jobDone(GtkPrintJob* job, gpointer file, const GError*)
{
    g_object_unref(job); // the last reference; a failure shows in the system's print queue
    removePrivatePdfs({ static_cast<const char*>(file) }); // printed: the copy is not kept
    g_free(file);
}
} // namespace
#endif

bool printPdfFile(wxWindow* parent, const std::string& file, const std::string& title)
{
#ifdef __WXGTK__
    wxWindow* top = parent ? wxGetTopLevelParent(parent) : nullptr;
    GtkWindow* owner = top && top->GetHandle() ? GTK_WINDOW(top->GetHandle()) : nullptr;
    GtkWidget* dialog = gtk_print_unix_dialog_new(title.c_str(), owner);
    gtk_print_unix_dialog_set_manual_capabilities(GTK_PRINT_UNIX_DIALOG(dialog),
        static_cast<GtkPrintCapabilities>(GTK_PRINT_CAPABILITY_COPIES | GTK_PRINT_CAPABILITY_COLLATE));
    bool sent = false;
    bool printing = false;
    if (gtk_dialog_run(GTK_DIALOG(dialog)) == GTK_RESPONSE_OK) {
        auto* chooser = GTK_PRINT_UNIX_DIALOG(dialog);
        GtkPrinter* printer = gtk_print_unix_dialog_get_selected_printer(chooser);
        if (printer && gtk_printer_accepts_pdf(printer)) {
            GtkPrintSettings* settings = gtk_print_unix_dialog_get_settings(chooser); // a new reference
            GtkPrintJob* job = gtk_print_job_new(
                title.c_str(), printer, settings, gtk_print_unix_dialog_get_page_setup(chooser));
            g_object_unref(settings);
            GError* error = nullptr;
            if (gtk_print_job_set_source_file(job, file.c_str(), &error)) {
                gtk_print_job_send(job, jobDone, g_strdup(file.c_str()), nullptr);
                sent = true;
                printing = true;
            } else {
                g_clear_error(&error);
                g_object_unref(job);
            }
        }
    } else {
        sent = true; // cancelled by the person: nothing to fall back to
    }
    gtk_widget_destroy(dialog);
    if (!printing)
        removePrivatePdfs({ file });
    return sent;
#else
    (void)parent;
    (void)file;
    (void)title;
    return false;
#endif
}

bool havePdfViewer()
{
#ifdef __WXGTK__
    GAppInfo* app = g_app_info_get_default_for_type("application/pdf", FALSE);
    if (!app)
        return false;
    g_object_unref(app);
    return true;
#else
    return false;
#endif
}

bool openWithDefaultProgram(const std::string& file)
{
#ifdef __WXGTK__
    gchar* uri = g_filename_to_uri(file.c_str(), nullptr, nullptr);
    if (!uri)
        return false;
    GError* error = nullptr;
    const bool started = g_app_info_launch_default_for_uri(uri, nullptr, &error);
    g_clear_error(&error);
    g_free(uri);
    return started;
#else
    (void)file;
    return false;
#endif
}

bool openPdfViewer(const std::string& file)
{
    return havePdfViewer() && openWithDefaultProgram(file);
}

} // namespace fplan::gui
