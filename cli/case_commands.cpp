// SPDX-License-Identifier: EUPL-1.2
#include "app/documents.h"
#include "base/error.h"
#include "cli/command.h"
#include "core/bundle.h"

#include <iostream>

namespace fplan::cli {

namespace {

int runCaseImport(const Args& args, std::ostream& out)
{
    args.expectWords(1, "case import BUNDLE.json");
    const std::string file = args.word(0, "BUNDLE.json");
    // Everything is checked before the store is opened for writing: a bad bundle changes nothing.
    const Bundle bundle = parseBundle(readFile(file), file);
    Store store = openStore(args);
    OpFactory factory(app::defaultAuthor(store), store.deviceId(), store.clock());
    const std::string caseId
        = importBundle(store, bundle, factory, [&](const BundleDocument& doc, const Case& c) {
              try {
                  return prepareBundleDocument(doc, c, args);
              } catch (const Error& e) {
                  throw Error(e.code(), file + ": " + doc.jsonPath + ".values." + e.what());
              }
          });
    out << caseId << "\n";
    return 0;
}

int runCaseExport(const Args& args, std::ostream& out)
{
    args.expectWords(1, "case export CASE_ID [--out FILE]");
    Store store = openStore(args);
    const std::string text = bundleToJson(exportBundle(store, args.word(0, "CASE_ID"))).dump(2) + "\n";
    if (auto file = args.option("out"))
        writeFileAtomically(*file, text);
    else
        out << text;
    return 0;
}

int runCaseList(const Args& args, std::ostream& out)
{
    args.expectWords(0, "case list [--json]");
    Store store = openStore(args);
    const auto cases = store.listCases();
    if (args.flag("json")) {
        Json list = Json::array();
        for (const auto& c : cases)
            list.push_back({ { "id", c.id }, { "title", c.title }, { "journal_number", c.journalNumber },
                { "kle", c.kle } });
        out << list.dump(2) << "\n";
        return 0;
    }
    for (const auto& c : cases)
        out << c.id << "  " << c.title << (c.journalNumber.empty() ? "" : "  (" + c.journalNumber + ")")
            << "\n";
    return 0;
}

} // namespace

void registerCaseCommands(CommandTable& table)
{
    table.add({ "case import", "case import BUNDLE.json", "import a case bundle; prints the new case id", {},
        runCaseImport, StoreAndTemplateOptions });
    table.add({ "case export", "case export CASE_ID [--out FILE]",
        "write a bundle that imports back to the same content", { "force" }, runCaseExport,
        withOptions(StoreOptions, { "out" }), StoreAccess::ReadOnly });
    table.add({ "case list", "case list [--json]", "list the cases in the store", { "json" }, runCaseList,
        StoreOptions, StoreAccess::ReadOnly });
}

} // namespace fplan::cli
