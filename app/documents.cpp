// SPDX-License-Identifier: EUPL-1.2
#include "app/documents.h"

#include "base/error.h"
#include "crypto/random.h"
#include "docgen/forms/values.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>

namespace fplan::docgen {

namespace {

struct FinalisedSource {
    DocumentInfo info;
    Version version;
};

// The case's document of `templateId` whose latest version was finalised last.
std::optional<FinalisedSource> latestFinalised(const Store& store, const std::string& caseId,
                                               const std::string& templateId)
{
    std::optional<FinalisedSource> best;
    for (const auto& info : store.documents(caseId)) {
        if (info.templateId != templateId)
            continue;
        const DocumentState state = store.documentState(info.id);
        if (state.versions().empty())
            continue;
        const Version& latest = state.versions().back();
        if (!best || latest.hlc > best->version.hlc)
            best = FinalisedSource{info, latest};
    }
    return best;
}

Json autoVersionValue(const Field& f, int version)
{
    return f.type == FieldType::Number ? Json(version) : Json(std::to_string(version));
}

Json member(const Json& object, const std::string& key)
{
    return object.is_object() && object.contains(key) ? object.at(key) : Json();
}

std::string joined(const std::vector<std::string>& parts, const char* separator)
{
    std::string out;
    for (const auto& p : parts)
        out += (out.empty() ? "" : separator) + p;
    return out;
}

} // namespace

Json toJson(const FieldChange& change)
{
    Json j = {{"path", change.path}, {"kind", change.kind}, {"before", change.before}, {"after", change.after}};
    if (!change.label.empty())
        j["label"] = change.label;
    return j;
}

Documents::Documents(Store& store, const TemplateRegistry& templates, std::string author)
    : m_store(store), m_templates(templates), m_author(std::move(author))
{
}

DocumentInfo Documents::info(const std::string& docId) const
{
    auto info = m_store.document(docId);
    if (!info || info->templateId == CaseTemplateId)
        throw Error(ErrorCode::NotFound, "no document with id '" + docId + "' in this store");
    return *info;
}

Case Documents::caseOf(const std::string& caseId) const
{
    const auto caseDocId = m_store.caseDocumentId(caseId);
    if (!caseDocId)
        throw Error(ErrorCode::NotFound, "no case with id '" + caseId + "' in this store");
    return caseFromState(caseId, m_store.documentState(*caseDocId));
}

Template Documents::templateOf(const DocumentInfo& info) const
{
    return m_templates.load(info.templateId);
}

std::string Documents::create(const std::string& caseId, const std::string& templateId)
{
    const Case kase = caseOf(caseId);
    if (templateId == CaseTemplateId)
        throw Error(ErrorCode::BadInput, "'" + templateId + "' is the case's own data, not a document template");
    const Template tmpl = m_templates.load(templateId);

    Json values = Json::object();
    for (const Field* f : tmpl.fields()) {
        if (f->type == FieldType::Table && f->seed) {
            const auto source = latestFinalised(m_store, caseId, f->seed->templateId);
            const Json sourceRows = source ? member(source->version.values, f->seed->table) : Json();
            if (sourceRows.is_array()) {
                Json rows = Json::array();
                for (const auto& sourceRow : sourceRows) {
                    Json row = {{f->seed->link, member(sourceRow, "@id")}};
                    for (const auto& copy : f->seed->copies)
                        if (const Json v = member(sourceRow, copy.from); !v.is_null())
                            row[copy.to] = v;
                    rows.push_back(std::move(row));
                }
                values[f->path] = std::move(rows);
                continue;
            }
        }
        if (f->type == FieldType::Table && !f->defaultRows.empty())
            values[f->path] = f->defaultRows;
        else if (f->autoValue == "coordinator" && kase.teamMember(kase.coordinator))
            values[f->path] = kase.coordinator;
        else if (f->autoValue == "plan-version")
            values[f->path] = autoVersionValue(*f, 1);
    }
    // A copied cell that does not fit this template (a person since removed from the case, a
    // choice this template lacks) is left out rather than blocking the new document.
    for (const auto& p : findValueProblems(tmpl, values, &kase)) {
        const auto open = p.path.find('[');
        const auto close = p.path.find("].", open);
        if (open == std::string::npos || close == std::string::npos)
            continue;
        const Field* table = tmpl.field(p.path.substr(0, open));
        if (!table || !table->seed)
            continue;
        const auto row = std::stoul(p.path.substr(open + 1, close - open - 1));
        values[table->path][row].erase(p.path.substr(close + 2));
    }
    checkValues(tmpl, values, &kase);

    const std::string docId = crypto::newUuid();
    OpFactory factory(m_author, m_store.deviceId(), m_store.clock());
    const DocumentState empty;
    m_store.transaction([&] {
        m_store.createDocument({docId, caseId, tmpl.id, tmpl.version, m_store.clock().now()});
        m_store.appendOps(opsForValues(empty, values, tmpl.fieldKinds(), factory, caseId, docId));
    });
    return docId;
}

// A discipline's section records who wrote it: the team member of that fagområde who is the
// current user, unless the values name someone or someone is already recorded.
void Documents::fillDisciplineAuthors(const Template& tmpl, const DocumentState& state, const Case& kase,
                                      Json& values) const
{
    for (const Section* s : tmpl.allSections()) {
        if (s->fagomraade.empty())
            continue;
        for (const Field& author : s->fields) {
            if (!author.sameFagomraade || values.contains(author.path) || state.value(author.path))
                continue;
            bool touched = false;
            for (const Field& f : s->fields)
                touched = touched || (&f != &author && values.contains(f.path) && !values.at(f.path).is_null());
            if (!touched)
                continue;
            for (const auto& m : kase.team)
                if (m.fagomraade == s->fagomraade && !m_author.empty() && (m.user == m_author || m.name == m_author)) {
                    values[author.path] = m.id;
                    break;
                }
        }
    }
}

std::size_t Documents::fill(const std::string& docId, const Json& input)
{
    const DocumentInfo doc = info(docId);
    const Template tmpl = templateOf(doc);
    const Case kase = caseOf(doc.caseId);
    if (!input.is_object())
        throw Error(ErrorCode::BadInput, "values must be a JSON object keyed by field path");
    const DocumentState state = m_store.documentState(docId);
    Json values = input;
    fillDisciplineAuthors(tmpl, state, kase, values);
    checkValues(tmpl, values, &kase);
    // A reference written now must name a row that exists once this fill is applied.
    Json merged = state.values();
    for (const auto& [path, v] : values.items())
        merged[path] = v;
    if (const auto dangling = findDanglingReferences(tmpl, merged, &values); !dangling.empty())
        throw Error(ErrorCode::BadInput, dangling.front().path + ": " + dangling.front().reason);
    OpFactory factory(m_author, m_store.deviceId(), m_store.clock());
    const auto ops = opsForValues(state, values, tmpl.fieldKinds(), factory, doc.caseId, docId);
    m_store.transaction([&] { m_store.appendOps(ops); });
    return ops.size();
}

Json Documents::show(const std::string& docId) const
{
    const DocumentInfo doc = info(docId);
    const DocumentState state = m_store.documentState(docId);
    Json conflicts = Json::array();
    for (const auto& c : state.conflicts())
        conflicts.push_back({{"path", c.path}, {"values", c.values}});
    Json versions = Json::array();
    for (const auto& v : state.versions())
        versions.push_back({{"version", v.number}, {"finalized_at", formatHlcUtc(v.hlc)}, {"finalized_by", v.author}});
    return {{"id", doc.id},
            {"case_id", doc.caseId},
            {"template", doc.templateId},
            {"template_version", doc.templateVersion},
            {"values", state.values()},
            {"conflicts", std::move(conflicts)},
            {"versions", std::move(versions)}};
}

int Documents::finalize(const std::string& docId)
{
    const DocumentInfo doc = info(docId);
    const Template tmpl = templateOf(doc);
    const DocumentState state = m_store.documentState(docId);
    const Json values = state.values();
    std::vector<std::string> problems;
    for (const auto& c : state.conflicts())
        problems.push_back(c.path + ": open conflict between " + std::to_string(c.values.size()) + " values");
    for (const auto& m : findMissingRequired(tmpl, values))
        problems.push_back(m.path + ": " + m.reason);
    for (const auto& r : findDanglingReferences(tmpl, values))
        problems.push_back(r.path + ": " + r.reason);
    if (!problems.empty())
        throw Error(ErrorCode::Conflict, "cannot finalise " + docId + ": " + joined(problems, "; "));
    if (!state.versions().empty() && state.versions().back().values == values)
        throw Error(ErrorCode::Conflict, "cannot finalise " + docId + ": nothing has changed since version "
                                             + std::to_string(state.versions().back().number));
    OpFactory factory(m_author, m_store.deviceId(), m_store.clock());
    const Op op = factory.finalize(state, doc.caseId, docId);
    m_store.transaction([&] { m_store.appendOps({op}); });
    const DocumentState after = m_store.documentState(docId);
    for (const auto& v : after.versions())
        if (v.opId == op.id)
            return v.number;
    throw Error(ErrorCode::Internal, docId + ": the finalised version is missing after it was stored");
}

Json Documents::versionValues(const DocumentState& state, const std::string& docId, int version) const
{
    if (version == DraftVersion)
        return state.values();
    const auto& versions = state.versions();
    if (version < 1 || static_cast<std::size_t>(version) > versions.size())
        throw Error(ErrorCode::NotFound, docId + " has no version " + std::to_string(version) + " (it has "
                                             + std::to_string(versions.size()) + ")");
    return versions[static_cast<std::size_t>(version) - 1].values;
}

Json Documents::values(const std::string& docId, int version) const
{
    info(docId);
    return versionValues(m_store.documentState(docId), docId, version);
}

std::vector<FieldChange> Documents::diff(const std::string& docId, int from, int to) const
{
    const DocumentInfo doc = info(docId);
    // Without its template (removed from this installation) the diff still works, without labels.
    Template tmpl;
    try {
        tmpl = templateOf(doc);
    } catch (const Error& e) {
        if (e.code() != ErrorCode::NotFound)
            throw;
    }
    const DocumentState state = m_store.documentState(docId);
    const Json before = versionValues(state, docId, from);
    const Json after = versionValues(state, docId, to);

    // Template order first, then fields the template no longer has (older versions).
    std::vector<std::string> paths;
    std::set<std::string> seen;
    for (const Field* f : tmpl.fields())
        if (seen.insert(f->path).second)
            paths.push_back(f->path);
    for (const Json* side : {&before, &after})
        for (const auto& [path, v] : side->items())
            if (seen.insert(path).second)
                paths.push_back(path);

    std::vector<FieldChange> changes;
    for (const auto& path : paths) {
        const Field* f = tmpl.field(path);
        const std::string label = f ? f->label : "";
        const Json a = member(before, path), b = member(after, path);
        if (a == b)
            continue;
        if (!a.is_array() && !b.is_array()) {
            const char* kind = isEmptyValue(a) ? "added" : isEmptyValue(b) ? "removed" : "changed";
            changes.push_back({path, label, kind, a, b});
            continue;
        }
        std::map<std::string, Json> oldRows;
        for (const auto& row : a.is_array() ? a : Json::array())
            oldRows[member(row, "@id").is_string() ? row.at("@id").get<std::string>() : ""] = row;
        std::set<std::string> kept;
        for (const auto& row : b.is_array() ? b : Json::array()) {
            const std::string id = member(row, "@id").is_string() ? row.at("@id").get<std::string>() : "";
            const std::string rowPath = path + "[" + id + "]";
            const auto old = oldRows.find(id);
            if (old == oldRows.end()) {
                changes.push_back({rowPath, label, "row added", Json(), row});
                continue;
            }
            kept.insert(id);
            std::set<std::string> columns;
            for (const Json* r : {static_cast<const Json*>(&old->second), &row})
                for (const auto& [column, v] : r->items())
                    if (column != "@id")
                        columns.insert(column);
            for (const auto& column : columns) {
                const Json x = member(old->second, column), y = member(row, column);
                if (x == y)
                    continue;
                const Field* c = f ? f->column(column) : nullptr;
                const char* kind = isEmptyValue(x) ? "added" : isEmptyValue(y) ? "removed" : "changed";
                changes.push_back({rowPath + "." + column, c ? c->label : "", kind, x, y});
            }
        }
        for (const auto& [id, row] : oldRows)
            if (!kept.count(id))
                changes.push_back({path + "[" + id + "]", label, "row removed", row, Json()});
    }
    return changes;
}

int Documents::revise(const std::string& docId)
{
    const DocumentInfo doc = info(docId);
    const Template tmpl = templateOf(doc);
    const Case kase = caseOf(doc.caseId);
    const DocumentState state = m_store.documentState(docId);
    if (state.versions().empty())
        throw Error(ErrorCode::Conflict, "cannot revise " + docId + ": it has no finalised version yet");
    const Version& latest = state.versions().back();
    const int next = latest.number + 1;
    const Json current = state.values();
    if (current != latest.values)
        throw Error(ErrorCode::Conflict, "cannot revise " + docId + ": the draft already differs from version "
                                             + std::to_string(latest.number) + " (finalise it, or keep editing it)");
    Json target = latest.values;

    // Changes agreed at follow-up meetings finalised since this version, oldest first.
    struct Agreed {
        std::uint64_t hlc;
        const Field* table;
        Json rows;
    };
    std::vector<Agreed> agreed;
    std::vector<Template> followUpTemplates;
    std::set<std::string> templateIds;
    for (const auto& other : m_store.documents(doc.caseId))
        templateIds.insert(other.templateId);
    for (const auto& id : templateIds) {
        try {
            followUpTemplates.push_back(m_templates.load(id));
        } catch (const Error&) {
            // A document of a template this installation does not have cannot have agreed anything.
        }
    }
    for (const auto& other : m_store.documents(doc.caseId)) {
        const Template* otherTmpl = nullptr;
        for (const auto& t : followUpTemplates)
            if (t.id == other.templateId)
                otherTmpl = &t;
        if (!otherTmpl)
            continue;
        const DocumentState otherState = m_store.documentState(other.id);
        if (otherState.versions().empty() || otherState.versions().back().hlc <= latest.hlc)
            continue;
        for (const Field* f : otherTmpl->fields())
            if (f->seed && f->seed->templateId == doc.templateId && !f->seed->returns.empty())
                agreed.push_back({otherState.versions().back().hlc, f, member(otherState.versions().back().values, f->path)});
    }
    std::sort(agreed.begin(), agreed.end(), [](const Agreed& a, const Agreed& b) { return a.hlc < b.hlc; });
    for (const auto& a : agreed) {
        if (!target.contains(a.table->seed->table) || !target.at(a.table->seed->table).is_array()
            || !a.rows.is_array())
            continue;
        Json& targetRows = target.at(a.table->seed->table);
        for (const auto& row : a.rows) {
            const Json link = member(row, a.table->seed->link);
            for (auto& targetRow : targetRows) {
                if (member(targetRow, "@id") != link)
                    continue;
                for (const auto& r : a.table->seed->returns)
                    if (const Json v = member(row, r.from); !v.is_null())
                        targetRow[r.to] = v;
            }
        }
    }
    for (const Field* f : tmpl.fields())
        if (f->autoValue == "plan-version")
            target[f->path] = autoVersionValue(*f, next);

    std::vector<ValueProblem> problems;
    for (const auto& p : findValueProblems(tmpl, target, &kase))
        if (tmpl.field(p.path.substr(0, p.path.find('['))) != nullptr)
            problems.push_back(p);
    if (!problems.empty())
        throw Error(ErrorCode::BadInput, "cannot revise " + docId + ": " + problems.front().path + ": "
                                             + problems.front().reason);

    FieldKinds kinds = tmpl.fieldKinds();
    for (const auto& [path, v] : current.items()) {
        if (v.is_array() && !tmpl.field(path))
            kinds.tables.insert(path); // a table of an older template version
        if (!target.contains(path))
            target[path] = v.is_array() ? Json::array() : Json();
    }
    OpFactory factory(m_author, m_store.deviceId(), m_store.clock());
    const auto ops = opsForValues(state, target, kinds, factory, doc.caseId, docId);
    m_store.transaction([&] { m_store.appendOps(ops); });
    return next;
}

PreparedDocument prepareDocument(const TemplateRegistry& templates, const BundleDocument& doc, const Case& kase)
{
    if (doc.templateId == CaseTemplateId)
        throw Error(ErrorCode::BadInput, "'" + doc.templateId + "' is the case's own data, not a document template");
    const Template tmpl = templates.load(doc.templateId);
    checkValues(tmpl, doc.values, &kase);
    return {tmpl.version, tmpl.fieldKinds()};
}

} // namespace fplan::docgen
