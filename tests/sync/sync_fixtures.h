// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include "core/op.h"
#include "sync/server/storage.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace fplan::test {

enum class Backend { SqlCipher, Postgres };
std::string backendName(Backend backend);

// A new empty database on the cluster $FPLAN_TEST_POSTGRES names (scripts/with-postgres), as a
// libpq connection string; nothing when the variable is absent.
std::optional<std::string> freshPostgresDatabase();
// Runs `sql` on the PostgreSQL database `url` names: the first column of the first row, if any.
std::string queryPostgres(const std::string& url, const std::string& sql);
// The message a test skips with when no PostgreSQL is available.
inline constexpr const char* NoPostgres
    = "PostgreSQL tests skipped: $FPLAN_TEST_POSTGRES is not set (run under scripts/with-postgres)";

// One op in the core's JSON form.
Op makeOp(const std::string& id, const std::string& caseId, const std::string& docId, OpKind kind,
    const std::string& path, Json value, const std::string& author);
// The ops that make a case document with these team accounts and persons (CPR numbers).
std::vector<Op> caseOps(const std::string& caseId, const std::string& docId, const std::string& author,
    const std::vector<std::string>& accounts, const std::vector<std::string>& cprs);
// {"ops": [...]} for a push.
std::string pushBody(const std::vector<Op>& ops);

} // namespace fplan::test
