// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include "core/op.h"

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace fplan {

// Both (or all) values of a field that concurrent edits left standing, until a person picks.
struct Conflict {
    std::string path;
    std::vector<Json> values; // ordered by op id, so every device shows the same order
    std::vector<std::string> opIds; // the standing ops; a resolving edit names them as parents
};

struct Row {
    std::string id;
    std::string position;
    bool resurrected = false; // deleted by one person while another edited it: shown, and flagged
    std::map<std::string, Json> cells;
};

// An op the fold stored but did not apply, and why (a newer program's op, a malformed one).
struct SkippedOp {
    std::string opId;
    std::string reason;
};

// A finalised version. Its identity for ever is its finalize op id; its number is fixed when it
// is made (one more than the highest number in its causal past) and never changes on any
// replica. Two people finalising concurrently both make "version N"; a third settles it.
struct Version {
    int number = 0;
    std::string opId;
    std::uint64_t hlc = 0;
    std::string author;
    Json values; // the frozen snapshot, in the values format of `doc fill`
};

// The fold of a document's ops. Any order, any duplicates: the same ops give the same state.
class DocumentState {
public:
    DocumentState() = default;
    // Movable, not copyable: the registers point into the op map.
    DocumentState(DocumentState&&) noexcept = default;
    DocumentState& operator=(DocumentState&&) noexcept = default;
    DocumentState(const DocumentState&) = delete;
    DocumentState& operator=(const DocumentState&) = delete;

    static DocumentState fold(std::span<const Op> ops);
    static DocumentState fold(std::vector<Op>&& ops);
    // The state a person saw: only the ops in the causal past of `seen` (the "seen" list of
    // `doc show --json`: every head and version of the document at that moment).
    static DocumentState foldSeen(std::span<const Op> ops, const std::vector<std::string>& seen);
    // What to pass as `seen` later: every head and every version.
    std::vector<std::string> seenMarker() const;
    // Adds one op (from this desk or from sync); an op id already applied is ignored. Folding is
    // applying every op, so an editor can keep its state current without folding again.
    void apply(const Op& op) { apply(Op(op)); }
    void apply(Op&& op);

    // A field's or cell's value (the merged text or, under conflict, the lowest op id's value).
    std::optional<Json> value(const std::string& path) const;
    // The ops an edit of `path` supersedes: pass them as its parents.
    std::vector<std::string> heads(const std::string& path) const;
    // Every head op of the document.
    std::vector<std::string> allHeads() const;
    // The heads of every path that starts with `prefix` (a row's cells: "table[row].").
    std::vector<std::string> headsUnder(const std::string& prefix) const;
    // The ops whose causal past is everything applied: every version and head that is not in
    // the past of a version. A Finalize op names them as parents; naming every head instead
    // would make each finalise as large as the document's history.
    std::vector<std::string> frontier() const;
    // The live rows of a table, ordered by position then id.
    std::vector<Row> rows(const std::string& table) const;
    std::vector<std::string> tables() const;
    // A table's live rows in the values format: [{"@id": row, column: value, ...}, ...].
    Json tableValue(const std::string& table) const;
    // An op of this state by id, or nullptr: who wrote a standing value, and when.
    const Op* find(const std::string& opId) const;
    std::vector<Conflict> conflicts() const;
    // Ordered by number, then (for concurrent versions of one number) hlc and op id.
    const std::vector<Version>& versions() const { return m_versions; }
    const Version* version(const std::string& finalizeOpId) const;
    // The latest version: the highest number; of concurrent ones the last by hlc, then op id.
    const Version* latestVersion() const { return m_versions.empty() ? nullptr : &m_versions.back(); }
    // A version named by its number or its finalize op id. Error(NotFound) when there is none,
    // Error(Conflict) naming both ids when two concurrent versions share the number.
    const Version& resolveVersion(const std::string& numberOrId) const;
    // The number the next finalise here gets.
    int nextVersionNumber() const { return m_versions.empty() ? 1 : m_versions.back().number + 1; }
    // Whether any applied edit lies outside the version's causal past (by parents, not clocks).
    bool changedSince(const Version& version) const;
    std::uint64_t maxHlc() const { return m_maxHlc; }
    std::size_t opCount() const { return m_ops.size(); }
    // The document's create op (template id, version and hash; its hlc is the creation time),
    // or nullptr while it has not arrived.
    const Op* creation() const { return m_creation; }
    // Ops kept but not applied, ordered by op id.
    std::vector<SkippedOp> skipped() const;

    // Values keyed by field path; tables as arrays of {"@id": row, column: value, ...}.
    Json values() const;

    // The folded state as bytes, for the store's snapshot cache: every op (the values of
    // superseded edits as unparsed text), the registers and the rows. restore(snapshot())
    // followed by apply() of any further ops equals folding all of them, whatever order they
    // come in, because a fold does not depend on the order of its ops.
    std::string snapshot() const;
    static DocumentState restore(std::string bytes); // Error(Storage) when malformed
    // Raise when the fold changes what a set of ops gives (a new op kind, a new rule): a
    // snapshot made by another fold is then folded again instead of used.
    static constexpr std::uint32_t SnapshotFormat = 1;

private:
    struct Register {
        std::vector<const Op*> heads; // sorted by op id
        std::set<std::string> superseded; // op ids named as parents by ops of this path
    };
    Json registerValue(const Register& reg, bool* conflict) const;
    bool inCausalPast(const std::string& ancestor, const std::vector<std::string>& from) const;
    std::unordered_set<std::string> causalPast(const std::vector<std::string>& from) const;
    static DocumentState restoreUnchecked(std::shared_ptr<const std::string> bytes);
    void numberLegacyVersions();
    void addVersion(const Op* op);
    // An op's value; a restored superseded op's value is parsed only when asked for.
    Json valueOf(const Op* op) const;

    std::map<std::string, Op> m_ops; // by op id
    std::map<std::string, std::string> m_skipped; // op id -> why the fold did not apply it
    std::map<std::string, Register> m_registers; // by path: fields, cells and rows
    std::map<std::string, std::set<std::string>> m_tableRows; // table -> row ids ever inserted
    std::vector<Version> m_versions;
    std::uint64_t m_maxHlc = 0;
    const Op* m_creation = nullptr;
    // A restored state keeps the snapshot's bytes: the value text of ops whose value is not
    // parsed (null in the op) is there, as (op id, value text) sorted by op id.
    std::shared_ptr<const std::string> m_snapshotBytes;
    std::vector<std::pair<std::string_view, std::string_view>> m_unparsed;
    std::string_view unparsedValue(const Op& op) const;
};

// A finalised version as a person names it: by its number (1, 2, ...; 0 for the latest) or by
// its stable id, the id of the op that finalised it (`doc show --json` lists it), which tells
// apart two concurrent versions that share a number.
struct VersionRef {
    int number = 0; // used when id is empty
    std::string id;

    VersionRef() = default;
    VersionRef(int versionNumber) // NOLINT(google-explicit-constructor): a number names a version
        : number(versionNumber)
    {
    }
    static VersionRef byId(std::string versionId);
    // The one reading of "a number or an id" for every command that names a version: digits are
    // a number (1..999999), anything else shaped like an op id is an id. Error(Usage) naming
    // `what` (e.g. "--version") for anything else.
    static VersionRef parse(std::string_view word, std::string_view what);
    bool isLatest() const { return id.empty() && number == 0; }
    std::string text() const; // "2" or the id
};

// Version `ref` of document `docId` (a number, an id, or the latest with number 0): the one
// lookup every use-case shares. Error(NotFound) "document ID: no version 'X' (the latest is N)";
// Error(Conflict) when the latest is asked for and none is finalised yet, or when a number is
// shared by two concurrent versions.
const Version& findVersion(const DocumentState& state, const std::string& docId, const VersionRef& ref);

// Makes ops for one author on one device; stamps ids, clock and parents from the current state.
class OpFactory {
public:
    OpFactory(std::string author, std::string device, HybridClock& clock);

    Op set(const DocumentState& state, const std::string& caseId, const std::string& docId,
        const std::string& path, Json value, bool textMerge = false);
    Op insertRow(const DocumentState& state, const std::string& caseId, const std::string& docId,
        const std::string& table, const std::string& rowId, const std::string& position);
    Op deleteRow(const DocumentState& state, const std::string& caseId, const std::string& docId,
        const std::string& table, const std::string& rowId);
    // Parents: the state's frontier, so the version's causal past is all it saw.
    Op finalize(const DocumentState& state, const std::string& caseId, const std::string& docId);
    Op create(const std::string& caseId, const std::string& docId, const std::string& templateId,
        const std::string& templateVersion, const std::string& templateHash);

    const std::string& author() const { return m_author; }
    // A key between two others that no other factory makes (see positionBetween below).
    std::string positionBetween(const std::string& before, const std::string& after) const;

private:
    Op make(const std::string& caseId, const std::string& docId, OpKind kind, std::string path);

    std::string m_author;
    std::string m_device;
    HybridClock& m_clock;
    std::string m_positionTag;
};

// Which paths of a document are tables and which text fields merge three-way; the template
// layer (docgen) knows, core does not.
struct FieldKinds {
    std::set<std::string> tables;
    std::set<std::string> mergeableText; // plain field paths and "table.column" for cells
};

// What a table given to opsForValues does with rows of `state` it does not list.
enum class UnlistedRows {
    Delete, // `state` is exactly what the person saw: a row they left out is one they removed
    Keep, // the table may be older than `state`: rows not listed stay; {"@delete": true} deletes
};

// The ops that turn `state` (what the person saw: the ops' parents come from it) into `values`
// for the paths `values` names, and only for the fields, rows and cells that differ. Table rows
// are matched by "@id"; a row {"@id": X, "@delete": true} is deleted; order follows the array,
// and only rows out of order get a new position (no renumbering). Values equal to the current
// ones produce no op.
std::vector<Op> opsForValues(const DocumentState& state, const Json& values, const FieldKinds& kinds,
    OpFactory& factory, const std::string& caseId, const std::string& docId,
    UnlistedRows unlisted = UnlistedRows::Delete);

// Position keys that sort as strings: between(a, b) lies strictly between them ("" = open end).
std::string positionBetween(const std::string& before, const std::string& after);

} // namespace fplan
