// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include "core/store.h"

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
        : m_words(std::move(words)), m_options(std::move(options)), m_flags(std::move(flags)) {}

    const std::vector<std::string>& words() const { return m_words; }
    // The n-th word; throws Error(Usage) naming `what` if it is missing.
    const std::string& word(std::size_t n, const char* what) const;
    std::optional<std::string> option(const std::string& name) const;
    bool flag(const std::string& name) const { return m_flags.count(name) > 0; }
    void expectWords(std::size_t count, const char* usage) const;

private:
    std::vector<std::string> m_words;
    std::map<std::string, std::string> m_options;
    std::set<std::string> m_flags;
};

struct Command {
    std::string name;  // "case import"
    std::string usage; // "case import BUNDLE.json"
    std::string help;
    std::set<std::string> flags;   // options without a value, e.g. "json"
    std::function<int(const Args&, std::ostream& out)> run;
};

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
void registerBackupCommands(CommandTable& table);

// Shared helpers for commands that use the store.
std::filesystem::path storePath(const Args& args);
std::string passphrase(const Args& args, const char* prompt = "Adgangskode: ");
std::string askHidden(const char* prompt);
Store openStore(const Args& args);
std::string readFile(const std::filesystem::path& path); // Error(NotFound) naming the file
void writeFileAtomically(const std::filesystem::path& path, const std::string& content);
std::string currentAuthor(const Store& store);

// The templates folder: --templates DIR, $FPLAN_TEMPLATES, the installed one, the source tree's.
docgen::TemplateRegistry templateRegistry(const Args& args);

// Checks a bundle document's values against its template (the template layer's job).
PreparedDocument prepareBundleDocument(const BundleDocument& doc, const Case& kase, const Args& args);

} // namespace fplan::cli
