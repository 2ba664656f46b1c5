// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include "gui/editor_presenter.h"
#include "gui/session.h"

#include <wx/panel.h>
#include <wx/timer.h>

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

class wxGrid;
class wxRect;
class wxScrolledWindow;
class wxSizer;
class wxStaticText;

namespace fplan::gui {

// Shows EditorPresenter: a form generated from the template, one control per field type.
// Every change goes to the presenter at once; a timer saves a moment after typing stops.
class EditorPanel : public wxPanel {
public:
    EditorPanel(wxWindow* parent, Session& session, const std::string& docId);
    ~EditorPanel() override;

    const std::string& docId() const { return m_docId; }
    const std::string& caseId() const { return m_presenter->caseId(); }
    // The document's kind, and with `withCase` the case's title after it.
    std::string tabTitle(bool withCase) const;
    void undo();
    void redo();
    void finalize();
    // "Start næste version": the plan's next draft, as `fplan doc revise`.
    void startNextVersion();
    void showChanges();
    void saveNow();
    void openPdf();
    void preview();
    void printPdf();

    // Ops of this document that reached the store (MainFrame's store watch): shown at once,
    // without touching the field the person is typing in.
    void followStore(const std::vector<Op>& ops);

    // After a save or a new version, so the case overview can show the new status.
    std::function<void()> onSaved;
    // The person typed in this top-level section (for the others' presence line).
    std::function<void(const std::string& section)> onWriting;
    // Who else has the document open and where ("Mette Mø skriver i Familiens mål"); empty hides it.
    void showPresence(const std::string& text);
    const docgen::Template& tmpl() const { return m_presenter->tmpl(); }

private:
    struct FieldView {
        std::function<void()> refresh; // shows the presenter's value in the control
        wxStaticText* message = nullptr;
        wxPanel* conflict = nullptr; // shown while concurrent edits leave two values standing
        wxWindow* control = nullptr; // the field's control, to know where the person is
        wxPanel* resurrected = nullptr; // a table's rows deleted by one while another edited them
    };
    void build();
    void addField(wxWindow* parent, wxSizer* sizer, const docgen::Field& field);
    void addTable(wxWindow* parent, wxSizer* sizer, const docgen::Field& field);
    // Scrolls the form so that the table's row (and the buttons under it) can be seen.
    void showRow(wxGrid* grid, int row);
    // Scrolls the form so that the screen rectangle (a control, a row) can be seen.
    void showInForm(const wxRect& onScreen);
    void edited(const std::string& path);
    void showMessage(const std::string& path);
    void showConflict(const std::string& path);
    void showConflicts();
    void showResurrected(const std::string& table);
    // The field the person is in (a table while one of its cells is being edited); "" if none.
    std::string heldPath() const;
    // Shows values that changed in the store while they could not be shown (a table in edit).
    void catchUp();
    void updateStatus();
    // Renders on a worker thread into a private file, then calls `then` with its path.
    void withPdf(std::function<void(const std::string& file)> then);

    Session& m_session;
    std::string m_docId;
    std::unique_ptr<EditorPresenter> m_presenter;
    std::map<std::string, FieldView> m_fields;
    wxScrolledWindow* m_form = nullptr;
    wxStaticText* m_status = nullptr;
    wxStaticText* m_presence = nullptr;
    wxTimer m_autosave;
    std::set<std::string> m_pdfFiles; // the private PDFs made for this document
};

} // namespace fplan::gui
