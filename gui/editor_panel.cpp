// SPDX-License-Identifier: EUPL-1.2
#include "gui/editor_panel.h"

#include "base/durable_file.h"
#include "base/error.h"
#include "gui/accessibility.h"
#include "gui/date_field.h"
#include "gui/date_input.h"
#include "gui/main_thread.h"
#include "gui/preview_window.h"
#include "gui/print_pdf.h"
#include "gui/private_pdf.h"
#include "gui/spellcheck.h"
#include "gui/sync_presenter.h"
#include "gui/word_diff.h"
#include "gui/wx_util.h"

#include <wx/button.h>
#include <wx/checklst.h>
#include <wx/choice.h>
#include <wx/combobox.h>
#include <wx/dataview.h>
#include <wx/dateevt.h>
#include <wx/filedlg.h>
#include <wx/grid.h>
#include <wx/msgdlg.h>
#include <wx/scrolwin.h>
#include <wx/sizer.h>
#include <wx/stattext.h>
#include <wx/textctrl.h>
#include <wx/utils.h>
#include <wx/wrapsizer.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace fplan::gui {

namespace {

constexpr int AutosaveDelayMs = 800;
constexpr int HelpWrap = 720;
constexpr int ConflictWrap = 340;
const wxColour ConflictColour(0xFF, 0xF4, 0xCC); // conflicts and resurrected rows

// Text typed in a number field: a number when it reads as one (comma or point), else the text,
// so the presenter can say what is wrong.
Json numberFromText(const std::string& text)
{
    if (text.find_first_not_of(" ") == std::string::npos)
        return Json();
    std::string s = text;
    for (auto& c : s)
        if (c == ',')
            c = '.';
    char* end = nullptr;
    const double d = std::strtod(s.c_str(), &end);
    if (end && *end == '\0') {
        if (d == static_cast<double>(static_cast<long long>(d)))
            return static_cast<long long>(d);
        return d;
    }
    return text;
}

std::string numberText(const Json& v)
{
    if (v.is_number_float()) {
        std::string s = v.dump();
        for (auto& c : s)
            if (c == '.')
                c = ',';
        return s;
    }
    return v.is_number() ? v.dump() : v.is_string() ? v.get<std::string>() : "";
}

// A choice cell that can be typed into: the key that starts editing is the first letter typed
// (wx's choice editor drops it), so "Mormor" stays "Mormor" and is then marked as no choice.
class TypedChoiceEditor : public wxGridCellChoiceEditor {
public:
    using wxGridCellChoiceEditor::wxGridCellChoiceEditor;
    wxGridCellEditor* Clone() const override { return new TypedChoiceEditor(*this); }
    void StartingKey(wxKeyEvent& event) override
    {
        const wxChar typed = event.GetUnicodeKey();
        if (typed == WXK_NONE || typed < ' ') {
            event.Skip();
            return;
        }
        Combo()->SetValue(wxString(typed));
        Combo()->SetInsertionPointEnd();
    }
};

// Shows `now` in a text control the person may be typing in: the caret and the selection stay
// on the same characters (a change before them moves them by its length), and nothing happens
// when the text is already there.
void setTextKeepingCaret(wxTextCtrl* text, const wxString& now)
{
    const wxString old = text->GetValue();
    if (old == now)
        return;
    long from = 0;
    long to = 0;
    text->GetSelection(&from, &to);
    const long caret = text->GetInsertionPoint();
    std::size_t prefix = 0;
    while (prefix < old.length() && prefix < now.length() && old[prefix] == now[prefix])
        ++prefix;
    std::size_t suffix = 0;
    while (suffix < old.length() - prefix && suffix < now.length() - prefix
        && old[old.length() - 1 - suffix] == now[now.length() - 1 - suffix])
        ++suffix;
    const auto map = [&](long p) {
        if (p <= static_cast<long>(prefix))
            return p; // before the change
        if (p >= static_cast<long>(old.length() - suffix)) // after it: moved by its length
            return p + static_cast<long>(now.length()) - static_cast<long>(old.length());
        return static_cast<long>(now.length() - suffix); // inside it: at its end
    };
    text->ChangeValue(now);
    if (from != to)
        text->SetSelection(map(from), map(to));
    else
        text->SetInsertionPoint(map(caret));
}

wxString labelText(const docgen::Field& f)
{
    return toWx(f.label) + (f.required ? " *" : "");
}

// A long-text cell: Return makes a line break, Ctrl+Return (or Tab, or leaving the cell) ends
// the editing and keeps the text; Esc throws the editing away.
class LongTextEditor : public wxGridCellAutoWrapStringEditor {
public:
    explicit LongTextEditor(wxGrid* grid)
        : m_grid(grid)
    {
    }
    void Create(wxWindow* parent, wxWindowID id, wxEvtHandler* handler) override
    {
        wxGridCellAutoWrapStringEditor::Create(parent, id, handler);
        GetControl()->Bind(wxEVT_CHAR_HOOK, [grid = m_grid, text = Text()](wxKeyEvent& e) {
            if (e.GetKeyCode() != WXK_RETURN && e.GetKeyCode() != WXK_NUMPAD_ENTER) {
                e.Skip();
                return;
            }
            if (e.GetModifiers() == wxMOD_CONTROL)
                grid->DisableCellEditControl();
            else if (e.GetModifiers() == wxMOD_NONE)
                text->WriteText("\n");
            else
                e.Skip();
        });
    }
    wxGridCellEditor* Clone() const override { return new LongTextEditor(m_grid); }

private:
    wxGrid* m_grid;
};

} // namespace

EditorPanel::EditorPanel(wxWindow* parent, Session& session, const std::string& docId)
    : wxPanel(parent)
    , m_session(session)
    , m_docId(docId)
    , m_autosave(this)
{
    m_presenter = std::make_unique<EditorPresenter>(session.documents(), docId);
    m_presenter->onValueChanged = [this](const std::string& path) {
        if (auto it = m_fields.find(path); it != m_fields.end())
            it->second.refresh();
        edited(path);
    };
    build();
    Bind(wxEVT_TIMER, [this](wxTimerEvent&) { saveNow(); });
}

EditorPanel::~EditorPanel()
{
    m_autosave.Stop();
    removePrivatePdfs({ m_pdfFiles.begin(), m_pdfFiles.end() }); // the document closes: its PDFs go
    try {
        m_presenter->flush();
    } catch (const std::exception&) {
        // The window is going away; there is no one left to tell. Edits are lost only if the store broke.
    }
}

std::string EditorPanel::tabTitle(bool withCase) const
{
    return withCase ? m_presenter->tmpl().title + " – " + m_presenter->kase().title
                    : m_presenter->tmpl().title;
}

void EditorPanel::build()
{
    auto* outer = new wxBoxSizer(wxVERTICAL);
    auto* title = new wxStaticText(this, wxID_ANY, toWx(m_presenter->tmpl().title));
    setHeadingFont(title, 1.3f);
    // The commands wrap onto a second line in a narrow window rather than being cut (1024×600).
    auto* top = new wxWrapSizer(wxHORIZONTAL);
    m_status = new wxStaticText(this, wxID_ANY, {});
    m_status->SetForegroundColour(wxColour(0x55, 0x55, 0x55));
    setAccessibleName(m_status, _("Gemt-status"));
    auto* changes = new wxButton(this, wxID_ANY, _("Vis æn&dringer …"));
    auto* finalizeButton = new wxButton(this, wxID_ANY, _("&Færdiggør …"));
    auto* previewButton = new wxButton(this, wxID_ANY, _("Forhånds&vis"));
    auto* pdf = new wxButton(this, wxID_ANY, _("Åbn &PDF"));
    auto* print = new wxButton(this, wxID_ANY, _("&Udskriv …"));
    for (auto* button : { previewButton, pdf, print, changes, finalizeButton })
        top->Add(button, 0, wxRIGHT | wxTOP, FromDIP(4));
    outer->Add(title, 0, wxLEFT | wxRIGHT | wxTOP, FromDIP(8));
    outer->Add(top, 0, wxEXPAND | wxLEFT | wxRIGHT, FromDIP(8));
    outer->Add(m_status, 0, wxEXPAND | wxLEFT | wxRIGHT | wxBOTTOM, FromDIP(8));
    m_presence = new wxStaticText(this, wxID_ANY, {});
    m_presence->SetForegroundColour(wxColour(0x1A, 0x5F, 0x9E));
    setAccessibleName(m_presence, _("Andre i dokumentet"));
    m_presence->Hide();
    outer->Add(m_presence, 0, wxEXPAND | wxLEFT | wxRIGHT | wxBOTTOM, FromDIP(8));

    m_form
        = new wxScrolledWindow(this, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxVSCROLL | wxTAB_TRAVERSAL);
    m_form->SetScrollRate(0, FromDIP(16));
    auto* form = new wxBoxSizer(wxVERTICAL);
    auto* legend = new wxStaticText(m_form, wxID_ANY,
        _("Felter med * skal udfyldes, før dokumentet kan færdiggøres. "
          "Alt gemmes automatisk."));
    legend->SetForegroundColour(wxColour(0x55, 0x55, 0x55));
    form->Add(legend, 0, wxBOTTOM, FromDIP(8));
    for (const auto& [section, depth] : m_presenter->sections()) {
        auto* heading = new wxStaticText(m_form, wxID_ANY, toWx(section->label));
        setHeadingFont(heading, depth == 0 ? 1.25f : 1.1f);
        form->Add(heading, 0, wxTOP | wxBOTTOM, FromDIP(depth == 0 ? 12 : 6));
        if (!section->help.empty()) {
            auto* help = new wxStaticText(m_form, wxID_ANY, toWx(section->help));
            help->SetForegroundColour(wxColour(0x55, 0x55, 0x55));
            help->Wrap(FromDIP(HelpWrap));
            form->Add(help, 0, wxBOTTOM, FromDIP(6));
        }
        for (const auto& field : section->fields)
            addField(m_form, form, field);
    }
    m_form->SetSizer(form);
    // The focused control is scrolled wholly into view (wx scrolls only when none of it shows).
    m_form->Bind(wxEVT_CHILD_FOCUS, [this](wxChildFocusEvent& e) {
        e.Skip();
        CallAfter([this] {
            if (wxWindow* focus = wxWindow::FindFocus(); focus && m_form->IsDescendant(focus))
                showInForm(focus->GetScreenRect());
        });
    });
    outer->Add(m_form, 1, wxEXPAND | wxLEFT | wxRIGHT | wxBOTTOM, FromDIP(8));
    SetSizer(outer);
    for (auto& [path, view] : m_fields)
        showMessage(path);
    showConflicts();
    m_form->FitInside();
    updateStatus();

    changes->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { CallAfter([this] { showChanges(); }); });
    finalizeButton->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { CallAfter([this] { finalize(); }); });
    pdf->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { openPdf(); });
    previewButton->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { preview(); });
    print->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { printPdf(); });
}

void EditorPanel::addField(wxWindow* parent, wxSizer* sizer, const docgen::Field& field)
{
    if (field.type == docgen::FieldType::Table) {
        addTable(parent, sizer, field);
        return;
    }
    auto* label = new wxStaticText(parent, wxID_ANY, labelText(field));
    if (field.required)
        label->SetToolTip(_("Skal udfyldes"));
    sizer->Add(label, 0, wxTOP, FromDIP(6));
    const std::string path = field.path;
    FieldView view;
    wxWindow* control = nullptr;

    switch (field.type) {
    case docgen::FieldType::Text:
    case docgen::FieldType::LongText:
    case docgen::FieldType::Number: {
        const bool multi = field.type == docgen::FieldType::LongText;
        const int lines = multi ? std::max(field.lines, 4) : 1;
        auto* text = new wxTextCtrl(parent, wxID_ANY, {}, wxDefaultPosition,
            multi ? wxSize(-1, lines * GetCharHeight() + FromDIP(10)) : wxDefaultSize,
            multi ? wxTE_MULTILINE | wxTE_WORDWRAP : 0);
        if (multi)
            enableDanishSpellChecking(text);
        const bool number = field.type == docgen::FieldType::Number;
        view.refresh = [this, text, path, number] {
            setTextKeepingCaret(
                text, toWx(number ? numberText(m_presenter->value(path)) : m_presenter->text(path)));
        };
        text->Bind(wxEVT_TEXT, [this, text, path, number](wxCommandEvent&) {
            const std::string typed = fromWx(text->GetValue());
            m_presenter->setValue(path, number ? numberFromText(typed) : Json(typed));
            edited(path);
        });
        // Arriving in or leaving a field starts a new undo step.
        for (const auto type : { wxEVT_SET_FOCUS, wxEVT_KILL_FOCUS })
            text->Bind(type, [this](wxFocusEvent& e) {
                m_presenter->breakUndoGroup();
                e.Skip();
            });
        control = text;
        break;
    }
    case docgen::FieldType::Date:
    case docgen::FieldType::DateTime: {
        auto* row = new wxBoxSizer(wxHORIZONTAL);
        auto* date = new DateField(parent);
        row->Add(date, 0);
        // A plain text box for the time: a time picker shows seconds and the current clock when
        // the time is empty; this one keeps exactly what was typed ("14:00", or nothing).
        wxTextCtrl* time = nullptr;
        if (field.type == docgen::FieldType::DateTime) {
            time = new wxTextCtrl(
                parent, wxID_ANY, {}, wxDefaultPosition, wxSize(FromDIP(70), -1), wxTE_PROCESS_ENTER);
            time->SetHint(_("TT:MM"));
            setAccessibleName(time, toWx(field.label) + " " + _("klokkeslæt"));
            row->Add(time, 0, wxLEFT, FromDIP(6));
        }
        view.refresh = [this, date, time, path] {
            const Json v = m_presenter->value(path);
            if (!time) {
                date->showValue(v);
                return;
            }
            const auto [day, clock] = dateTimeTexts(v);
            date->showValue(Json(day));
            if (!time->HasFocus() && time->GetValue() != toWx(clock))
                time->ChangeValue(toWx(clock));
        };
        auto changed = [this, date, time, path](const Json& day) {
            m_presenter->setValue(
                path, time ? dateTimeValueFromText(fromWx(date->GetValue()), fromWx(time->GetValue())) : day);
            edited(path);
        };
        date->onEdited = changed;
        if (time) {
            // While typing only a whole time (or an emptied box) is stored; leaving stores what is there.
            time->Bind(wxEVT_TEXT, [time, changed](wxCommandEvent&) {
                const wxString t = time->GetValue().Strip(wxString::both);
                if (t.empty() || (t.length() == 5 && parseTimeText(fromWx(t))))
                    changed(Json());
            });
            time->Bind(wxEVT_TEXT_ENTER, [changed](wxCommandEvent&) { changed(Json()); });
            time->Bind(wxEVT_KILL_FOCUS, [changed](wxFocusEvent& e) {
                changed(Json());
                e.Skip();
            });
        }
        control = date;
        view.control = date;
        setAccessibleName(date, toWx(field.label));
        sizer->Add(row, 0);
        break;
    }
    case docgen::FieldType::Bool:
    case docgen::FieldType::Choice:
    case docgen::FieldType::Person:
    case docgen::FieldType::TeamMember: {
        const std::vector<docgen::Choice> choices = m_presenter->choicesFor(field);
        auto* choice = new wxChoice(parent, wxID_ANY);
        choice->Append(_("(ikke valgt)"));
        for (const auto& c : choices)
            choice->Append(toWx(c.label));
        const bool isBool = field.type == docgen::FieldType::Bool;
        view.refresh = [this, choice, choices, path, isBool] {
            const Json v = m_presenter->value(path);
            const std::string id = isBool ? (v.is_boolean() ? (v.get<bool>() ? "true" : "false") : "")
                                          : (v.is_string() ? v.get<std::string>() : "");
            int index = 0;
            for (std::size_t i = 0; i < choices.size(); ++i)
                if (choices[i].id == id)
                    index = static_cast<int>(i) + 1;
            choice->SetSelection(index);
        };
        choice->Bind(wxEVT_CHOICE, [this, choice, choices, path, isBool](wxCommandEvent&) {
            const int index = choice->GetSelection();
            Json v;
            if (index > 0) {
                const auto& id = choices[static_cast<std::size_t>(index - 1)].id;
                v = isBool ? Json(id == "true") : Json(id);
            }
            m_presenter->setValue(path, v);
            edited(path);
        });
        control = choice;
        break;
    }
    case docgen::FieldType::MultiChoice: {
        const auto choices = m_presenter->choicesFor(field);
        wxArrayString labels;
        for (const auto& c : choices)
            labels.Add(toWx(c.label));
        auto* list = new wxCheckListBox(parent, wxID_ANY, wxDefaultPosition, wxDefaultSize, labels);
        view.refresh = [this, list, choices, path] {
            const Json v = m_presenter->value(path);
            for (std::size_t i = 0; i < choices.size(); ++i) {
                bool on = false;
                if (v.is_array())
                    for (const auto& item : v)
                        on = on || (item.is_string() && item.get<std::string>() == choices[i].id);
                list->Check(static_cast<unsigned>(i), on);
            }
        };
        list->Bind(wxEVT_CHECKLISTBOX, [this, list, choices, path](wxCommandEvent&) {
            Json v = Json::array();
            for (std::size_t i = 0; i < choices.size(); ++i)
                if (list->IsChecked(static_cast<unsigned>(i)))
                    v.push_back(choices[i].id);
            m_presenter->setValue(path, v);
            edited(path);
        });
        control = list;
        break;
    }
    case docgen::FieldType::Table:
        break;
    }
    if (control
        && field.autoValue == docgen::AutoValue::PlanVersion) { // the service sets it when a version is made
        control->SetToolTip(_("Udfyldes af programmet."));
        if (auto* text = dynamic_cast<wxTextCtrl*>(control)) {
            text->SetEditable(false);
            text->SetBackgroundColour(GetBackgroundColour()); // seen as not editable, too
        } else
            control->Disable();
    }
    if (control) {
        if (field.required)
            markRequired(control);
        if (!field.help.empty())
            setAccessibleDescription(control, toWx(field.help));
        if (dynamic_cast<wxChoice*>(control))
            reportFocusWithin(control, [this, control] { showInForm(control->GetScreenRect()); });
    }
    if (control && field.type != docgen::FieldType::Date && field.type != docgen::FieldType::DateTime) {
        view.control = control;
        setAccessibleName(control, toWx(field.label));
        const bool grow = field.type == docgen::FieldType::Text || field.type == docgen::FieldType::LongText;
        sizer->Add(control, 0, grow ? wxEXPAND : 0);
    }
    if (!field.help.empty()) {
        auto* help = new wxStaticText(parent, wxID_ANY, toWx(field.help));
        help->SetForegroundColour(wxColour(0x55, 0x55, 0x55));
        help->Wrap(FromDIP(HelpWrap));
        sizer->Add(help, 0, wxTOP, FromDIP(2));
    }
    view.message = new wxStaticText(parent, wxID_ANY, {});
    view.message->SetForegroundColour(errorColour());
    sizer->Add(view.message, 0, wxTOP, FromDIP(2));
    view.conflict = new wxPanel(parent);
    view.conflict->SetBackgroundColour(ConflictColour);
    view.conflict->SetSizer(new wxBoxSizer(wxVERTICAL));
    view.conflict->Hide();
    sizer->Add(view.conflict, 0, wxEXPAND | wxTOP, FromDIP(2));
    view.refresh();
    m_fields[path] = std::move(view);
}

void EditorPanel::addTable(wxWindow* parent, wxSizer* sizer, const docgen::Field& field)
{
    auto* label = new wxStaticText(parent, wxID_ANY, labelText(field));
    setHeadingFont(label, 1.0f);
    sizer->Add(label, 0, wxTOP, FromDIP(8));
    if (!field.help.empty()) {
        auto* help = new wxStaticText(parent, wxID_ANY, toWx(field.help));
        help->SetForegroundColour(wxColour(0x55, 0x55, 0x55));
        help->Wrap(FromDIP(HelpWrap));
        sizer->Add(help, 0, wxBOTTOM, FromDIP(2));
    }
    const std::string path = field.path;
    const std::vector<docgen::Field> columns = field.columns;
    auto* frame = newFocusFrame(parent);
    auto* grid = new wxGrid(frame, wxID_ANY);
    frame->GetSizer()->Add(grid, 1, wxEXPAND | wxALL, FromDIP(2));
    grid->CreateGrid(0, static_cast<int>(columns.size()));
    grid->SetRowLabelSize(FromDIP(32));
    for (std::size_t c = 0; c < columns.size(); ++c) {
        grid->SetColLabelValue(
            static_cast<int>(c), toWx(columns[c].label) + (columns[c].required ? " *" : ""));
        grid->SetColSize(
            static_cast<int>(c), FromDIP(columns[c].type == docgen::FieldType::LongText ? 260 : 150));
    }
    // A wide table keeps its first column in view while it scrolls sideways.
    if (columns.size() > 1)
        grid->FreezeTo(0, 1);
    setUpGridKeyboard(grid);
    exposeAsTable(grid, toWx(field.label));

    // The table is as tall as its rows (up to a limit), so an edited row grows to its text.
    auto fitHeight = [this, grid] {
        int height = grid->GetColLabelSize() + FromDIP(4);
        for (int r = 0; r < grid->GetNumberRows(); ++r)
            height += grid->GetRowSize(r);
        height = std::max(height, grid->GetColLabelSize() + grid->GetDefaultRowSize() + FromDIP(4));
        grid->SetMinSize(wxSize(-1, std::min(height, FromDIP(420))));
        grid->GetParent()->InvalidateBestSize();
        m_form->FitInside();
        m_form->Layout();
    };

    auto choicesOf = [this](const docgen::Field& column) { return m_presenter->choicesFor(column); };
    auto isChoice = [](const docgen::Field& column) {
        return column.type == docgen::FieldType::Bool || column.type == docgen::FieldType::Choice
            || column.type == docgen::FieldType::Person || column.type == docgen::FieldType::TeamMember;
    };

    FieldView view;
    view.refresh = [this, grid, path, columns, choicesOf, isChoice, fitHeight] {
        const int rows = static_cast<int>(m_presenter->rowCount(path));
        if (grid->GetNumberRows() > rows)
            grid->DeleteRows(rows, grid->GetNumberRows() - rows);
        else if (grid->GetNumberRows() < rows)
            grid->AppendRows(rows - grid->GetNumberRows());
        for (int r = 0; r < rows; ++r) // a resurrected row's mark is set again below
            grid->SetRowLabelValue(r, wxString::Format("%d", r + 1));
        for (int r = 0; r < rows; ++r)
            for (std::size_t c = 0; c < columns.size(); ++c) {
                const docgen::Field& column = columns[c];
                const Json v = m_presenter->cell(path, static_cast<std::size_t>(r), column.path);
                if (isChoice(column)) {
                    wxArrayString labels;
                    labels.Add(wxString());
                    for (const auto& ch : choicesOf(column))
                        labels.Add(toWx(ch.label));
                    // Typing is allowed: a value that is no choice stays, marked, until it is fixed.
                    grid->SetCellEditor(r, static_cast<int>(c), new TypedChoiceEditor(labels, true));
                } else if (column.type == docgen::FieldType::LongText) {
                    grid->SetCellEditor(r, static_cast<int>(c), new LongTextEditor(grid));
                    grid->SetCellRenderer(r, static_cast<int>(c), new wxGridCellAutoWrapStringRenderer());
                }
                const std::string shown = column.type == docgen::FieldType::Number
                    ? numberText(v)
                    : m_presenter->displayText(column, v);
                grid->SetCellValue(r, static_cast<int>(c), toWx(shown));
                // A value that does not fit its column is tinted; the line under the table says why.
                const bool wrong
                    = !m_presenter->cellMessage(path, static_cast<std::size_t>(r), column.path).empty();
                grid->SetCellBackgroundColour(r, static_cast<int>(c),
                    wrong ? wxColour(0xFF, 0xDD, 0xDD) : grid->GetDefaultCellBackgroundColour());
            }
        grid->AutoSizeRows(false);
        showResurrected(path);
        fitHeight();
    };
    view.control = grid;
    grid->Bind(wxEVT_GRID_CELL_CHANGED, [this, grid, path, columns, isChoice, fitHeight](wxGridEvent& e) {
        const int r = e.GetRow();
        const auto& column = columns[static_cast<std::size_t>(e.GetCol())];
        const std::string typed = fromWx(grid->GetCellValue(r, e.GetCol()));
        Json v;
        if (isChoice(column)) {
            v = m_presenter->choiceFromText(column, typed);
        } else if (column.type == docgen::FieldType::Number) {
            v = numberFromText(typed);
        } else if (column.type == docgen::FieldType::Date || column.type == docgen::FieldType::DateTime) {
            v = dateValueFromText(typed, column.type == docgen::FieldType::DateTime);
        } else if (!typed.empty()) {
            v = typed;
        }
        m_presenter->setCell(path, static_cast<std::size_t>(r), column.path, v);
        m_presenter->breakUndoGroup(); // a grid cell is committed whole
        const bool wrong = !m_presenter->cellMessage(path, static_cast<std::size_t>(r), column.path).empty();
        grid->SetCellBackgroundColour(
            r, e.GetCol(), wrong ? wxColour(0xFF, 0xDD, 0xDD) : grid->GetDefaultCellBackgroundColour());
        grid->AutoSizeRow(r, false);
        fitHeight();
        edited(path);
    });

    auto* buttons = new wxBoxSizer(wxHORIZONTAL);
    auto* add = new wxButton(parent, wxID_ANY, _("Tilføj række"));
    auto* remove = new wxButton(parent, wxID_ANY, _("Fjern række"));
    auto* up = new wxButton(parent, wxID_ANY, _("Flyt op"));
    auto* down = new wxButton(parent, wxID_ANY, _("Flyt ned"));
    for (auto* b : { add, remove, up, down }) {
        setAccessibleName(b, b->GetLabel() + ": " + toWx(field.label));
        buttons->Add(b, 0, wxRIGHT, FromDIP(4));
    }
    auto selectedRow = [grid] {
        const wxArrayInt rows = grid->GetSelectedRows();
        if (!rows.empty())
            return rows[0];
        return grid->GetGridCursorRow();
    };
    add->Bind(wxEVT_BUTTON, [this, grid, path](wxCommandEvent&) {
        const int row = static_cast<int>(m_presenter->addRow(path));
        m_fields[path].refresh();
        grid->SetGridCursor(row, 0);
        grid->MakeCellVisible(row, 0);
        grid->SetFocus();
        edited(path);
        CallAfter([this, grid, row] { showRow(grid, row); }); // after the form has been laid out
    });
    remove->Bind(wxEVT_BUTTON, [this, path, selectedRow](wxCommandEvent&) {
        const int row = selectedRow();
        if (row < 0 || static_cast<std::size_t>(row) >= m_presenter->rowCount(path))
            return;
        m_presenter->removeRow(path, static_cast<std::size_t>(row));
        m_fields[path].refresh();
        edited(path);
    });
    auto move = [this, grid, path, selectedRow](int delta) {
        const int row = selectedRow();
        if (row < 0 || static_cast<std::size_t>(row) >= m_presenter->rowCount(path))
            return;
        const auto moved = m_presenter->moveRow(path, static_cast<std::size_t>(row), delta);
        m_fields[path].refresh();
        grid->SetGridCursor(static_cast<int>(moved), std::max(grid->GetGridCursorCol(), 0));
        grid->SelectRow(static_cast<int>(moved));
        edited(path);
    };
    up->Bind(wxEVT_BUTTON, [move](wxCommandEvent&) { move(-1); });
    down->Bind(wxEVT_BUTTON, [move](wxCommandEvent&) { move(+1); });

    sizer->Add(frame, 0, wxEXPAND | wxTOP, FromDIP(2));
    sizer->Add(buttons, 0, wxTOP, FromDIP(4));
    view.message = new wxStaticText(parent, wxID_ANY, {});
    view.message->SetForegroundColour(errorColour());
    sizer->Add(view.message, 0, wxTOP, FromDIP(2));
    view.resurrected = new wxPanel(parent);
    view.resurrected->SetBackgroundColour(ConflictColour);
    view.resurrected->SetSizer(new wxBoxSizer(wxVERTICAL));
    view.resurrected->Hide();
    sizer->Add(view.resurrected, 0, wxEXPAND | wxTOP, FromDIP(2));
    m_fields[path] = std::move(view);
    m_fields[path].refresh();
}

void EditorPanel::showRow(wxGrid* grid, int row)
{
    if (row < 0 || row >= grid->GetNumberRows())
        return;
    const wxRect cell = grid->CellToRect(row, 0);
    const wxPoint top = grid->GetGridWindow()->ClientToScreen(grid->CalcScrolledPosition(cell.GetTopLeft()));
    // With the row buttons under the table.
    showInForm(wxRect(top, wxSize(cell.width, cell.height + FromDIP(40))));
}

void EditorPanel::showInForm(const wxRect& onScreen)
{
    const wxPoint top = m_form->ScreenToClient(onScreen.GetTopLeft());
    const int bottom = top.y + onScreen.height;
    int unitX = 0, unitY = 0, startX = 0, startY = 0;
    m_form->GetScrollPixelsPerUnit(&unitX, &unitY);
    m_form->GetViewStart(&startX, &startY);
    if (unitY <= 0)
        return;
    // Down far enough for the bottom, but never so far that the top goes out of view.
    if (top.y < 0)
        m_form->Scroll(-1, startY + (top.y - unitY + 1) / unitY);
    else if (bottom > m_form->GetClientSize().y)
        m_form->Scroll(-1, startY + std::min(bottom - m_form->GetClientSize().y + unitY - 1, top.y) / unitY);
}

void EditorPanel::showPresence(const std::string& text)
{
    if (fromWx(m_presence->GetLabel()) == text && m_presence->IsShown() == !text.empty())
        return;
    m_presence->SetLabel(toWx(text));
    m_presence->Show(!text.empty());
    Layout();
}

void EditorPanel::edited(const std::string& path)
{
    if (onWriting)
        onWriting(sectionOf(path));
    showMessage(path);
    m_autosave.StartOnce(AutosaveDelayMs);
    updateStatus();
}

void EditorPanel::showMessage(const std::string& path)
{
    auto it = m_fields.find(path);
    if (it == m_fields.end() || !it->second.message)
        return;
    const wxString text = toWx(m_presenter->message(path));
    if (text == it->second.message->GetLabel())
        return;
    const bool layoutChanges = text.empty() != it->second.message->GetLabel().empty();
    it->second.message->SetLabel(text);
    if (layoutChanges) {
        m_form->Layout();
        m_form->FitInside();
    }
}

void EditorPanel::showConflict(const std::string& path)
{
    auto it = m_fields.find(path);
    if (it == m_fields.end() || !it->second.conflict)
        return;
    wxPanel* box = it->second.conflict;
    const docgen::Field* field = m_presenter->tmpl().field(path);
    const auto versions = m_presenter->conflictVersions(path);
    if (versions.empty() && !box->IsShown())
        return;
    box->GetSizer()->Clear(true);
    if (!versions.empty() && field) {
        box->GetSizer()->Add(new wxStaticText(box, wxID_ANY,
                                 _("To personer har skrevet forskelligt samtidig. Vælg den version, "
                                   "der skal gælde, eller skriv en samlet tekst.")),
            0, wxALL, FromDIP(4));
        // Side by side: who wrote each version, when, and what.
        auto* columns = new wxBoxSizer(wxHORIZONTAL);
        for (const auto& standing : versions) {
            auto* column = new wxBoxSizer(wxVERTICAL);
            auto* who = new wxStaticText(box, wxID_ANY, toWx(m_presenter->authorLine(standing)));
            setHeadingFont(who, 1.0f);
            column->Add(who, 0, wxBOTTOM, FromDIP(2));
            const wxString shown = toWx(m_presenter->displayText(*field, standing.value));
            auto* text = new wxStaticText(box, wxID_ANY, shown.Left(600) + (shown.length() > 600 ? "…" : ""));
            text->Wrap(FromDIP(ConflictWrap));
            column->Add(text, 0, wxBOTTOM, FromDIP(4));
            auto* take = new wxButton(box, wxID_ANY, _("Brug denne version"));
            setAccessibleName(
                take, toWx(format(tr("Brug versionen fra {0}"), { m_presenter->authorLine(standing) })));
            const Json v = standing.value;
            take->Bind(wxEVT_BUTTON, [this, path, v](wxCommandEvent&) {
                // After the click: this button is destroyed when the conflict box is rebuilt.
                CallAfter([this, path, v] {
                    m_presenter->resolve(path, v);
                    if (auto found = m_fields.find(path); found != m_fields.end())
                        found->second.refresh();
                    saveNow();
                });
            });
            column->Add(take, 0);
            columns->Add(column, 0, wxALL, FromDIP(4));
        }
        box->GetSizer()->Add(columns, 0);
        if (field->type == docgen::FieldType::Text || field->type == docgen::FieldType::LongText) {
            auto* join = new wxButton(box, wxID_ANY, _("Skriv en samlet tekst i feltet"));
            join->Bind(wxEVT_BUTTON, [this, path, versions](wxCommandEvent&) {
                CallAfter([this, path, versions] {
                    // Both texts in the field, to be edited into one; saved as the choice.
                    std::string joined;
                    for (const auto& standing : versions)
                        if (standing.value.is_string())
                            joined += (joined.empty() ? "" : "\n\n") + standing.value.get<std::string>();
                    m_presenter->resolve(path, joined);
                    if (auto found = m_fields.find(path); found != m_fields.end()) {
                        found->second.refresh();
                        if (found->second.control)
                            found->second.control->SetFocus();
                    }
                    edited(path);
                    showConflict(path);
                });
            });
            box->GetSizer()->Add(join, 0, wxALL, FromDIP(4));
        }
    }
    box->Show(!versions.empty());
    m_form->Layout();
    m_form->FitInside();
}

void EditorPanel::showResurrected(const std::string& table)
{
    auto it = m_fields.find(table);
    if (it == m_fields.end() || !it->second.resurrected)
        return;
    wxPanel* box = it->second.resurrected;
    auto* grid = dynamic_cast<wxGrid*>(it->second.control);
    const auto rows = m_presenter->resurrectedRows(table);
    if (rows.empty() && !box->IsShown())
        return;
    box->GetSizer()->Clear(true);
    for (const auto& row : rows) {
        const std::string number = std::to_string(row.index + 1);
        if (grid && static_cast<int>(row.index) < grid->GetNumberRows()) {
            grid->SetRowLabelValue(static_cast<int>(row.index), toWx("↺ " + number));
            for (int c = 0; c < grid->GetNumberCols(); ++c)
                grid->SetCellBackgroundColour(static_cast<int>(row.index), c, ConflictColour);
        }
        auto* line = new wxBoxSizer(wxHORIZONTAL);
        const std::string text = row.deletedBy.empty()
            ? format(tr("Række {0} blev slettet, mens en anden rettede i den."), { number })
            : format(
                tr("Række {0} blev slettet af {1}, mens en anden rettede i den."), { number, row.deletedBy });
        line->Add(
            new wxStaticText(box, wxID_ANY, toWx(text)), 0, wxALIGN_CENTER_VERTICAL | wxRIGHT, FromDIP(8));
        auto* keep = new wxButton(box, wxID_ANY, _("Behold"));
        auto* drop = new wxButton(box, wxID_ANY, _("Fjern"));
        setAccessibleName(keep, toWx(format(tr("Behold række {0}"), { number })));
        setAccessibleName(drop, toWx(format(tr("Fjern række {0}"), { number })));
        for (auto* button : { keep, drop }) {
            const bool keeping = button == keep;
            button->Bind(wxEVT_BUTTON, [this, table, id = row.rowId, keeping](wxCommandEvent&) {
                CallAfter([this, table, id, keeping] { // the button goes when the box is rebuilt
                    try {
                        if (keeping)
                            m_presenter->keepRow(table, id);
                        else
                            m_presenter->removeResurrectedRow(table, id);
                    } catch (const Error& e) {
                        showError(this, e.what());
                    }
                    if (auto found = m_fields.find(table); found != m_fields.end())
                        found->second.refresh();
                    updateStatus();
                    if (onSaved)
                        onSaved();
                });
            });
            line->Add(button, 0, wxRIGHT, FromDIP(4));
        }
        box->GetSizer()->Add(line, 0, wxALL, FromDIP(4));
    }
    box->Show(!rows.empty());
}

std::string EditorPanel::heldPath() const
{
    const wxWindow* focus = wxWindow::FindFocus();
    for (const auto& [path, view] : m_fields) {
        if (auto* grid = dynamic_cast<wxGrid*>(view.control)) {
            if (grid->IsCellEditControlEnabled())
                return path;
            continue;
        }
        for (const wxWindow* w = focus; w && view.control; w = w->GetParent())
            if (w == view.control)
                return path;
    }
    return {};
}

void EditorPanel::followStore(const std::vector<Op>& ops)
{
    std::vector<std::string> changed;
    try {
        changed = m_presenter->applyIncoming(ops, heldPath());
    } catch (const Error& e) {
        showError(this, e.what());
        return;
    }
    for (const auto& path : changed)
        if (auto it = m_fields.find(path); it != m_fields.end()) {
            it->second.refresh();
            showMessage(path);
        }
    showConflicts();
    updateStatus();
}

void EditorPanel::catchUp()
{
    followStore({});
}

void EditorPanel::showConflicts()
{
    for (const auto& [path, view] : m_fields)
        if (view.conflict)
            showConflict(path);
}

void EditorPanel::updateStatus()
{
    m_status->SetLabel(toWx(m_presenter->statusText()));
}

void EditorPanel::saveNow()
{
    m_autosave.Stop();
    try {
        m_presenter->flush();
    } catch (const Error& e) {
        showError(this, e.what());
    }
    updateStatus();
    showConflicts();
    catchUp();
    if (onSaved)
        onSaved();
}

void EditorPanel::undo()
{
    m_presenter->undo();
}

void EditorPanel::redo()
{
    m_presenter->redo();
}

void EditorPanel::finalize()
{
    saveNow();
    const auto missing = m_presenter->missingForFinalize();
    if (!missing.empty()) {
        wxString text;
        for (const auto& m : missing)
            text += "• " + toWx(m) + "\n";
        wxMessageDialog dialog(
            this, text, _("Dokumentet kan ikke færdiggøres endnu"), wxOK | wxICON_INFORMATION);
        dialog.SetExtendedMessage(_("Ret punkterne herover, og prøv igen."));
        dialog.ShowModal();
        return;
    }
    const int next = m_presenter->versions().empty() ? 1 : m_presenter->versions().back().number + 1;
    wxMessageDialog confirm(this,
        toWx(format(tr("Færdiggør som version {0}? Versionen kan ikke ændres bagefter; "
                       "senere ændringer bliver til en ny version."),
            { std::to_string(next) })),
        _("Færdiggør dokumentet"), wxYES_NO | wxICON_QUESTION);
    confirm.SetYesNoLabels(_("&Færdiggør"), _("&Annuller"));
    if (confirm.ShowModal() != wxID_YES)
        return;
    try {
        const int version = m_presenter->finalize();
        wxMessageBox(toWx(format(tr("Version {0} er gemt."), { std::to_string(version) })), _("Færdiggjort"),
            wxOK | wxICON_INFORMATION, this);
    } catch (const Error& e) {
        showError(this, e.what());
    }
    updateStatus();
    if (onSaved)
        onSaved();
}

void EditorPanel::startNextVersion()
{
    saveNow();
    try {
        const int next = m_presenter->startNextVersion();
        for (auto& [path, view] : m_fields) {
            view.refresh();
            showMessage(path);
        }
        showConflicts();
        updateStatus();
        m_status->SetLabel(
            toWx(format(tr("Version {0} er startet som kladde, med status fra opfølgningsmøderne."),
                { std::to_string(next) })));
    } catch (const Error& e) {
        showError(this, e.what());
    }
    if (onSaved)
        onSaved();
}

void EditorPanel::showChanges()
{
    saveNow();
    // What can be compared: the empty document, each finalised version, the draft.
    std::vector<std::pair<int, wxString>> points { { 0, _("Tomt dokument") } };
    for (const auto& v : m_presenter->versions())
        points.emplace_back(v.number, toWx(format(tr("Version {0}"), { std::to_string(v.number) })));
    points.emplace_back(-1, _("Kladden nu"));
    wxArrayString labels;
    for (const auto& p : points)
        labels.Add(p.second);

    wxDialog dialog(this, wxID_ANY, _("Ændringer"), wxDefaultPosition, FromDIP(wxSize(780, 460)),
        wxDEFAULT_DIALOG_STYLE | wxRESIZE_BORDER);
    auto* sizer = new wxBoxSizer(wxVERTICAL);
    auto* pick = new wxBoxSizer(wxHORIZONTAL);
    pick->Add(
        new wxStaticText(&dialog, wxID_ANY, _("&Fra:")), 0, wxALIGN_CENTER_VERTICAL | wxRIGHT, FromDIP(6));
    auto* from = new wxChoice(&dialog, wxID_ANY, wxDefaultPosition, wxDefaultSize, labels);
    setAccessibleName(from, _("Sammenlign fra"));
    pick->Add(from, 0, wxRIGHT, FromDIP(12));
    pick->Add(
        new wxStaticText(&dialog, wxID_ANY, _("&Til:")), 0, wxALIGN_CENTER_VERTICAL | wxRIGHT, FromDIP(6));
    auto* to = new wxChoice(&dialog, wxID_ANY, wxDefaultPosition, wxDefaultSize, labels);
    setAccessibleName(to, _("Sammenlign til"));
    pick->Add(to, 0);
    sizer->Add(pick, 0, wxALL, FromDIP(8));
    // Each changed field: its name, then the text with the words that went struck through and
    // the words that came underlined, wrapped to the window.
    auto* list = new wxTextCtrl(&dialog, wxID_ANY, {}, wxDefaultPosition, wxDefaultSize,
        wxTE_MULTILINE | wxTE_READONLY | wxTE_RICH2 | wxTE_WORDWRAP);
    setAccessibleName(list, _("Ændringer"));
    sizer->Add(list, 1, wxEXPAND | wxLEFT | wxRIGHT, FromDIP(8));
    auto* legend = new wxStaticText(&dialog, wxID_ANY, _("Gennemstreget: fjernet. Understreget: tilføjet."));
    legend->SetForegroundColour(wxColour(0x55, 0x55, 0x55));
    sizer->Add(legend, 0, wxLEFT | wxRIGHT | wxTOP, FromDIP(8));
    auto* none = new wxStaticText(&dialog, wxID_ANY, _("Ingen ændringer."));
    sizer->Add(none, 0, wxALL, FromDIP(8));
    auto* buttons = new wxStdDialogButtonSizer();
    buttons->AddButton(new wxButton(&dialog, wxID_CLOSE, _("&Luk"))); // wx's stock label would be English
    buttons->Realize();
    sizer->Add(buttons, 0, wxEXPAND | wxALL, FromDIP(8));
    dialog.SetSizer(sizer);
    dialog.SetEscapeId(wxID_CLOSE);

    auto fill = [this, &points, from, to, list, none, &dialog] {
        list->Clear();
        const auto lines = m_presenter->diff(points[static_cast<std::size_t>(from->GetSelection())].first,
            points[static_cast<std::size_t>(to->GetSelection())].first);
        const wxTextAttr plain(list->GetForegroundColour());
        wxTextAttr heading(plain);
        heading.SetFontWeight(wxFONTWEIGHT_BOLD);
        wxTextAttr removed(wxColour(0xB0, 0x00, 0x20));
        removed.SetFontStrikethrough(true);
        wxTextAttr added(wxColour(0x00, 0x6B, 0x2E));
        added.SetFontUnderlined(true);
        for (const auto& l : lines) {
            list->SetDefaultStyle(heading);
            list->AppendText(toWx(l.label) + "\n");
            for (const auto& run : wordDiff(l.before, l.after)) {
                list->SetDefaultStyle(run.kind == DiffRun::Kind::Removed ? removed
                        : run.kind == DiffRun::Kind::Added               ? added
                                                                         : plain);
                list->AppendText(toWx(run.text));
            }
            list->SetDefaultStyle(plain);
            list->AppendText("\n\n");
        }
        list->SetInsertionPoint(0);
        list->ShowPosition(0);
        none->Show(lines.empty());
        dialog.Layout();
    };
    // Default: the latest version (or the empty document) against the draft.
    from->SetSelection(static_cast<int>(points.size()) - 2);
    to->SetSelection(static_cast<int>(points.size()) - 1);
    fill();
    from->Bind(wxEVT_CHOICE, [fill](wxCommandEvent&) { fill(); });
    to->Bind(wxEVT_CHOICE, [fill](wxCommandEvent&) { fill(); });
    dialog.ShowModal();
}

} // namespace fplan::gui

namespace fplan::gui {

namespace {
struct Written {
    std::string path;
    std::string error;
};
} // namespace

void EditorPanel::withPdf(std::function<void(const std::string& file)> then)
{
    saveNow();
    docgen::RenderDocument doc;
    std::string file;
    try {
        const int version = m_presenter->unchangedVersion();
        doc = m_session.printable(m_docId, version);
        file = m_presenter->tmpl().id + "-" + m_docId.substr(0, 8)
            + (version > 0 ? "-v" + std::to_string(version) : "-kladde") + ".pdf";
    } catch (const std::exception& e) {
        showError(this, e.what());
        return;
    }
    m_status->SetLabel(_("Laver PDF …"));
    runInBackground(
        this,
        [doc = std::move(doc), file] {
            try {
                const auto pdf = app::renderPdf(doc);
                // Replaced each time: private, whole or not at all (gui/private_pdf.h).
                return Written { writePrivatePdf(file, pdf.bytes).string(), {} };
            } catch (const std::exception& e) {
                return Written { {}, e.what() };
            }
        },
        [this, then](const Written& written) {
            updateStatus();
            if (!written.error.empty())
                return showError(this, written.error);
            m_pdfFiles.insert(written.path); // removed when this document closes
            then(written.path);
        });
}

void EditorPanel::openPdf()
{
    withPdf([this](const std::string& file) {
        if (openPdfViewer(file))
            return;
        // No viewer (or it would not start): say so, and offer to keep the PDF somewhere else.
        wxMessageDialog ask(this,
            _("Der er intet program til at vise PDF-filer på denne computer. Vil du gemme PDF-filen, så du "
              "kan åbne den et andet sted?"),
            _("Åbn PDF"), wxYES_NO | wxYES_DEFAULT | wxICON_INFORMATION);
        ask.SetYesNoLabels(_("&Gem PDF-filen …"), _("&Annuller"));
        if (ask.ShowModal() != wxID_YES)
            return;
        wxFileDialog save(this, _("Gem PDF-filen"), wxString(),
            toWx(std::filesystem::path(file).filename().string()), _("PDF-filer (*.pdf)|*.pdf"),
            wxFD_SAVE | wxFD_OVERWRITE_PROMPT);
        if (save.ShowModal() != wxID_OK)
            return;
        try {
            copyFileDurably(fromWx(save.GetPath()), file, { .force = true, .protectedFiles = {} });
            m_status->SetLabel(toWx(format(tr("PDF-filen er gemt som {0}."), { fromWx(save.GetPath()) })));
        } catch (const std::exception& e) {
            showError(this, e.what());
        }
    });
}

void EditorPanel::preview()
{
    saveNow();
    docgen::RenderDocument doc;
    try {
        doc = m_session.printable(m_docId, m_presenter->unchangedVersion());
    } catch (const std::exception& e) {
        showError(this, e.what());
        return;
    }
    m_status->SetLabel(_("Laver forhåndsvisning …"));
    const wxString title = toWx(tabTitle(true));
    runInBackground(
        this, [doc = std::move(doc)] { return makePreview(doc); },
        [this, title](const Preview& pages) {
            updateStatus();
            (new PreviewWindow(this, title, pages))->Show();
        });
}

void EditorPanel::printPdf()
{
    withPdf([this](const std::string& file) {
        if (!printPdfFile(this, file, m_presenter->tmpl().title))
            showError(this, tr("Udskrivning er ikke mulig her. Åbn PDF-filen, og udskriv den derfra."));
    });
}

} // namespace fplan::gui
