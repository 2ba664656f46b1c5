// SPDX-License-Identifier: EUPL-1.2
#include "core/op.h"

#include "base/error.h"

#include <algorithm>
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
    case OpKind::Create:
        return "create";
    case OpKind::Unknown:
        return "unknown";
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
    if (text == "create")
        return OpKind::Create;
    throw Error(ErrorCode::BadInput, "unknown operation kind '" + text + "'");
}

std::string kindName(const Op& op)
{
    return op.kind == OpKind::Unknown ? op.unknownKind : toString(op.kind);
}

void setKindFromName(Op& op, const std::string& name)
{
    op.unknownKind.clear();
    if (name == "unknown") {
        op.kind = OpKind::Unknown;
        op.unknownKind = name;
        return;
    }
    try {
        op.kind = opKindFromString(name);
    } catch (const Error&) {
        op.kind = OpKind::Unknown;
        op.unknownKind = name;
    }
}

Json toJson(const Op& op)
{
    Json j = { { "op_id", op.id }, { "case_id", op.caseId }, { "doc_id", op.docId }, { "kind", kindName(op) },
        { "path", op.path }, { "value", op.value }, { "author", op.author }, { "device", op.device },
        { "hlc", op.hlc }, { "parents", op.parents }, { "format", op.format } };
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
        setKindFromName(op, member("kind").get<std::string>());
        op.path = member("path").get<std::string>();
        op.value = member("value");
        op.author = member("author").get<std::string>();
        op.device = member("device").get<std::string>();
        op.hlc = member("hlc").get<std::uint64_t>();
        op.parents = member("parents").get<std::vector<std::string>>();
        op.textMerge = j.contains("text_merge") ? j.at("text_merge").get<bool>() : false;
        // Ops written before formats were numbered carry none: they are format 1.
        op.format = j.contains("format") ? j.at("format").get<int>() : 1;
        return op;
    } catch (const Json::exception& e) {
        throw Error(ErrorCode::BadInput, std::string("operation: ") + e.what());
    }
}

namespace {

bool isControlOrSpace(char c)
{
    const auto u = static_cast<unsigned char>(c);
    return u <= 0x20 || u == 0x7f;
}

// Dot-separated names, none empty, no brackets, spaces or control characters.
bool isDottedName(std::string_view name)
{
    if (name.empty() || name.front() == '.' || name.back() == '.'
        || name.find("..") != std::string_view::npos)
        return false;
    return std::none_of(
        name.begin(), name.end(), [](char c) { return c == '[' || c == ']' || isControlOrSpace(c); });
}

} // namespace

bool isValidRowId(std::string_view id)
{
    return !id.empty() && id.size() <= MaxIdBytes && std::none_of(id.begin(), id.end(), [](char c) {
        return c == '[' || c == ']' || c == '.' || isControlOrSpace(c);
    });
}

FieldPath FieldPath::parse(const std::string& path)
{
    auto bad = [&]() { return Error(ErrorCode::BadInput, "'" + path + "' is not a field path"); };
    if (path.size() > MaxPathBytes)
        throw Error(ErrorCode::BadInput,
            "a field path of " + std::to_string(path.size()) + " bytes is longer than "
                + std::to_string(MaxPathBytes));
    FieldPath p;
    const auto open = path.find('[');
    if (open == std::string::npos) {
        if (!isDottedName(path))
            throw bad();
        p.field = path;
        return p;
    }
    const auto close = path.find(']', open);
    if (close == std::string::npos)
        throw bad();
    p.table = path.substr(0, open);
    p.row = path.substr(open + 1, close - open - 1);
    if (!isDottedName(p.table) || !isValidRowId(p.row))
        throw bad();
    if (close + 1 < path.size()) {
        if (path[close + 1] != '.')
            throw bad();
        p.column = path.substr(close + 2);
        if (!isDottedName(p.column))
            throw bad();
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
    const std::uint64_t physical = physicalHlcNow();
    m_last = physical > m_last ? physical : m_last + 1;
    return m_last;
}

void HybridClock::observe(std::uint64_t remote)
{
    if (remote > m_last && remote <= latestAcceptableHlc(physicalHlcNow()))
        m_last = remote;
}

std::uint64_t physicalHlcNow()
{
    const auto ms = static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::system_clock::now().time_since_epoch())
                                                   .count());
    return ms << 16;
}

std::uint64_t latestAcceptableHlc(std::uint64_t nowHlc)
{
    return (((nowHlc >> 16) + MaxClockSkewMs) << 16) | 0xffff;
}

std::string formatHlcUtc(std::uint64_t hlc)
{
    const std::time_t seconds = static_cast<std::time_t>((hlc >> 16) / 1000);
    std::tm tm {};
    gmtime_r(&seconds, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return text;
}

std::string localDateToday()
{
    const std::time_t now = std::time(nullptr);
    std::tm tm {};
    localtime_r(&now, &tm);
    char text[16];
    std::strftime(text, sizeof text, "%Y-%m-%d", &tm);
    return text;
}

} // namespace fplan
