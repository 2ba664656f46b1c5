// SPDX-License-Identifier: EUPL-1.2
#include "sync/server/storage.h"

#include "crypto/hash.h"

#include <nlohmann/json.hpp>

namespace fplan::sync {

std::string auditHash(const AuditEntry& e)
{
    // A JSON array gives an unambiguous encoding of the fields (no separator can be forged).
    const nlohmann::json fields
        = { e.prevHash, e.seq, e.time, e.account, e.action, e.caseId, e.cprs, e.outcome, e.detail };
    return crypto::sha256Hex(fields.dump());
}

} // namespace fplan::sync
