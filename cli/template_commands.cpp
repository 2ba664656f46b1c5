// SPDX-License-Identifier: EUPL-1.2
#include "base/error.h"
#include "cli/command.h"
#include "docgen/forms/template.h"

#include <ostream>

namespace fplan::cli {

namespace {

using docgen::Template;
using docgen::TemplateRegistry;

int runTemplateList(const Args& args, std::ostream& out)
{
    args.expectWords(0, "template list [--json] [--templates DIR]");
    const TemplateRegistry registry = templateRegistry(args);
    Json list = Json::array();
    for (const auto& id : registry.ids()) {
        const Template t = registry.load(id);
        if (args.flag("json"))
            list.push_back({ { "id", t.id }, { "title", t.title }, { "version", t.version } });
        else
            out << t.id << "  " << t.title << "  (version " << t.version << ")\n";
    }
    if (args.flag("json"))
        out << list.dump(2) << "\n";
    return 0;
}

void printField(const docgen::Field& f, const std::string& indent, std::ostream& out)
{
    out << indent << (indent.size() > 2 ? f.id : f.path) << "  " << toString(f.type) << "  " << f.label
        << (f.required ? "  (skal udfyldes)" : "");
    if (f.maxLength)
        out << "  max " << f.maxLength;
    if (!f.choices.empty()) {
        out << "  [";
        for (std::size_t i = 0; i < f.choices.size(); ++i)
            out << (i ? ", " : "") << f.choices[i].id;
        out << "]";
    }
    out << "\n";
    for (const auto& c : f.columns)
        printField(c, indent + "    ", out);
}

int runTemplateShow(const Args& args, std::ostream& out)
{
    args.expectWords(1, "template show TEMPLATE_ID [--json] [--templates DIR]");
    const Template t = templateRegistry(args).load(args.word(0, "TEMPLATE_ID"));
    if (args.flag("json")) {
        out << docgen::templateToJson(t).dump(2) << "\n";
        return 0;
    }
    out << t.id << "  " << t.title << "  (version " << t.version << ")\n";
    for (const auto* f : t.fields())
        printField(*f, "  ", out);
    return 0;
}

int runTemplateValidate(const Args& args, std::ostream& out)
{
    args.expectWords(1, "template validate FILE.xml [--templates DIR]");
    const std::string file = args.word(0, "FILE.xml");
    const Template t = templateRegistry(args).loadFile(file);
    out << file << ": valid template '" << t.id << "' version " << t.version << ", " << t.fields().size()
        << " fields\n";
    return 0;
}

} // namespace

docgen::TemplateRegistry templateRegistry(const Args& args)
{
    const auto dir = args.option("templates");
    return TemplateRegistry::locate(dir ? std::optional<std::filesystem::path>(*dir) : std::nullopt);
}

void registerTemplateCommands(CommandTable& table)
{
    table.add({ "template list", "template list [--json]", "the templates in the templates folder",
        { "json" }, runTemplateList, { "templates" } });
    table.add({ "template show", "template show TEMPLATE_ID [--json]",
        "every field: path, type, label, required, max_length, choices, columns", { "json" }, runTemplateShow,
        { "templates" } });
    table.add({ "template validate", "template validate FILE.xml",
        "checks a template against the schema and the rules; FILE:LINE: reason when it is not valid", {},
        runTemplateValidate, { "templates" } });
}

} // namespace fplan::cli
