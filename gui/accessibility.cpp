// SPDX-License-Identifier: EUPL-1.2
#include "gui/accessibility.h"

#include <wx/window.h>

#ifdef __WXGTK__
#include <gtk/gtk.h>
#endif

namespace fplan::gui {

#ifdef __WXGTK__
namespace {
void nameWidget(GtkWidget* widget, const char* name)
{
    if (!widget)
        return;
    if (AtkObject* accessible = gtk_widget_get_accessible(widget))
        atk_object_set_name(accessible, name);
}
} // namespace
#endif

void setAccessibleName(wxWindow* window, const wxString& name)
{
    if (!window)
        return;
    window->SetName(name);
#ifdef __WXGTK__
    const wxScopedCharBuffer utf8 = name.utf8_str();
    GtkWidget* widget = window->GetHandle();
    nameWidget(widget, utf8.data());
    // Multi-line text and lists live inside a GtkScrolledWindow; the screen reader sees the child.
    if (widget && GTK_IS_SCROLLED_WINDOW(widget))
        nameWidget(gtk_bin_get_child(GTK_BIN(widget)), utf8.data());
    GtkWidget* connect = window->GetConnectWidget();
    if (connect && connect != widget)
        nameWidget(connect, utf8.data());
    // Composite controls (the date picker is a combo with a text entry inside) carry the name
    // down to the entry a screen reader lands in.
    for (wxWindow* child : window->GetChildren()) {
        GtkWidget* inner = child->GetHandle();
        if (inner && GTK_IS_ENTRY(inner))
            nameWidget(inner, utf8.data());
        for (wxWindow* grandchild : child->GetChildren())
            if (GtkWidget* entry = grandchild->GetHandle(); entry && GTK_IS_ENTRY(entry))
                nameWidget(entry, utf8.data());
    }
#endif
}

} // namespace fplan::gui
