// SPDX-License-Identifier: EUPL-1.2
#include "app/documents.h"

#include "base/durable_file.h"
#include "base/error.h"
#include "base/text_rules.h"
#include "crypto/hash.h"
#include "crypto/random.h"
#include "docgen/forms/icalendar.h"
#include "docgen/render/fonts.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>
#include <set>

namespace fplan::app {

using namespace fplan::docgen;

namespace {

struct FinalisedSource {
    DocumentInfo info;
    Version version;
};

// The case's document of `templateId` whose latest version was finalised last.
std::optional<FinalisedSource> latestFinalised(
    const Store& store, const std::string& caseId, const std::string& templateId)
{
    std::optional<FinalisedSource> best;
    for (const auto& info : store.documents(caseId)) {
        if (info.templateId != templateId)
            continue;
        const DocumentState state = store.documentState(info.id);
        if (state.versions().empty())
            continue;
        const Version& latest = *state.latestVersion();
        if (!best || latest.hlc > best->version.hlc)
            best = FinalisedSource { info, latest };
    }
    return best;
}

// What a seed reads from the case's documents of `templateId` (docgen::SeedSource): the values,
// and the version's op id when they are a finalised version's (recorded on the new document).
struct SeedValues {
    Json values;
    std::optional<std::string> versionOpId;
};

std::optional<SeedValues> seedValues(
    const Store& store, const std::string& caseId, const std::string& templateId, SeedSource source)
{
    if (source == SeedSource::Finalised) {
        auto finalised = latestFinalised(store, caseId, templateId);
        if (!finalised)
            return std::nullopt;
        return SeedValues { std::move(finalised->version.values), finalised->version.opId };
    }
    // The document made last, as it stands: the meeting being planned.
    std::optional<DocumentInfo> newest;
    for (auto& info : store.documents(caseId))
        if (info.templateId == templateId && (!newest || info.createdHlc > newest->createdHlc))
            newest = std::move(info);
    if (!newest)
        return std::nullopt;
    return SeedValues { store.documentState(newest->id).values(), std::nullopt };
}

// Whether a follow-up document was made after `version` of its source: by the source versions
// its create op names (causality); documents made before that was recorded, by the clock.
bool seededSince(const DocumentState& followUp, const Version& version)
{
    const Op* created = followUp.creation();
    if (created && created->value.contains("seeded_from")) {
        const Json& from = created->value.at("seeded_from");
        return std::find(from.begin(), from.end(), Json(version.opId)) != from.end();
    }
    return followUp.latestVersion()->hlc > version.hlc;
}

Json autoVersionValue(const Field& f, int version)
{
    return f.type == FieldType::Number ? Json(version) : Json(std::to_string(version));
}

Json member(const Json& object, const std::string& key)
{
    return object.is_object() && object.contains(key) ? object.at(key) : Json();
}

// Days since 1970-01-01 of a proleptic Gregorian date, and back (H. Hinnant's algorithms).
long daysFromCivil(int y, int m, int d)
{
    y -= m <= 2;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const int yoe = y - era * 400;
    const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return static_cast<long>(era) * 146097 + doe - 719468;
}

std::string civilFromDays(long z)
{
    z += 719468;
    const long era = (z >= 0 ? z : z - 146096) / 146097;
    const long doe = z - era * 146097;
    const long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const long mp = (5 * doy + 2) / 153;
    const long d = doy - (153 * mp + 2) / 5 + 1;
    const long m = mp < 10 ? mp + 3 : mp - 9;
    const long y = yoe + era * 400 + (m <= 2);
    char out[64];
    std::snprintf(out, sizeof out, "%04ld-%02ld-%02ld", y, m, d);
    return out;
}

// The rows of a <series>: a date every so many weeks from the source's start date, for the
// series' months. Empty when the source has no start date or a cadence the series does not list
// (then the team writes the dates).
Json seriesRows(const Series& series, const Json& source)
{
    Json rows = Json::array();
    const Json start = member(source, series.start);
    const Json cadence = member(source, series.cadence);
    if (!start.is_string() || !cadence.is_string())
        return rows;
    int y = 0, m = 0, d = 0;
    if (std::sscanf(start.get<std::string>().c_str(), "%4d-%2d-%2d", &y, &m, &d) != 3)
        return rows;
    const auto every = std::find_if(series.cadences.begin(), series.cadences.end(),
        [&](const Cadence& c) { return c.choice == cadence.get<std::string>(); });
    if (every == series.cadences.end())
        return rows;
    const int endMonth = m - 1 + series.months;
    const long end = daysFromCivil(y + endMonth / 12, endMonth % 12 + 1, 1) + d - 1;
    for (long day = daysFromCivil(y, m, d); day < end; day += 7L * every->weeks) {
        Json row = series.cells;
        row[series.date] = civilFromDays(day);
        rows.push_back(std::move(row));
    }
    return rows;
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
    Json j = { { "path", change.path }, { "kind", change.kind }, { "before", change.before },
        { "after", change.after } };
    if (!change.label.empty())
        j["label"] = change.label;
    return j;
}

std::string defaultAuthor(const Store& store)
{
    if (auto name = store.setting("user.name"))
        return *name;
    if (const char* user = std::getenv("USER"); user && *user)
        return user;
    return "ukendt";
}

DocumentService::DocumentService(Store& store, const TemplateRegistry& templates, std::string author)
    : m_store(store)
    , m_templates(templates)
    , m_author(std::move(author))
{
}

DocumentInfo DocumentService::info(const std::string& docId) const
{
    auto info = m_store.document(docId);
    if (!info || info->templateId == CaseTemplateId)
        throw Error(ErrorCode::NotFound, "no document with id '" + docId + "' in this store");
    return *info;
}

Case DocumentService::openCase(const std::string& caseId) const
{
    return loadCase(m_store, caseId);
}

Template DocumentService::templateOf(const DocumentInfo& info) const
{
    // The exact version the document was made with, when the store has it; else this
    // installation's (documents made before templates were kept).
    if (!info.templateHash.empty())
        if (const auto text = m_store.templateText(info.templateHash))
            return m_templates.loadText(*text, info.templateId + "@" + info.templateHash.substr(0, 12));
    return m_templates.load(info.templateId);
}

OpenDocument DocumentService::open(const std::string& docId) const
{
    DocumentInfo doc = info(docId);
    Case kase = openCase(doc.caseId);
    Template tmpl = templateOf(doc);
    return { std::move(doc), std::move(kase), std::move(tmpl) };
}

std::string DocumentService::title(const DocumentInfo& info) const
{
    try {
        return templateOf(info).title;
    } catch (const Error&) {
        return info.templateId; // a letter with a plain heading beats no letter
    }
}

NewDocumentResult DocumentService::create(const std::string& caseId, const std::string& templateId)
{
    const Case kase = openCase(caseId);
    if (templateId == CaseTemplateId)
        throw Error(
            ErrorCode::BadInput, "'" + templateId + "' is the case's own data, not a document template");
    const Template tmpl = m_templates.load(templateId);

    Json values = Json::object();
    std::vector<std::string> seededFrom;
    // Each source is read once however many fields seed from it.
    std::map<std::pair<std::string, SeedSource>, std::optional<SeedValues>> sources;
    const auto sourceFor = [&](const std::string& sourceTemplate, SeedSource from) -> const SeedValues* {
        auto [at, added] = sources.try_emplace({ sourceTemplate, from });
        if (added) {
            at->second = seedValues(m_store, caseId, sourceTemplate, from);
            if (at->second && at->second->versionOpId)
                seededFrom.push_back(*at->second->versionOpId);
        }
        return at->second ? &*at->second : nullptr;
    };
    for (const Field* f : tmpl.fields()) {
        if (f->type == FieldType::Table && f->series) {
            if (const auto* source = sourceFor(f->series->templateId, SeedSource::Finalised)) {
                values[f->path] = seriesRows(*f->series, source->values);
                continue;
            }
        }
        if (f->type == FieldType::Table && f->seed) {
            const auto* source = sourceFor(f->seed->templateId, f->seed->source);
            const Json sourceRows = source ? member(source->values, f->seed->table) : Json();
            if (sourceRows.is_array()) {
                Json rows = Json::array();
                for (const auto& sourceRow : sourceRows) {
                    Json row = { { f->seed->link, member(sourceRow, "@id") } };
                    for (const auto& copy : f->seed->copies)
                        if (const Json v = member(sourceRow, copy.from); !v.is_null())
                            row[copy.to] = v;
                    rows.push_back(std::move(row));
                }
                values[f->path] = std::move(rows);
                continue;
            }
        }
        if (f->fieldSeed) {
            const auto* source = sourceFor(f->fieldSeed->templateId, f->fieldSeed->source);
            if (Json v = source ? member(source->values, f->fieldSeed->field) : Json(); !v.is_null()) {
                values[f->path] = std::move(v);
                continue;
            }
        }
        if (f->type == FieldType::Table && !f->defaultRows.empty())
            values[f->path] = f->defaultRows;
        else if (f->autoValue == AutoValue::Coordinator && kase.teamMember(kase.coordinator))
            values[f->path] = kase.coordinator;
        else if (f->autoValue == AutoValue::PlanVersion)
            values[f->path] = autoVersionValue(*f, 1);
    }
    // A copied value that does not fit this template (a person since removed from the case, a
    // choice this template lacks) is left out rather than blocking the new document.
    for (const auto& p : findValueProblems(tmpl, values, &kase)) {
        const Field* field = tmpl.field(p.path.field);
        if (field && field->fieldSeed && !p.path.row) {
            values.erase(field->path);
            continue;
        }
        if (!p.path.row || p.path.column.empty())
            continue;
        if (!field || !field->seed)
            continue;
        values[field->path][*p.path.row].erase(p.path.column);
    }
    checkValues(tmpl, values, &kase);

    const std::string docId = crypto::newUuid();
    OpFactory factory(m_author, m_store.deviceId(), m_store.clock());
    const DocumentState empty;
    const auto ops = opsForValues(empty, values, tmpl.fieldKinds(), factory, caseId, docId);
    m_store.transaction([&] {
        m_store.putTemplate(tmpl.hash, tmpl.id, tmpl.version, tmpl.text);
        m_store.createDocument({ docId, caseId, tmpl.id, tmpl.version, 0, tmpl.hash }, m_author, seededFrom);
        m_store.appendOps(ops);
    });
    return { docId, ops.size() };
}

// A discipline's section records who wrote it: the team member of that fagområde who is the
// current user, unless the values name someone or someone is already recorded.
void DocumentService::fillDisciplineAuthors(
    const Template& tmpl, const DocumentState& state, const Case& kase, Json& values) const
{
    for (const Section* s : tmpl.allSections()) {
        if (s->fagomraade.empty())
            continue;
        for (const Field& author : s->fields) {
            if (!author.sameFagomraade || values.contains(author.path) || state.value(author.path))
                continue;
            bool touched = false;
            for (const Field& f : s->fields)
                touched
                    = touched || (&f != &author && values.contains(f.path) && !values.at(f.path).is_null());
            if (!touched)
                continue;
            for (const auto& m : kase.team)
                if (m.fagomraade == s->fagomraade && !m_author.empty()
                    && (m.user == m_author || m.name == m_author)) {
                    values[author.path] = m.id;
                    break;
                }
        }
    }
}

FillResult DocumentService::fill(const std::string& docId, const Json& values)
{
    const OpenDocument doc = open(docId);
    DocumentState state = m_store.documentState(docId);
    return fill(doc, state, values, FillMode::AllOrNothing, UnlistedRows::Keep);
}

namespace {

// The rows of each table in `values` that the table does not list (by "@id").
std::vector<KeptRows> unlistedRows(const DocumentState& state, const Json& values, const FieldKinds& kinds)
{
    std::vector<KeptRows> result;
    for (const auto& [path, value] : values.items()) {
        if (!kinds.tables.count(path) || !value.is_array())
            continue;
        std::set<std::string> listed;
        for (const Json& row : value)
            if (row.is_object() && row.contains("@id") && row.at("@id").is_string())
                listed.insert(row.at("@id").get<std::string>());
        KeptRows kept { path, {} };
        for (const Row& r : state.rows(path))
            if (!listed.count(r.id))
                kept.rowIds.push_back(r.id);
        if (!kept.rowIds.empty())
            result.push_back(std::move(kept));
    }
    return result;
}

} // namespace

FillResult DocumentService::fill(
    const OpenDocument& doc, DocumentState& state, const Json& input, FillMode mode, UnlistedRows unlisted)
{
    if (!input.is_object())
        throw Error(ErrorCode::BadInput, "values must be a JSON object keyed by field path");
    FillResult result;
    // With "@seen" (from `doc show --json`) the values are compared with what that person saw:
    // a row left out of a table is deleted only if they saw it, so rows added since stay.
    // Without it, `unlisted` says whether `state` is what they saw.
    Json values = input;
    std::optional<std::vector<std::string>> seen;
    if (values.contains("@seen")) {
        const Json& marker = values.at("@seen");
        if (!marker.is_array()
            || !std::all_of(marker.begin(), marker.end(), [](const Json& id) { return id.is_string(); }))
            throw Error(ErrorCode::BadInput, "@seen: the \"seen\" list of doc show --json");
        seen = marker.get<std::vector<std::string>>();
        values.erase("@seen");
    }
    std::optional<DocumentState> seenState;
    if (seen)
        seenState = DocumentState::foldSeen(m_store.ops(doc.info.id), *seen);
    const DocumentState& base = seenState ? *seenState : state;
    fillDisciplineAuthors(doc.tmpl, base, doc.kase, values);
    const auto refuse = [&](std::vector<ValueProblem> problems) {
        for (auto& p : problems) {
            values.erase(p.path.field);
            result.refused.push_back(std::move(p));
        }
    };
    auto problems = findValueProblems(doc.tmpl, values, &doc.kase);
    if (!problems.empty() && mode == FillMode::AllOrNothing)
        refuseValues(problems);
    refuse(std::move(problems));
    if (seen)
        unlisted = UnlistedRows::Delete;
    const FieldKinds kinds = doc.tmpl.fieldKinds();
    if (unlisted == UnlistedRows::Keep)
        result.kept = unlistedRows(base, values, kinds);
    // A reference written now must name a row that exists once this fill is applied.
    Json merged = state.values();
    for (const auto& [path, v] : values.items())
        merged[path] = v;
    for (const auto& kept : result.kept)
        for (const auto& id : kept.rowIds)
            merged[kept.table].push_back({ { "@id", id } });
    auto dangling = findDanglingReferences(doc.tmpl, merged, &values);
    if (!dangling.empty() && mode == FillMode::AllOrNothing)
        throw Error(ErrorCode::BadInput, describe(dangling.front()));
    refuse(std::move(dangling));
    OpFactory factory(m_author, m_store.deviceId(), m_store.clock());
    const auto ops = opsForValues(base, values, kinds, factory, doc.info.caseId, doc.info.id, unlisted);
    if (ops.empty())
        return result;
    m_store.transaction([&] { m_store.appendOps(ops); });
    for (const auto& op : ops)
        state.apply(op);
    result.opsStored = ops.size();
    return result;
}

void DocumentService::settleResurrectedRow(const OpenDocument& doc, DocumentState& state,
    const std::string& table, const std::string& rowId, bool keep)
{
    const auto rows = state.rows(table);
    const auto row = std::find_if(
        rows.begin(), rows.end(), [&](const Row& r) { return r.id == rowId && r.resurrected; });
    if (row == rows.end())
        throw Error(ErrorCode::NotFound,
            "document " + doc.info.id + ": no resurrected row " + rowId + " in " + table);
    OpFactory factory(m_author, m_store.deviceId(), m_store.clock());
    const Op op = keep ? factory.insertRow(state, doc.info.caseId, doc.info.id, table, rowId, row->position)
                       : factory.deleteRow(state, doc.info.caseId, doc.info.id, table, rowId);
    m_store.transaction([&] { m_store.appendOps({ op }); });
    state.apply(op);
}

Json DocumentService::show(const std::string& docId) const
{
    const DocumentInfo doc = info(docId);
    const DocumentState state = m_store.documentState(docId);
    Json conflicts = Json::array();
    for (const auto& c : state.conflicts())
        conflicts.push_back({ { "path", c.path }, { "values", c.values } });
    Json versions = Json::array();
    for (const auto& v : state.versions())
        versions.push_back({ { "version", v.number }, { "id", v.opId },
            { "finalized_at", formatHlcUtc(v.hlc) }, { "finalized_by", v.author } });
    Json resurrected = Json::array();
    for (const auto& table : state.tables())
        for (const auto& row : state.rows(table))
            if (row.resurrected)
                resurrected.push_back({ { "path", table }, { "row", row.id } });
    Json skipped = Json::array();
    for (const auto& s : state.skipped())
        skipped.push_back({ { "op_id", s.opId }, { "reason", s.reason } });
    return { { "id", doc.id }, { "case_id", doc.caseId }, { "template", doc.templateId },
        { "template_version", doc.templateVersion }, { "template_hash", doc.templateHash },
        { "values", state.values() }, { "conflicts", std::move(conflicts) },
        { "resurrected", std::move(resurrected) }, { "skipped", std::move(skipped) },
        { "versions", std::move(versions) }, { "seen", state.seenMarker() } };
}

std::vector<ValueProblem> DocumentService::finalizeProblems(
    const OpenDocument& doc, const DocumentState& state, const Json* draft) const
{
    const Json values = draft ? *draft : state.values();
    std::vector<ValueProblem> problems;
    for (const auto& c : state.conflicts()) {
        const FieldPath where = FieldPath::parse(c.path);
        problems.push_back({ { where.table.empty() ? where.field : where.table, {}, where.column, where.row },
            ProblemCode::OpenConflict, std::to_string(c.values.size()), {}, {} });
    }
    for (auto& m : findMissingRequired(doc.tmpl, values))
        problems.push_back(std::move(m));
    for (auto& r : findDanglingReferences(doc.tmpl, values))
        problems.push_back(std::move(r));
    // By causality: two concurrent versions of one number are settled by finalising again.
    const Version* latest = state.latestVersion();
    const bool settles = latest && state.versions().size() > 1
        && state.versions()[state.versions().size() - 2].number == latest->number;
    const bool unchanged = latest && (draft ? *draft == latest->values : !state.changedSince(*latest));
    if (problems.empty() && !settles && unchanged)
        problems.push_back({ {}, ProblemCode::Unchanged, std::to_string(latest->number), {}, {} });
    return problems;
}

FinalizeResult DocumentService::finalize(const std::string& docId)
{
    const OpenDocument doc = open(docId);
    DocumentState state = m_store.documentState(docId);
    return finalize(doc, state);
}

FinalizeResult DocumentService::finalize(const OpenDocument& doc, DocumentState& state)
{
    const auto problems = finalizeProblems(doc, state);
    if (!problems.empty()) {
        std::vector<std::string> text;
        for (const auto& p : problems)
            text.push_back(describe(p));
        throw Error(ErrorCode::Conflict, "cannot finalise " + doc.info.id + ": " + joined(text, "; "));
    }
    OpFactory factory(m_author, m_store.deviceId(), m_store.clock());
    const Op op = factory.finalize(state, doc.info.caseId, doc.info.id);
    m_store.transaction([&] { m_store.appendOps({ op }); });
    state.apply(op);
    for (const auto& v : state.versions())
        if (v.opId == op.id)
            return { v.number };
    throw Error(ErrorCode::Internal, doc.info.id + ": the finalised version is missing after it was stored");
}

namespace {

bool isDraft(const VersionRef& version)
{
    return version.id.empty() && version.number == DraftVersion;
}

Json versionValues(const DocumentState& state, const std::string& docId, const VersionRef& version)
{
    if (isDraft(version))
        return state.values();
    return findVersion(state, docId, version).values;
}

} // namespace

Json DocumentService::values(const std::string& docId, const VersionRef& version) const
{
    info(docId);
    return versionValues(m_store.documentState(docId), docId, version);
}

std::vector<FieldChange> DocumentService::diff(
    const std::string& docId, const VersionRef& from, const VersionRef& to) const
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
    return diff(tmpl, versionValues(state, docId, from), versionValues(state, docId, to));
}

std::vector<FieldChange> DocumentService::diff(
    const Template& tmpl, const Json& before, const Json& after) const
{

    // Template order first, then fields the template no longer has (older versions).
    std::vector<std::string> paths;
    std::set<std::string> seen;
    for (const Field* f : tmpl.fields())
        if (seen.insert(f->path).second)
            paths.push_back(f->path);
    for (const Json* side : { &before, &after })
        for (const auto& [path, v] : side->items())
            if (seen.insert(path).second)
                paths.push_back(path);

    std::vector<FieldChange> changes;
    for (const auto& path : paths) {
        const Field* f = tmpl.field(path);
        const std::string label = f ? f->label : "";
        const Json a = member(before, path), b = member(after, path);
        if (a == b || (isEmptyValue(a) && isEmptyValue(b)))
            continue;
        if (!a.is_array() && !b.is_array()) {
            const char* kind = isEmptyValue(a) ? "added" : isEmptyValue(b) ? "removed" : "changed";
            changes.push_back({ path, path, "", "", label, kind, a, b });
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
                changes.push_back({ rowPath, path, id, "", label, "row added", Json(), row });
                continue;
            }
            kept.insert(id);
            std::set<std::string> columns;
            for (const Json* r : { static_cast<const Json*>(&old->second), &row })
                for (const auto& [column, v] : r->items())
                    if (column != "@id")
                        columns.insert(column);
            for (const auto& column : columns) {
                const Json x = member(old->second, column), y = member(row, column);
                if (x == y || (isEmptyValue(x) && isEmptyValue(y)))
                    continue;
                const Field* c = f ? f->column(column) : nullptr;
                const char* kind = isEmptyValue(x) ? "added" : isEmptyValue(y) ? "removed" : "changed";
                changes.push_back(
                    { rowPath + "." + column, path, id, column, c ? c->label : "", kind, x, y });
            }
        }
        for (const auto& [id, row] : oldRows)
            if (!kept.count(id))
                changes.push_back({ path + "[" + id + "]", path, id, "", label, "row removed", row, Json() });
    }
    return changes;
}

ReviseResult DocumentService::revise(const std::string& docId)
{
    const DocumentInfo doc = info(docId);
    const Template tmpl = templateOf(doc);
    const Case kase = openCase(doc.caseId);
    const DocumentState state = m_store.documentState(docId);
    if (state.versions().empty())
        throw Error(ErrorCode::Conflict, "cannot revise " + docId + ": it has no finalised version yet");
    const Version& latest = *state.latestVersion();
    const int next = state.nextVersionNumber();
    const Json current = state.values();
    if (current != latest.values)
        throw Error(ErrorCode::Conflict,
            "cannot revise " + docId + ": the draft already differs from version "
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
        if (otherState.versions().empty() || !seededSince(otherState, latest))
            continue;
        for (const Field* f : otherTmpl->fields())
            if (f->seed && f->seed->templateId == doc.templateId && !f->seed->returns.empty())
                agreed.push_back({ otherState.versions().back().hlc, f,
                    member(otherState.versions().back().values, f->path) });
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
        if (f->autoValue == AutoValue::PlanVersion)
            target[f->path] = autoVersionValue(*f, next);

    std::vector<ValueProblem> problems;
    for (const auto& p : findValueProblems(tmpl, target, &kase))
        if (tmpl.field(p.path.field) != nullptr)
            problems.push_back(p);
    if (!problems.empty())
        throw Error(ErrorCode::BadInput, "cannot revise " + docId + ": " + describe(problems.front()));

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
    return { next, ops.size() };
}

DocumentService::Shown DocumentService::shownValues(const DocumentState& state, const std::string& docId,
    const VersionRef& version, std::vector<std::string>* warnings) const
{
    Shown out;
    if (!version.isLatest() && !isDraft(version)) {
        const Version& found = findVersion(state, docId, version);
        out.values = found.values;
        out.number = found.number;
        out.opId = found.opId;
        out.hlc = found.hlc;
    } else {
        out.values = state.values(); // the live draft
        // A draft may hold an unresolved conflict; the PDF shows one of its values, so say which.
        for (const auto& c : state.conflicts())
            warnings->push_back(c.path + ": open conflict between " + std::to_string(c.values.size())
                + " values; the draft shows " + c.values.front().dump());
    }
    return out;
}

Printable DocumentService::printable(const std::string& docId, const VersionRef& version) const
{
    const OpenDocument doc = open(docId);
    const DocumentState state = m_store.documentState(docId);
    RenderContext context;
    context.municipality = m_store.setting("municipality.name").value_or(doc.kase.municipality);
    Printable out;
    const Shown shown = shownValues(state, docId, version, &out.warnings);
    if (shown.hlc) {
        context.version = shown.number;
        context.versionId = shown.opId;
        context.date = formatHlcUtc(shown.hlc).substr(0, 10);
    }
    out.document = buildRenderDocument(doc.tmpl, shown.values, doc.kase, context, &out.warnings);
    return out;
}

CalendarFile DocumentService::calendarFile(const std::string& docId, const VersionRef& version) const
{
    const OpenDocument doc = open(docId);
    const DocumentState state = m_store.documentState(docId);
    CalendarFile out;
    const Shown shown = shownValues(state, docId, version, &out.warnings);
    docgen::CalendarEvent event = docgen::calendarEvent(doc.tmpl, shown.values, doc.kase, &out.warnings);
    event.uid = docId + "@familieplan";
    event.sequence = shown.number;
    // "2026-03-12T09:30:00Z" -> "20260312T093000Z"
    for (char c : formatHlcUtc(shown.hlc ? shown.hlc : physicalHlcNow()))
        if (c != '-' && c != ':')
            event.stamp += c;
    out.text = docgen::writeICalendar(event);
    return out;
}

std::vector<std::string> DocumentService::saveCalendarFile(const std::string& docId,
    const VersionRef& version, const std::filesystem::path& target, const WriteOptions& options) const
{
    CalendarFile file = calendarFile(docId, version);
    writeFileDurably(target, file.text, options);
    return std::move(file.warnings);
}

RenderedPdf renderPdf(const RenderDocument& doc)
{
    SystemFonts fonts;
    return docgen::renderPdf(doc, fonts);
}

RenderedPdf DocumentService::renderVersion(const std::string& docId, const VersionRef& version) const
{
    auto printed = printable(docId, version);
    auto pdf = renderPdf(printed.document);
    printed.warnings.insert(printed.warnings.end(), pdf.warnings.begin(), pdf.warnings.end());
    pdf.warnings = std::move(printed.warnings);
    return pdf;
}

PreparedSend DocumentService::prepareSend(const SendOrder& order) const
{
    PreparedSend out;
    delivery::SendRequest& r = out.request;
    r.docId = order.docId;
    // From here on the version is named by its id: two concurrent versions may share a number.
    const Version& version = delivery::resolveVersion(m_store, order.docId, order.version);
    r.version = VersionRef::byId(version.opId);
    const Template tmpl = templateOf(info(order.docId));
    for (const Field* f : tmpl.fields())
        if (const Choice* c = f->choice(member(version.values, f->path).is_string()
                    ? version.values.at(f->path).get<std::string>()
                    : std::string());
            c && c->audience == Audience::Team)
            throw Error(ErrorCode::BadInput,
                "document " + order.docId + " is for the team only (" + f->path + ": " + c->label
                    + "); it is not sent to the family");
    r.documentTitle = title(info(order.docId));
    r.recipients = order.recipients;
    r.notification = order.notification;
    r.fileName = order.fileName;
    if (order.pdf) {
        r.pdf = *order.pdf;
    } else {
        auto pdf = renderVersion(order.docId, r.version);
        r.pdf = std::move(pdf.bytes);
        out.warnings = std::move(pdf.warnings);
    }
    return out;
}

SendResult DocumentService::send(const SendOrder& order) const
{
    PreparedSend prepared = prepareSend(order);
    return { delivery::queueForDelivery(m_store, prepared.request), std::move(prepared.warnings) };
}

ConsentStatus DocumentService::consent(const std::string& caseId, const std::string& date) const
{
    const Case kase = openCase(caseId);
    return consent(kase, kase.team, date);
}

ConsentStatus DocumentService::consent(
    const Case& kase, const std::vector<TeamMember>& team, const std::string& date) const
{
    std::vector<ConsentRecord> records;
    for (const auto& info : m_store.documents(kase.id)) {
        if (info.templateId != ConsentTemplateId)
            continue;
        const DocumentState state = m_store.documentState(info.id);
        const Version* latest = state.latestVersion();
        if (!latest)
            continue; // a draft grants nothing
        const Template tmpl = templateOf(info);
        const Field* disciplines = tmpl.field("udveksling.fagomraader");
        const auto label = [&](const std::string& id) {
            const Choice* c = disciplines ? disciplines->choice(id) : nullptr;
            return c ? c->label : id;
        };
        records.push_back(consentRecord(info.id, latest->number, latest->values, state.values(), label));
    }
    return evaluateConsent(records, kase, team, date.empty() ? localDateToday() : date);
}

void DocumentService::storeCaseTable(
    const Case& before, const Case& changed, CaseTable table, const std::string& author)
{
    const auto caseDoc = m_store.caseDocumentId(before.id);
    if (!caseDoc)
        throw Error(ErrorCode::NotFound, "no case with id '" + before.id + "' in this store");
    const DocumentState state = m_store.documentState(*caseDoc);
    OpFactory factory(author, m_store.deviceId(), m_store.clock());
    const auto ops = opsForValues(
        state, caseTableValues(before, changed, table), caseFieldKinds(), factory, before.id, *caseDoc);
    if (!ops.empty())
        m_store.transaction([&] { m_store.appendOps(ops); });
}

TeamChange DocumentService::saveTeamMember(const std::string& caseId, TeamMember member)
{
    const auto blank = [](const std::string& s) { return s.find_first_not_of(" \t") == std::string::npos; };
    for (const auto& [what, value] : { std::pair<const char*, const std::string&> { "name", member.name },
             { "fagomraade", member.fagomraade }, { "role", member.role }, { "email", member.email },
             { "phone", member.phone } })
        if (const auto why = textProblem(value, false); !why.empty())
            throw Error(ErrorCode::BadInput, std::string("team member ") + what + ": " + why);
    if (blank(member.name))
        throw Error(ErrorCode::BadInput, "a team member needs a name");
    if (blank(member.fagomraade))
        throw Error(ErrorCode::BadInput, "team member " + member.name + " needs a discipline (fagomraade)");
    const Case before = openCase(caseId);
    Case changed = before;
    if (member.id.empty()) {
        member.id = crypto::newUuid();
        if (member.from.empty())
            member.from = localDateToday();
        changed.team.push_back(member);
    } else {
        const auto it = std::find_if(
            changed.team.begin(), changed.team.end(), [&](const TeamMember& t) { return t.id == member.id; });
        if (it == changed.team.end())
            throw Error(ErrorCode::NotFound, "no team member with id '" + member.id + "' in case " + caseId);
        *it = member;
    }
    storeCaseTable(before, changed, CaseTable::Team, m_author);
    TeamChange out;
    out.teamMemberId = member.id;
    out.consent = consent(changed, changed.team, {});
    return out;
}

FiledDocument DocumentService::file(const std::string& docId, const VersionRef& version) const
{
    const auto folderSetting = m_store.setting("filing.folder");
    if (!folderSetting || folderSetting->empty())
        throw Error(ErrorCode::BadInput,
            "setting filing.folder is missing (the folder the ESDH/eDoc import reads): fplan config set "
            "filing.folder /PATH");
    const std::filesystem::path folder = *folderSetting;
    std::error_code ec;
    if (!std::filesystem::is_directory(folder, ec))
        throw Error(ErrorCode::Storage, "the filing folder " + folder.string() + " is not there");
    if (version.number == DraftVersion && version.id.empty())
        throw Error(ErrorCode::BadInput, "only a finalised version can be filed, not the draft");
    const OpenDocument doc = open(docId);
    const DocumentState state = m_store.documentState(docId);
    if (state.versions().empty())
        throw Error(ErrorCode::BadInput, "document " + docId + " has no finalised version to file");
    const Version& v = version.isLatest() ? *state.latestVersion() : findVersion(state, docId, version);
    if (doc.kase.journalNumber.empty())
        throw Error(ErrorCode::BadInput,
            "case " + doc.kase.id + " has no journal number; ESDH/eDoc files by journal number");

    FiledDocument out;
    auto pdf = renderVersion(docId, VersionRef::byId(v.opId));
    out.warnings = std::move(pdf.warnings);
    if (doc.kase.kle.empty())
        out.warnings.push_back("case " + doc.kase.id + " has no KLE number; the metadata leaves it empty");
    out.consent = consent(doc.kase, doc.kase.team, {});
    for (const auto& gap : out.consent.gaps)
        out.warnings.push_back("consent: " + describe(gap));
    for (const auto& missing : out.consent.missing)
        out.warnings.push_back("consent: " + describe(missing));

    const std::string base = doc.info.templateId + "-" + docId + "-v" + std::to_string(v.number);
    out.pdf = folder / (base + ".pdf");
    out.metadata = folder / (base + ".json");
    out.metadataJson = { { "format", "familieplan-esdh/1" }, { "journal_number", doc.kase.journalNumber },
        { "kle", doc.kase.kle }, { "title", doc.tmpl.title + " – version " + std::to_string(v.number) },
        { "date", formatHlcUtc(v.hlc).substr(0, 10) }, { "document_type", doc.info.templateId },
        { "document_type_label", doc.tmpl.title }, { "case_title", doc.kase.title }, { "document_id", docId },
        { "version", v.number }, { "version_id", v.opId }, { "file", out.pdf.filename().string() },
        { "sha256", crypto::sha256Hex(pdf.bytes) }, { "bytes", pdf.bytes.size() } };
    const std::string metadata = out.metadataJson.dump(2) + "\n";

    // Filed before when the metadata (written last) names this very version and its PDF is there:
    // a PDF is rendered anew each time, so its bytes are not what is compared.
    std::error_code statError;
    const auto status = std::filesystem::symlink_status(out.metadata, statError);
    if (std::filesystem::exists(status)) {
        Json there;
        if (std::filesystem::is_regular_file(status)) {
            try {
                there = Json::parse(readFileBounded(out.metadata, 64 * 1024, "filing metadata"));
            } catch (const std::exception&) {
                there = Json();
            }
        }
        const auto says = [&](const char* key, const std::string& want) {
            const auto it = there.find(key);
            return it != there.end() && it->is_string() && it->get<std::string>() == want;
        };
        if (!there.is_object() || !says("document_id", docId) || !says("version_id", v.opId))
            throw Error(ErrorCode::Conflict,
                out.metadata.string() + " is already there with other content; not filed");
        if (std::filesystem::is_regular_file(std::filesystem::symlink_status(out.pdf, statError))) {
            out.alreadyFiled = true;
            out.metadataJson = there;
            return out;
        }
        throw Error(ErrorCode::Conflict,
            out.metadata.string()
                + " is there without its PDF (taken by the import?); remove it to file again");
    }
    // The PDF first and the metadata last: an import that waits for the .json finds both whole.
    // A PDF without its metadata is what a killed filing left: it is replaced.
    writeFileDurably(out.pdf, pdf.bytes, WriteOptions { .force = true, .protectedFiles = {} });
    writeFileDurably(out.metadata, metadata);
    return out;
}

PreparedDocument prepareDocument(
    const TemplateRegistry& templates, const BundleDocument& doc, const Case& kase)
{
    if (doc.templateId == CaseTemplateId)
        throw Error(
            ErrorCode::BadInput, "'" + doc.templateId + "' is the case's own data, not a document template");
    const Template tmpl = templates.load(doc.templateId);
    checkValues(tmpl, doc.values, &kase);
    return { tmpl.version, tmpl.fieldKinds(), tmpl.hash, tmpl.text };
}

} // namespace fplan::app
