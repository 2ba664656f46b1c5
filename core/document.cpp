// SPDX-License-Identifier: EUPL-1.2
#include "core/document.h"

#include "base/error.h"
#include "core/textmerge.h"
#include "crypto/random.h"

#include <algorithm>
#include <deque>
#include <tuple>
#include <unordered_set>

namespace fplan {

namespace {

bool laterThan(const Op* a, const Op* b)
{
    return std::tie(a->hlc, a->id) > std::tie(b->hlc, b->id);
}

bool isRegisterOp(const Op& op)
{
    return op.kind != OpKind::Finalize;
}

constexpr std::string_view PositionDigits = "0123456789abcdefghijklmnopqrstuvwxyz";

int digitValue(char c)
{
    const auto pos = PositionDigits.find(c);
    return pos == std::string_view::npos ? 0 : static_cast<int>(pos);
}

} // namespace

DocumentState DocumentState::fold(std::span<const Op> ops)
{
    DocumentState state;
    for (const Op& op : ops)
        state.apply(op);
    return state;
}

void DocumentState::apply(const Op& incoming)
{
    const auto [it, inserted] = m_ops.emplace(incoming.id, incoming);
    if (!inserted)
        return; // copies of an op id are identical: idempotent
    const Op* op = &it->second;
    m_maxHlc = std::max(m_maxHlc, op->hlc);

    if (!isRegisterOp(*op)) {
        Version v;
        v.opId = op->id;
        v.hlc = op->hlc;
        v.author = op->author;
        v.values = op->value.is_object() && op->value.contains("values") ? op->value.at("values")
                                                                         : Json::object();
        const auto at = std::upper_bound(m_versions.begin(), m_versions.end(), v, [](const Version& a, const Version& b) {
            return std::tie(a.hlc, a.opId) < std::tie(b.hlc, b.opId);
        });
        m_versions.insert(at, std::move(v));
        for (std::size_t i = 0; i < m_versions.size(); ++i)
            m_versions[i].number = static_cast<int>(i + 1);
        return;
    }

    const FieldPath fp = FieldPath::parse(op->path);
    if (!fp.row.empty())
        m_tableRows[fp.table].insert(fp.row);
    // An op supersedes the ops of its own path that it names as parents (multi-value register).
    Register& reg = m_registers[op->path];
    for (const auto& parent : op->parents)
        reg.superseded.insert(parent);
    std::erase_if(reg.heads, [&](const Op* head) { return reg.superseded.count(head->id) > 0; });
    if (!reg.superseded.count(op->id)) {
        const auto at = std::lower_bound(reg.heads.begin(), reg.heads.end(), op,
                                         [](const Op* a, const Op* b) { return a->id < b->id; });
        reg.heads.insert(at, op);
    }
}

const Op* DocumentState::find(const std::string& opId) const
{
    const auto it = m_ops.find(opId);
    return it == m_ops.end() ? nullptr : &it->second;
}

bool DocumentState::inCausalPast(const std::string& ancestor, const std::vector<std::string>& from) const
{
    std::unordered_set<std::string> seen;
    std::deque<std::string> queue(from.begin(), from.end());
    while (!queue.empty()) {
        std::string id = std::move(queue.front());
        queue.pop_front();
        if (id == ancestor)
            return true;
        if (!seen.insert(id).second)
            continue;
        if (const Op* op = find(id))
            queue.insert(queue.end(), op->parents.begin(), op->parents.end());
    }
    return false;
}

Json DocumentState::registerValue(const Register& reg, bool* conflict) const
{
    if (conflict)
        *conflict = false;
    if (reg.heads.empty())
        return nullptr;
    if (reg.heads.size() == 1)
        return reg.heads.front()->value;

    const bool mergeable = std::all_of(reg.heads.begin(), reg.heads.end(), [](const Op* op) {
        return op->kind == OpKind::Set && op->textMerge && op->value.is_string();
    });
    if (mergeable) {
        // The latest op of this path that every head has seen is the common ancestor.
        const Op* base = nullptr;
        for (const auto& entry : m_ops) {
            const Op& op = entry.second; // not a structured binding: clang 14 cannot capture those
            if (op.path != reg.heads.front()->path || (base && !laterThan(&op, base)))
                continue;
            const bool common = std::all_of(reg.heads.begin(), reg.heads.end(), [&](const Op* h) {
                return inCausalPast(op.id, h->parents);
            });
            if (common)
                base = &op;
        }
        const std::string baseText = base && base->value.is_string() ? base->value.get<std::string>() : "";
        std::optional<std::string> merged = reg.heads.front()->value.get<std::string>();
        for (std::size_t i = 1; merged && i < reg.heads.size(); ++i)
            merged = mergeText(baseText, *merged, reg.heads[i]->value.get<std::string>());
        if (merged)
            return *merged;
    } else {
        const bool allEqual = std::all_of(reg.heads.begin(), reg.heads.end(), [&](const Op* op) {
            return op->value == reg.heads.front()->value;
        });
        if (allEqual)
            return reg.heads.front()->value;
    }
    if (conflict)
        *conflict = true;
    return reg.heads.front()->value;
}

std::optional<Json> DocumentState::value(const std::string& path) const
{
    const auto it = m_registers.find(path);
    if (it == m_registers.end())
        return std::nullopt;
    Json v = registerValue(it->second, nullptr);
    if (v.is_null())
        return std::nullopt;
    return v;
}

std::vector<std::string> DocumentState::heads(const std::string& path) const
{
    std::vector<std::string> ids;
    const auto it = m_registers.find(path);
    if (it != m_registers.end())
        for (const Op* op : it->second.heads)
            ids.push_back(op->id);
    return ids;
}

std::vector<std::string> DocumentState::allHeads() const
{
    std::vector<std::string> ids;
    for (const auto& [path, reg] : m_registers)
        for (const Op* op : reg.heads)
            ids.push_back(op->id);
    std::sort(ids.begin(), ids.end());
    return ids;
}

std::vector<std::string> DocumentState::tables() const
{
    std::vector<std::string> names;
    for (const auto& [table, rows] : m_tableRows)
        names.push_back(table);
    return names;
}

std::vector<Row> DocumentState::rows(const std::string& table) const
{
    std::vector<Row> result;
    const auto tableIt = m_tableRows.find(table);
    if (tableIt == m_tableRows.end())
        return result;
    for (const std::string& rowId : tableIt->second) {
        const std::string rp = rowPath(table, rowId);
        const std::string cellPrefix = rp + ".";
        Row row;
        row.id = rowId;
        bool alive = false;
        const Op* latestInsert = nullptr;
        const auto regIt = m_registers.find(rp);
        if (regIt == m_registers.end()) {
            alive = true; // cells without an insert op: keep them visible rather than lose them
        } else {
            std::vector<std::string> deleteHeads;
            for (const Op* head : regIt->second.heads) {
                if (head->kind == OpKind::RowInsert) {
                    alive = true;
                    if (!latestInsert || laterThan(head, latestInsert))
                        latestInsert = head;
                } else if (head->kind == OpKind::RowDelete) {
                    deleteHeads.push_back(head->id);
                }
            }
            if (!alive) {
                // A cell edit the deleter had not seen brings the row back, flagged.
                for (auto it = m_registers.lower_bound(cellPrefix);
                     it != m_registers.end() && it->first.rfind(cellPrefix, 0) == 0 && !alive; ++it)
                    for (const Op* head : it->second.heads)
                        if (!inCausalPast(head->id, deleteHeads)) {
                            alive = true;
                            row.resurrected = true;
                            break;
                        }
                if (alive)
                    for (const auto& [id, op] : m_ops)
                        if (op.path == rp && op.kind == OpKind::RowInsert
                            && (!latestInsert || laterThan(&op, latestInsert)))
                            latestInsert = &op;
            }
        }
        if (!alive)
            continue;
        if (latestInsert && latestInsert->value.is_object())
            row.position = latestInsert->value.value("pos", "");
        for (auto it = m_registers.lower_bound(cellPrefix);
             it != m_registers.end() && it->first.rfind(cellPrefix, 0) == 0; ++it) {
            Json v = registerValue(it->second, nullptr);
            if (!v.is_null())
                row.cells[it->first.substr(cellPrefix.size())] = std::move(v);
        }
        result.push_back(std::move(row));
    }
    std::sort(result.begin(), result.end(), [](const Row& a, const Row& b) {
        return std::tie(a.position, a.id) < std::tie(b.position, b.id);
    });
    return result;
}

std::vector<Conflict> DocumentState::conflicts() const
{
    std::vector<Conflict> result;
    for (const auto& [path, reg] : m_registers) {
        bool conflict = false;
        registerValue(reg, &conflict);
        if (!conflict || FieldPath::parse(path).isRow())
            continue;
        Conflict c;
        c.path = path;
        for (const Op* op : reg.heads) {
            c.values.push_back(op->value);
            c.opIds.push_back(op->id);
        }
        result.push_back(std::move(c));
    }
    return result;
}

Json DocumentState::values() const
{
    Json out = Json::object();
    for (const auto& [path, reg] : m_registers) {
        const FieldPath fp = FieldPath::parse(path);
        if (!fp.row.empty())
            continue;
        Json v = registerValue(reg, nullptr);
        if (!v.is_null())
            out[path] = std::move(v);
    }
    for (const auto& [table, ids] : m_tableRows) {
        Json rowsJson = Json::array();
        for (const Row& row : rows(table)) {
            Json r = Json::object();
            r["@id"] = row.id;
            for (const auto& [column, v] : row.cells)
                r[column] = v;
            rowsJson.push_back(std::move(r));
        }
        out[table] = std::move(rowsJson);
    }
    return out;
}

Op OpFactory::make(const std::string& caseId, const std::string& docId, OpKind kind, std::string path)
{
    Op op;
    op.id = crypto::newTimeOrderedUuid();
    op.caseId = caseId;
    op.docId = docId;
    op.kind = kind;
    op.path = std::move(path);
    op.author = m_author;
    op.device = m_device;
    op.hlc = m_clock.now();
    return op;
}

Op OpFactory::set(const DocumentState& state, const std::string& caseId, const std::string& docId,
                  const std::string& path, Json value, bool textMerge)
{
    const FieldPath fp = FieldPath::parse(path);
    if (fp.isRow())
        throw Error(ErrorCode::BadInput, path + ": a row is changed by inserting or deleting it");
    Op op = make(caseId, docId, OpKind::Set, path);
    op.value = std::move(value);
    op.textMerge = textMerge;
    op.parents = state.heads(path);
    return op;
}

Op OpFactory::insertRow(const DocumentState& state, const std::string& caseId, const std::string& docId,
                        const std::string& table, const std::string& rowId, const std::string& position)
{
    Op op = make(caseId, docId, OpKind::RowInsert, rowPath(table, rowId));
    op.value = {{"pos", position}};
    op.parents = state.heads(op.path);
    return op;
}

Op OpFactory::deleteRow(const DocumentState& state, const std::string& caseId, const std::string& docId,
                        const std::string& table, const std::string& rowId)
{
    Op op = make(caseId, docId, OpKind::RowDelete, rowPath(table, rowId));
    op.parents = state.heads(op.path);
    // Naming the cells it has seen lets a concurrent, unseen cell edit bring the row back.
    const std::string prefix = op.path + ".";
    for (const Row& row : state.rows(table)) {
        if (row.id != rowId)
            continue;
        for (const auto& [column, v] : row.cells) {
            const auto cellHeads = state.heads(prefix + column);
            op.parents.insert(op.parents.end(), cellHeads.begin(), cellHeads.end());
        }
    }
    return op;
}

Op OpFactory::finalize(const DocumentState& state, const std::string& caseId, const std::string& docId)
{
    Op op = make(caseId, docId, OpKind::Finalize, "");
    op.value = {{"values", state.values()}};
    op.parents = state.allHeads();
    return op;
}

std::string positionBetween(const std::string& before, const std::string& after)
{
    const int base = static_cast<int>(PositionDigits.size());
    if (!after.empty() && !(before < after))
        throw Error(ErrorCode::Internal, "positionBetween: '" + before + "' is not before '" + after + "'");
    std::string result;
    bool bounded = !after.empty();
    for (std::size_t n = 0;; ++n) {
        const int lo = n < before.size() ? digitValue(before[n]) : 0;
        const int hi = bounded ? (n < after.size() ? digitValue(after[n]) : base) : base;
        if (lo == hi) {
            result += PositionDigits[static_cast<std::size_t>(lo)];
            continue;
        }
        const int mid = (lo + hi) / 2;
        if (mid > lo) {
            result += PositionDigits[static_cast<std::size_t>(mid)];
            return result;
        }
        result += PositionDigits[static_cast<std::size_t>(lo)];
        bounded = false; // anything after `before`'s remaining digits is below `after` now
    }
}

std::vector<Op> opsForValues(const DocumentState& state, const Json& values, const FieldKinds& kinds,
                             OpFactory& factory, const std::string& caseId, const std::string& docId)
{
    if (!values.is_object())
        throw Error(ErrorCode::BadInput, "values must be a JSON object keyed by field path");
    std::vector<Op> ops;
    std::set<std::string> conflicted;
    for (const auto& c : state.conflicts())
        conflicted.insert(c.path);

    auto setIfChanged = [&](const std::string& path, const Json& v, bool textMerge) {
        const auto current = state.value(path);
        const bool unchanged = v.is_null() ? !current.has_value() : (current && *current == v);
        if (!unchanged || conflicted.count(path))
            ops.push_back(factory.set(state, caseId, docId, path, v, textMerge));
    };

    for (const auto& [key, v] : values.items()) {
        if (!kinds.tables.count(key)) {
            FieldPath::parse(key);
            setIfChanged(key, v, kinds.mergeableText.count(key) > 0);
            continue;
        }
        if (!v.is_array())
            throw Error(ErrorCode::BadInput, key + ": a table takes an array of rows");
        const std::vector<Row> current = state.rows(key);
        std::map<std::string, const Row*> currentById;
        for (const Row& r : current)
            currentById[r.id] = &r;

        std::vector<std::string> desired;
        std::set<std::string> seen;
        for (std::size_t i = 0; i < v.size(); ++i) {
            const Json& row = v[i];
            if (!row.is_object())
                throw Error(ErrorCode::BadInput, key + "[" + std::to_string(i) + "]: a row is an object");
            std::string id = row.contains("@id") ? row.at("@id").get<std::string>() : crypto::newUuid();
            if (id.empty() || id.find_first_of("[]. ") != std::string::npos)
                throw Error(ErrorCode::BadInput, key + "[" + std::to_string(i) + "].@id: '" + id
                                                     + "' is not a usable row id");
            if (!seen.insert(id).second)
                throw Error(ErrorCode::BadInput, key + "[" + std::to_string(i) + "].@id: '" + id
                                                     + "' appears twice");
            desired.push_back(std::move(id));
        }
        // Keep existing positions when the kept rows stay in order; otherwise renumber them all.
        std::vector<std::string> keptInCurrentOrder, keptInDesiredOrder;
        for (const Row& r : current)
            if (seen.count(r.id))
                keptInCurrentOrder.push_back(r.id);
        for (const auto& id : desired)
            if (currentById.count(id))
                keptInDesiredOrder.push_back(id);
        bool renumber = keptInCurrentOrder != keptInDesiredOrder;
        for (std::size_t i = 1; i < current.size() && !renumber; ++i)
            renumber = current[i - 1].position >= current[i].position; // concurrent inserts tied

        std::string previous;
        for (std::size_t i = 0; i < desired.size(); ++i) {
            const std::string& id = desired[i];
            const auto existing = currentById.find(id);
            std::string position;
            if (!renumber && existing != currentById.end()) {
                position = existing->second->position;
            } else {
                std::string next;
                if (!renumber)
                    for (std::size_t j = i + 1; j < desired.size() && next.empty(); ++j)
                        if (auto it = currentById.find(desired[j]); it != currentById.end())
                            next = it->second->position;
                position = positionBetween(previous, next);
                if (existing == currentById.end() || existing->second->position != position)
                    ops.push_back(factory.insertRow(state, caseId, docId, key, id, position));
            }
            previous = position;
            for (const auto& [column, cell] : v[i].items()) {
                if (column == "@id")
                    continue;
                setIfChanged(cellPath(key, id, column), cell,
                             kinds.mergeableText.count(key + "." + column) > 0);
            }
        }
        for (const Row& r : current)
            if (!seen.count(r.id))
                ops.push_back(factory.deleteRow(state, caseId, docId, key, r.id));
    }
    return ops;
}

const Version& findVersion(const DocumentState& state, const std::string& docId, int number)
{
    const auto& versions = state.versions();
    if (number == 0) {
        if (versions.empty())
            throw Error(ErrorCode::Conflict, "document " + docId + " has no finalised version yet (fplan doc finalize)");
        return versions.back();
    }
    for (const auto& v : versions)
        if (v.number == number)
            return v;
    throw Error(ErrorCode::NotFound, "document " + docId + " has no version " + std::to_string(number)
                                         + (versions.empty() ? " (it has not been finalised)"
                                                             : " (the latest is " + std::to_string(versions.back().number) + ")"));
}

} // namespace fplan
