// SPDX-License-Identifier: EUPL-1.2
#include "core/op.h"

#include "base/error.h"

#include <algorithm>
#include <chrono>
#include <climits>
#include <ctime>
#include <utility>

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

namespace {

// The members of an op, in the order a missing one is reported. All but the last two are required.
enum Member : unsigned {
    OpId,
    CaseId,
    DocId,
    Kind,
    Path,
    Value,
    Author,
    Device,
    Hlc,
    Parents,
    TextMerge,
    Format
};
constexpr std::string_view MemberNames[] = { "op_id", "case_id", "doc_id", "kind", "path", "value", "author",
    "device", "hlc", "parents", "text_merge", "format" };

struct WrongType {
    std::string message;
};

WrongType wrongType(std::string_view name, const char* what)
{
    return { "operation: '" + std::string(name) + "' must be " + what };
}

std::string takeString(std::string_view name, Json& value)
{
    if (!value.is_string())
        throw wrongType(name, "a string");
    return std::move(value.get_ref<std::string&>());
}

} // namespace

bool OpReader::set(std::string_view name, Json&& value)
{
    const auto found = std::find(std::begin(MemberNames), std::end(MemberNames), name);
    if (found == std::end(MemberNames))
        return false;
    const auto member = static_cast<Member>(found - std::begin(MemberNames));
    try {
        setMember(member, name, std::move(value));
    } catch (const WrongType& e) {
        if (m_problem.empty())
            m_problem = e.message;
    }
    m_set |= 1u << member;
    return true;
}

void OpReader::setMember(unsigned member, std::string_view name, Json&& value)
{
    // The members that are strings kept as they are.
    static constexpr std::pair<Member, std::string Op::*> Strings[]
        = { { OpId, &Op::id }, { CaseId, &Op::caseId }, { DocId, &Op::docId }, { Path, &Op::path },
              { Author, &Op::author }, { Device, &Op::device } };
    for (const auto& [stringMember, field] : Strings)
        if (stringMember == member) {
            m_op.*field = takeString(name, value);
            return;
        }
    switch (member) {
    case Kind:
        setKindFromName(m_op, takeString(name, value));
        break;
    case Value:
        m_op.value = std::move(value);
        break;
    case Hlc:
        if (!value.is_number_integer() || (!value.is_number_unsigned() && value.get<std::int64_t>() < 0))
            throw wrongType(name, "a whole number from 0");
        m_op.hlc = value.get<std::uint64_t>();
        break;
    case Parents:
        if (!value.is_array())
            throw wrongType(name, "an array of op ids");
        m_op.parents.clear();
        m_op.parents.reserve(value.size());
        for (auto& parent : value)
            m_op.parents.push_back(takeString("parents[]", parent));
        break;
    case TextMerge:
        if (!value.is_boolean())
            throw wrongType(name, "true or false");
        m_op.textMerge = value.get<bool>();
        break;
    case Format:
        if (!value.is_number_integer() || value.get<std::int64_t>() < INT_MIN
            || value.get<std::int64_t>() > INT_MAX)
            throw wrongType(name, "a whole number");
        m_op.format = static_cast<int>(value.get<std::int64_t>());
        break;
    default: // the strings above
        break;
    }
}

Op OpReader::finish() &&
{
    if (!m_problem.empty())
        throw Error(ErrorCode::BadInput, m_problem);
    for (unsigned m = 0; m < TextMerge; ++m)
        if ((m_set & (1u << m)) == 0)
            throw Error(ErrorCode::BadInput, "operation: missing '" + std::string(MemberNames[m]) + "'");
    // Ops written before formats were numbered carry none: they are format 1.
    if ((m_set & (1u << Format)) == 0)
        m_op.format = 1;
    return std::move(m_op);
}

Op opFromJson(const Json& j)
{
    if (!j.is_object())
        throw Error(ErrorCode::BadInput, "operation: an op is a JSON object");
    OpReader reader;
    for (const auto& [name, value] : j.items())
        reader.set(name, Json(value));
    return std::move(reader).finish();
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
