// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include "core/bundle.h"
#include "core/case.h"
#include "core/store.h"
#include "docgen/forms/template.h"

#include <string>
#include <vector>

namespace fplan::docgen {

// One difference between two versions (or a version and the draft), field by field; table
// rows are matched by their row id.
struct FieldChange {
    std::string path;  // "om_planen.dato", "indsatser.indsats[ROW]" or "indsatser.indsats[ROW].status"
    std::string label; // the field's or column's label; empty for a field the template no longer has
    std::string kind;  // "changed", "added", "removed", "row added", "row removed"
    Json before;
    Json after;
};

Json toJson(const FieldChange& change);

// The version number meaning "the live draft" in diff().
inline constexpr int DraftVersion = -1;

// The document commands (`doc new/fill/show/finalize/diff/revise`) on an open store. Every
// change is checked first and written in one transaction, or not at all.
class Documents {
public:
    Documents(Store& store, const TemplateRegistry& templates, std::string author);

    // A new draft: default rows, automatic fields, and tables seeded from the case's latest
    // finalised source document (the follow-up agenda from the family plan). Returns its id.
    std::string create(const std::string& caseId, const std::string& templateId);
    // Values keyed by field path; a bad value throws Error(BadInput, "PATH: reason") and stores
    // nothing. Returns how many ops were stored.
    std::size_t fill(const std::string& docId, const Json& values);
    // `doc show --json`: id, case_id, template, template_version, values, conflicts, versions.
    Json show(const std::string& docId) const;
    // Freezes the draft as the next version and returns its number. Refused (Error(Conflict))
    // while a required field is empty or a conflict is open, naming each.
    int finalize(const std::string& docId);
    std::vector<FieldChange> diff(const std::string& docId, int from, int to) const;
    // The values of version `version` (1, 2, ...) or of the draft (DraftVersion), as `doc fill`
    // takes them; fields the template no longer has are included. Error(NotFound) for no such version.
    Json values(const std::string& docId, int version) const;
    // Starts the next version's draft from the latest finalised version, with the changes agreed
    // at the follow-up meetings since then written back; returns the number it will get.
    int revise(const std::string& docId);

    DocumentInfo info(const std::string& docId) const; // Error(NotFound)
    Case caseOf(const std::string& caseId) const;      // Error(NotFound)
    Template templateOf(const DocumentInfo& info) const;

private:
    Json versionValues(const DocumentState& state, const std::string& docId, int version) const;
    void fillDisciplineAuthors(const Template& tmpl, const DocumentState& state, const Case& kase,
                               Json& values) const;

    Store& m_store;
    const TemplateRegistry& m_templates;
    std::string m_author;
};

// For `case import`: checks a bundle document against its template and tells core how to store it.
PreparedDocument prepareDocument(const TemplateRegistry& templates, const BundleDocument& doc, const Case& kase);

} // namespace fplan::docgen
