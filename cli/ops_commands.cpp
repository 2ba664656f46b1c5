// SPDX-License-Identifier: EUPL-1.2
// Moving ops between installations as files, and rebuilding the store's derived tables.
#include "base/error.h"
#include "cli/command.h"
#include "core/op_exchange.h"

#include <iostream>

namespace fplan::cli {

namespace {

int runOpsExport(const Args& args, std::ostream& out)
{
    args.expectWords(0, "ops export [--case CASE_ID] --out FILE");
    const auto file = args.option("out");
    if (!file)
        throw Error(ErrorCode::Usage, "ops export needs --out FILE");
    Store store = openStore(args);
    const Json payload = exportOps(store, args.option("case"));
    writeFileAtomically(*file, payload.dump(1) + "\n");
    out << "exported " << payload.at("ops").size() << " ops and " << payload.at("templates").size()
        << " templates to " << *file << "\n";
    return 0;
}

int runOpsImport(const Args& args, std::ostream& out)
{
    args.expectWords(1, "ops import FILE");
    const std::string file = args.word(0, "FILE");
    Json payload;
    try {
        payload = Json::parse(readFile(file));
    } catch (const Json::parse_error& e) {
        throw Error(ErrorCode::BadInput, file + ": not JSON: " + e.what());
    }
    Store store = openStore(args);
    ImportResult result;
    try {
        result = importOps(store, payload);
    } catch (const Error& e) {
        throw Error(e.code(), file + ": " + e.what());
    }
    if (!result.refused.empty()) {
        for (const auto& r : result.refused)
            std::cerr << file << ": op " << (r.opId.empty() ? "-" : r.opId) << ": " << r.reason << "\n";
        throw Error(ErrorCode::BadInput,
            file + ": " + std::to_string(result.refused.size()) + " refused; nothing was stored");
    }
    out << "new: " << result.added << "\nalready there: " << result.alreadyThere << "\nrefused: 0\n";
    return 0;
}

int runStoreRebuild(const Args& args, std::ostream& out)
{
    args.expectWords(0, "store rebuild");
    Store store = openStore(args);
    store.rebuildCaches();
    out << "rebuilt the case and document lists from " << store.opCount() << " ops\n";
    return 0;
}

} // namespace

void registerOpsCommands(CommandTable& table)
{
    table.add({ "ops export", "ops export [--case CASE_ID] --out FILE",
        "write the store's (or one case's) ops and their templates to a file", { "force" }, runOpsExport,
        withOptions(StoreOptions, { "case", "out" }) });
    table.add({ "ops import", "ops import FILE",
        "check every op of an ops file, then store them all (or, if any is refused, none); "
        "prints how many were new, already there, refused",
        {}, runOpsImport, StoreOptions });
    table.add({ "store rebuild", "store rebuild", "derive the case and document lists again from the ops", {},
        runStoreRebuild, StoreOptions });
}

} // namespace fplan::cli
