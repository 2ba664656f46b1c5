// SPDX-License-Identifier: EUPL-1.2
#include "base/error.h"
#include "cli/command.h"
#include "core/settings.h"
#include "crypto/passphrase_policy.h"

#include <cstdlib>
#include <iostream>

namespace fplan::cli {

namespace {

// A new passphrase: from a file or the environment for automation, else asked twice.
crypto::SecretString newPassphrase(const Args& args, const char* envName)
{
    if (auto file = args.option("new-passphrase-file"))
        return readPassphraseFile(*file);
    if (auto env = takeSecretFromEnvironment(envName))
        return std::move(*env);
    crypto::SecretString first = askHidden("Ny adgangskode: ");
    const crypto::SecretString second = askHidden("Gentag adgangskoden: ");
    if (!(first == second))
        throw Error(ErrorCode::BadInput, "the two passphrases differ; nothing changed");
    return first;
}

int runInit(const Args& args, std::ostream& out)
{
    args.expectWords(0, "init [--store PATH]");
    const auto path = storePath(args);
    const crypto::SecretString secret = args.option("passphrase-file") || std::getenv("FPLAN_PASSPHRASE")
        ? passphrase(args)
        : newPassphrase(args, "FPLAN_PASSPHRASE");
    crypto::requireStrongPassphrase(secret.view());
    Store::create(path, secret.view());
    out << "created " << path.string() << " (keep the passphrase safe: it cannot be recovered)\n";
    return 0;
}

int runPassphraseChange(const Args& args, std::ostream& out)
{
    args.expectWords(0, "passphrase change");
    const auto path = storePath(args);
    const crypto::SecretString current = passphrase(args, "Nuværende adgangskode: ");
    const crypto::SecretString next = newPassphrase(args, "FPLAN_NEW_PASSPHRASE");
    crypto::requireStrongPassphrase(next.view());
    Store::changePassphrase(path, current.view(), next.view());
    out << "passphrase changed for " << path.string() << "\n";
    return 0;
}

int runConfigSet(const Args& args, std::ostream&)
{
    args.expectWords(2, "config set KEY VALUE");
    checkSetting(args.word(0, "KEY"), args.word(1, "VALUE"));
    Store store = openStore(args);
    store.setSetting(args.word(0, "KEY"), args.word(1, "VALUE"));
    return 0;
}

int runConfigGet(const Args& args, std::ostream& out)
{
    args.expectWords(1, "config get KEY");
    Store store = openStore(args);
    const auto value = store.setting(args.word(0, "KEY"));
    if (!value)
        throw Error(ErrorCode::NotFound, "setting '" + args.word(0, "KEY") + "' is not set");
    out << *value << "\n";
    return 0;
}

int runConfigList(const Args& args, std::ostream& out)
{
    args.expectWords(0, "config list [--json]");
    Store store = openStore(args);
    const auto all = store.settings();
    if (args.flag("json")) {
        out << Json(all).dump(2) << "\n";
        return 0;
    }
    for (const auto& [key, value] : all) {
        out << key << " = " << value;
        if (store.systemConfig().value(key))
            out << "   (this machine: " << store.systemConfig().file().string() << ")";
        out << "\n";
    }
    return 0;
}

} // namespace

void registerStoreCommands(CommandTable& table)
{
    table.add({ "init", "init", "create a new encrypted store (refuses to overwrite)", {}, runInit,
        withOptions(StoreOptions, { "new-passphrase-file" }) });
    table.add({ "passphrase change", "passphrase change",
        "re-key the store (new passphrase: $FPLAN_NEW_PASSPHRASE, --new-passphrase-file F "
        "or asked twice)",
        {}, runPassphraseChange, withOptions(StoreOptions, { "new-passphrase-file" }) });
    table.add({ "config set", "config set KEY VALUE", "store a setting, e.g. municipality.name", {},
        runConfigSet, StoreOptions });
    table.add({ "config get", "config get KEY", "print a setting", {}, runConfigGet, StoreOptions,
        StoreAccess::ReadOnly });
    table.add({ "config list", "config list [--json]", "print all settings", { "json" }, runConfigList,
        StoreOptions, StoreAccess::ReadOnly });
}

} // namespace fplan::cli
