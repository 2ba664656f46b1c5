// SPDX-License-Identifier: EUPL-1.2
// fplan store backup / store restore: the store's two files (PATH and PATH.kdf) as one file.
#include "base/durable_file.h"
#include "base/error.h"
#include "cli/command.h"
#include "core/store.h"
#include "core/store_backup.h"
#include "crypto/random.h"

#include <filesystem>
#include <ostream>
#include <system_error>

namespace fplan::cli {

namespace {

namespace fs = std::filesystem;

int runStoreBackup(const Args& args, std::ostream& out)
{
    args.expectWords(0, "store backup --out FILE");
    const auto target = args.option("out");
    if (!target)
        throw Error(ErrorCode::Usage, "store backup needs --out FILE");
    const auto path = storePath(args);
    const auto key = Store::deriveStoreKey(path, passphrase(args).view()); // the passphrase is wiped here
    const std::string archive = makeStoreBackup(path, key);
    writeFileAtomically(*target, archive);
    out << "backed up " << path.string() << " and " << Store::kdfPathFor(path).string() << " to " << *target
        << " (" << archive.size() << " bytes, still encrypted)\n";
    return 0;
}

int runStoreRestore(const Args& args, std::ostream& out)
{
    args.expectWords(1, "store restore FILE [--store PATH] [--force]");
    const fs::path file = args.word(0, "FILE");
    const auto path = storePath(args);
    const auto kdfPath = Store::kdfPathFor(path);
    std::error_code ec;
    if (!fs::exists(file, ec))
        throw Error(ErrorCode::NotFound, file.string() + ": no such backup");
    const StoreBackup backup
        = readStoreBackup(readFile(file, MaxBackupBytes + 1024 * 1024, "backup"), file.string());
    const bool present = fs::exists(path, ec) || fs::exists(kdfPath, ec);
    if (present && !args.flag("force"))
        throw Error(ErrorCode::Conflict,
            path.string()
                + ": a store exists; give --force to replace it "
                  "(close the desktop program first)");
    fs::create_directories(path.has_parent_path() ? path.parent_path() : fs::path("."), ec);
    // The old store's write-ahead log would be replayed into the restored file: remove it first.
    for (const auto& side : Store::sqliteSideFiles(path))
        fs::remove(side, ec);
    // The store's own files, which every other output refuses to overwrite: replaced on purpose.
    const WriteOptions replace { .force = true, .protectedFiles = {} };
    writeFileDurably(path, backup.database, replace);
    writeFileDurably(kdfPath, backup.kdf, replace);
    out << "restored " << path.string() << " and " << kdfPath.string() << " from " << file.string()
        << " (it opens with the passphrase it had when backed up)\n";
    return 0;
}

} // namespace

void registerBackupCommands(CommandTable& table)
{
    table.add({ "store backup", "store backup --out FILE [--force]",
        "one still-encrypted file with the store and its .kdf file, consistent while the "
        "desktop writes (case export is not a backup: it drops versions and history)",
        { "force" }, runStoreBackup, withOptions(StoreOptions, { "out" }), StoreAccess::ReadOnly });
    table.add({ "store restore", "store restore FILE [--store PATH] [--force]",
        "put a backup back; refuses to replace an existing store without --force", { "force" },
        runStoreRestore, { "store" } });
}

} // namespace fplan::cli
