// SPDX-License-Identifier: EUPL-1.2
#include "cli/command.h"
#include "core/bundle.h"
#include "base/error.h"
#include "base/json_input.h"
#include "docgen/render/document_renderer.h"
#include "app/documents.h"
#include "docgen/render/fonts.h"
#include "docgen/render/pdf_writer.h"
#include "docgen/forms/template.h"
#include "docgen/forms/values.h"

#include <iostream>

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
    docgen::SystemFonts fonts;
    const auto pdf = docgen::renderPdf(doc, fonts);
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
        if (f->autoValue == "plan-version" && values.contains(f->path) && values.at(f->path).is_number())
            context.version = values.at(f->path).get<int>();
    std::vector<std::string> warnings;
    const auto doc = docgen::buildRenderDocument(tmpl, values, bundle.kase, context, &warnings);
    return writeRendered(doc, warnings, outFile, out);
}

constexpr const char* DocRenderUsage = "doc render DOC_ID --out FILE.pdf [--version N]";

int runDocRender(const Args& args, std::ostream& out)
{
    args.expectWords(1, DocRenderUsage);
    const std::string docId = args.word(0, "DOC_ID");
    const std::string outFile = requiredOption(args, "out", DocRenderUsage);
    std::optional<int> wanted;
    if (auto v = args.option("version")) {
        try {
            std::size_t used = 0;
            wanted = std::stoi(*v, &used);
            if (used != v->size() || *wanted < 1)
                throw std::invalid_argument(*v);
        } catch (const std::logic_error&) {
            throw Error(ErrorCode::Usage, "--version wants a version number (1, 2, ...), not '" + *v + "'");
        }
    }
    Store store = openStore(args);
    const auto registry = templateRegistry(args);
    docgen::Documents documents(store, registry, currentAuthor(store));
    const DocumentInfo info = documents.info(docId);
    const Case kase = documents.caseOf(info.caseId);
    const docgen::Template tmpl = documents.templateOf(info);
    const DocumentState state = store.documentState(docId);

    docgen::RenderContext context;
    context.municipality = store.setting("municipality.name").value_or(kase.municipality);
    Json values;
    std::vector<std::string> warnings;
    if (wanted) {
        const auto& versions = state.versions();
        const auto it = std::find_if(
            versions.begin(), versions.end(), [&](const Version& v) { return v.number == *wanted; });
        if (it == versions.end())
            throw Error(ErrorCode::NotFound,
                "document " + docId + " has no version " + std::to_string(*wanted)
                    + (versions.empty() ? " (it has not been finalised)"
                                        : " (the latest is " + std::to_string(versions.back().number) + ")"));
        values = it->values;
        context.version = it->number;
        context.date = formatHlcUtc(it->hlc).substr(0, 10);
    } else {
        values = state.values(); // the live draft
        // A draft may hold an unresolved conflict; the PDF shows one of its values, so say which.
        for (const auto& c : state.conflicts())
            warnings.push_back(c.path + ": open conflict between " + std::to_string(c.values.size())
                + " values; the draft shows " + c.values.front().dump());
    }
    const auto doc = docgen::buildRenderDocument(tmpl, values, kase, context, &warnings);
    return writeRendered(doc, warnings, outFile, out);
}

} // namespace

void registerRenderCommands(CommandTable& table)
{
    table.add({ "render", RenderUsage,
        "render a document to PDF straight from a bundle and values; nothing is stored", { "force" }, runRender,
        { "bundle", "template", "values", "out", "templates" } });
    table.add({ "doc render", DocRenderUsage, "render a document's draft, or one finalised version, to PDF/A",
        { "force" }, runDocRender, withOptions(StoreAndTemplateOptions, { "out", "version" }), StoreAccess::ReadOnly });
}

} // namespace fplan::cli
