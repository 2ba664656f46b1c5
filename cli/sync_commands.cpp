// SPDX-License-Identifier: EUPL-1.2
#include "base/error.h"
#include "cli/command.h"
#include "crypto/random.h"
#include "sync/client/sync_client.h"

#include <cstdlib>
#include <ostream>

namespace fplan::cli {

namespace {

constexpr const char* SyncUsage = "sync --server URL --user NAME [--ca CERT.pem] [--json]";

// The account's password: $FPLAN_PASSWORD for automation, else asked on the terminal.
std::string serverPassword()
{
    if (const char* env = std::getenv("FPLAN_PASSWORD"))
        return env;
    // The sync client takes the password as a string (it goes into a request body), wiped after the sync.
    return std::string(askHidden("Adgangskode til serveren: ").view());
}

std::string required(const Args& args, const char* name)
{
    auto value = args.option(name);
    if (!value || value->empty())
        throw Error(ErrorCode::Usage, std::string("--") + name + " is required: " + SyncUsage);
    return *value;
}

void printReport(const sync::SyncReport& r, std::ostream& out)
{
    if (r.firstSignIn)
        out << "signed in to " << r.server << " as " << r.account << "; server certificate SHA-256 "
            << r.fingerprint << " pinned\n";
    out << "pushed " << r.pushed << ", pulled " << r.pulled << ", cases new " << r.casesNew.size()
        << ", updated " << r.casesUpdated.size() << "\n";
    for (const auto& id : r.casesNew)
        out << "  new case " << id << "\n";
    for (const auto& id : r.casesUpdated)
        out << "  updated case " << id << "\n";
    if (r.queued > 0)
        out << r.queued << " ops still wait for the server\n";
}

int runSync(const Args& args, std::ostream& out)
{
    args.expectWords(0, SyncUsage);
    sync::SyncOptions options;
    options.server = required(args, "server");
    options.account = required(args, "user");
    if (auto ca = args.option("ca"))
        options.ca = *ca;
    std::string password;
    options.password = [&password] {
        if (password.empty())
            password = serverPassword();
        return password;
    };
    Store store = openStore(args);
    sync::SyncReport report;
    try {
        report = sync::syncWithServer(store, options);
    } catch (...) {
        crypto::wipe(password.data(), password.size());
        throw;
    }
    crypto::wipe(password.data(), password.size());
    if (args.flag("json"))
        out << sync::toJson(report).dump(2) << "\n";
    else
        printReport(report, out);
    return 0;
}

} // namespace

void registerSyncCommands(CommandTable& table)
{
    table.add({ "sync", SyncUsage,
        "pushes this store's new ops to the case store server and pulls the team's "
        "(password: $FPLAN_PASSWORD or a prompt)",
        { "json" }, runSync, withOptions(StoreOptions, { "server", "user", "ca" }) });
}

} // namespace fplan::cli
