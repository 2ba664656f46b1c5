// SPDX-License-Identifier: EUPL-1.2
#include "gui/accessibility.h"

#include <wx/dialog.h>
#include <wx/grid.h>
#include <wx/toplevel.h>
#include <wx/window.h>

#ifdef __WXGTK__
#include <gtk/gtk-a11y.h>
#include <gtk/gtk.h>

#include <algorithm>
#include <functional>
#include <map>
#include <string>
#include <vector>
#endif

namespace fplan::gui {

#ifdef __WXGTK__
namespace {

// The GTK widgets a screen reader lands on for `window`: its own widget, the widget inside a
// GtkScrolledWindow (multi-line text, lists), and the text entry inside composite controls
// (the date picker is a combo with an entry inside).
void forEachWidget(wxWindow* window, const std::function<void(GtkWidget*)>& fn)
{
    GtkWidget* widget = window->GetHandle();
    if (widget)
        fn(widget);
    if (widget && GTK_IS_SCROLLED_WINDOW(widget))
        if (GtkWidget* child = gtk_bin_get_child(GTK_BIN(widget)))
            fn(child);
    GtkWidget* connect = window->GetConnectWidget();
    if (connect && connect != widget)
        fn(connect);
    for (wxWindow* child : window->GetChildren()) {
        GtkWidget* inner = child->GetHandle();
        if (inner && GTK_IS_ENTRY(inner))
            fn(inner);
        for (wxWindow* grandchild : child->GetChildren())
            if (GtkWidget* entry = grandchild->GetHandle(); entry && GTK_IS_ENTRY(entry))
                fn(entry);
    }
}

AtkObject* accessibleOf(GtkWidget* widget)
{
    return widget ? gtk_widget_get_accessible(widget) : nullptr;
}

// --- States GTK does not know about: REQUIRED, and FOCUSED for a control focused inside.
// ATK has no call that adds a state to an object, so the state set of the object's class is
// wrapped once; the wrapper adds the states flagged on the object itself.

constexpr const char* RequiredKey = "fplan-required";
constexpr const char* FocusWithinKey = "fplan-focus-within";

using RefStateSet = AtkStateSet* (*)(AtkObject*);
std::map<GType, RefStateSet>& originalStateSets()
{
    static std::map<GType, RefStateSet> originals;
    return originals;
}

bool focusIsWithin(GtkWidget* widget)
{
    GtkWidget* top = gtk_widget_get_toplevel(widget);
    if (!GTK_IS_WINDOW(top))
        return false;
    GtkWidget* focus = gtk_window_get_focus(GTK_WINDOW(top));
    return focus && (focus == widget || gtk_widget_is_ancestor(focus, widget));
}

// The classes' own functions chain up to their parent class's, which may be wrapped as well:
// a call for the same object while one is running comes from the class at `level` chaining up.
struct StateSetCall {
    AtkObject* object;
    GType level;
};
std::vector<StateSetCall>& stateSetCalls()
{
    static std::vector<StateSetCall> calls; // ATK runs on the main thread only
    return calls;
}

AtkStateSet* refStateSetWithFlags(AtkObject* object)
{
    const bool outermost = stateSetCalls().empty() || stateSetCalls().back().object != object;
    RefStateSet original = nullptr;
    GType level = 0;
    for (GType t = outermost ? G_OBJECT_TYPE(object) : g_type_parent(stateSetCalls().back().level);
         t && !original; t = g_type_parent(t))
        if (auto it = originalStateSets().find(t); it != originalStateSets().end()) {
            original = it->second;
            level = t;
        }
    AtkStateSet* set = nullptr;
    if (original) {
        stateSetCalls().push_back({ object, level });
        set = original(object);
        stateSetCalls().pop_back();
    } else {
        set = atk_state_set_new();
    }
    if (!outermost)
        return set;
    if (g_object_get_data(G_OBJECT(object), RequiredKey))
        atk_state_set_add_state(set, ATK_STATE_REQUIRED);
    if (g_object_get_data(G_OBJECT(object), FocusWithinKey) && GTK_IS_ACCESSIBLE(object))
        if (GtkWidget* widget = gtk_accessible_get_widget(GTK_ACCESSIBLE(object));
            widget && focusIsWithin(widget))
            atk_state_set_add_state(set, ATK_STATE_FOCUSED);
    return set;
}

void flagState(AtkObject* object, const char* key)
{
    if (!object)
        return;
    g_object_set_data(G_OBJECT(object), key, GINT_TO_POINTER(1));
    AtkObjectClass* klass = ATK_OBJECT_GET_CLASS(object);
    if (klass->ref_state_set != refStateSetWithFlags) {
        originalStateSets()[G_TYPE_FROM_CLASS(klass)] = klass->ref_state_set;
        klass->ref_state_set = refStateSetWithFlags;
    }
}

struct FocusWithin {
    GtkWidget* outer;
    std::function<void()> onFocus;
};

gboolean onInnerFocus(GtkWidget*, GdkEvent* event, gpointer data)
{
    auto* within = static_cast<FocusWithin*>(data);
    if (AtkObject* object = accessibleOf(within->outer))
        atk_object_notify_state_change(object, ATK_STATE_FOCUSED, event->focus_change.in);
    if (event->focus_change.in && within->onFocus)
        within->onFocus();
    return FALSE;
}

void connectInnerFocus(GtkWidget* inner, gpointer data)
{
    g_signal_connect(inner, "focus-in-event", G_CALLBACK(onInnerFocus), data);
    g_signal_connect(inner, "focus-out-event", G_CALLBACK(onInnerFocus), data);
    if (GTK_IS_CONTAINER(inner))
        gtk_container_forall(GTK_CONTAINER(inner), connectInnerFocus, data);
}

// --- The grid as an ATK table.

struct TableData {
    wxGrid* grid = nullptr;
    std::string name;
    std::vector<AtkObject*> cells; // row-major, made when first asked for
    std::vector<AtkObject*> headers; // one per column
    std::vector<std::string> headerTexts;
};

struct FplanTable {
    GtkWidgetAccessible parent;
    TableData* data;
};
struct FplanTableClass {
    GtkWidgetAccessibleClass parent;
};

struct FplanCell {
    AtkObject parent;
    TableData* data; // cleared when the table goes away
    int row;
    int col;
};
struct FplanCellClass {
    AtkObjectClass parent;
};

gpointer tableParentClass = nullptr;
gpointer cellParentClass = nullptr;
GType tableType();
GType cellType();

FplanTable* asTable(gpointer p)
{
    return reinterpret_cast<FplanTable*>(p);
}
FplanCell* asCell(gpointer p)
{
    return reinterpret_cast<FplanCell*>(p);
}

// The grid, while its window still exists (ATK may keep the object longer than wx the grid).
wxGrid* liveGrid(AtkObject* table)
{
    if (!gtk_accessible_get_widget(GTK_ACCESSIBLE(table)))
        return nullptr;
    return asTable(table)->data ? asTable(table)->data->grid : nullptr;
}

int rowsOf(wxGrid* grid)
{
    return grid ? grid->GetNumberRows() : 0;
}
int colsOf(wxGrid* grid)
{
    return grid ? grid->GetNumberCols() : 0;
}

AtkObject* cellAt(AtkObject* table, int row, int col)
{
    wxGrid* grid = liveGrid(table);
    if (!grid || row < 0 || col < 0 || row >= rowsOf(grid) || col >= colsOf(grid))
        return nullptr;
    TableData& data = *asTable(table)->data;
    const std::size_t index = static_cast<std::size_t>(row * colsOf(grid) + col);
    if (data.cells.size() <= index)
        data.cells.resize(index + 1, nullptr);
    AtkObject*& cell = data.cells[index];
    if (!cell || asCell(cell)->row != row || asCell(cell)->col != col) {
        if (cell) {
            asCell(cell)->data = nullptr;
            g_object_unref(cell);
        }
        cell = ATK_OBJECT(g_object_new(cellType(), nullptr));
        asCell(cell)->data = &data;
        asCell(cell)->row = row;
        asCell(cell)->col = col;
        atk_object_set_role(cell, ATK_ROLE_TABLE_CELL);
        atk_object_set_parent(cell, table);
    }
    atk_object_set_name(cell, grid->GetCellValue(row, col).utf8_str().data());
    return cell;
}

AtkObject* headerAt(AtkObject* table, int col)
{
    wxGrid* grid = liveGrid(table);
    if (!grid || col < 0 || col >= colsOf(grid))
        return nullptr;
    TableData& data = *asTable(table)->data;
    const std::size_t index = static_cast<std::size_t>(col);
    if (data.headers.size() <= index) {
        data.headers.resize(index + 1, nullptr);
        data.headerTexts.resize(index + 1);
    }
    AtkObject*& header = data.headers[index];
    if (!header) {
        header = ATK_OBJECT(g_object_new(ATK_TYPE_OBJECT, nullptr));
        atk_object_set_role(header, ATK_ROLE_COLUMN_HEADER);
        atk_object_set_parent(header, table);
    }
    data.headerTexts[index] = grid->GetColLabelValue(col).utf8_str().data();
    atk_object_set_name(header, data.headerTexts[index].c_str());
    return header;
}

gint tableChildren(AtkObject* table)
{
    wxGrid* grid = liveGrid(table);
    return rowsOf(grid) * colsOf(grid);
}

AtkObject* tableChild(AtkObject* table, gint index)
{
    wxGrid* grid = liveGrid(table);
    const int cols = colsOf(grid);
    if (cols == 0)
        return nullptr;
    AtkObject* cell = cellAt(table, index / cols, index % cols);
    return cell ? ATK_OBJECT(g_object_ref(cell)) : nullptr;
}

const gchar* tableName(AtkObject* table)
{
    if (asTable(table)->data && !asTable(table)->data->name.empty())
        return asTable(table)->data->name.c_str();
    return ATK_OBJECT_CLASS(tableParentClass)->get_name(table);
}

bool focusInGrid(wxGrid* grid)
{
    wxWindow* focus = wxWindow::FindFocus();
    return grid && focus && (focus == grid || grid->IsDescendant(focus));
}

AtkStateSet* tableStates(AtkObject* table)
{
    AtkStateSet* set = ATK_OBJECT_CLASS(tableParentClass)->ref_state_set(table);
    atk_state_set_add_state(set, ATK_STATE_FOCUSABLE);
    if (focusInGrid(liveGrid(table)))
        atk_state_set_add_state(set, ATK_STATE_FOCUSED);
    return set;
}

void tableFinalize(GObject* object)
{
    if (TableData* data = asTable(object)->data) {
        for (AtkObject* cell : data->cells)
            if (cell) {
                asCell(cell)->data = nullptr;
                g_object_unref(cell);
            }
        for (AtkObject* header : data->headers)
            if (header)
                g_object_unref(header);
        delete data;
        asTable(object)->data = nullptr;
    }
    G_OBJECT_CLASS(tableParentClass)->finalize(object);
}

void tableClassInit(gpointer klass, gpointer)
{
    tableParentClass = g_type_class_peek_parent(klass);
    G_OBJECT_CLASS(klass)->finalize = tableFinalize;
    ATK_OBJECT_CLASS(klass)->get_n_children = tableChildren;
    ATK_OBJECT_CLASS(klass)->ref_child = tableChild;
    ATK_OBJECT_CLASS(klass)->get_name = tableName;
    ATK_OBJECT_CLASS(klass)->ref_state_set = tableStates;
}

void tableInterfaceInit(gpointer iface, gpointer)
{
    auto* table = static_cast<AtkTableIface*>(iface);
    table->ref_at = [](AtkTable* t, gint row, gint col) -> AtkObject* {
        AtkObject* cell = cellAt(ATK_OBJECT(t), row, col);
        return cell ? ATK_OBJECT(g_object_ref(cell)) : nullptr;
    };
    table->get_index_at
        = [](AtkTable* t, gint row, gint col) -> gint { return row * colsOf(liveGrid(ATK_OBJECT(t))) + col; };
    table->get_column_at_index = [](AtkTable* t, gint index) -> gint {
        const int cols = colsOf(liveGrid(ATK_OBJECT(t)));
        return cols ? index % cols : -1;
    };
    table->get_row_at_index = [](AtkTable* t, gint index) -> gint {
        const int cols = colsOf(liveGrid(ATK_OBJECT(t)));
        return cols ? index / cols : -1;
    };
    table->get_n_columns = [](AtkTable* t) -> gint { return colsOf(liveGrid(ATK_OBJECT(t))); };
    table->get_n_rows = [](AtkTable* t) -> gint { return rowsOf(liveGrid(ATK_OBJECT(t))); };
    table->get_column_description = [](AtkTable* t, gint col) -> const gchar* {
        AtkObject* header = headerAt(ATK_OBJECT(t), col);
        return header ? asTable(t)->data->headerTexts[static_cast<std::size_t>(col)].c_str() : nullptr;
    };
    table->get_column_header
        = [](AtkTable* t, gint col) -> AtkObject* { return headerAt(ATK_OBJECT(t), col); };
}

GType tableType()
{
    static GType type = 0;
    if (!type) {
        type = g_type_register_static_simple(GTK_TYPE_WIDGET_ACCESSIBLE, "FplanGridTableAccessible",
            sizeof(FplanTableClass), tableClassInit, sizeof(FplanTable), nullptr, GTypeFlags(0));
        const GInterfaceInfo table { tableInterfaceInit, nullptr, nullptr };
        g_type_add_interface_static(type, ATK_TYPE_TABLE, &table);
    }
    return type;
}

gint cellIndex(AtkObject* cell)
{
    FplanCell* c = asCell(cell);
    if (!c->data || !c->data->grid)
        return -1;
    return c->row * c->data->grid->GetNumberCols() + c->col;
}

AtkStateSet* cellStates(AtkObject* cell)
{
    AtkStateSet* set = atk_state_set_new();
    FplanCell* c = asCell(cell);
    if (!c->data || !c->data->grid) {
        atk_state_set_add_state(set, ATK_STATE_DEFUNCT);
        return set;
    }
    for (auto state : { ATK_STATE_VISIBLE, ATK_STATE_SHOWING, ATK_STATE_FOCUSABLE, ATK_STATE_SELECTABLE,
             ATK_STATE_TRANSIENT, ATK_STATE_ENABLED, ATK_STATE_SENSITIVE })
        atk_state_set_add_state(set, state);
    wxGrid* grid = c->data->grid;
    if (grid->GetGridCursorRow() == c->row && grid->GetGridCursorCol() == c->col) {
        atk_state_set_add_state(set, ATK_STATE_SELECTED);
        if (focusInGrid(grid))
            atk_state_set_add_state(set, ATK_STATE_FOCUSED);
    }
    return set;
}

void cellClassInit(gpointer klass, gpointer)
{
    cellParentClass = g_type_class_peek_parent(klass);
    ATK_OBJECT_CLASS(klass)->get_index_in_parent = cellIndex;
    ATK_OBJECT_CLASS(klass)->ref_state_set = cellStates;
}

void cellInterfaceInit(gpointer iface, gpointer)
{
    auto* cell = static_cast<AtkTableCellIface*>(iface);
    cell->get_position = [](AtkTableCell* c, gint* row, gint* col) -> gboolean {
        *row = asCell(c)->row;
        *col = asCell(c)->col;
        return TRUE;
    };
    cell->get_table = [](AtkTableCell* c) -> AtkObject* {
        AtkObject* table = atk_object_get_parent(ATK_OBJECT(c));
        return table ? ATK_OBJECT(g_object_ref(table)) : nullptr;
    };
    cell->get_column_span = [](AtkTableCell*) -> gint { return 1; };
    cell->get_row_span = [](AtkTableCell*) -> gint { return 1; };
    cell->get_column_header_cells = [](AtkTableCell* c) -> GPtrArray* {
        GPtrArray* headers = g_ptr_array_new_with_free_func(g_object_unref);
        AtkObject* table = atk_object_get_parent(ATK_OBJECT(c));
        if (AtkObject* header = table && asCell(c)->data ? headerAt(table, asCell(c)->col) : nullptr)
            g_ptr_array_add(headers, g_object_ref(header));
        return headers;
    };
    cell->get_row_header_cells
        = [](AtkTableCell*) -> GPtrArray* { return g_ptr_array_new_with_free_func(g_object_unref); };
}

void cellComponentInit(gpointer iface, gpointer)
{
    auto* component = static_cast<AtkComponentIface*>(iface);
    component->get_extents = [](AtkComponent* c, gint* x, gint* y, gint* w, gint* h, AtkCoordType coords) {
        *x = *y = *w = *h = 0;
        FplanCell* cell = asCell(c);
        if (!cell->data || !cell->data->grid)
            return;
        wxGrid* grid = cell->data->grid;
        const wxRect rect = grid->CellToRect(cell->row, cell->col);
        const wxPoint shown = grid->CalcScrolledPosition(rect.GetPosition());
        wxPoint at = grid->GetGridWindow()->ClientToScreen(shown);
        if (coords == ATK_XY_WINDOW)
            at = wxGetTopLevelParent(grid)->ScreenToClient(at);
        *x = at.x;
        *y = at.y;
        *w = rect.width;
        *h = rect.height;
    };
}

GType cellType()
{
    static GType type = 0;
    if (!type) {
        type = g_type_register_static_simple(ATK_TYPE_OBJECT, "FplanGridCellAccessible",
            sizeof(FplanCellClass), cellClassInit, sizeof(FplanCell), nullptr, GTypeFlags(0));
        const GInterfaceInfo cell { cellInterfaceInit, nullptr, nullptr };
        g_type_add_interface_static(type, ATK_TYPE_TABLE_CELL, &cell);
        const GInterfaceInfo component { cellComponentInit, nullptr, nullptr };
        g_type_add_interface_static(type, ATK_TYPE_COMPONENT, &component);
    }
    return type;
}

// The grid window's widget class is wx's own container (shared by all wx windows); its
// get_accessible is wrapped once and answers with the table for the widgets flagged here.
constexpr const char* TableKey = "fplan-table-accessible";
using GetAccessible = AtkObject* (*)(GtkWidget*);
std::map<GType, GetAccessible>& originalGetAccessible()
{
    static std::map<GType, GetAccessible> originals;
    return originals;
}

AtkObject* getAccessibleOrTable(GtkWidget* widget)
{
    if (auto* table = static_cast<AtkObject*>(g_object_get_data(G_OBJECT(widget), TableKey)))
        return table;
    for (GType t = G_OBJECT_TYPE(widget); t; t = g_type_parent(t))
        if (auto it = originalGetAccessible().find(t); it != originalGetAccessible().end())
            return it->second(widget);
    return nullptr;
}

// The GTK widgets keyboard focus can be in for a grid: the grid's own (an empty grid keeps it),
// the window the cells are drawn in and, with frozen rows or columns, the frozen parts.
std::vector<GtkWidget*> gridWidgets(wxGrid* grid)
{
    std::vector<GtkWidget*> out;
    auto add = [&out](GtkWidget* w) {
        if (w && std::find(out.begin(), out.end(), w) == out.end())
            out.push_back(w);
    };
    add(grid->GetHandle());
    add(grid->GetConnectWidget());
    for (wxWindow* w : { static_cast<wxWindow*>(grid->GetGridWindow()),
             static_cast<wxWindow*>(grid->GetFrozenColGridWindow()),
             static_cast<wxWindow*>(grid->GetFrozenRowGridWindow()),
             static_cast<wxWindow*>(grid->GetFrozenCornerGridWindow()) })
        if (w)
            add(w->GetHandle());
    return out;
}

void announceCurrentCell(wxGrid* grid, int row, int col)
{
    GtkWidget* widget = grid->GetHandle();
    auto* table = widget ? static_cast<AtkObject*>(g_object_get_data(G_OBJECT(widget), TableKey)) : nullptr;
    if (!table)
        return;
    if (AtkObject* cell = cellAt(table, row, col)) {
        g_signal_emit_by_name(table, "active-descendant-changed", cell);
        atk_object_notify_state_change(cell, ATK_STATE_FOCUSED, TRUE);
    }
}

// GTK names a message box by its kind ("Question"); the title says what it is about.
gboolean onWindowMapped(GSignalInvocationHint*, guint count, const GValue* params, gpointer)
{
    if (count < 1)
        return TRUE;
    GObject* object = static_cast<GObject*>(g_value_get_object(&params[0]));
    if (!GTK_IS_WINDOW(object))
        return TRUE;
    GtkWidget* widget = GTK_WIDGET(object);
    AtkObject* accessible = accessibleOf(widget);
    if (!accessible)
        return TRUE;
    if (GTK_IS_MESSAGE_DIALOG(object)) {
        if (const gchar* title = gtk_window_get_title(GTK_WINDOW(object)); title && *title)
            atk_object_set_name(accessible, title);
        return TRUE;
    }
    for (wxWindow* top : wxTopLevelWindows)
        if (top->GetHandle() == widget && dynamic_cast<wxDialog*>(top))
            atk_object_set_role(accessible, ATK_ROLE_DIALOG);
    return TRUE;
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
    forEachWidget(window, [&](GtkWidget* widget) {
        if (AtkObject* accessible = accessibleOf(widget))
            atk_object_set_name(accessible, utf8.data());
    });
#endif
}

void setAccessibleDescription(wxWindow* window, const wxString& description)
{
    if (!window)
        return;
#ifdef __WXGTK__
    const wxScopedCharBuffer utf8 = description.utf8_str();
    forEachWidget(window, [&](GtkWidget* widget) {
        if (AtkObject* accessible = accessibleOf(widget))
            atk_object_set_description(accessible, utf8.data());
    });
#endif
}

void markRequired(wxWindow* window)
{
    if (!window)
        return;
#ifdef __WXGTK__
    forEachWidget(window, [](GtkWidget* widget) { flagState(accessibleOf(widget), RequiredKey); });
#endif
}

void reportFocusWithin(wxWindow* window, std::function<void()> onFocus)
{
    if (!window)
        return;
#ifdef __WXGTK__
    GtkWidget* widget = window->GetHandle();
    if (!widget)
        return;
    flagState(accessibleOf(widget), FocusWithinKey);
    // Lives as long as the widget.
    auto* within = new FocusWithin { widget, std::move(onFocus) };
    g_object_set_data_full(G_OBJECT(widget), "fplan-focus-within-data", within,
        [](gpointer p) { delete static_cast<FocusWithin*>(p); });
    if (GTK_IS_CONTAINER(widget))
        gtk_container_forall(GTK_CONTAINER(widget), connectInnerFocus, within);
#else
    (void)onFocus;
#endif
}

void exposeAsTable(wxGrid* grid, const wxString& name)
{
    if (!grid)
        return;
    setAccessibleName(grid, name);
#ifdef __WXGTK__
    const std::vector<GtkWidget*> widgets = gridWidgets(grid);
    if (widgets.empty() || g_object_get_data(G_OBJECT(widgets.front()), TableKey))
        return;
    // One table for the grid, answered for each of its widgets: focus may be in any of them
    // (the grid's own while it is empty, else the part that holds the current cell).
    AtkObject* table = ATK_OBJECT(g_object_new(tableType(), "widget", widgets.front(), nullptr));
    auto* data = new TableData { grid, std::string(name.utf8_str()), {}, {}, {} };
    asTable(table)->data = data;
    atk_object_initialize(table, widgets.front());
    atk_object_set_role(table, ATK_ROLE_TABLE);
    for (GtkWidget* widget : widgets) {
        GtkWidgetClass* klass = GTK_WIDGET_GET_CLASS(widget);
        if (klass->get_accessible != getAccessibleOrTable) {
            originalGetAccessible()[G_TYPE_FROM_CLASS(klass)] = klass->get_accessible;
            klass->get_accessible = getAccessibleOrTable;
        }
        g_object_set_data_full(G_OBJECT(widget), TableKey, g_object_ref(table), g_object_unref);
    }
    g_object_unref(table);
    // wx destroys the grid before GTK its widgets: from then on the table is empty.
    grid->Bind(wxEVT_DESTROY, [grid, data](wxWindowDestroyEvent& e) {
        if (e.GetEventObject() == grid)
            data->grid = nullptr;
        e.Skip();
    });
    grid->Bind(wxEVT_GRID_SELECT_CELL, [grid](wxGridEvent& e) {
        announceCurrentCell(grid, e.GetRow(), e.GetCol());
        e.Skip();
    });
#endif
}

void installAccessibleDialogs()
{
#ifdef __WXGTK__
    static bool installed = false;
    if (installed)
        return;
    installed = true;
    g_signal_add_emission_hook(g_signal_lookup("map", GTK_TYPE_WIDGET), 0, onWindowMapped, nullptr, nullptr);
#endif
}

} // namespace fplan::gui
