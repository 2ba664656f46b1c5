// SPDX-License-Identifier: EUPL-1.2
#include "core/document.h"

#include "base/error.h"
#include "core/op_validation.h"
#include "core/textmerge.h"
#include "crypto/random.h"

#include <algorithm>
#include <deque>
#include <iterator>
#include <tuple>
#include <unordered_set>

namespace fplan {

namespace {

bool laterThan(const Op* a, const Op* b)
{
    return std::tie(a->hlc, a->id) > std::tie(b->hlc, b->id);
}

bool versionOrder(const Version& a, const Version& b)
{
    // Number-less (older) versions sort by their clock among themselves, before numbered ones.
    return std::tie(a.number, a.hlc, a.opId) < std::tie(b.number, b.hlc, b.opId);
}

bool isRegisterOp(const Op& op)
{
    return op.kind != OpKind::Finalize;
}

// The snapshot's encoding: little-endian integers, strings as a length and their bytes.
class SnapshotWriter {
public:
    void u32(std::uint32_t v)
    {
        for (int i = 0; i < 4; ++i)
            m_out += static_cast<char>((v >> (8 * i)) & 0xff);
    }
    void u64(std::uint64_t v)
    {
        for (int i = 0; i < 8; ++i)
            m_out += static_cast<char>((v >> (8 * i)) & 0xff);
    }
    void str(std::string_view v)
    {
        u32(static_cast<std::uint32_t>(v.size()));
        m_out += v;
    }
    void strings(const std::vector<std::string>& v)
    {
        u32(static_cast<std::uint32_t>(v.size()));
        for (const auto& item : v)
            str(item);
    }
    std::string take() { return std::move(m_out); }

private:
    std::string m_out;
};

class SnapshotReader {
public:
    explicit SnapshotReader(std::string_view in)
        : m_in(in)
    {
    }
    std::uint32_t u32()
    {
        need(4);
        std::uint32_t v = 0;
        for (int i = 0; i < 4; ++i)
            v |= static_cast<std::uint32_t>(static_cast<unsigned char>(m_in[m_at++])) << (8 * i);
        return v;
    }
    std::uint64_t u64()
    {
        need(8);
        std::uint64_t v = 0;
        for (int i = 0; i < 8; ++i)
            v |= static_cast<std::uint64_t>(static_cast<unsigned char>(m_in[m_at++])) << (8 * i);
        return v;
    }
    std::string_view view()
    {
        const std::uint32_t size = u32();
        need(size);
        const std::string_view v = m_in.substr(m_at, size);
        m_at += size;
        return v;
    }
    std::string str() { return std::string(view()); }
    // A count of items that each take at least `minBytes`: bounded by what is left.
    std::uint32_t count(std::size_t minBytes)
    {
        const std::uint32_t n = u32();
        need(static_cast<std::size_t>(n) * minBytes);
        return n;
    }
    std::vector<std::string> strings()
    {
        std::vector<std::string> v(count(4));
        for (auto& item : v)
            item = str();
        return v;
    }
    bool done() const { return m_at == m_in.size(); }

private:
    void need(std::size_t bytes) const
    {
        if (m_in.size() - m_at < bytes)
            throw Error(ErrorCode::Storage, "document snapshot: truncated");
    }
    std::string_view m_in;
    std::size_t m_at = 0;
};

constexpr std::string_view SnapshotMagic = "fplan-fold";

constexpr std::string_view PositionDigits = "0123456789abcdefghijklmnopqrstuvwxyz";

int digitValue(char c)
{
    const auto pos = PositionDigits.find(c);
    return pos == std::string_view::npos ? 0 : static_cast<int>(pos);
}

} // namespace

DocumentState DocumentState::foldSeen(std::span<const Op> ops, const std::vector<std::string>& seen)
{
    const DocumentState all = fold(ops);
    const auto past = all.causalPast(seen);
    DocumentState state;
    for (const Op& op : ops)
        if (past.count(op.id))
            state.apply(op);
    return state;
}

DocumentState DocumentState::fold(std::span<const Op> ops)
{
    DocumentState state;
    for (const Op& op : ops)
        state.apply(op);
    return state;
}

DocumentState DocumentState::fold(std::vector<Op>&& ops)
{
    DocumentState state;
    for (Op& op : ops)
        state.apply(std::move(op));
    return state;
}

void DocumentState::apply(Op&& incoming)
{
    if (m_ops.count(incoming.id) || m_skipped.count(incoming.id))
        return; // copies of an op id are identical: idempotent
    if (auto reason = foldSkipReason(incoming)) {
        m_skipped.emplace(incoming.id, std::move(*reason));
        return;
    }
    std::string id = incoming.id;
    const auto it = m_ops.emplace(std::move(id), std::move(incoming)).first;
    const Op* op = &it->second;
    m_maxHlc = std::max(m_maxHlc, op->hlc);

    if (op->kind == OpKind::Create) {
        if (!m_creation || op->id < m_creation->id)
            m_creation = op; // two create ops for one document: every replica keeps the same one
        return;
    }
    if (!isRegisterOp(*op)) {
        addVersion(op);
        if (!op->value.contains("number"))
            numberLegacyVersions();
        return;
    }

    const FieldPath fp = FieldPath::parse(op->path);
    if (!fp.row.empty())
        m_tableRows[fp.table].insert(fp.row);
    // An op supersedes the ops of its own path that it names as parents (multi-value register).
    // Only ids not applied yet are remembered: an applied op never arrives again, and no head
    // is ever superseded (the named heads leave at once).
    Register& reg = m_registers[op->path];
    for (const auto& parent : op->parents) {
        const auto head
            = std::find_if(reg.heads.begin(), reg.heads.end(), [&](const Op* h) { return h->id == parent; });
        if (head != reg.heads.end())
            reg.heads.erase(head);
        else if (!m_ops.count(parent))
            reg.superseded.insert(parent);
    }
    if (reg.superseded.erase(op->id) == 0) {
        const auto at = std::lower_bound(
            reg.heads.begin(), reg.heads.end(), op, [](const Op* a, const Op* b) { return a->id < b->id; });
        reg.heads.insert(at, op);
    }
}

void DocumentState::addVersion(const Op* op)
{
    Version v;
    v.opId = op->id;
    v.hlc = op->hlc;
    v.author = op->author;
    v.values = op->value.at("values");
    // The number travels in the op; finalize ops written before it did are numbered by their
    // order, as they always were.
    v.number = op->value.contains("number") ? op->value.at("number").get<int>() : 0;
    const auto at = std::upper_bound(m_versions.begin(), m_versions.end(), v, versionOrder);
    m_versions.insert(at, std::move(v));
}

Json DocumentState::valueOf(const Op* op) const
{
    if (!op->value.is_null())
        return op->value;
    const std::string_view text = unparsedValue(*op);
    return text.empty() ? Json() : Json::parse(text);
}

std::string_view DocumentState::unparsedValue(const Op& op) const
{
    const auto it = std::lower_bound(m_unparsed.begin(), m_unparsed.end(), std::string_view(op.id),
        [](const auto& entry, std::string_view id) { return entry.first < id; });
    return it != m_unparsed.end() && it->first == op.id ? it->second : std::string_view();
}

void DocumentState::numberLegacyVersions()
{
    std::vector<Version*> legacy;
    for (auto& v : m_versions)
        if (!find(v.opId)->value.contains("number"))
            legacy.push_back(&v);
    std::sort(legacy.begin(), legacy.end(), [](const Version* a, const Version* b) {
        return std::tie(a->hlc, a->opId) < std::tie(b->hlc, b->opId);
    });
    for (std::size_t i = 0; i < legacy.size(); ++i)
        legacy[i]->number = static_cast<int>(i + 1);
    std::sort(m_versions.begin(), m_versions.end(), versionOrder);
}

const Version* DocumentState::version(const std::string& finalizeOpId) const
{
    for (const auto& v : m_versions)
        if (v.opId == finalizeOpId)
            return &v;
    return nullptr;
}

const Version& DocumentState::resolveVersion(const std::string& numberOrId) const
{
    if (const Version* v = version(numberOrId))
        return *v;
    int number = 0;
    const bool numeric = !numberOrId.empty() && numberOrId.size() <= 6
        && std::all_of(numberOrId.begin(), numberOrId.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (numeric)
        number = std::stoi(numberOrId);
    std::vector<const Version*> matches;
    for (const auto& v : m_versions)
        if (v.number == number)
            matches.push_back(&v);
    if (matches.empty())
        throw Error(ErrorCode::NotFound,
            "no version '" + numberOrId + "' (the latest is "
                + (m_versions.empty() ? std::string("none") : std::to_string(m_versions.back().number))
                + ")");
    if (matches.size() > 1) {
        std::string ids;
        for (const Version* v : matches)
            ids += (ids.empty() ? "" : ", ") + v->opId + " by " + v->author;
        throw Error(ErrorCode::Conflict,
            "version " + numberOrId + " was finalised twice at once (" + ids + "); name one by its id");
    }
    return *matches.front();
}

std::unordered_set<std::string> DocumentState::causalPast(const std::vector<std::string>& from) const
{
    std::unordered_set<std::string> seen;
    std::vector<std::string> stack(from.begin(), from.end());
    while (!stack.empty()) {
        std::string id = std::move(stack.back());
        stack.pop_back();
        if (!seen.insert(id).second)
            continue;
        if (const Op* op = find(id))
            stack.insert(stack.end(), op->parents.begin(), op->parents.end());
    }
    return seen;
}

bool DocumentState::changedSince(const Version& v) const
{
    const Op* fin = find(v.opId);
    if (!fin)
        return true;
    const auto past = causalPast(fin->parents);
    // Every applied edit is a head or in the past of one, so the heads decide.
    for (const auto& [path, reg] : m_registers)
        for (const Op* head : reg.heads)
            if (!past.count(head->id))
                return true;
    return false;
}

std::vector<std::string> DocumentState::seenMarker() const
{
    std::vector<std::string> ids = allHeads();
    for (const auto& v : m_versions)
        ids.push_back(v.opId);
    if (m_creation)
        ids.push_back(m_creation->id);
    std::sort(ids.begin(), ids.end());
    return ids;
}

std::vector<SkippedOp> DocumentState::skipped() const
{
    std::vector<SkippedOp> result;
    for (const auto& [id, reason] : m_skipped)
        result.push_back({ id, reason });
    return result;
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

    const bool mergeable = std::all_of(reg.heads.begin(), reg.heads.end(),
        [](const Op* op) { return op->kind == OpKind::Set && op->textMerge && op->value.is_string(); });
    if (mergeable) {
        // The latest op of this path that every head has seen is the common ancestor.
        const Op* base = nullptr;
        for (const auto& entry : m_ops) {
            const Op& op = entry.second; // not a structured binding: clang 14 cannot capture those
            if (op.path != reg.heads.front()->path || (base && !laterThan(&op, base)))
                continue;
            const bool common = std::all_of(reg.heads.begin(), reg.heads.end(),
                [&](const Op* h) { return inCausalPast(op.id, h->parents); });
            if (common)
                base = &op;
        }
        const Json baseValue = base ? valueOf(base) : Json();
        const std::string baseText = baseValue.is_string() ? baseValue.get<std::string>() : "";
        std::optional<std::string> merged = reg.heads.front()->value.get<std::string>();
        for (std::size_t i = 1; merged && i < reg.heads.size(); ++i)
            merged = mergeText(baseText, *merged, reg.heads[i]->value.get<std::string>());
        if (merged)
            return *merged;
    } else {
        const bool allEqual = std::all_of(reg.heads.begin(), reg.heads.end(),
            [&](const Op* op) { return op->value == reg.heads.front()->value; });
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

std::vector<std::string> DocumentState::headsUnder(const std::string& prefix) const
{
    std::vector<std::string> ids;
    for (auto it = m_registers.lower_bound(prefix); it != m_registers.end() && it->first.starts_with(prefix);
         ++it)
        for (const Op* op : it->second.heads)
            ids.push_back(op->id);
    return ids;
}

std::vector<std::string> DocumentState::frontier() const
{
    std::vector<std::string> versionParents;
    for (const auto& v : m_versions)
        if (const Op* op = find(v.opId))
            versionParents.insert(versionParents.end(), op->parents.begin(), op->parents.end());
    // What some version already saw: one walk, since the versions name the earlier versions.
    const auto seenByVersions = causalPast(versionParents);
    std::vector<std::string> ids;
    for (const auto& v : m_versions)
        if (!seenByVersions.count(v.opId))
            ids.push_back(v.opId);
    for (const auto& [path, reg] : m_registers)
        for (const Op* op : reg.heads)
            if (!seenByVersions.count(op->id))
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
                std::optional<std::unordered_set<std::string>> seenByDelete; // walked once per row
                for (auto it = m_registers.lower_bound(cellPrefix);
                     it != m_registers.end() && it->first.rfind(cellPrefix, 0) == 0 && !alive; ++it)
                    for (const Op* head : it->second.heads) {
                        // A delete names the cell heads it saw: most are among its parents.
                        const bool namedByDelete
                            = std::any_of(deleteHeads.begin(), deleteHeads.end(), [&](const std::string& d) {
                                  const auto& parents = find(d)->parents;
                                  return std::find(parents.begin(), parents.end(), head->id) != parents.end();
                              });
                        if (namedByDelete)
                            continue;
                        if (!seenByDelete)
                            seenByDelete = causalPast(deleteHeads);
                        if (seenByDelete->count(head->id))
                            continue;
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
        if (latestInsert) {
            const Json insertValue = valueOf(latestInsert);
            if (insertValue.is_object())
                row.position = insertValue.value("pos", "");
        }
        for (auto it = m_registers.lower_bound(cellPrefix);
             it != m_registers.end() && it->first.rfind(cellPrefix, 0) == 0; ++it) {
            Json v = registerValue(it->second, nullptr);
            if (!v.is_null())
                row.cells[it->first.substr(cellPrefix.size())] = std::move(v);
        }
        result.push_back(std::move(row));
    }
    std::sort(result.begin(), result.end(),
        [](const Row& a, const Row& b) { return std::tie(a.position, a.id) < std::tie(b.position, b.id); });
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
    for (const auto& entry : m_tableRows)
        out[entry.first] = tableValue(entry.first);
    return out;
}

Json DocumentState::tableValue(const std::string& table) const
{
    Json rowsJson = Json::array();
    for (const Row& row : rows(table)) {
        Json r = Json::object();
        r["@id"] = row.id;
        for (const auto& [column, v] : row.cells)
            r[column] = v;
        rowsJson.push_back(std::move(r));
    }
    return rowsJson;
}

std::string DocumentState::snapshot() const
{
    // Case, document, kind, author and device repeat from op to op: they are written once.
    std::map<std::string_view, std::uint32_t> names;
    for (const auto& [id, op] : m_ops)
        for (const std::string* name : { &op.caseId, &op.docId, &op.author, &op.device })
            names.emplace(*name, 0);
    std::vector<std::string> kinds;
    for (const auto& [id, op] : m_ops)
        if (std::find(kinds.begin(), kinds.end(), kindName(op)) == kinds.end())
            kinds.push_back(kindName(op));
    for (const auto& kind : kinds)
        names.emplace(kind, 0);
    SnapshotWriter out;
    out.str(SnapshotMagic);
    out.u32(SnapshotFormat);
    out.u32(static_cast<std::uint32_t>(names.size()));
    std::uint32_t index = 0;
    for (auto& [name, n] : names) {
        n = index++;
        out.str(name);
    }
    out.u32(static_cast<std::uint32_t>(m_ops.size()));
    for (const auto& [id, op] : m_ops) {
        out.str(op.id);
        out.u32(names.at(op.caseId));
        out.u32(names.at(op.docId));
        out.u32(names.at(kindName(op)));
        out.str(op.path);
        if (!op.value.is_null())
            out.str(op.value.dump());
        else if (const auto text = unparsedValue(op); !text.empty())
            out.str(text);
        else
            out.str("null");
        out.u32(op.textMerge ? 1 : 0);
        out.u32(names.at(op.author));
        out.u32(names.at(op.device));
        out.u64(op.hlc);
        out.strings(op.parents);
        out.u32(static_cast<std::uint32_t>(op.format));
    }
    out.u32(static_cast<std::uint32_t>(m_skipped.size()));
    for (const auto& [id, reason] : m_skipped) {
        out.str(id);
        out.str(reason);
    }
    out.u32(static_cast<std::uint32_t>(m_registers.size()));
    for (const auto& [path, reg] : m_registers) {
        out.str(path);
        out.u32(static_cast<std::uint32_t>(reg.heads.size()));
        for (const Op* head : reg.heads)
            out.str(head->id);
        out.strings({ reg.superseded.begin(), reg.superseded.end() });
    }
    out.u32(static_cast<std::uint32_t>(m_tableRows.size()));
    for (const auto& [table, rowIds] : m_tableRows) {
        out.str(table);
        out.strings({ rowIds.begin(), rowIds.end() });
    }
    return out.take();
}

DocumentState DocumentState::restore(std::string bytes)
{
    try {
        return restoreUnchecked(std::make_shared<const std::string>(std::move(bytes)));
    } catch (const Json::exception& e) {
        throw Error(ErrorCode::Storage, std::string("document snapshot: ") + e.what());
    }
}

DocumentState DocumentState::restoreUnchecked(std::shared_ptr<const std::string> bytes)
{
    SnapshotReader in(*bytes);
    if (in.view() != SnapshotMagic || in.u32() != SnapshotFormat)
        throw Error(ErrorCode::Storage, "document snapshot: not of this program's format");
    DocumentState state;
    std::vector<std::string_view> names(in.count(4));
    for (auto& name : names)
        name = in.view();
    auto name = [&] {
        const std::uint32_t i = in.u32();
        if (i >= names.size())
            throw Error(ErrorCode::Storage, "document snapshot: a name out of range");
        return names[i];
    };
    const std::uint32_t opCount = in.count(40);
    state.m_unparsed.reserve(opCount);
    for (std::uint32_t i = 0; i < opCount; ++i) {
        Op op;
        const std::string_view id = in.view();
        op.id = id;
        op.caseId = name();
        op.docId = name();
        setKindFromName(op, std::string(name()));
        op.path = in.view();
        const std::string_view value = in.view();
        op.textMerge = in.u32() != 0;
        op.author = name();
        op.device = name();
        op.hlc = in.u64();
        op.parents = in.strings();
        op.format = static_cast<int>(in.u32());
        if (!state.m_unparsed.empty() && !(state.m_unparsed.back().first < id))
            throw Error(ErrorCode::Storage, "document snapshot: ops out of order");
        state.m_unparsed.emplace_back(id, value);
        state.m_maxHlc = std::max(state.m_maxHlc, op.hlc);
        state.m_ops.emplace_hint(state.m_ops.end(), std::string(id), std::move(op));
    }
    for (std::uint32_t n = in.count(8); n > 0; --n) {
        std::string id = in.str();
        state.m_skipped.emplace(std::move(id), in.str());
    }
    // A value is parsed now where the state shows it: heads, the creation, the versions.
    auto parse = [&](Op& op) {
        if (op.value.is_null())
            op.value = Json::parse(state.unparsedValue(op));
    };
    for (std::uint32_t n = in.count(12); n > 0; --n) {
        // Written in path order: each goes at the end.
        Register& reg = state.m_registers.emplace_hint(state.m_registers.end(), in.str(), Register())->second;
        for (std::uint32_t h = in.count(4); h > 0; --h) {
            const auto head = state.m_ops.find(in.str());
            if (head == state.m_ops.end())
                throw Error(ErrorCode::Storage, "document snapshot: a head that is not an op");
            parse(head->second);
            reg.heads.push_back(&head->second);
        }
        for (auto& id : in.strings())
            reg.superseded.insert(std::move(id));
    }
    for (std::uint32_t n = in.count(8); n > 0; --n) {
        auto& rowIds
            = state.m_tableRows.emplace_hint(state.m_tableRows.end(), in.str(), std::set<std::string>())
                  ->second;
        for (auto& id : in.strings())
            rowIds.insert(rowIds.end(), std::move(id));
    }
    if (!in.done())
        throw Error(ErrorCode::Storage, "document snapshot: bytes after the end");
    bool legacy = false;
    for (auto& [id, op] : state.m_ops) {
        if (op.kind == OpKind::Create) {
            parse(op);
            if (!state.m_creation)
                state.m_creation = &op; // the lowest op id: m_ops is ordered by id
        } else if (op.kind == OpKind::Finalize) {
            parse(op);
            state.addVersion(&op);
            legacy = legacy || !op.value.contains("number");
        }
    }
    if (legacy)
        state.numberLegacyVersions();
    state.m_snapshotBytes = std::move(bytes);
    return state;
}

OpFactory::OpFactory(std::string author, std::string device, HybridClock& clock)
    : m_author(std::move(author))
    , m_device(std::move(device))
    , m_clock(clock)
{
    // A few random digits end every position key this factory makes: two devices inserting
    // at the same place get different keys, without relying on device ids being unique.
    unsigned char bytes[3];
    crypto::randomBytes(bytes, sizeof bytes);
    for (const unsigned char b : bytes)
        m_positionTag += PositionDigits[b % PositionDigits.size()];
}

std::string OpFactory::positionBetween(const std::string& before, const std::string& after) const
{
    return fplan::positionBetween(before, after) + m_positionTag;
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
    op.value = { { "pos", position } };
    op.parents = state.heads(op.path);
    return op;
}

Op OpFactory::deleteRow(const DocumentState& state, const std::string& caseId, const std::string& docId,
    const std::string& table, const std::string& rowId)
{
    Op op = make(caseId, docId, OpKind::RowDelete, rowPath(table, rowId));
    op.parents = state.heads(op.path);
    // Naming the cells it has seen (emptied ones too) lets a concurrent, unseen cell edit bring
    // the row back.
    for (auto& head : state.headsUnder(op.path + "."))
        op.parents.push_back(std::move(head));
    return op;
}

Op OpFactory::finalize(const DocumentState& state, const std::string& caseId, const std::string& docId)
{
    Op op = make(caseId, docId, OpKind::Finalize, "");
    op.value = { { "values", state.values() }, { "number", state.nextVersionNumber() } };
    op.parents = state.frontier();
    return op;
}

Op OpFactory::create(const std::string& caseId, const std::string& docId, const std::string& templateId,
    const std::string& templateVersion, const std::string& templateHash)
{
    Op op = make(caseId, docId, OpKind::Create, "");
    op.value = { { "template_id", templateId }, { "template_version", templateVersion },
        { "template_hash", templateHash } };
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
    OpFactory& factory, const std::string& caseId, const std::string& docId, UnlistedRows unlisted)
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
        std::map<std::string, std::size_t> currentIndex;
        for (std::size_t i = 0; i < current.size(); ++i)
            currentIndex[current[i].id] = i;

        struct Wanted {
            std::string id;
            std::size_t index; // in v
        };
        std::vector<Wanted> desired;
        std::set<std::string> seen, deleted;
        for (std::size_t i = 0; i < v.size(); ++i) {
            const Json& row = v[i];
            const std::string where = key + "[" + std::to_string(i) + "]";
            if (!row.is_object())
                throw Error(ErrorCode::BadInput, where + ": a row is an object");
            if (row.contains("@id") && !row.at("@id").is_string())
                throw Error(ErrorCode::BadInput, where + ".@id: a row id is a string");
            std::string id = row.contains("@id") ? row.at("@id").get<std::string>() : crypto::newUuid();
            if (!isValidRowId(id))
                throw Error(ErrorCode::BadInput, where + ".@id: '" + id + "' is not a usable row id");
            if (!seen.insert(id).second)
                throw Error(ErrorCode::BadInput, where + ".@id: '" + id + "' appears twice");
            if (row.contains("@delete")) {
                if (!row.at("@delete").is_boolean())
                    throw Error(ErrorCode::BadInput, where + ".@delete: true or false");
                if (row.at("@delete").get<bool>()) {
                    deleted.insert(id);
                    continue;
                }
            }
            desired.push_back({ std::move(id), i });
        }
        // Rows that keep their place: the longest run of listed rows already in increasing
        // position order. Only the others get a new position (a move op); nothing is renumbered.
        std::vector<std::size_t> keptSlots; // indices into desired, of existing rows
        keptSlots.reserve(desired.size());
        for (std::size_t i = 0; i < desired.size(); ++i)
            if (currentIndex.count(desired[i].id))
                keptSlots.push_back(i);
        std::set<std::size_t> stays;
        {
            const std::size_t n = keptSlots.size();
            std::vector<std::size_t> length(n, 1), previous(n, n);
            std::size_t best = n;
            for (std::size_t i = 0; i < n; ++i) {
                const std::string& pi = current[currentIndex[desired[keptSlots[i]].id]].position;
                for (std::size_t j = 0; j < i; ++j) {
                    const std::string& pj = current[currentIndex[desired[keptSlots[j]].id]].position;
                    if (pj < pi && length[j] + 1 > length[i]) {
                        length[i] = length[j] + 1;
                        previous[i] = j;
                    }
                }
                if (best == n || length[i] > length[best])
                    best = i;
            }
            for (std::size_t i = best; i < n; i = previous[i])
                stays.insert(keptSlots[i]);
        }

        std::string before;
        for (std::size_t i = 0; i < desired.size(); ++i) {
            const std::string& id = desired[i].id;
            const auto existing = currentIndex.find(id);
            std::string position;
            if (stays.count(i)) {
                position = current[existing->second].position;
            } else {
                std::string after;
                for (std::size_t j = i + 1; j < desired.size() && after.empty(); ++j)
                    if (stays.count(j))
                        after = current[currentIndex[desired[j].id]].position;
                position = factory.positionBetween(before, after);
                ops.push_back(factory.insertRow(state, caseId, docId, key, id, position));
            }
            before = position;
            for (const auto& [column, cell] : v[desired[i].index].items()) {
                if (column == "@id" || column == "@delete")
                    continue;
                setIfChanged(
                    cellPath(key, id, column), cell, kinds.mergeableText.count(key + "." + column) > 0);
            }
        }
        for (const Row& r : current)
            if (deleted.count(r.id) || (unlisted == UnlistedRows::Delete && !seen.count(r.id)))
                ops.push_back(factory.deleteRow(state, caseId, docId, key, r.id));
    }
    return ops;
}

VersionRef VersionRef::byId(std::string versionId)
{
    VersionRef ref;
    ref.id = std::move(versionId);
    return ref;
}

VersionRef VersionRef::parse(std::string_view word, std::string_view what)
{
    const bool digits
        = !word.empty() && std::all_of(word.begin(), word.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (digits && word.size() <= 6 && word.find_first_not_of('0') != std::string_view::npos)
        return VersionRef(std::stoi(std::string(word)));
    if (!digits && isValidId(word))
        return byId(std::string(word));
    throw Error(ErrorCode::Usage,
        std::string(what)
            + " must be a version number (1, 2, ...) or a version id (doc show --json lists them), not '"
            + std::string(word.substr(0, 80)) + "'");
}

std::string VersionRef::text() const
{
    return id.empty() ? std::to_string(number) : id;
}

const Version& findVersion(const DocumentState& state, const std::string& docId, const VersionRef& ref)
{
    if (ref.isLatest()) {
        if (!state.latestVersion())
            throw Error(ErrorCode::Conflict,
                "document " + docId + " has no finalised version yet (fplan doc finalize)");
        return *state.latestVersion();
    }
    try {
        return state.resolveVersion(ref.text());
    } catch (const Error& e) {
        throw Error(e.code(), "document " + docId + ": " + e.what());
    }
}

} // namespace fplan
