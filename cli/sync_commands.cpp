// SPDX-License-Identifier: EUPL-1.2
#include "base/error.h"
#include "cli/command.h"
#include "sync/client/client_state.h"
#include "sync/client/live_client.h"
#include "sync/client/sync_client.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <iostream>
#include <memory>
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

// Syncs, then keeps the live channel open and syncs again whenever the server says a case has
// new ops (and whenever the channel comes up, for what was missed while it was down). A sync
// that cannot reach the server is retried with growing waits; one the server refuses ends the
// watch with its error.
int watch(Store& store, const sync::SyncOptions& options, bool json, std::ostream& out)
{
    using namespace std::chrono_literals;
    WatchSignals signals;
    std::mutex mutex;
    std::condition_variable wake;
    bool syncNeeded = true;
    std::string token;
    auto retry = std::chrono::milliseconds(1000);
    std::unique_ptr<sync::LiveClient> live; // after what its callbacks touch: it goes first
    auto waitFor = [&](std::chrono::milliseconds longest) {
        // Polled, so that a signal (which only sets a flag) ends the wait soon.
        const auto until = std::chrono::steady_clock::now() + longest;
        std::unique_lock lock(mutex);
        while (!syncNeeded && !signals.stopped() && std::chrono::steady_clock::now() < until)
            wake.wait_for(lock, 100ms);
    };
    while (!signals.stopped()) {
        waitFor(std::chrono::hours(24));
        if (signals.stopped())
            break;
        {
            std::lock_guard lock(mutex);
            syncNeeded = false;
        }
        try {
            printResult(sync::syncWithServer(store, options), json, out, true);
            out << std::flush;
            retry = 1000ms;
        } catch (const Error& e) {
            if (e.code() != ErrorCode::Network)
                throw;
            std::cerr << "fplan sync: " << e.what() << "; trying again in " << retry.count() / 1000 << " s"
                      << std::endl;
            {
                std::lock_guard lock(mutex);
                syncNeeded = false;
            }
            waitFor(retry);
            std::lock_guard lock(mutex);
            syncNeeded = true;
            retry = std::min<std::chrono::milliseconds>(retry * 2, 60s);
            continue;
        }
        const auto binding = sync::ClientState(store).binding();
        {
            std::lock_guard lock(mutex);
            token = binding ? binding->token : std::string();
        }
        if (!live && binding) {
            sync::LiveOptions o;
            o.server = options.server;
            o.ca = options.ca;
            o.fingerprint = binding->fingerprint;
            o.token = [&] {
                std::lock_guard lock(mutex);
                return token;
            };
            o.onNotice = [&](const sync::LiveNotice&) {
                std::lock_guard lock(mutex);
                syncNeeded = true;
                wake.notify_all();
            };
            o.onConnection = [&](bool up, const std::string& why, int status) {
                std::cerr << "fplan sync: live channel " << (up ? "open" : "lost: " + why) << std::endl;
                // Up: catch up on what was missed. 401: the session expired; a sync signs in again.
                if (up || status == 401) {
                    std::lock_guard lock(mutex);
                    syncNeeded = true;
                    wake.notify_all();
                }
            };
            live = std::make_unique<sync::LiveClient>(std::move(o));
        }
    }
    live.reset();
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
    Store store = openStore(args);
    const bool json = args.flag("json");
    if (args.flag("watch"))
        return watch(store, options, json, out);
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
