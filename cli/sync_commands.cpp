// SPDX-License-Identifier: EUPL-1.2
#include "base/error.h"
#include "cli/command.h"
#include "core/store_connections.h"
#include "sync/client/client_state.h"
#include "sync/client/sync_client.h"
#include "sync/client/sync_loop.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <iostream>
#include <mutex>
#include <optional>
#include <ostream>

namespace fplan::cli {

namespace {

constexpr const char* SyncUsage = "sync --server URL --user NAME [--ca CERT.pem] [--json] [--watch]";

// The account's password, in locked memory: $FPLAN_PASSWORD for automation (taken out of the
// environment and wiped there at once), else asked on the terminal when a sign-in needs it.
class ServerPassword {
public:
    ServerPassword()
        : m_password(takeSecretFromEnvironment("FPLAN_PASSWORD"))
    {
    }
    // A copy in locked memory for the sync client, which wipes it once the sign-in is sent.
    crypto::SecretString operator()()
    {
        if (!m_password)
            m_password = askHidden("Adgangskode til serveren: ");
        return crypto::SecretString(m_password->view());
    }

private:
    std::optional<crypto::SecretString> m_password;
};

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

// --watch prints one JSON object per line (a stream); a single sync prints it indented.
void printResult(const sync::SyncReport& report, bool json, std::ostream& out, bool stream = false)
{
    if (json)
        out << sync::toJson(report).dump(stream ? -1 : 2) << "\n";
    else
        printReport(report, out);
}

// SIGINT and SIGTERM end a watch after the sync in progress (the handlers only set a flag).
std::atomic<bool> g_stopWatch { false };

extern "C" void stopWatch(int)
{
    g_stopWatch = true;
}

class WatchSignals {
public:
    WatchSignals()
    {
        g_stopWatch = false;
        struct sigaction action { };
        action.sa_handler = stopWatch;
        sigemptyset(&action.sa_mask);
        sigaction(SIGINT, &action, &m_int);
        sigaction(SIGTERM, &action, &m_term);
    }
    ~WatchSignals()
    {
        sigaction(SIGINT, &m_int, nullptr);
        sigaction(SIGTERM, &m_term, nullptr);
    }
    bool stopped() const { return g_stopWatch; }

private:
    struct sigaction m_int { };
    struct sigaction m_term { };
};

// Syncs, then keeps syncing through a SyncLoop: whenever the live channel says a case has new
// ops or comes up again, and with growing waits while the server cannot be reached. A sync the
// server refuses ends the watch with its error.
int watch(StoreConnections& connections, const sync::SyncOptions& options, bool json, std::ostream& out)
{
    using namespace std::chrono_literals;
    WatchSignals signals;
    std::mutex mutex;
    std::condition_variable wake;
    std::optional<sync::SyncLoopStatus> refused;
    sync::SyncLoopOptions o;
    o.sync = options;
    // The loop's own connection: the same file, opened again with the same key.
    o.openStore = [&connections] { return connections.open(); };
    o.onStatus = [&](const sync::SyncLoopStatus& status) {
        if (status.phase == sync::SyncLoopStatus::Phase::Synced) {
            printResult(*status.report, json, out, true);
            out << std::flush;
        } else if (status.phase == sync::SyncLoopStatus::Phase::Failed && status.retryIn) {
            std::cerr << "fplan sync: " << status.message << "; trying again in "
                      << status.retryIn->count() / 1000 << " s" << std::endl;
        } else if (status.phase == sync::SyncLoopStatus::Phase::Failed) {
            std::lock_guard lock(mutex);
            refused = status;
            wake.notify_all();
        }
    };
    o.onLive
        = [](bool up) { std::cerr << "fplan sync: live channel " << (up ? "open" : "lost") << std::endl; };
    sync::SyncLoop loop(std::move(o));
    {
        // Polled, so that a signal (which only sets a flag) ends the wait soon.
        std::unique_lock lock(mutex);
        while (!refused && !signals.stopped())
            wake.wait_for(lock, 100ms);
    }
    loop.stop();
    if (refused)
        std::rethrow_exception(refused->error);
    return 0;
}

int runSync(const Args& args, std::ostream& out)
{
    args.expectWords(0, SyncUsage);
    sync::SyncOptions options;
    options.server = required(args, "server");
    options.account = required(args, "user");
    if (auto ca = args.option("ca"))
        options.ca = *ca;
    ServerPassword password; // wiped when it goes out of scope
    options.password = [&password] { return password(); };
    const bool json = args.flag("json");
    if (args.flag("watch")) {
        // Opened once here, which checks the passphrase (and finishes a cut-short change of it);
        // the loop then syncs on a connection of its own.
        crypto::SecretString secret = passphrase(args);
        Store::open(storePath(args), secret.view());
        StoreConnections connections(storePath(args), std::move(secret));
        return watch(connections, options, json, out);
    }
    Store store = openStore(args);
    printResult(sync::syncWithServer(store, options), json, out);
    return 0;
}

} // namespace

void registerSyncCommands(CommandTable& table)
{
    table.add({ "sync", SyncUsage,
        "pushes this store's new ops to the case store server and pulls the team's "
        "(password: $FPLAN_PASSWORD or a prompt); --watch keeps syncing whenever the server has news, "
        "until SIGINT or SIGTERM",
        { "json", "watch" }, runSync, withOptions(StoreOptions, { "server", "user", "ca" }) });
}

} // namespace fplan::cli
