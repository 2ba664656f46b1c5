// SPDX-License-Identifier: EUPL-1.2
#include "base/error.h"
#include "base/process.h"
#include "cli/command.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <iostream>
#include <sstream>
#include <unistd.h>

namespace {

using fplan::Error;
using fplan::ErrorCode;

fplan::cli::CommandTable buildTable()
{
    fplan::cli::CommandTable table;
    fplan::cli::registerStoreCommands(table);
    fplan::cli::registerCaseCommands(table);
    fplan::cli::registerTemplateCommands(table);
    fplan::cli::registerDocCommands(table);
    fplan::cli::registerRenderCommands(table);
    fplan::cli::registerDeliveryCommands(table);
    fplan::cli::registerOpsCommands(table);
    fplan::cli::registerSyncCommands(table);
    fplan::cli::registerBackupCommands(table);
    return table;
}

void printUsage(const fplan::cli::CommandTable& table, std::ostream& out)
{
    out << "usage: fplan COMMAND [ARGS] [OPTIONS]   (fplan COMMAND --help lists a command's options)\n\n";
    for (const auto& c : table.all())
        out << "  fplan " << c.usage << "\n      " << c.help << "\n";
}

// Parses the words after the command's name against what the command declares: every option
// and flag it names, and positional words. Anything else is an error (exit 2), so a typo such as
// `send D --verison 1` can never change what is sent.
fplan::cli::Args parseDeclared(const fplan::cli::Command& command, std::vector<std::string> rest)
{
    CLI::App app(command.help, "fplan " + command.name);
    app.allow_extras(true);
    app.positionals_at_end(false);
    std::map<std::string, std::string> values;
    std::map<std::string, CLI::Option*> declared;
    // --store and --passphrase-file are accepted by every command (scripts pass them to all).
    std::set<std::string> options = command.options;
    options.insert(fplan::cli::StoreOptions.begin(), fplan::cli::StoreOptions.end());
    for (const auto& name : options)
        declared[name] = app.add_option("--" + name, values[name], fplan::cli::optionHelp(name));
    std::set<std::string> flags;
    std::map<std::string, CLI::Option*> declaredFlags;
    for (const auto& name : command.flags)
        declaredFlags[name] = app.add_flag("--" + name)->description(fplan::cli::optionHelp(name));
    std::vector<std::string> words;
    app.add_option("words", words, command.usage);
    std::reverse(rest.begin(), rest.end()); // CLI11 takes the arguments last first
    app.parse(rest);
    for (const auto& extra : app.remaining()) {
        if (extra.rfind("-", 0) != 0 || extra == "-")
            continue;
        std::string name = extra.substr(extra.rfind("--", 0) == 0 ? 2 : 1);
        name = name.substr(0, name.find('='));
        std::vector<std::string> known(options.begin(), options.end());
        known.insert(known.end(), command.flags.begin(), command.flags.end());
        const std::string close = fplan::cli::closestName(name, known);
        throw Error(ErrorCode::Usage,
            command.name + ": unknown option '" + extra + "'"
                + (close.empty() ? std::string() : " (did you mean --" + close + "?)") + "; fplan "
                + command.name + " --help lists its options");
    }
    std::map<std::string, std::string> given;
    for (const auto& [name, option] : declared)
        if (option->count() > 0)
            given[name] = values[name];
    for (const auto& [name, option] : declaredFlags)
        if (option->count() > 0)
            flags.insert(name);
    return fplan::cli::Args(std::move(words), std::move(given), std::move(flags));
}

} // namespace

int main(int argc, char** argv)
{
    using namespace fplan;
    try {
        hardenProcess();
    } catch (const Error& e) {
        std::cerr << "fplan: " << e.what() << "\n";
        return 1;
    }
    const auto table = buildTable();
    std::vector<std::string> raw(argv + 1, argv + argc);
    if (raw.empty() || raw[0] == "--help" || raw[0] == "-h" || raw[0] == "help") {
        printUsage(table, raw.empty() ? std::cerr : std::cout);
        return raw.empty() ? 2 : 0;
    }
    if (raw[0] == "--version") {
        std::cout << "fplan " << FPLAN_VERSION << "\n";
        return 0;
    }
    try {
        std::size_t consumed = 0;
        const auto* command = table.match(raw, consumed);
        if (!command)
            throw Error(ErrorCode::Usage, "unknown command '" + raw[0] + "' (fplan --help lists them)");
        std::vector<std::string> rest(raw.begin() + static_cast<std::ptrdiff_t>(consumed), raw.end());
        cli::Args args = [&] {
            try {
                return parseDeclared(*command, rest);
            } catch (const CLI::CallForHelp&) {
                throw;
            } catch (const CLI::ParseError& e) {
                throw Error(ErrorCode::Usage, command->name + ": " + e.what());
            }
        }();
        args.setStoreAccess(command->access);
        cli::setOutputPolicy(args);
        if (!::isatty(STDOUT_FILENO))
            return command->run(args, std::cout);
        // On a terminal, text from bundles and the store cannot move the cursor, recolour or
        // reorder what is shown: control characters are printed escaped.
        std::ostringstream captured;
        struct Flush {
            std::ostringstream& text;
            ~Flush() { std::cout << cli::terminalSafe(text.str(), true) << std::flush; }
        } flush { captured };
        return command->run(args, captured);
    } catch (const CLI::CallForHelp&) {
        std::size_t consumed = 0;
        const auto* command = table.match(raw, consumed);
        std::cout << "usage: fplan " << command->usage << "\n  " << command->help << "\n\noptions:\n";
        for (const auto& name : command->options)
            std::cout << "  --" << name << " VALUE\n      " << cli::optionHelp(name) << "\n";
        for (const auto& name : command->flags)
            std::cout << "  --" << name << "\n      " << cli::optionHelp(name) << "\n";
        return 0;
    } catch (const Error& e) {
        std::cerr << "fplan: " << cli::terminalSafe(e.what()) << "\n";
        return exitCodeFor(e.code());
    } catch (const std::exception& e) {
        std::cerr << "fplan: internal error: " << cli::terminalSafe(e.what()) << "\n";
        return 1;
    }
}
