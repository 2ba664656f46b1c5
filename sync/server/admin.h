// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include "sync/server/storage.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace fplan::sync {

// The first entry that breaks the hash chain (changed, removed or reordered), if any.
struct AuditBreak {
    std::int64_t seq = 0;
    std::string reason;
};
std::optional<AuditBreak> verifyAuditChain(const std::vector<AuditEntry>& entries);

// Entries concerning a person (by CPR, with or without the hyphen): reads, writes and denials.
std::vector<AuditEntry> auditForPerson(const std::vector<AuditEntry>& entries, const std::string& cpr);

nlohmann::json auditToJson(const AuditEntry& entry);
std::string auditToText(const AuditEntry& entry); // one line

// Creates the data folder (0700) or checks that an existing one is a private, writable folder.
void prepareDataDir(const std::filesystem::path& dir);

} // namespace fplan::sync
