// SPDX-License-Identifier: EUPL-1.2
#include "core/settings.h"

#include "base/error.h"
#include "base/suggest.h"
#include "base/text_rules.h"

#include <algorithm>
#include <filesystem>

namespace fplan {

const std::vector<std::string>& knownSettings()
{
    static const std::vector<std::string> keys = {
        "municipality.name",
        "municipality.cvr",
        "user.name",
        "desktop.lock_minutes",
        "delivery.transport",
        "delivery.folder",
        "delivery.endpoint",
        "delivery.client_cert",
        "delivery.ca",
        "delivery.timeout_ms",
        "filing.folder",
    };
    return keys;
}

void checkSetting(const std::string& key, const std::string& value)
{
    const auto& keys = knownSettings();
    if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
        const std::string close = closestName(key, keys);
        throw Error(ErrorCode::BadInput,
            "unknown setting '" + key + "'" + (close.empty() ? "" : " (did you mean '" + close + "'?)")
                + "; known settings: municipality.name, municipality.cvr, user.name, "
                  "desktop.lock_minutes, delivery.*, filing.folder");
    }
    auto bad = [&](const std::string& why) {
        return Error(ErrorCode::BadInput, key + " '" + value + "': " + why);
    };
    if (const auto why = textProblem(value, false); !why.empty())
        throw Error(ErrorCode::BadInput, key + ": " + why);
    if (key == "municipality.cvr") {
        if (value.size() != 8
            || !std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; }))
            throw bad("a CVR number is 8 digits");
    } else if (key == "delivery.transport") {
        if (value != "folder" && value != "sf1601")
            throw bad("the transport is folder or sf1601");
    } else if (key == "delivery.folder" || key == "delivery.client_cert" || key == "delivery.ca"
        || key == "filing.folder") {
        if (!std::filesystem::path(value).is_absolute())
            throw bad("give an absolute path (starting with /)");
    } else if (key == "delivery.endpoint") {
        if (value.rfind("https://", 0) != 0 || value.size() <= 8)
            throw bad("the endpoint is an https:// URL");
    } else if (key == "delivery.timeout_ms") {
        const bool digits = !value.empty() && value.size() <= 7
            && std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; });
        if (!digits || std::stol(value) < 100 || std::stol(value) > 600000)
            throw bad("a timeout in milliseconds, 100 to 600000");
    } else if (key == "desktop.lock_minutes") {
        const bool digits = !value.empty() && value.size() <= 3
            && std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; });
        if (!digits || std::stoi(value) > 480)
            throw bad("minutes without use before the desktop locks, 0 (never) to 480");
    } else if (value.find_first_not_of(' ') == std::string::npos) {
        throw bad("must not be empty");
    }
}

} // namespace fplan
