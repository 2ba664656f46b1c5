// SPDX-License-Identifier: EUPL-1.2
#include "app/documents.h"
#include "base/error.h"
#include "cli/command.h"
#include "core/bundle.h"
#include "docgen/forms/values.h"

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

int runCaseConsent(const Args& args, std::ostream& out)
{
    args.expectWords(1, "case consent CASE_ID [--date YYYY-MM-DD] [--json]");
    const std::string date = args.option("date").value_or("");
    if (!date.empty() && !docgen::isRealDate(date))
        throw Error(ErrorCode::Usage, "--date '" + date + "' is not a date (YYYY-MM-DD)");
    const auto templates = templateRegistry(args);
    Store store = openStore(args);
    const app::DocumentService docs(store, templates, app::defaultAuthor(store));
    const auto status = docs.consent(args.word(0, "CASE_ID"), date);
    if (args.flag("json")) {
        out << app::toJson(status).dump(2) << "\n";
        return 0;
    }
    if (status.covered())
        out << "the consent covers the team on " << status.date << " (until " << status.validUntil << ")\n";
    else
        out << "the consent does not cover the team on " << status.date << ":\n";
    for (const auto& gap : status.gaps)
        out << "  " << terminalSafe(app::describe(gap)) << "\n";
    for (const auto& missing : status.missing)
        out << "  " << terminalSafe(app::describe(missing)) << "\n";
    return 0;
}

int runCaseTeamAdd(const Args& args, std::ostream& out)
{
    args.expectWords(
        1, "case team add CASE_ID --name NAME --fagomraade DISCIPLINE [--role R] [--email E] [--phone P]");
    TeamMember member;
    member.name = args.option("name").value_or("");
    member.fagomraade = args.option("fagomraade").value_or("");
    member.role = args.option("role").value_or("");
    member.email = args.option("email").value_or("");
    member.phone = args.option("phone").value_or("");
    const auto templates = templateRegistry(args);
    Store store = openStore(args);
    app::DocumentService docs(store, templates, app::defaultAuthor(store));
    const auto change = docs.saveTeamMember(args.word(0, "CASE_ID"), member);
    if (const auto* gap = change.gap())
        std::cerr << "fplan: warning: consent: " << terminalSafe(app::describe(*gap))
                  << "; nothing may be shared with them until the family consents\n";
    out << change.teamMemberId << "\n";
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
    table.add({ "case consent", "case consent CASE_ID [--date YYYY-MM-DD] [--json]",
        "whether the family's consent covers the team on the date, and the gaps", { "json" }, runCaseConsent,
        withOptions(StoreAndTemplateOptions, { "date" }), StoreAccess::ReadOnly });
    table.add({ "case team add",
        "case team add CASE_ID --name NAME --fagomraade DISCIPLINE [--role R] [--email E] [--phone P]",
        "adds a professional to the team; prints the id and warns when the consent does not cover them", {},
        runCaseTeamAdd,
        withOptions(StoreAndTemplateOptions, { "name", "fagomraade", "role", "email", "phone" }) });
}

} // namespace fplan::cli
