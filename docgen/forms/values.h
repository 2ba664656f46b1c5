// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include "core/case.h"
#include "core/op.h"
#include "docgen/forms/template.h"

#include <optional>
#include <string>
#include <vector>

namespace fplan::docgen {

// Why a value does not fit, or why a document cannot be finalised. The text a person reads is
// made from the code where it is shown (English in the CLI: describe(); Danish in the desktop).
enum class ProblemCode {
    NotAnObject, // the values are not a JSON object keyed by field path
    UnknownField, // detail: the template id, limit: its version
    UnknownColumn, // detail: the table's path
    NotText, // detail: the value
    LineBreak, // a line break in a short text field
    ControlCharacter,
    TooLong, // detail: the length in characters, limit: the maximum
    NotCpr, // detail: the text, limit: why (core's CPR check)
    NotEmail, // detail: the text
    NotPhone, // detail: the text
    NotDate, // detail: the value
    NotDateTime, // detail: the value
    NotNumber, // detail: the value
    NotFinite,
    BelowMin, // detail: the number, limit: the minimum
    AboveMax, // detail: the number, limit: the maximum
    NotBool, // detail: the value
    NotAChoice, // detail: the value, limit: the choices' ids, comma-separated
    NotAList, // detail: the value
    ChosenTwice, // detail: the value
    NotAPersonId, // detail: the value
    UnknownPerson, // detail: the id
    NotATeamMemberId, // detail: the value
    UnknownTeamMember, // detail: the id
    WrongFagomraade, // detail: the member's name, context: the member's fagområde, limit: the field's
    NotATable, // detail: the value
    TooManyRows, // detail: the row count, limit: the maximum
    NotARow, // detail: the value
    BadRowId, // detail: the value
    DuplicateRowId, // detail: the id
    MissingRequired, // detail: the field's or column's label, limit: the table's label (cells)
    DanglingReference, // detail: the row id, limit: the table it should be a row of
    OpenConflict, // detail: how many values stand
    Unchanged, // detail: the latest version's number
};

// Where a problem is: a field, or one cell (or row) of a table, as parts, never parsed back.
struct ProblemPath {
    ProblemPath() = default;
    ProblemPath(std::string fieldPath, std::optional<std::size_t> rowIndex = {}, std::string columnId = {},
        std::string rowIdentifier = {})
        : field(std::move(fieldPath))
        , row(rowIndex)
        , column(std::move(columnId))
        , rowId(std::move(rowIdentifier))
    {
    }

    std::string field; // "om_planen.dato", or the table's path
    std::optional<std::size_t> row; // the row's index (0-based), for a row or a cell
    std::string column; // a cell's column id ("@id" for the row id)
    std::string rowId; // the row's id instead of its index (open conflicts)

    // "om_planen.dato", "indsatser.indsats[2]", "indsatser.indsats[2].start" (the row id in the
    // brackets when that is what is known)
    std::string text() const;
    bool operator==(const ProblemPath&) const = default;
};

struct ValueProblem {
    ProblemPath path;
    ProblemCode code;
    std::string detail;
    std::string limit;
    std::string context;
};

// The English sentence for a problem ("is 25 characters long; at most 20 are allowed"), and the
// same with its path in front ("PATH: reason"), as the command line prints them.
std::string reasonText(const ValueProblem& problem);
std::string describe(const ValueProblem& problem);

// Every value that does not fit its field, in the order of `values`. Values are keyed by field
// path as `doc fill` takes them; null clears a field. Person and team-member ids are checked
// against `kase` (skipped when it is null, e.g. when only the shape is checked).
std::vector<ValueProblem> findValueProblems(const Template& tmpl, const Json& values, const Case* kase);

// Throws Error(BadInput, "PATH: reason") for the first problem (naming how many more there are).
void checkValues(const Template& tmpl, const Json& values, const Case* kase);
[[noreturn]] void refuseValues(const std::vector<ValueProblem>& problems);

// Required fields, tables and cells that are empty in `values` (a whole document's values):
// what stops a draft from being finalised. Reason names the label.
std::vector<ValueProblem> findMissingRequired(const Template& tmpl, const Json& values);

// Fields with refers-to whose row id is not a row of that table in `document` (a whole
// document's values). With `only` given, just the paths it names are checked (those of a fill).
std::vector<ValueProblem> findDanglingReferences(
    const Template& tmpl, const Json& document, const Json* only = nullptr);

bool isEmptyValue(const Json& value);
bool isRealDate(const std::string& text); // YYYY-MM-DD, a day that exists
bool isRealDateTime(const std::string& text); // YYYY-MM-DDTHH:MM
std::size_t utf8Length(const std::string& text);

} // namespace fplan::docgen
