// SPDX-License-Identifier: EUPL-1.2
#include "gui/template_form.h"

namespace fplan::gui {

namespace {

FieldKind kindOf(docgen::FieldType type)
{
    using docgen::FieldType;
    switch (type) {
    case FieldType::Text:
        return FieldKind::Text;
    case FieldType::LongText:
        return FieldKind::LongText;
    case FieldType::Date:
        return FieldKind::Date;
    case FieldType::DateTime:
        return FieldKind::DateTime;
    case FieldType::Number:
        return FieldKind::Number;
    case FieldType::Bool:
        return FieldKind::Bool;
    case FieldType::Choice:
        return FieldKind::Choice;
    case FieldType::MultiChoice:
        return FieldKind::MultiChoice;
    case FieldType::Person:
        return FieldKind::Person;
    case FieldType::TeamMember:
        return FieldKind::TeamMember;
    case FieldType::Table:
        return FieldKind::Table;
    }
    return FieldKind::Text;
}

FormField fieldOf(const docgen::Field& f)
{
    FormField out;
    out.path = f.path;
    out.kind = kindOf(f.type);
    out.label = f.label;
    out.help = f.help;
    out.required = f.required;
    out.maxLength = f.maxLength;
    out.lines = f.lines;
    out.readOnly = f.autoValue == "plan-version"; // docgen sets it when a version is made
    for (const auto& c : f.choices)
        out.choices.push_back({ c.id, c.label });
    for (const auto& c : f.columns)
        out.columns.push_back(fieldOf(c));
    return out;
}

void addSection(const docgen::Section& s, int depth, FormSpec& spec)
{
    FormSection section;
    section.label = s.label;
    section.help = s.help;
    section.depth = depth;
    for (const auto& f : s.fields)
        section.fields.push_back(fieldOf(f));
    spec.sections.push_back(std::move(section));
    for (const auto& sub : s.sections)
        addSection(sub, depth + 1, spec);
}

} // namespace

FormSpec formFromTemplate(const docgen::Template& tmpl)
{
    FormSpec spec;
    spec.templateId = tmpl.id;
    spec.title = tmpl.title;
    spec.version = tmpl.version;
    for (const auto& s : tmpl.sections)
        addSection(s, 0, spec);
    spec.kinds = tmpl.fieldKinds();
    return spec;
}

} // namespace fplan::gui
