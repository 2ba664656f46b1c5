// SPDX-License-Identifier: EUPL-1.2
#include "app/documents.h"
#include "base/error.h"
#include "base/json_input.h"
#include "cli/command.h"
#include "core/bundle.h"
#include "docgen/forms/template.h"
#include "docgen/forms/values.h"
#include "docgen/render/document_renderer.h"

#include <iostream>
#ifdef __GLIBC__
#include <malloc.h>
#endif

namespace fplan::cli {

namespace {

std::string requiredOption(const Args& args, const char* name, const char* usage)
{
    auto value = args.option(name);
    if (!value || value->empty())
        throw Error(ErrorCode::Usage, std::string("--") + name + " is missing (usage: fplan " + usage + ")");
    return *value;
}

Json readJson(const std::string& file)
{
    return readJsonFile(file, limits::ValuesBytes, "values file");
}

// Writes the PDF and says what could not be printed as written (a letter without a font).
int writeRendered(const docgen::RenderDocument& doc, const std::vector<std::string>& renderWarnings,
    const std::string& outFile, std::ostream& out)
{
#ifdef __GLIBC__
    // A render reads two font files of about 700 KB, which PoDoFo copies more than once. glibc
    // gives each such buffer its own mapping, whose every page faults in afresh; on the heap a
    // freed buffer is reused. The process ends after the render, so nothing is held for long:
    // a 6-page plan takes about 1500 page faults instead of 2000.
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
#endif
    const auto pdf = app::renderPdf(doc);
    for (const auto& w : renderWarnings)
        std::cerr << "fplan: warning: " << w << "\n";
    for (const auto& w : pdf.warnings)
        std::cerr << "fplan: warning: " << w << "\n";
    writeFileAtomically(outFile, pdf.bytes);
    out << outFile << ": " << pdf.pageCount << (pdf.pageCount == 1 ? " side" : " sider") << "\n";
    return 0;
}

constexpr const char* RenderUsage
    = "render --bundle BUNDLE.json --template TEMPLATE_ID --values VALUES.json --out FILE.pdf";

int runRender(const Args& args, std::ostream& out)
{
    args.expectWords(0, RenderUsage);
    const std::string bundleFile = requiredOption(args, "bundle", RenderUsage);
    const std::string templateId = requiredOption(args, "template", RenderUsage);
    const std::string valuesFile = requiredOption(args, "values", RenderUsage);
    const std::string outFile = requiredOption(args, "out", RenderUsage);
    const Bundle bundle = parseBundle(readFile(bundleFile), bundleFile);
    const Json values = readJson(valuesFile);
    const auto registry = templateRegistry(args);
    const docgen::Template tmpl = registry.load(templateId);
    try {
        docgen::checkValues(tmpl, values, &bundle.kase);
    } catch (const Error& e) {
        throw Error(e.code(), valuesFile + ": " + e.what());
    }
    docgen::RenderContext context;
    // A plan's version number is one of its values; other documents print as drafts.
    for (const auto* f : tmpl.fields())
        if (f->autoValue == docgen::AutoValue::PlanVersion && values.contains(f->path)
            && values.at(f->path).is_number())
            context.version = values.at(f->path).get<int>();
    std::vector<std::string> warnings;
    const auto doc = docgen::buildRenderDocument(tmpl, values, bundle.kase, context, &warnings);
    return writeRendered(doc, warnings, outFile, out);
}

// `doc render` and `doc ics`: DOC_ID --out FILE [--version V] on the store's document service.
struct DocumentCommand {
    DocumentCommand(const Args& args, const char* usage)
        : docId((args.expectWords(1, usage), args.word(0, "DOC_ID")))
        , outFile(requiredOption(args, "out", usage))
        // A version by its number or, when two concurrent versions share one, its id; the draft without.
        , version(args.versionOption().value_or(VersionRef(app::DraftVersion)))
        , store(openStore(args))
        , registry(templateRegistry(args))
        , documents(store, registry, app::defaultAuthor(store))
    {
    }

    std::string docId;
    std::string outFile;
    VersionRef version;
    Store store;
    docgen::TemplateRegistry registry;
    app::DocumentService documents;
};

constexpr const char* DocRenderUsage = "doc render DOC_ID --out FILE.pdf [--version N|ID]";

int runDocRender(const Args& args, std::ostream& out)
{
    const DocumentCommand command(args, DocRenderUsage);
    const auto printed = command.documents.printable(command.docId, command.version);
    return writeRendered(printed.document, printed.warnings, command.outFile, out);
}

constexpr const char* DocIcsUsage = "doc ics DOC_ID --out FILE.ics [--version N|ID]";

// The meeting of an invitation (or any document whose template has calendar fields) as an
// iCalendar file the team members open in their calendars.
int runDocIcs(const Args& args, std::ostream& out)
{
    const DocumentCommand command(args, DocIcsUsage);
    const auto warnings
        = command.documents.saveCalendarFile(command.docId, command.version, command.outFile, outputPolicy());
    for (const auto& w : warnings)
        std::cerr << "fplan: warning: " << w << "\n";
    out << command.outFile << "\n";
    return 0;
}

} // namespace

void registerRenderCommands(CommandTable& table)
{
    table.add({ "render", RenderUsage,
        "render a document to PDF straight from a bundle and values; nothing is stored", { "force" },
        runRender, { "bundle", "template", "values", "out", "templates" } });
    table.add({ "doc render", DocRenderUsage, "render a document's draft, or one finalised version, to PDF/A",
        { "force" }, runDocRender, withOptions(StoreAndTemplateOptions, { "out", "version" }),
        StoreAccess::ReadOnly });
    table.add({ "doc ics", DocIcsUsage,
        "write a meeting document's draft, or one finalised version, as an iCalendar file for the team",
        { "force" }, runDocIcs, withOptions(StoreAndTemplateOptions, { "out", "version" }),
        StoreAccess::ReadOnly });
}

} // namespace fplan::cli
