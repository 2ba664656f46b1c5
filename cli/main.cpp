// SPDX-License-Identifier: EUPL-1.2
#include "cli/command.h"
#include "base/error.h"

#include <iostream>

namespace {

fplan::cli::CommandTable buildTable()
{
    fplan::cli::CommandTable table;
    fplan::cli::registerStoreCommands(table);
    fplan::cli::registerCaseCommands(table);
    fplan::cli::registerTemplateCommands(table);
    fplan::cli::registerDocCommands(table);
    fplan::cli::registerRenderCommands(table);
    fplan::cli::registerDeliveryCommands(table);
    fplan::cli::registerBackupCommands(table);
    return table;
}

void printUsage(const fplan::cli::CommandTable& table, std::ostream& out)
{
    out << "usage: fplan COMMAND [ARGS] [--store PATH] [--passphrase-file F] [--json]\n\n";
    for (const auto& c : table.all())
        out << "  fplan " << c.usage << "\n      " << c.help << "\n";
}

} // namespace

int main(int argc, char** argv)
{
    using namespace fplan;
    const auto table = buildTable();
    std::vector<std::string> words;
    std::map<std::string, std::string> options;
    std::set<std::string> flags;
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
        for (std::size_t i = consumed; i < raw.size(); ++i) {
            const std::string& a = raw[i];
            if (a.rfind("--", 0) == 0 && a.size() > 2) {
                std::string name = a.substr(2);
                const auto eq = name.find('=');
                if (eq != std::string::npos)
                    options[name.substr(0, eq)] = name.substr(eq + 1);
                else if (command->flags.count(name) || name == "json")
                    flags.insert(name);
                else if (i + 1 < raw.size())
                    options[name] = raw[++i];
                else
                    throw Error(ErrorCode::Usage, "option --" + name + " needs a value");
            } else {
                words.push_back(a);
            }
        }
        return command->run(cli::Args(words, options, flags), std::cout);
    } catch (const Error& e) {
        std::cerr << "fplan: " << e.what() << "\n";
        return exitCodeFor(e.code());
    } catch (const std::exception& e) {
        std::cerr << "fplan: internal error: " << e.what() << "\n";
        return 1;
    }
}
