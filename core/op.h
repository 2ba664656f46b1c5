// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace fplan {

using Json = nlohmann::json;

// The format of an op as this program writes it. An op of a newer format (or of a kind this
// program does not know) is stored and passed on, but the fold skips it.
inline constexpr int CurrentOpFormat = 1;

// The unit of change and of sync. Ops are append-only; a document is the fold of its ops.
enum class OpKind {
    Set, // path = field or table cell; value = the new value (null clears it)
    RowInsert, // path = "table[row]"; value = {"pos": position key}; also used to move a row
    RowDelete, // path = "table[row]"; a tombstone that never hides a concurrent edit of the row
    Finalize, // path = ""; value = {"values": snapshot, "number": N}; parents = every head
    Create, // path = ""; value = {"template_id", "template_version", "template_hash"}: the
            // document exists; a "sag" document also creates its case
    Unknown, // a kind from a newer program: kept (Op::unknownKind) and skipped by the fold
};

struct Op {
    std::string id; // UUID, unique across all devices
    std::string caseId;
    std::string docId;
    OpKind kind = OpKind::Set;
    std::string path;
    Json value;
    bool textMerge = false; // concurrent edits may be merged three-way as text
    std::string author; // team member user name or display name
    std::string device; // the writing store's device id
    std::uint64_t hlc = 0; // hybrid logical clock: ms since epoch << 16 | counter
    std::vector<std::string> parents; // the ops this edit had seen on the same path
    int format = CurrentOpFormat;
    std::string unknownKind; // the kind's name when kind == OpKind::Unknown
};

const char* toString(OpKind kind);
OpKind opKindFromString(const std::string& text); // throws Error(BadInput)
// The kind as stored and sent: toString(kind), or the unknown kind's own name.
std::string kindName(const Op& op);
// Kinds this program does not know become OpKind::Unknown with `unknownKind` set.
void setKindFromName(Op& op, const std::string& name);

Json toJson(const Op& op);
Op opFromJson(const Json& json); // throws Error(BadInput) naming the missing member

// An op's members in JSON, set one by one in any order: the one definition of which members an
// op has, which it must have and what each holds. opFromJson reads a parsed object with it; a
// reader of a whole push reads each op with it straight from the parser's events.
class OpReader {
public:
    // Sets the member `name` from `value`. False for a name ops do not have (nothing is set). A
    // value of the wrong type is kept as the reader's problem, for finish() to throw.
    bool set(std::string_view name, Json&& value);
    // The op id read so far: empty until op_id is set.
    const std::string& id() const { return m_op.id; }
    // The op; throws Error(BadInput) for the first member of the wrong type, else naming the first
    // required member not set.
    Op finish() &&;

private:
    void setMember(unsigned member, std::string_view name, Json&& value);

    Op m_op;
    unsigned m_set = 0; // one bit per member
    std::string m_problem;
};

inline constexpr std::size_t MaxIdBytes = 64; // op, case, document, row and device ids
inline constexpr std::size_t MaxPathBytes = 512; // a whole field path

// A row id: 1..MaxIdBytes bytes, no '.', '[', ']', spaces or control characters.
bool isValidRowId(std::string_view id);

// A parsed field path: "section.field", "table[row].column" or "table[row]".
struct FieldPath {
    std::string table; // empty for a plain field
    std::string row; // empty for a plain field
    std::string column; // the cell's column; empty for a row path or a plain field
    std::string field; // the plain field's path

    static FieldPath parse(const std::string& path); // throws Error(BadInput)
    bool isRow() const { return !row.empty() && column.empty(); }
    bool isCell() const { return !row.empty() && !column.empty(); }
};

std::string rowPath(const std::string& table, const std::string& row);
std::string cellPath(const std::string& table, const std::string& row, const std::string& column);

// Milliseconds since the epoch in the high 48 bits, a counter in the low 16 bits. Monotonic per
// device, and it moves past every clock it has seen from others.
class HybridClock {
public:
    std::uint64_t now();
    // Moves past a clock seen elsewhere, but never more than MaxClockSkewMs ahead of this
    // machine's own clock: a device whose clock is wrong cannot drag local time along.
    void observe(std::uint64_t remote);
    std::uint64_t last() const { return m_last; }

private:
    std::uint64_t m_last = 0;
};

// How far ahead of the receiver's clock an op's hlc may be: further ahead is refused.
inline constexpr std::uint64_t MaxClockSkewMs = 10 * 60 * 1000;
std::uint64_t physicalHlcNow(); // this machine's clock as an hlc (counter 0)
// The highest hlc a receiver whose clock reads `nowHlc` accepts.
std::uint64_t latestAcceptableHlc(std::uint64_t nowHlc);

std::string formatHlcUtc(std::uint64_t hlc); // "2026-03-12T09:30:00Z"
std::string localDateToday(); // "2026-03-12" on this machine's calendar

} // namespace fplan
