// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include "core/case.h"
#include "core/store.h"
#include "gui/form_spec.h"

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

// Why a value does not fit its field, or "" when it does. Empty values are fine here;
// whether a field must be filled is a rule of finalising (missingForFinalize).
std::string validateValue(const FormField& field, const Json& value, const std::vector<FormChoice>& choices);
bool isEmptyValue(const Json& value);

// The document editor's logic. Edits land in a working copy at once (the window shows them)
// and reach the store as ops on flush(), which the window calls a moment after the typing stops.
class EditorPresenter {
public:
    EditorPresenter(Store& store, std::string docId, FormSpec spec, Case kase, std::string author);

    const FormSpec& spec() const { return m_spec; }
    const std::string& docId() const { return m_docId; }
    const std::string& caseId() const { return m_case.id; }
    const Case& kase() const { return m_case; }

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

    // Choices of a field; person and team-member fields choose among the case's people and team.
    std::vector<FormChoice> choicesFor(const FormField& field) const;
    std::string message(const std::string& path) const;
    std::string displayText(const FormField& field, const Json& value) const;

    // The values concurrent edits left standing on a plain field (empty when there is no conflict),
    // in the same order on every device.
    std::vector<Json> conflictValues(const std::string& path) const;
    // A person picks (or writes) the value: stored with every standing value as its parent, which
    // ends the conflict even when the pick equals the value shown.
    void resolve(const std::string& path, Json value);

    bool dirty() const { return !m_dirty.empty(); }
    // Writes the pending edits as ops in one transaction. Returns how many ops were stored.
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
    // Freezes the draft as the next version and returns its number; Error(BadInput) lists the
    // problems if there are any.
    int finalize();
    // Set by the window to let docgen freeze the version (its own rules and automatic values);
    // without it the version is frozen through core directly.
    std::function<int()> finalizer;
    const std::vector<Version>& versions() const { return m_state.versions(); }
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
    const FormField* column(const std::string& table, const std::string& column) const;
    Json valuesOf(int version) const;
    std::string labelOf(const std::string& path) const;

    Store& m_store;
    std::string m_docId;
    FormSpec m_spec;
    Case m_case;
    OpFactory m_factory;
    DocumentState m_state;
    Json m_values;
    std::set<std::string> m_dirty;
    std::vector<UndoStep> m_undo;
    std::vector<UndoStep> m_redo;
    bool m_breakGroup = true;
};

} // namespace fplan::gui
