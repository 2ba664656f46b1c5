// SPDX-License-Identifier: EUPL-1.2
// fplan-server: the case store server and its administration commands (docs/sync.md).
#include "base/error.h"
#include "base/process.h"
#include "sync/server/admin.h"
#include "sync/server/backup.h"
#include "sync/server/handler.h"
#include "sync/server/listener.h"
#include "sync/server/storage.h"
#include "sync/server/tls_files.h"

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>
#include <vector>

namespace {

using fplan::Error;
using fplan::ErrorCode;
namespace sync = fplan::sync;

constexpr const char* Usage = R"(usage: fplan-server --data DIR [--postgres URL] [COMMAND]
  (no command)                 serve: [--listen ADDR:PORT] [--cert FILE --key FILE] [--threads N]
  --check-config               check the configuration and the data folder (exit 0 or 2)
  fingerprint                  print the TLS certificate's SHA-256 fingerprint
  user add NAME [--role admin|member]   password from $FPLAN_PASSWORD or a prompt
  user disable NAME
  user list [--json]
  audit export --cpr CPR [--json]
  audit verify
  backup --out FILE [--force]  a consistent, still-encrypted copy of DIR/server.db (also while
                               the server runs); the key (DIR/db.key) is not in it
  restore FILE                 put a backup back (the server must be stopped); the old database
                               is kept as DIR/server.db.before-restore-TIME
)";

struct Options {
    std::string data;
    std::string postgres;
    std::string listen = "127.0.0.1:8443";
    std::string cert;
    std::string key;
    std::string role = "member";
    std::string cpr;
    std::string out;
    int threads = 4;
    bool json = false;
    bool checkConfig = false;
    bool force = false;
    std::vector<std::string> words;
};

Options parse(int argc, char** argv)
{
    Options o;
    const std::map<std::string, std::string*> valued = { { "--data", &o.data }, { "--postgres", &o.postgres },
        { "--listen", &o.listen }, { "--cert", &o.cert }, { "--key", &o.key }, { "--role", &o.role },
        { "--cpr", &o.cpr }, { "--out", &o.out } };
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--json")
            o.json = true;
        else if (arg == "--force")
            o.force = true;
        else if (arg == "--check-config")
            o.checkConfig = true;
        else if (arg == "--help" || arg == "-h") {
            std::cout << Usage;
            std::exit(0);
        } else if (arg == "--threads") {
            if (++i == argc)
                throw Error(ErrorCode::Usage, "--threads needs a number");
            o.threads = std::atoi(argv[i]);
            if (o.threads < 1 || o.threads > 64)
                throw Error(ErrorCode::Usage, "--threads must be 1-64");
        } else if (const auto it = valued.find(arg); it != valued.end()) {
            if (++i == argc)
                throw Error(ErrorCode::Usage, arg + " needs a value");
            *it->second = argv[i];
        } else if (arg.rfind("--", 0) == 0)
            throw Error(ErrorCode::Usage, "unknown option " + arg);
        else
            o.words.push_back(arg);
    }
    if (o.data.empty())
        throw Error(ErrorCode::Usage, "--data DIR is required");
    if (o.cert.empty() != o.key.empty())
        throw Error(ErrorCode::Usage, "--cert and --key go together");
    return o;
}

std::unique_ptr<sync::Storage> openStorage(const Options& o)
{
    if (!o.postgres.empty())
        return sync::openPostgresStorage(o.postgres);
    return sync::openSqlStorage(o.data);
}

std::string readPassword()
{
    if (const char* env = std::getenv("FPLAN_PASSWORD"))
        return env;
    const bool tty = ::isatty(STDIN_FILENO);
    termios old {};
    if (tty) {
        std::cerr << "Password: " << std::flush;
        ::tcgetattr(STDIN_FILENO, &old);
        termios quiet = old;
        quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        ::tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    }
    std::string password;
    std::getline(std::cin, password);
    if (tty) {
        ::tcsetattr(STDIN_FILENO, TCSANOW, &old);
        std::cerr << "\n";
    }
    if (!std::cin && password.empty())
        throw Error(ErrorCode::Usage, "no password: set $FPLAN_PASSWORD or type it");
    return password;
}

std::pair<std::string, std::uint16_t> splitListen(const std::string& listen)
{
    const auto colon = listen.rfind(':');
    if (colon == std::string::npos)
        throw Error(ErrorCode::Usage, "--listen must be ADDR:PORT");
    const auto port = listen.substr(colon + 1);
    if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos
        || std::stoi(port) > 65535)
        throw Error(ErrorCode::Usage, "--listen port '" + port + "' must be 0-65535");
    return { listen.substr(0, colon), static_cast<std::uint16_t>(std::stoi(port)) };
}

sync::TlsFiles tlsFiles(const Options& o, bool make)
{
    sync::TlsFiles files { o.cert, o.key };
    if (o.cert.empty()) {
        if (make && sync::ensureSelfSigned(o.data, files))
            std::cout << "made a self-signed certificate: " << files.certificate.string() << "\n";
        files = { std::filesystem::path(o.data) / "tls.crt", std::filesystem::path(o.data) / "tls.key" };
    }
    return files;
}

int userCommand(const Options& o)
{
    sync::prepareDataDir(o.data);
    const sync::DataDirLock lock(o.data, sync::DataDirLock::Kind::Shared);
    const auto storage = openStorage(o);
    sync::Handler handler(*storage);
    const auto& w = o.words;
    if (w.size() == 3 && w[1] == "add") {
        handler.addAccount(w[2], readPassword(), o.role);
        std::cout << "added " << o.role << " " << w[2] << "\n";
        return 0;
    }
    if (w.size() == 3 && w[1] == "disable") {
        handler.disableAccount(w[2]);
        std::cout << "disabled " << w[2] << "\n";
        return 0;
    }
    if (w.size() == 2 && w[1] == "list") {
        nlohmann::json list = nlohmann::json::array();
        for (const auto& a : storage->accounts()) {
            if (o.json)
                list.push_back({ { "user", a.name }, { "role", a.role }, { "disabled", a.disabled } });
            else
                std::cout << a.name << "  " << a.role << (a.disabled ? "  disabled" : "") << "\n";
        }
        if (o.json)
            std::cout << list.dump(2) << "\n";
        return 0;
    }
    throw Error(ErrorCode::Usage, "user add NAME | user disable NAME | user list");
}

int auditCommand(const Options& o)
{
    sync::prepareDataDir(o.data);
    const sync::DataDirLock lock(o.data, sync::DataDirLock::Kind::Shared);
    const auto storage = openStorage(o);
    const auto entries = storage->auditEntries();
    if (o.words.size() == 2 && o.words[1] == "verify") {
        if (const auto broken = sync::verifyAuditChain(entries)) {
            std::cerr << "fplan-server: audit log broken at entry " << broken->seq << ": " << broken->reason
                      << "\n";
            return 1;
        }
        std::cout << "audit log intact: " << entries.size() << " entries\n";
        return 0;
    }
    if (o.words.size() == 2 && o.words[1] == "export") {
        if (o.cpr.empty())
            throw Error(ErrorCode::Usage, "audit export needs --cpr CPR");
        const auto mine = sync::auditForPerson(entries, o.cpr);
        if (o.json) {
            nlohmann::json list = nlohmann::json::array();
            for (const auto& e : mine)
                list.push_back(sync::auditToJson(e));
            std::cout << list.dump(2) << "\n";
        } else
            for (const auto& e : mine)
                std::cout << sync::auditToText(e) << "\n";
        return 0;
    }
    throw Error(ErrorCode::Usage, "audit export --cpr CPR [--json] | audit verify");
}

int checkConfig(const Options& o)
{
    try {
        splitListen(o.listen);
        std::error_code ec;
        if (!std::filesystem::exists(o.data, ec))
            throw Error(ErrorCode::BadInput, o.data + ": the data folder does not exist");
        sync::prepareDataDir(o.data);
        const sync::DataDirLock lock(o.data, sync::DataDirLock::Kind::Shared);
        const auto files = tlsFiles(o, false);
        if (!o.cert.empty() || std::filesystem::exists(files.certificate, ec))
            sync::checkTlsFiles(files);
        if (!o.postgres.empty() || std::filesystem::exists(std::filesystem::path(o.data) / "server.db", ec)) {
            const auto storage = openStorage(o);
            storage->lastSeq();
            if (const auto broken = sync::verifyAuditChain(storage->auditEntries()))
                throw Error(ErrorCode::BadInput, "audit log broken at entry " + std::to_string(broken->seq));
        }
        std::cout << "configuration ok\n";
        return 0;
    } catch (const Error& e) {
        std::cerr << "fplan-server: configuration problem: " << e.what() << "\n";
        return 2;
    }
}

// PostgreSQL has its own tools for a consistent copy of a running database.
void refuseOnPostgres(const Options& o, const std::string& command)
{
    if (!o.postgres.empty())
        throw Error(ErrorCode::Usage,
            command
                + " is for the SQLCipher storage in --data DIR; the server's data is in PostgreSQL: back it "
                  "up with pg_dump (pg_dump --format=custom --file FILE DBNAME) and restore it with "
                  "pg_restore "
                  "(see docs/drift.md)");
}

int backupCommand(const Options& o)
{
    refuseOnPostgres(o, "backup");
    if (o.words.size() != 1 || o.out.empty())
        throw Error(ErrorCode::Usage, "backup --out FILE [--force]");
    sync::prepareDataDir(o.data);
    const sync::DataDirLock lock(o.data, sync::DataDirLock::Kind::Shared);
    const auto s = sync::backupServerData(o.data, o.out, o.force);
    std::cout << "backed up " << s.ops << " ops (last seq " << s.lastSeq << ", schema " << s.schema << ") to "
              << o.out << "\n"
              << "it is encrypted with the server's key, which is not in it: keep DIR/db.key safe apart from "
                 "the backups\n";
    return 0;
}

int restoreCommand(const Options& o)
{
    refuseOnPostgres(o, "restore");
    if (o.words.size() != 2)
        throw Error(ErrorCode::Usage, "restore FILE");
    sync::prepareDataDir(o.data);
    const auto r = sync::restoreServerData(o.data, o.words[1]);
    std::cout << "restored " << r.restored.ops << " ops (last seq " << r.restored.lastSeq << ", schema "
              << r.restored.schema << ") from " << o.words[1] << " into " << o.data << "\n";
    if (!r.previous.empty())
        std::cout << "the previous database is kept as " << r.previous.string()
                  << " (remove it when the restored server works)\n";
    return 0;
}

int serve(const Options& o)
{
    const auto [address, port] = splitListen(o.listen);
    sync::prepareDataDir(o.data);
    const sync::DataDirLock lock(o.data, sync::DataDirLock::Kind::Shared);
    const auto storage = openStorage(o);
    const auto files = tlsFiles(o, true);
    sync::checkTlsFiles(files);
    std::cout << "certificate SHA-256 fingerprint: " << sync::certificateFingerprint(files.certificate)
              << "\n";
    sync::Handler handler(*storage);
    sync::HandlerService service(handler);
    sync::Listener listener(service, { address, port, files, o.threads });
    handler.onOpsCommitted([&](const std::string& c, std::int64_t seq) { listener.notify(c, seq); });
    listener.sharePresence([&](const std::string& frame) { storage->announcePresence(frame); });
    storage->listen({ [&](const std::string& c, std::int64_t seq) { listener.notify(c, seq); },
        [&](const std::string& origin, const std::string& frame) {
            listener.remotePresence(origin, frame);
        } });
    std::cout << "storage: " << storage->describe() << "\n";
    std::cout << "listening on https://" << address << ":" << listener.port() << std::endl;
    listener.run();
    std::cout << "stopped" << std::endl;
    return 0;
}

} // namespace

int main(int argc, char** argv)
{
    try {
        // Private files and no core dumps: the process holds keys, tokens and case data.
        fplan::hardenProcess();
        const Options o = parse(argc, argv);
        if (o.checkConfig)
            return checkConfig(o);
        if (o.words.empty())
            return serve(o);
        if (o.words[0] == "user")
            return userCommand(o);
        if (o.words[0] == "audit")
            return auditCommand(o);
        if (o.words[0] == "backup")
            return backupCommand(o);
        if (o.words[0] == "restore")
            return restoreCommand(o);
        if (o.words.size() == 1 && o.words[0] == "fingerprint") {
            const auto files = tlsFiles(o, false);
            std::cout << sync::certificateFingerprint(files.certificate) << "\n";
            return 0;
        }
        throw Error(ErrorCode::Usage, "unknown command '" + o.words[0] + "'");
    } catch (const Error& e) {
        std::cerr << "fplan-server: " << e.what() << "\n";
        if (e.code() == ErrorCode::Usage)
            std::cerr << Usage;
        return fplan::exitCodeFor(e.code());
    } catch (const std::exception& e) {
        std::cerr << "fplan-server: " << e.what() << "\n";
        return 1;
    }
}
