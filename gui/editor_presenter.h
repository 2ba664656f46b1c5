// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include "app/documents.h"
#include "core/case.h"
#include "core/store.h"
#include "docgen/forms/template.h"
#include "docgen/forms/values.h"

#include <cstdint>
#include <functional>
#include <set>
#include <string>
#include <vector>

namespace fplan::gui {

struct DiffLine {
    std::string label;
    std::string before;
    std::string after;
};

// The Danish sentence for a value or finalising problem, made from its code (the field it is
// about is named by the caller).
std::string problemText(const docgen::ValueProblem& problem);

// "Start næste version": the document service's revise, as `fplan doc revise` (the plan's next
// draft from its latest version, with the follow-up meetings' statuses written back and "Udgave"
// filled in). Refused in Danish (BadInput) when there is no finalised version yet or the draft
// already differs from it. Returns the number the new draft will get.
int startNextVersion(app::DocumentService& documents, const std::string& docId);

// One section of the template as the editor lays it out: sections flattened in document order.
struct EditorSection {
    const docgen::Section* section;
    int depth; // 0 for a top-level section
};

// One of the values concurrent edits left standing on a field, with who wrote it and when.
struct StandingValue {
    Json value;
    std::string author;
    std::uint64_t hlc = 0;
    std::string opId;
};

// A table row one person deleted while another edited it: shown again, until someone keeps or
// removes it.
struct ResurrectedRow {
    std::size_t index = 0; // in the table as shown
    std::string rowId;
    std::string deletedBy; // the authors of the standing deletes, ", "-joined
};

// The document editor's logic. Edits land in a working copy at once (the window shows them)
// and reach the store on flush(), which the window calls a moment after the typing stops,
// through the document service's checked fill: the same checks as `fplan doc fill`.
class EditorPresenter {
public:
    EditorPresenter(app::DocumentService& documents, const std::string& docId);

    const docgen::Template& tmpl() const { return m_doc.tmpl; }
    const std::vector<EditorSection>& sections() const { return m_sections; }
    const std::string& docId() const { return m_doc.info.id; }
    const std::string& caseId() const { return m_doc.kase.id; }
    const Case& kase() const { return m_doc.kase; }

    Json value(const std::string& path) const;
    std::string text(const std::string& path) const;
    void setValue(const std::string& path, Json value);

    std::size_t rowCount(const std::string& table) const;
    Json cell(const std::string& table, std::size_t row, const std::string& column) const;
    void setCell(const std::string& table, std::size_t row, const std::string& column, Json value);
    std::size_t addRow(const std::string& table); // appends; returns the new row's index
    void removeRow(const std::string& table, std::size_t row);
    // Moves a row up (delta -1) or down (+1); returns its new index.
    std::size_t moveRow(const std::string& table, std::size_t row, int delta);

    // Choices of a field; person and team-member fields choose among the case's people and team,
    // yes/no fields between "Ja" and "Nej".
    std::vector<docgen::Choice> choicesFor(const docgen::Field& field) const;
    // What text typed into a choice (table cell) stores: the choice it names (its label, without
    // regard to case or accents), null when empty, else the text itself, kept as typed so that
    // the cell's message can name the choices until it is fixed; never silently emptied.
    Json choiceFromText(const docgen::Field& field, const std::string& typed) const;
    // Why the field's value (or a cell of the table) is refused, in Danish; "" when it fits.
    std::string message(const std::string& path) const;
    // The same for one cell of a table ("" when it fits), for tinting the cell.
    std::string cellMessage(const std::string& table, std::size_t row, const std::string& column) const;
    std::string displayText(const docgen::Field& field, const Json& value) const;

    // The values concurrent edits left standing on a plain field (empty when there is no conflict),
    // in the same order on every device.
    std::vector<Json> conflictValues(const std::string& path) const;
    // A person picks (or writes) the value: stored with every standing value as its parent, which
    // ends the conflict even when the pick equals the value shown.
    void resolve(const std::string& path, Json value);

    // The same standing values with their authors and times, in the same order.
    std::vector<StandingValue> conflictVersions(const std::string& path) const;
    // "Mette Hansen, 02.12.2026 kl. 14.32": who wrote a standing value and when (local time);
    // an account name is shown as the name of the team member with that account.
    std::string authorLine(const StandingValue& standing) const;

    // Rows of a table deleted by one person while another edited them.
    std::vector<ResurrectedRow> resurrectedRows(const std::string& table) const;
    // Keeps the row (an insert op naming the standing deletes) or removes it (a delete op
    // naming the edits it had not seen); both are stored at once, after pending edits.
    void keepRow(const std::string& table, const std::string& rowId);
    void removeResurrectedRow(const std::string& table, const std::string& rowId);

    // Ops that reached the store while the editor is open (from the store watch: a co-author's
    // edits through sync, another program, or this desk's own saves, which are skipped). Pending
    // edits are stored first, against what the person saw, so that an edit and a concurrent
    // incoming one meet in the fold: merged when they are texts that merge, else a conflict.
    // Then the ops are applied one by one to the state (no fold of the log again). Returns the
    // paths (fields, tables) whose value in the working copy changed. `held` is the field the
    // person is in: while it has a conflict it keeps what they wrote; a table whose cell is
    // being edited is not replaced until a later call without it. Paths whose edits the fill
    // refused stay as typed here.
    std::vector<std::string> applyIncoming(const std::vector<Op>& ops, const std::string& held = "");

    bool dirty() const { return !m_dirty.empty(); }
    // Writes the pending edits through the service's checked fill and applies the stored ops to
    // the editor's state (the op log is not read again). A value that does not fit stays here,
    // unsaved and shown with its message(), until it is corrected. Returns how many ops were stored.
    std::size_t flush();

    bool canUndo() const { return !m_undo.empty(); }
    bool canRedo() const { return !m_redo.empty(); }
    void undo();
    void redo();
    // The next edit starts a new undo step even on the same field (the window calls it on focus change).
    void breakUndoGroup() { m_breakGroup = true; }
    // Called after undo/redo changed a value, so the window can refresh that control.
    std::function<void(const std::string& path)> onValueChanged;

    // What stops finalising: missing required values, values that do not fit, open conflicts.
    std::vector<std::string> missingForFinalize() const;
    // Freezes the draft as the next version (through the document service) and returns its
    // number; Error(BadInput) lists the problems if there are any.
    int finalize();
    const std::vector<Version>& versions() const { return m_state.versions(); }
    // startNextVersion() for this document after saving; the editor then shows the new draft.
    int startNextVersion();
    // The latest version's number while the draft is still exactly that version; else 0.
    int unchangedVersion() const;
    // 0 is the empty document; -1 is the current draft.
    std::vector<DiffLine> diff(int fromVersion, int toVersion) const;
    std::string statusText() const;

private:
    struct UndoStep {
        std::string path;
        std::string cellKey; // row id + column for a cell edit, to join keystrokes in one cell
        Json before;
        Json after;
    };
    // `typed` is the value typed, for an edit that may join the previous undo step; null otherwise.
    void record(const std::string& path, const std::string& cellKey, const Json& before, const Json& after,
        const Json* typed);
    void apply(const std::string& path, const Json& value);
    Json& table(const std::string& path);
    Json valuesOf(int version) const;
    Json storedValue(const std::string& path) const; // the state's value, as the working copy holds it
    // Replaces the working copy of `path` with the stored value; true when that changed it.
    bool takeStored(const std::string& path);
    std::string labelOf(const std::string& path) const;
    std::string sectionOf(const std::string& path) const; // the label of the field's section
    std::string placeOf(const std::string& path) const; // "Section › Label"
    std::string problemLine(const docgen::ValueProblem& problem) const;
    // problemText(), naming the choices when typed text is not one of them.
    std::string explain(
        const docgen::Field& field, const Json& value, const docgen::ValueProblem& problem) const;

    app::DocumentService& m_documents;
    app::OpenDocument m_doc;
    std::vector<EditorSection> m_sections;
    DocumentState m_state;
    Json m_values;
    std::set<std::string> m_dirty;
    std::set<std::string> m_stale; // changed in the store, not yet in the working copy
    std::vector<UndoStep> m_undo;
    std::vector<UndoStep> m_redo;
    bool m_breakGroup = true;
};

} // namespace fplan::gui
