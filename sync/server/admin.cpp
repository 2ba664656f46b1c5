// SPDX-License-Identifier: EUPL-1.2
#include "sync/server/admin.h"

#include "base/error.h"
#include "core/cpr.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <sys/stat.h>
#include <unistd.h>

namespace fplan::sync {

std::optional<AuditBreak> verifyAuditChain(const std::vector<AuditEntry>& entries)
{
    std::string prev;
    std::int64_t expected = 1;
    for (const auto& e : entries) {
        if (e.seq != expected)
            return AuditBreak { e.seq, "entry " + std::to_string(expected) + " is missing" };
        if (e.prevHash != prev)
            return AuditBreak { e.seq, "does not follow the entry before it" };
        if (auditHash(e) != e.hash)
            return AuditBreak { e.seq, "its content does not match its hash" };
        prev = e.hash;
        ++expected;
    }
    return std::nullopt;
}

std::vector<AuditEntry> auditForPerson(const std::vector<AuditEntry>& entries, const std::string& cpr)
{
    const auto wanted = normaliseCpr(cpr);
    if (!wanted)
        throw Error(
            ErrorCode::BadInput, "--cpr '" + cpr + "' is not a CPR number (10 digits, a hyphen allowed)");
    std::vector<AuditEntry> out;
    for (const auto& e : entries)
        if (std::any_of(e.cprs.begin(), e.cprs.end(),
                [&](const std::string& c) { return normaliseCpr(c) == wanted; }))
            out.push_back(e);
    return out;
}

nlohmann::json auditToJson(const AuditEntry& e)
{
    return { { "seq", e.seq }, { "time", e.time }, { "account", e.account }, { "action", e.action },
        { "case", e.caseId }, { "cprs", e.cprs }, { "outcome", e.outcome }, { "detail", e.detail },
        { "hash", e.hash } };
}

std::string auditToText(const AuditEntry& e)
{
    std::string cprs;
    for (const auto& c : e.cprs)
        cprs += (cprs.empty() ? "" : ",") + c;
    return e.time + "  " + (e.account.empty() ? "-" : e.account) + "  " + e.action + "  " + e.outcome
        + "  case " + (e.caseId.empty() ? "-" : e.caseId) + "  persons " + (cprs.empty() ? "-" : cprs)
        + (e.detail.empty() ? "" : "  (" + e.detail + ")");
}

void prepareDataDir(const std::filesystem::path& dir)
{
    std::error_code ec;
    if (!std::filesystem::exists(dir, ec)) {
        if (::mkdir(dir.c_str(), 0700) != 0)
            throw Error(ErrorCode::Storage, dir.string() + ": cannot create the data folder");
        return;
    }
    struct stat st { };
    if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
        throw Error(ErrorCode::BadInput, dir.string() + ": --data must name a folder");
    if ((st.st_mode & 077) != 0) {
        char mode[8];
        std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 0777));
        throw Error(
            ErrorCode::BadInput, dir.string() + ": the data folder must be private (0700), it is " + mode);
    }
    if (::access(dir.c_str(), W_OK | X_OK) != 0)
        throw Error(ErrorCode::BadInput, dir.string() + ": the data folder is not writable");
}

} // namespace fplan::sync
