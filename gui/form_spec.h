// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include "core/document.h"

#include <cstddef>
#include <string>
#include <vector>

namespace fplan::gui {

// The editor's view of a template: what control each field gets. Built from docgen's template
// (template_form.h), so the editor depends on the template model in one place only.
enum class FieldKind {
    Text,
    LongText,
    Date,
    DateTime,
    Number,
    Bool,
    Choice,
    MultiChoice,
    Person,
    TeamMember,
    Table
};

struct FormChoice {
    std::string id;
    std::string label;
};

struct FormField {
    std::string path; // field path, or the column id for a table column
    FieldKind kind = FieldKind::Text;
    std::string label;
    std::string help;
    bool required = false;
    std::size_t maxLength = 0; // 0: no limit
    int lines = 0; // height hint for long text
    bool readOnly = false; // filled in by the program (the plan's version number)
    std::vector<FormChoice> choices;
    std::vector<FormField> columns; // tables only
};

struct FormSection {
    std::string label;
    std::string help;
    int depth = 0; // 0 for a top-level section
    std::vector<FormField> fields;
};

struct FormSpec {
    std::string templateId;
    std::string title;
    std::string version;
    std::vector<FormSection> sections;
    FieldKinds kinds;

    const FormField* field(const std::string& path) const;
};

} // namespace fplan::gui
