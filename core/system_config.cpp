// SPDX-License-Identifier: EUPL-1.2
#include "core/system_config.h"

#include "base/error.h"
#include "core/settings.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace fplan {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t MaxFileBytes = 64 * 1024;
constexpr std::size_t MaxLineBytes = 4096;

std::string trim(const std::string& text)
{
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string::npos)
        return {};
    const auto last = text.find_last_not_of(" \t\r");
    return text.substr(first, last - first + 1);
}

} // namespace

bool itOwnedSetting(const std::string& key)
{
    const auto& known = knownSettings();
    const bool machineArea = key.rfind("municipality.", 0) == 0 || key.rfind("delivery.", 0) == 0
        || key.rfind("filing.", 0) == 0;
    return machineArea && std::find(known.begin(), known.end(), key) != known.end();
}

fs::path SystemConfig::defaultPath()
{
    if (const char* env = std::getenv("FPLAN_SYSTEM_CONFIG"); env && *env)
        return env;
    return "/etc/fplan/fplan.conf";
}

SystemConfig SystemConfig::load()
{
    const fs::path path = defaultPath();
    std::error_code ec;
    if (!fs::exists(path, ec)) {
        SystemConfig none;
        none.m_file = path;
        return none;
    }
    if (!fs::is_regular_file(path, ec))
        throw Error(ErrorCode::BadInput, path.string() + ": not a regular file");
    if (fs::file_size(path, ec) > MaxFileBytes)
        throw Error(ErrorCode::BadInput, path.string() + ": larger than 64 KiB");
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error(
            ErrorCode::BadInput, path.string() + ": cannot be read (it must be readable by every user)");
    std::ostringstream text;
    text << in.rdbuf();
    return parse(text.str(), path);
}

SystemConfig SystemConfig::parse(const std::string& text, const fs::path& origin)
{
    SystemConfig config;
    config.m_file = origin;
    std::map<std::string, int> lineOf;
    std::istringstream lines(text);
    std::string raw;
    for (int number = 1; std::getline(lines, raw); ++number) {
        const std::string where = origin.string() + ":" + std::to_string(number);
        if (raw.size() > MaxLineBytes)
            throw Error(ErrorCode::BadInput, where + ": line longer than 4096 bytes");
        const std::string line = trim(raw);
        if (line.empty() || line[0] == '#')
            continue;
        const auto eq = line.find('=');
        if (eq == std::string::npos)
            throw Error(ErrorCode::BadInput, where + ": expected 'key = value', got '" + line + "'");
        const std::string key = trim(line.substr(0, eq));
        const std::string value = trim(line.substr(eq + 1));
        if (!itOwnedSetting(key))
            throw Error(ErrorCode::BadInput,
                where + ": unknown key '" + key
                    + "' (a machine sets municipality.name, "
                      "municipality.cvr, delivery.* and filing.folder; each caseworker sets the rest)");
        if (const auto seen = lineOf.find(key); seen != lineOf.end())
            throw Error(ErrorCode::BadInput,
                where + ": key '" + key + "' is already set on line " + std::to_string(seen->second));
        if (value.empty())
            throw Error(ErrorCode::BadInput, where + ": key '" + key + "' has no value");
        try {
            checkSetting(key, value); // the same rules as `fplan config set`
        } catch (const Error& e) {
            throw Error(ErrorCode::BadInput, where + ": " + e.what());
        }
        lineOf[key] = number;
        config.m_values[key] = value;
    }
    return config;
}

std::optional<std::string> SystemConfig::value(const std::string& key) const
{
    const auto it = m_values.find(key);
    if (it == m_values.end())
        return std::nullopt;
    return it->second;
}

} // namespace fplan
