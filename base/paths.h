// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include <filesystem>
#include <optional>
#include <string_view>
#include <vector>

namespace fplan {

// One kind of data the program ships beside itself (the templates, the MeMo schema) and how
// its folder is recognised. Both are found by findDataFolder, in one order.
struct DataFolder {
    std::string_view installedName; // under <prefix>/share/familieplan/, e.g. "memo-xsd"
    std::string_view sourceName; // under the source tree, e.g. "data/memo-xsd"
    std::string_view marker; // a file the folder must hold, e.g. "memo-1.2.xsd"
    std::string_view envVariable; // the variable that names the folder, e.g. "FPLAN_MEMO_SCHEMA_DIR"
    std::string_view option; // the command-line option that names it ("--templates"), or ""
};

inline constexpr DataFolder TemplatesFolder { "templates", "templates", "template.xsd", "FPLAN_TEMPLATES",
    "--templates" };
inline constexpr DataFolder MemoSchemaFolder { "memo-xsd", "data/memo-xsd", "memo-1.2.xsd",
    "FPLAN_MEMO_SCHEMA_DIR", "" };

// Where `folder` is looked for, in this order: `explicitDir` (the command-line option), else
// the environment variable; then the installed copy beside the program
// (<exe dir>/../share/familieplan/NAME), the configured install prefix, and last the source
// tree (so a build tree runs as it is). The installed copies come before the source tree, so
// an installed program never reads a checkout.
std::vector<std::filesystem::path> dataSearchPath(
    const DataFolder& folder, const std::optional<std::filesystem::path>& explicitDir = {});

// The first folder of dataSearchPath that holds the marker file. An explicit choice (the option
// or the variable) is final: when it lacks the marker that is Error(NotFound), never a silent
// fall-back to another folder. Nothing found is Error(NotFound) naming every folder tried.
std::filesystem::path findDataFolder(
    const DataFolder& folder, const std::optional<std::filesystem::path>& explicitDir = {});

// The store the desktop and the CLI open when none is named (--store): $FPLAN_STORE, else
// $XDG_DATA_HOME/familieplan/sager.fplan, else ~/.local/share/familieplan/sager.fplan. The
// familieplan folder of the last two is created (0700) when missing, so `fplan init` works as
// the first command. Error(Usage) when none of FPLAN_STORE, XDG_DATA_HOME and HOME is set.
std::filesystem::path defaultStorePath();

} // namespace fplan
