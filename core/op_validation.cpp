// SPDX-License-Identifier: EUPL-1.2
#include "core/op_validation.h"

#include "base/error.h"

#include <algorithm>
#include <map>
#include <set>

namespace fplan {

namespace {

// Whether `value` written as JSON (dump()) takes more than `limit` bytes. Counted exactly only
// when a quick upper bound (every string byte escaped as \u00XX, every number at its longest)
// does not already settle it: the usual value is one short string.
bool dumpLongerThan(const Json& value, std::size_t limit)
{
    std::size_t bound = 0;
    const auto add = [&](const Json& v, const auto& self) -> void {
        if (bound > limit)
            return;
        switch (v.type()) {
        case Json::value_t::string:
            bound += 6 * v.get_ref<const std::string&>().size() + 2;
            break;
        case Json::value_t::object:
            bound += 2;
            for (const auto& [key, item] : v.items()) {
                bound += 6 * key.size() + 4;
                self(item, self);
            }
            break;
        case Json::value_t::array:
            bound += 2;
            for (const auto& item : v) {
                bound += 1;
                self(item, self);
            }
            break;
        default:
            bound += 32; // a number (at most 24 characters), true, false or null
            break;
        }
    };
    add(value, add);
    return bound > limit && value.dump().size() > limit;
}

bool isPositionKey(const std::string& pos)
{
    return !pos.empty() && pos.size() <= MaxPositionBytes && std::all_of(pos.begin(), pos.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z');
    });
}

bool isHex64(const std::string& text)
{
    return text.size() == 64 && std::all_of(text.begin(), text.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
    });
}

bool hasControlCharacters(const std::string& text)
{
    return std::any_of(text.begin(), text.end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return u < 0x20 || u == 0x7f;
    });
}

std::optional<std::string> onlyMembers(const Json& object, std::initializer_list<const char*> allowed)
{
    for (const auto& item : object.items()) {
        const std::string& key
            = item.key(); // a named reference: clang 14 cannot capture a structured binding
        if (std::none_of(allowed.begin(), allowed.end(), [&](const char* a) { return key == a; }))
            return "value: unknown member '" + key + "'";
    }
    return std::nullopt;
}

std::optional<std::string> createValueProblem(const Json& v)
{
    if (!v.is_object())
        return "value: a create op's value is an object";
    if (auto p = onlyMembers(v, { "template_id", "template_version", "template_hash", "seeded_from" }))
        return p;
    if (!v.contains("template_id") || !v.at("template_id").is_string()
        || !isValidId(v.at("template_id").get<std::string>()))
        return "value.template_id: a template id (letters, digits, '_' or '-') is required";
    if (!v.contains("template_version") || !v.at("template_version").is_string()
        || v.at("template_version").get<std::string>().size() > MaxTemplateVersionBytes
        || hasControlCharacters(v.at("template_version").get<std::string>()))
        return "value.template_version: a string of at most " + std::to_string(MaxTemplateVersionBytes)
            + " bytes is required";
    if (v.contains("template_hash")) {
        const Json& h = v.at("template_hash");
        if (!h.is_string() || (!h.get<std::string>().empty() && !isHex64(h.get<std::string>())))
            return "value.template_hash: 64 lowercase hex digits (SHA-256) or empty";
    }
    // The finalise ops a seeded document was filled from (the follow-up agenda from the plan).
    if (v.contains("seeded_from")) {
        const Json& from = v.at("seeded_from");
        if (!from.is_array() || from.size() > 64)
            return "value.seeded_from: a list of at most 64 op ids";
        for (const Json& id : from)
            if (!id.is_string() || !isValidId(id.get<std::string>()))
                return "value.seeded_from: every entry is an op id";
    }
    return std::nullopt;
}

std::optional<std::string> finalizeValueProblem(const Json& v)
{
    if (!v.is_object() || !v.contains("values") || !v.at("values").is_object())
        return "value: a finalize op's value is {\"values\": {...}}";
    if (auto p = onlyMembers(v, { "values", "number" }))
        return p;
    if (v.contains("number")
        && (!v.at("number").is_number_integer() || v.at("number").get<std::int64_t>() < 1
            || v.at("number").get<std::int64_t>() > 1000000))
        return "value.number: a version number is a whole number from 1";
    for (const auto& [path, field] : v.at("values").items()) {
        try {
            const FieldPath fp = FieldPath::parse(path);
            if (!fp.row.empty())
                return "value.values: '" + path + "' is not a field or table path";
        } catch (const Error& e) {
            return std::string("value.values: ") + e.what();
        }
    }
    if (dumpLongerThan(v, MaxSnapshotBytes))
        return "value: the snapshot is larger than " + std::to_string(MaxSnapshotBytes) + " bytes";
    return std::nullopt;
}

} // namespace

Json toJson(const OpRefusal& refusal)
{
    return { { "op_id", refusal.opId }, { "reason", refusal.reason } };
}

bool isValidId(std::string_view id)
{
    return !id.empty() && id.size() <= MaxIdBytes && std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'
            || c == '-';
    });
}

std::optional<std::string> opShapeProblem(const Op& op)
{
    if (op.kind == OpKind::Create || op.kind == OpKind::Finalize) {
        if (!op.path.empty())
            return std::string("path: a ") + toString(op.kind) + " op has the empty path, not '" + op.path
                + "'";
        if (op.textMerge)
            return "text_merge: only a set op merges text";
        return op.kind == OpKind::Create ? createValueProblem(op.value) : finalizeValueProblem(op.value);
    }
    FieldPath fp;
    try {
        fp = FieldPath::parse(op.path);
    } catch (const Error& e) {
        return std::string("path: ") + e.what();
    }
    switch (op.kind) {
    case OpKind::Set:
        if (fp.isRow())
            return "path: '" + op.path + "' is a row; a set op names a field or a cell";
        if (op.textMerge && !op.value.is_string())
            return "value: a text-merged set op carries a string";
        if (dumpLongerThan(op.value, MaxValueBytes))
            return "value: larger than " + std::to_string(MaxValueBytes) + " bytes";
        return std::nullopt;
    case OpKind::RowInsert:
        if (!fp.isRow())
            return "path: '" + op.path + "' is not a row path (table[row])";
        if (op.textMerge)
            return "text_merge: only a set op merges text";
        if (!op.value.is_object() || op.value.size() != 1 || !op.value.contains("pos")
            || !op.value.at("pos").is_string() || !isPositionKey(op.value.at("pos").get<std::string>()))
            return "value: a row_insert op's value is {\"pos\": KEY} with 1.."
                + std::to_string(MaxPositionBytes) + " digits or lowercase letters";
        return std::nullopt;
    case OpKind::RowDelete:
        if (!fp.isRow())
            return "path: '" + op.path + "' is not a row path (table[row])";
        if (op.textMerge)
            return "text_merge: only a set op merges text";
        if (!op.value.is_null())
            return "value: a row_delete op carries null";
        return std::nullopt;
    default:
        return std::nullopt;
    }
}

std::optional<std::string> foldSkipReason(const Op& op)
{
    if (op.format > CurrentOpFormat)
        return "format " + std::to_string(op.format) + " is newer than this program's ("
            + std::to_string(CurrentOpFormat) + ")";
    if (op.kind == OpKind::Unknown)
        return "kind '" + op.unknownKind + "' is unknown to this program";
    return opShapeProblem(op);
}

ReadOp readOp(const Json& json)
{
    if (!json.is_object())
        return { OpRefusal { "", "an op is a JSON object" }, std::nullopt };
    OpReader reader;
    std::optional<std::string> unknown;
    for (const auto& [name, value] : json.items())
        if (!reader.set(name, Json(value)) && !unknown)
            unknown = name;
    return readOp(std::move(reader), std::move(unknown));
}

ReadOp readOp(OpReader reader, std::optional<std::string> unknownMember)
{
    try {
        return { std::move(reader).finish(), std::move(unknownMember) };
    } catch (const Error& e) {
        return { OpRefusal { reader.id(), e.what() }, std::move(unknownMember) };
    }
}

namespace {

ValidatedOp checkOp(ReadOp&& read, const OpReceiver& receiver)
{
    if (std::holds_alternative<OpRefusal>(read.read))
        return std::move(read.read);
    Op op = std::get<Op>(std::move(read.read));
    auto refuse = [&](std::string reason) { return ValidatedOp(OpRefusal { op.id, std::move(reason) }); };
    if (!isValidId(op.id))
        return refuse("op_id: '" + op.id.substr(0, 80) + "' is not an id (1.." + std::to_string(MaxIdBytes)
            + " letters, digits, '_' or '-')");
    if (!isValidId(op.caseId))
        return refuse("case_id: '" + op.caseId.substr(0, 80) + "' is not an id");
    if (!isValidId(op.docId))
        return refuse("doc_id: '" + op.docId.substr(0, 80) + "' is not an id");
    if (!isValidId(op.device))
        return refuse("device: '" + op.device.substr(0, 80) + "' is not an id");
    if (op.author.size() > MaxAuthorBytes || hasControlCharacters(op.author))
        return refuse(
            "author: at most " + std::to_string(MaxAuthorBytes) + " bytes without control characters");
    if (op.format < 1)
        return refuse("format: " + std::to_string(op.format) + " is not an op format");
    if (op.hlc == 0)
        return refuse("hlc: 0 is not a clock reading");
    if (op.hlc > latestAcceptableHlc(receiver.nowHlc))
        return refuse("hlc: " + formatHlcUtc(op.hlc) + " is more than "
            + std::to_string(MaxClockSkewMs / 60000) + " minutes ahead of this clock ("
            + formatHlcUtc(receiver.nowHlc) + ")");
    if (op.parents.size() > MaxParents)
        return refuse("parents: more than " + std::to_string(MaxParents));
    for (const auto& parent : op.parents)
        if (!isValidId(parent))
            return refuse("parents: '" + parent.substr(0, 80) + "' is not an op id");
    if (receiver.caseOfDocument) {
        const auto known = receiver.caseOfDocument(op.docId);
        if (known && *known != op.caseId)
            return refuse(
                "case_id: document " + op.docId + " belongs to case " + *known + ", not " + op.caseId);
    }
    // A newer program's op is kept and passed on as it is; this program only skips it.
    if (op.format > CurrentOpFormat || op.kind == OpKind::Unknown)
        return op;
    if (read.unknownMember)
        return refuse("unknown member '" + *read.unknownMember + "'");
    if (auto problem = opShapeProblem(op))
        return refuse(*problem);
    return op;
}

} // namespace

ValidatedOp validateOp(const Json& json, const OpReceiver& receiver)
{
    return checkOp(readOp(json), receiver);
}

ValidatedOps validateOps(const Json& array, const OpReceiver& receiver)
{
    if (!array.is_array()) {
        ValidatedOps result;
        result.refused.push_back({ "", "the ops are a JSON array" });
        return result;
    }
    std::vector<ReadOp> ops;
    ops.reserve(array.size());
    for (const Json& j : array)
        ops.push_back(readOp(j));
    return validateOps(std::move(ops), receiver);
}

ValidatedOps validateOps(std::vector<ReadOp> ops, const OpReceiver& receiver)
{
    ValidatedOps result;
    std::vector<ValidatedOp> checked;
    checked.reserve(ops.size());
    // A batch's ops mostly share a few documents: the receiver (a query on a server or a store)
    // is asked once per document.
    std::map<std::string, std::optional<std::string>> caseOf;
    OpReceiver once = receiver;
    if (receiver.caseOfDocument)
        once.caseOfDocument = [&](const std::string& docId) {
            auto it = caseOf.find(docId);
            if (it == caseOf.end())
                it = caseOf.emplace(docId, receiver.caseOfDocument(docId)).first;
            return it->second;
        };
    std::map<std::string, std::string> createdIn; // doc id -> case id, from the batch's create ops
    for (auto& read : ops) {
        checked.push_back(checkOp(std::move(read), once));
        if (const Op* op = std::get_if<Op>(&checked.back()); op && op->kind == OpKind::Create)
            createdIn.emplace(op->docId, op->caseId);
    }
    for (std::size_t index = 0; index < checked.size(); ++index) {
        auto& v = checked[index];
        if (auto* refusal = std::get_if<OpRefusal>(&v)) {
            refusal->index = index;
            result.refused.push_back(std::move(*refusal));
            continue;
        }
        Op& op = std::get<Op>(v);
        const auto created = createdIn.find(op.docId);
        if (created != createdIn.end() && created->second != op.caseId) {
            result.refused.push_back({ op.id,
                "case_id: document " + op.docId + " belongs to case " + created->second + ", not "
                    + op.caseId,
                index });
            continue;
        }
        result.ops.push_back(std::move(op));
    }
    return result;
}

} // namespace fplan
