// SPDX-License-Identifier: EUPL-1.2
#include "core/op.h"

#include "base/error.h"

#include <chrono>
#include <ctime>

namespace fplan {

const char* toString(OpKind kind)
{
    switch (kind) {
    case OpKind::Set:
        return "set";
    case OpKind::RowInsert:
        return "row_insert";
    case OpKind::RowDelete:
        return "row_delete";
    case OpKind::Finalize:
        return "finalize";
    }
    return "set";
}

OpKind opKindFromString(const std::string& text)
{
    if (text == "set")
        return OpKind::Set;
    if (text == "row_insert")
        return OpKind::RowInsert;
    if (text == "row_delete")
        return OpKind::RowDelete;
    if (text == "finalize")
        return OpKind::Finalize;
    throw Error(ErrorCode::BadInput, "unknown operation kind '" + text + "'");
}

Json toJson(const Op& op)
{
    Json j = {{"op_id", op.id},   {"case_id", op.caseId}, {"doc_id", op.docId},
              {"kind", toString(op.kind)}, {"path", op.path},    {"value", op.value},
              {"author", op.author}, {"device", op.device}, {"hlc", op.hlc},
              {"parents", op.parents}};
    if (op.textMerge)
        j["text_merge"] = true;
    return j;
}

Op opFromJson(const Json& j)
{
    auto member = [&](const char* name) -> const Json& {
        if (!j.is_object() || !j.contains(name))
            throw Error(ErrorCode::BadInput, std::string("operation: missing '") + name + "'");
        return j.at(name);
    };
    try {
        Op op;
        op.id = member("op_id").get<std::string>();
        op.caseId = member("case_id").get<std::string>();
        op.docId = member("doc_id").get<std::string>();
        op.kind = opKindFromString(member("kind").get<std::string>());
        op.path = member("path").get<std::string>();
        op.value = member("value");
        op.author = member("author").get<std::string>();
        op.device = member("device").get<std::string>();
        op.hlc = member("hlc").get<std::uint64_t>();
        op.parents = member("parents").get<std::vector<std::string>>();
        op.textMerge = j.value("text_merge", false);
        return op;
    } catch (const Json::exception& e) {
        throw Error(ErrorCode::BadInput, std::string("operation: ") + e.what());
    }
}

FieldPath FieldPath::parse(const std::string& path)
{
    FieldPath p;
    const auto open = path.find('[');
    if (open == std::string::npos) {
        if (path.empty() || path.find(']') != std::string::npos)
            throw Error(ErrorCode::BadInput, "'" + path + "' is not a field path");
        p.field = path;
        return p;
    }
    const auto close = path.find(']', open);
    if (open == 0 || close == std::string::npos || close == open + 1)
        throw Error(ErrorCode::BadInput, "'" + path + "' is not a field path");
    p.table = path.substr(0, open);
    p.row = path.substr(open + 1, close - open - 1);
    if (close + 1 < path.size()) {
        if (path[close + 1] != '.' || close + 2 >= path.size())
            throw Error(ErrorCode::BadInput, "'" + path + "' is not a field path");
        p.column = path.substr(close + 2);
    }
    return p;
}

std::string rowPath(const std::string& table, const std::string& row)
{
    return table + "[" + row + "]";
}

std::string cellPath(const std::string& table, const std::string& row, const std::string& column)
{
    return table + "[" + row + "]." + column;
}

std::uint64_t HybridClock::now()
{
    const auto ms = static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::system_clock::now().time_since_epoch())
            .count());
    const std::uint64_t physical = ms << 16;
    m_last = physical > m_last ? physical : m_last + 1;
    return m_last;
}

void HybridClock::observe(std::uint64_t remote)
{
    if (remote > m_last)
        m_last = remote;
}

std::string formatHlcUtc(std::uint64_t hlc)
{
    const std::time_t seconds = static_cast<std::time_t>((hlc >> 16) / 1000);
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return text;
}

std::string localDateToday()
{
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    localtime_r(&now, &tm);
    char text[16];
    std::strftime(text, sizeof text, "%Y-%m-%d", &tm);
    return text;
}

} // namespace fplan
