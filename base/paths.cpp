// SPDX-License-Identifier: EUPL-1.2
#include "base/paths.h"

#include "base/error.h"

#include <cstdlib>
#include <string>

namespace fplan {

namespace fs = std::filesystem;

namespace {

std::optional<fs::path> fromEnvironment(std::string_view name)
{
    if (name.empty())
        return std::nullopt;
    const char* value = std::getenv(std::string(name).c_str());
    if (!value || !*value)
        return std::nullopt;
    return fs::path(value);
}

// Where the explicit choice came from, for the message when it is wrong.
std::string chosenBy(const DataFolder& folder, bool byOption)
{
    if (byOption)
        return folder.option.empty() ? std::string() : " (from " + std::string(folder.option) + ")";
    return " (from " + std::string(folder.envVariable) + ")";
}

} // namespace

std::vector<fs::path> dataSearchPath(const DataFolder& folder, const std::optional<fs::path>& explicitDir)
{
    std::vector<fs::path> path;
    if (explicitDir)
        path.push_back(*explicitDir);
    else if (auto env = fromEnvironment(folder.envVariable))
        path.push_back(*env);
    std::error_code ec;
    if (const auto exe = fs::read_symlink("/proc/self/exe", ec); !ec)
        path.push_back(exe.parent_path() / ".." / "share" / "familieplan" / folder.installedName);
    path.push_back(fs::path(FPLAN_DATA_DIR) / folder.installedName);
    path.push_back(fs::path(FPLAN_SOURCE_DIR) / folder.sourceName);
    return path;
}

fs::path findDataFolder(const DataFolder& folder, const std::optional<fs::path>& explicitDir)
{
    std::error_code ec;
    const std::optional<fs::path> chosen = explicitDir ? explicitDir : fromEnvironment(folder.envVariable);
    if (chosen) {
        if (!fs::exists(*chosen / folder.marker, ec))
            throw Error(ErrorCode::NotFound,
                chosen->string() + ": no " + std::string(folder.marker) + " in this folder"
                    + chosenBy(folder, explicitDir.has_value()));
        return *chosen;
    }
    const auto candidates = dataSearchPath(folder);
    for (const auto& dir : candidates)
        if (fs::exists(dir / folder.marker, ec))
            return fs::weakly_canonical(dir, ec);
    std::string tried;
    for (const auto& dir : candidates)
        tried += (tried.empty() ? "" : ", ") + dir.string();
    std::string hint = "set " + std::string(folder.envVariable);
    if (!folder.option.empty())
        hint = "use " + std::string(folder.option) + " DIR or " + hint;
    throw Error(ErrorCode::NotFound,
        "no folder with " + std::string(folder.marker) + " found (tried " + tried + "); " + hint);
}

fs::path defaultStorePath()
{
    if (auto env = fromEnvironment("FPLAN_STORE"))
        return *env;
    fs::path folder;
    // The XDG base directory rules: a relative XDG_DATA_HOME is invalid and ignored.
    if (auto data = fromEnvironment("XDG_DATA_HOME"); data && data->is_absolute())
        folder = *data / "familieplan";
    else if (auto home = fromEnvironment("HOME"))
        folder = *home / ".local" / "share" / "familieplan";
    else
        throw Error(ErrorCode::Usage, "no store given: use --store PATH, or set FPLAN_STORE or HOME");
    std::error_code ec;
    if (!fs::exists(folder, ec)) {
        fs::create_directories(folder, ec);
        if (ec)
            throw Error(
                ErrorCode::Storage, folder.string() + ": cannot create the store's folder: " + ec.message());
        fs::permissions(folder, fs::perms::owner_all, fs::perm_options::replace, ec);
    }
    return folder / "sager.fplan";
}

} // namespace fplan
