// SPDX-License-Identifier: EUPL-1.2
#include "app/documents.h"
#include "base/error.h"
#include "base/json_input.h"
#include "cli/command.h"

#include <iostream>
#include <ostream>

namespace fplan::cli {

namespace {

using app::DocumentService;

// A version (number or id, VersionRef::parse) or the live draft ('draft' or 'kladde').
VersionRef versionOrDraft(const std::string& word, const char* what)
{
    if (word == "draft" || word == "kladde")
        return app::DraftVersion;
    return VersionRef::parse(word, what);
}

std::string shortValue(const Json& v)
{
    if (v.is_null())
        return "(tom)";
    std::string text = v.is_string() ? v.get<std::string>() : v.dump();
    for (auto& c : text)
        if (c == '\n')
            c = ' ';
    return text;
}

int runDocNew(const Args& args, std::ostream& out)
{
    args.expectWords(2, "doc new CASE_ID TEMPLATE_ID");
    const auto templates = templateRegistry(args);
    Store store = openStore(args);
    DocumentService docs(store, templates, app::defaultAuthor(store));
    out << docs.create(args.word(0, "CASE_ID"), args.word(1, "TEMPLATE_ID")).docId << "\n";
    return 0;
}

int runDocFill(const Args& args, std::ostream&)
{
    args.expectWords(2, "doc fill DOC_ID VALUES.json");
    const std::string file = args.word(1, "VALUES.json");
    const Json values = readJsonFile(file, limits::ValuesBytes, "values file");
    const auto templates = templateRegistry(args);
    Store store = openStore(args);
    DocumentService docs(store, templates, app::defaultAuthor(store));
    app::FillResult result;
    try {
        result = docs.fill(args.word(0, "DOC_ID"), values);
    } catch (const Error& e) {
        if (e.code() != ErrorCode::BadInput)
            throw;
        throw Error(e.code(), file + ": " + e.what());
    }
    // Rows the file leaves out stay (the file may be older than the store): say which.
    for (const auto& kept : result.kept) {
        std::string ids;
        for (const auto& id : kept.rowIds)
            ids += (ids.empty() ? "" : ", ") + id;
        std::cerr << "fplan: note: "
                  << terminalSafe(file + ": " + kept.table + ": " + std::to_string(kept.rowIds.size())
                         + " row(s) not in the file stay (" + ids
                         + "); delete one with {\"@id\": ID, \"@delete\": true}, "
                           "or copy \"seen\" from doc show --json as \"@seen\"")
                  << "\n";
    }
    return 0;
}

int runDocShow(const Args& args, std::ostream& out)
{
    args.expectWords(1, "doc show DOC_ID [--json] [--version N|ID|draft]");
    const auto templates = templateRegistry(args);
    Store store = openStore(args);
    DocumentService docs(store, templates, app::defaultAuthor(store));
    Json shown = docs.show(args.word(0, "DOC_ID"));
    if (const auto version = args.option("version")) {
        // A finalised version's values instead of the draft's.
        const VersionRef ref = versionOrDraft(*version, "--version");
        shown["values"] = docs.values(args.word(0, "DOC_ID"), ref);
        if (!ref.id.empty())
            shown["version_id"] = ref.id;
        else if (ref.number != app::DraftVersion)
            shown["version"] = ref.number;
    }
    if (args.flag("json")) {
        out << shown.dump(2) << "\n";
        return 0;
    }
    out << shown.at("template").get<std::string>() << "  " << shown.at("id").get<std::string>() << "\n";
    for (const auto& v : shown.at("versions"))
        out << "  version " << v.at("version") << "  " << v.at("finalized_at").get<std::string>() << "  "
            << v.at("finalized_by").get<std::string>() << "\n";
    for (const auto& [path, value] : shown.at("values").items())
        out << path << ": " << (value.is_string() ? value.get<std::string>() : value.dump()) << "\n";
    for (const auto& c : shown.at("conflicts"))
        out << "KONFLIKT " << c.at("path").get<std::string>() << ": " << c.at("values").dump() << "\n";
    return 0;
}

int runDocFinalize(const Args& args, std::ostream& out)
{
    args.expectWords(1, "doc finalize DOC_ID");
    const auto templates = templateRegistry(args);
    Store store = openStore(args);
    DocumentService docs(store, templates, app::defaultAuthor(store));
    out << docs.finalize(args.word(0, "DOC_ID")).version << "\n";
    return 0;
}

int runDocDiff(const Args& args, std::ostream& out)
{
    args.expectWords(3, "doc diff DOC_ID FROM TO [--json]");
    const VersionRef from = versionOrDraft(args.word(1, "FROM"), "FROM");
    const VersionRef to = versionOrDraft(args.word(2, "TO"), "TO");
    const auto templates = templateRegistry(args);
    Store store = openStore(args);
    DocumentService docs(store, templates, app::defaultAuthor(store));
    const auto changes = docs.diff(args.word(0, "DOC_ID"), from, to);
    if (args.flag("json")) {
        Json list = Json::array();
        for (const auto& c : changes)
            list.push_back(app::toJson(c));
        out << list.dump(2) << "\n";
        return 0;
    }
    for (const auto& c : changes)
        out << c.path << (c.label.empty() ? "" : " (" + c.label + ")") << ": " << c.kind << ": "
            << shortValue(c.before) << " -> " << shortValue(c.after) << "\n";
    return 0;
}

int runDocRevise(const Args& args, std::ostream& out)
{
    args.expectWords(1, "doc revise PLAN_DOC_ID");
    const auto templates = templateRegistry(args);
    Store store = openStore(args);
    DocumentService docs(store, templates, app::defaultAuthor(store));
    out << docs.revise(args.word(0, "PLAN_DOC_ID")).version << "\n";
    return 0;
}

int runDocList(const Args& args, std::ostream& out)
{
    args.expectWords(1, "doc list CASE_ID [--json]");
    Store store = openStore(args);
    const std::string caseId = args.word(0, "CASE_ID");
    if (!store.hasCase(caseId))
        throw Error(ErrorCode::NotFound, "no case with id '" + caseId + "' in this store");
    Json list = Json::array();
    for (const auto& info : store.documents(caseId)) {
        const auto versions = store.documentState(info.id).versions().size();
        if (args.flag("json"))
            list.push_back({ { "id", info.id }, { "template", info.templateId },
                { "template_version", info.templateVersion }, { "versions", versions } });
        else
            out << info.id << "  " << info.templateId << "  " << versions << " version(s)\n";
    }
    if (args.flag("json"))
        out << list.dump(2) << "\n";
    return 0;
}

int runDocFile(const Args& args, std::ostream& out)
{
    args.expectWords(1, "doc file DOC_ID [--version N|ID] [--json]");
    const auto templates = templateRegistry(args);
    Store store = openStore(args);
    const DocumentService docs(store, templates, app::defaultAuthor(store));
    const auto filed = docs.file(args.word(0, "DOC_ID"), args.versionOption().value_or(VersionRef {}));
    for (const auto& w : filed.warnings)
        std::cerr << "fplan: warning: " << terminalSafe(w) << "\n";
    if (args.flag("json")) {
        out << Json { { "pdf", filed.pdf.string() }, { "metadata", filed.metadata.string() },
            { "already_filed", filed.alreadyFiled }, { "metadata_content", filed.metadataJson } }
                   .dump(2)
            << "\n";
        return 0;
    }
    out << filed.pdf.string() << "\n" << filed.metadata.string() << "\n";
    if (filed.alreadyFiled)
        out << "already filed: both files were there with this content\n";
    return 0;
}

} // namespace

void registerDocCommands(CommandTable& table)
{
    table.add({ "doc new", "doc new CASE_ID TEMPLATE_ID", "a new draft; prints the document id", {},
        runDocNew, StoreAndTemplateOptions });
    table.add({ "doc fill", "doc fill DOC_ID VALUES.json", "values keyed by field path; all or nothing", {},
        runDocFill, StoreAndTemplateOptions });
    table.add({ "doc show", "doc show DOC_ID [--json] [--version N|ID|draft]",
        "values (of the draft or version N), conflicts, versions", { "json" }, runDocShow,
        withOptions(StoreAndTemplateOptions, { "version" }), StoreAccess::ReadOnly });
    table.add({ "doc finalize", "doc finalize DOC_ID", "freezes the draft as version n, prints n", {},
        runDocFinalize, StoreAndTemplateOptions });
    table.add({ "doc diff", "doc diff DOC_ID FROM TO [--json]",
        "field-by-field changes from one version to another (each a number, a version id, or 'draft')",
        { "json" }, runDocDiff, StoreAndTemplateOptions, StoreAccess::ReadOnly });
    table.add({ "doc revise", "doc revise PLAN_DOC_ID",
        "starts the next plan version from the latest one and the agreed follow-up changes; prints its "
        "number",
        {}, runDocRevise, StoreAndTemplateOptions });
    table.add({ "doc file", "doc file DOC_ID [--version N|ID] [--json]",
        "writes a finalised version's PDF and metadata into the ESDH/eDoc folder (setting filing.folder)",
        { "json" }, runDocFile, withOptions(StoreAndTemplateOptions, { "version" }), StoreAccess::ReadOnly });
    table.add({ "doc list", "doc list CASE_ID [--json]", "the case's documents", { "json" }, runDocList,
        StoreOptions, StoreAccess::ReadOnly });
}

} // namespace fplan::cli
