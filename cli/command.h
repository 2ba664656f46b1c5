// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include "base/durable_file.h"
#include "base/limits.h"
#include "core/document.h"
#include "core/store.h"
#include "crypto/secret_string.h"

#include <functional>
#include <iosfwd>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace fplan::docgen {
class TemplateRegistry;
}

namespace fplan {
struct BundleDocument;
struct Case;
struct PreparedDocument;
} // namespace fplan

namespace fplan::cli {

// A parsed command line: words after the command name, --options with values, and --flags.
class Args {
public:
    Args(std::vector<std::string> words, std::map<std::string, std::string> options,
        std::set<std::string> flags)
        : m_words(std::move(words))
        , m_options(std::move(options))
        , m_flags(std::move(flags))
    {
    }

    const std::vector<std::string>& words() const { return m_words; }
    // The n-th word; throws Error(Usage) naming `what` if it is missing.
    const std::string& word(std::size_t n, const char* what) const;
    std::optional<std::string> option(const std::string& name) const;
    // --version N or --version ID (a version's stable id, as doc show --json lists it), read by
    // the one parser (VersionRef::parse); nullopt when not given.
    std::optional<VersionRef> versionOption() const;
    bool flag(const std::string& name) const { return m_flags.count(name) > 0; }
    void expectWords(std::size_t count, const char* usage) const;
    // How openStore opens the store for this command (set from the command's declaration).
    StoreAccess storeAccess() const { return m_access; }
    void setStoreAccess(StoreAccess access) { m_access = access; }

private:
    std::vector<std::string> m_words;
    std::map<std::string, std::string> m_options;
    std::set<std::string> m_flags;
    StoreAccess m_access = StoreAccess::ReadWrite;
};

struct Command {
    std::string name; // "case import"
    std::string usage; // "case import BUNDLE.json"
    std::string help;
    std::set<std::string> flags; // declared options without a value, e.g. "json"
    std::function<int(const Args&, std::ostream& out)> run;
    // Declared options with a value ("out" for --out FILE). An option or flag a command does not
    // declare is an error, so a typo never goes unnoticed. See optionHelp for their meaning.
    std::set<std::string> options = {};
    // Commands that only read open the store read-only: they work on a read-only file and never
    // write to it.
    StoreAccess access = StoreAccess::ReadWrite;
};

// The options most commands share.
inline const std::set<std::string> StoreOptions = { "store", "passphrase-file" };
inline const std::set<std::string> StoreAndTemplateOptions = { "store", "passphrase-file", "templates" };
// `base` plus `more`, for registration blocks.
std::set<std::string> withOptions(const std::set<std::string>& base, std::initializer_list<const char*> more);
// One line on what an option or flag means, for `fplan COMMAND --help`.
std::string optionHelp(const std::string& name);
// The closest declared name to a mistyped one, or "".
std::string closestName(const std::string& typed, const std::vector<std::string>& known);
// Text from a file or the store made safe for a terminal: control characters (ESC, BEL, the
// bidirectional overrides...) are shown as \u{XX} instead of acting on the terminal.
// With keepLines, newlines and tabs pass (for a command's whole output).
std::string terminalSafe(std::string_view text, bool keepLines = false);

class CommandTable {
public:
    void add(Command command);
    // The longest command name that prefixes `words`, or nullptr.
    const Command* match(const std::vector<std::string>& words, std::size_t& consumed) const;
    const std::vector<Command>& all() const { return m_commands; }

private:
    std::vector<Command> m_commands;
};

// Each command group registers itself from its own file.
void registerStoreCommands(CommandTable& table);
void registerCaseCommands(CommandTable& table);
void registerTemplateCommands(CommandTable& table);
void registerDocCommands(CommandTable& table);
void registerRenderCommands(CommandTable& table);
void registerDeliveryCommands(CommandTable& table);
void registerOpsCommands(CommandTable& table);
void registerSyncCommands(CommandTable& table);
void registerBackupCommands(CommandTable& table);

// Shared helpers for commands that use the store.
std::filesystem::path storePath(const Args& args);
// Passphrases live in locked, wiped memory (crypto::SecretString) from the moment they are read
// until the key is derived: from --passphrase-file (its first line), $FPLAN_PASSPHRASE (taken
// out of the environment) or the terminal, without echo.
crypto::SecretString passphrase(const Args& args, const char* prompt = "Adgangskode: ");
crypto::SecretString askHidden(const char* prompt);
// The first line of a passphrase file, read straight into locked memory.
crypto::SecretString readPassphraseFile(const std::filesystem::path& path);
// The value of environment variable `name` in locked memory, or nullopt; the environment's own
// copy is wiped and the variable removed, so the process holds the secret only once.
std::optional<crypto::SecretString> takeSecretFromEnvironment(const char* name);
Store openStore(const Args& args);
// Reads an input file, never more than `limit` bytes (base/limits.h); Error(NotFound) naming
// the file, Error(BadInput) naming it, `what` it is and the limit when it is larger.
std::string readFile(const std::filesystem::path& path, std::size_t limit = limits::BundleBytes,
    std::string_view what = "input file");
// Writes an output (--out) through the one durable writer: private, whole or not at all, never
// over the store, its key file, a device, a folder or a symlink, nor over an existing file
// unless --force was given.
void writeFileAtomically(const std::filesystem::path& path, const std::string& content);
// The rules writeFileAtomically follows for this run: --force, and the store's own files.
WriteOptions& outputPolicy();
void setOutputPolicy(const Args& args);

// The templates folder: --templates DIR, $FPLAN_TEMPLATES, the installed one, the source tree's.
docgen::TemplateRegistry templateRegistry(const Args& args);

// Checks a bundle document's values against its template (the template layer's job).
PreparedDocument prepareBundleDocument(const BundleDocument& doc, const Case& kase, const Args& args);

} // namespace fplan::cli
