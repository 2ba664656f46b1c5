// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace fplan {

using Json = nlohmann::json;

// The unit of change and of sync. Ops are append-only; a document is the fold of its ops.
enum class OpKind {
    Set,       // path = field or table cell; value = the new value (null clears it)
    RowInsert, // path = "table[row]"; value = {"pos": position key}; also used to move a row
    RowDelete, // path = "table[row]"; a tombstone that never hides a concurrent edit of the row
    Finalize,  // path = ""; value = {"values": snapshot}; parents = every head of the document
};

struct Op {
    std::string id; // UUID, unique across all devices
    std::string caseId;
    std::string docId;
    OpKind kind = OpKind::Set;
    std::string path;
    Json value;
    bool textMerge = false;           // concurrent edits may be merged three-way as text
    std::string author;               // team member user name or display name
    std::string device;               // the writing store's device id
    std::uint64_t hlc = 0;            // hybrid logical clock: ms since epoch << 16 | counter
    std::vector<std::string> parents; // the ops this edit had seen on the same path
};

const char* toString(OpKind kind);
OpKind opKindFromString(const std::string& text); // throws Error(BadInput)

Json toJson(const Op& op);
Op opFromJson(const Json& json); // throws Error(BadInput) naming the missing member

// A parsed field path: "section.field", "table[row].column" or "table[row]".
struct FieldPath {
    std::string table;  // empty for a plain field
    std::string row;    // empty for a plain field
    std::string column; // the cell's column; empty for a row path or a plain field
    std::string field;  // the plain field's path

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
    void observe(std::uint64_t remote);
    std::uint64_t last() const { return m_last; }

private:
    std::uint64_t m_last = 0;
};

std::string formatHlcUtc(std::uint64_t hlc); // "2026-03-12T09:30:00Z"
std::string localDateToday();                // "2026-03-12" on this machine's calendar

} // namespace fplan
