// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>

namespace fplan {

// Settings IT owns for every caseworker on a machine: /etc/fplan/fplan.conf ($FPLAN_SYSTEM_CONFIG
// names another file, for tests). Lines are `key = value`; `#` starts a comment line. Only the
// keys in itOwnedSetting() may appear. A key set here wins over the store's own value, and a
// caseworker cannot change it (Store::setSetting refuses).
class SystemConfig {
public:
    // The file's settings; an absent file gives none. Throws Error(BadInput) naming the file, the
    // line and the key for a malformed line, an unknown or repeated key, or a bad value.
    static SystemConfig load();
    static SystemConfig parse(const std::string& text, const std::filesystem::path& origin);
    static std::filesystem::path defaultPath();

    std::optional<std::string> value(const std::string& key) const;
    const std::map<std::string, std::string>& values() const { return m_values; }
    const std::filesystem::path& file() const { return m_file; }

private:
    std::filesystem::path m_file;
    std::map<std::string, std::string> m_values;
};

// The known settings (core/settings.h) about the municipality, delivery and filing: the ones a machine's
// configuration may set; the rest (user.name) belong to each caseworker.
bool itOwnedSetting(const std::string& key);

} // namespace fplan
