// SPDX-License-Identifier: EUPL-1.2
#include "tests/sync/sync_fixtures.h"

#include "crypto/random.h"

#include <atomic>
#include <cstdlib>
#include <libpq-fe.h>
#include <stdexcept>

namespace fplan::test {

std::string backendName(Backend backend)
{
    return backend == Backend::SqlCipher ? "SqlCipher" : "Postgres";
}

std::string queryPostgres(const std::string& url, const std::string& sql)
{
    PGconn* conn = PQconnectdb(url.c_str());
    if (PQstatus(conn) != CONNECTION_OK) {
        const std::string message = PQerrorMessage(conn);
        PQfinish(conn);
        throw std::runtime_error("cannot reach PostgreSQL: " + message);
    }
    PGresult* r = PQexec(conn, sql.c_str());
    const auto status = PQresultStatus(r);
    const bool ok = status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
    const std::string message = PQerrorMessage(conn);
    const std::string first = ok && PQntuples(r) > 0 && PQnfields(r) > 0 ? PQgetvalue(r, 0, 0) : "";
    PQclear(r);
    PQfinish(conn);
    if (!ok)
        throw std::runtime_error(sql.substr(0, 60) + ": " + message);
    return first;
}

std::optional<std::string> freshPostgresDatabase()
{
    const char* base = std::getenv("FPLAN_TEST_POSTGRES");
    if (!base || !*base)
        return std::nullopt;
    std::string name = "t_" + crypto::newUuid();
    for (auto& c : name)
        if (c == '-')
            c = '_';
    queryPostgres(base, "CREATE DATABASE " + name);
    return std::string(base) + " dbname=" + name;
}

Op makeOp(const std::string& id, const std::string& caseId, const std::string& docId, OpKind kind,
    const std::string& path, Json value, const std::string& author)
{
    static std::atomic<std::uint64_t> clock { 1 };
    Op op;
    op.id = id;
    op.caseId = caseId;
    op.docId = docId;
    op.kind = kind;
    op.path = path;
    op.value = std::move(value);
    op.author = author;
    op.device = "test-device";
    op.hlc = clock++ << 16;
    return op;
}

std::vector<Op> caseOps(const std::string& caseId, const std::string& docId, const std::string& author,
    const std::vector<std::string>& accounts, const std::vector<std::string>& cprs)
{
    std::vector<Op> ops;
    auto id = [&](const std::string& what) { return caseId + "-" + what; };
    ops.push_back(makeOp(id("create"), caseId, docId, OpKind::Create, "",
        { { "template_id", "sag" }, { "template_version", "1" } }, author));
    ops.push_back(makeOp(id("title"), caseId, docId, OpKind::Set, "sag.titel", "Sag " + caseId, author));
    for (std::size_t i = 0; i < accounts.size(); ++i) {
        const std::string row = "t" + std::to_string(i);
        ops.push_back(makeOp(id(row), caseId, docId, OpKind::RowInsert, "team[" + row + "]",
            { { "pos", "a" + std::to_string(i) } }, author));
        ops.push_back(makeOp(
            id(row + "-user"), caseId, docId, OpKind::Set, "team[" + row + "].bruger", accounts[i], author));
    }
    for (std::size_t i = 0; i < cprs.size(); ++i) {
        const std::string row = "p" + std::to_string(i);
        ops.push_back(makeOp(id(row), caseId, docId, OpKind::RowInsert, "personer[" + row + "]",
            { { "pos", "a" + std::to_string(i) } }, author));
        ops.push_back(makeOp(
            id(row + "-cpr"), caseId, docId, OpKind::Set, "personer[" + row + "].cpr", cprs[i], author));
    }
    return ops;
}

std::string pushBody(const std::vector<Op>& ops)
{
    Json list = Json::array();
    for (const auto& op : ops)
        list.push_back(toJson(op));
    return Json { { "ops", list } }.dump();
}

} // namespace fplan::test
