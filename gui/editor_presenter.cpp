// SPDX-License-Identifier: EUPL-1.2
#include "gui/editor_presenter.h"

#include "base/error.h"
#include "crypto/random.h"
#include "docgen/forms/format.h"
#include "gui/date_input.h"
#include "gui/i18n.h"
#include "gui/unlock_presenter.h"

#include <algorithm>
#include <cctype>

namespace fplan::gui {

namespace {

bool hasChoice(const std::vector<FormChoice>& choices, const std::string& id)
{
    return std::any_of(choices.begin(), choices.end(), [&](const FormChoice& c) { return c.id == id; });
}

// Keystrokes join one undo step until a word ends.
bool endsWord(const Json& value)
{
    if (!value.is_string())
        return true;
    const auto& s = value.get_ref<const std::string&>();
    return !s.empty() && (s.back() == ' ' || s.back() == '\n');
}

} // namespace

bool isEmptyValue(const Json& value)
{
    return value.is_null() || (value.is_string() && value.get_ref<const std::string&>().empty())
        || (value.is_array() && value.empty());
}

std::string validateValue(const FormField& field, const Json& value, const std::vector<FormChoice>& choices)
{
    if (isEmptyValue(value))
        return {};
    switch (field.kind) {
    case FieldKind::Text:
    case FieldKind::LongText: {
        if (!value.is_string())
            return tr("Skal være tekst.");
        const auto n = utf8Length(value.get<std::string>());
        if (field.maxLength > 0 && n > field.maxLength)
            return format(
                tr("Højst {0} tegn (der står {1})."), { std::to_string(field.maxLength), std::to_string(n) });
        return {};
    }
    case FieldKind::Date:
        return value.is_string() && isIsoDate(value.get<std::string>()) ? ""
                                                                        : tr("Skriv datoen som DD.MM.ÅÅÅÅ.");
    case FieldKind::DateTime:
        return value.is_string() && isIsoDateTime(value.get<std::string>())
            ? ""
            : tr("Skriv dato og tid som DD.MM.ÅÅÅÅ TT:MM.");
    case FieldKind::Number:
        return value.is_number() ? "" : tr("Skal være et tal.");
    case FieldKind::Bool:
        return value.is_boolean() ? "" : tr("Vælg ja eller nej.");
    case FieldKind::Choice:
    case FieldKind::Person:
    case FieldKind::TeamMember:
        return value.is_string() && hasChoice(choices, value.get<std::string>())
            ? ""
            : tr("Vælg en af mulighederne.");
    case FieldKind::MultiChoice:
        if (!value.is_array())
            return tr("Vælg en af mulighederne.");
        for (const auto& v : value)
            if (!v.is_string() || !hasChoice(choices, v.get<std::string>()))
                return tr("Vælg en af mulighederne.");
        return {};
    case FieldKind::Table:
        return value.is_array() ? "" : tr("Skal være en tabel.");
    }
    return {};
}

EditorPresenter::EditorPresenter(
    Store& store, std::string docId, FormSpec spec, Case kase, std::string author)
    : m_store(store)
    , m_docId(std::move(docId))
    , m_spec(std::move(spec))
    , m_case(std::move(kase))
    , m_factory(std::move(author), store.deviceId(), store.clock())
    , m_state(store.documentState(m_docId))
    , m_values(m_state.values())
{
    if (!m_values.is_object())
        m_values = Json::object();
}

Json EditorPresenter::value(const std::string& path) const
{
    const auto it = m_values.find(path);
    return it == m_values.end() ? Json() : *it;
}

std::string EditorPresenter::text(const std::string& path) const
{
    const Json v = value(path);
    if (v.is_string())
        return v.get<std::string>();
    if (v.is_number())
        return v.dump();
    return {};
}

void EditorPresenter::apply(const std::string& path, const Json& v)
{
    const FormField* f = m_spec.field(path);
    if (isEmptyValue(v) && !(f && f->kind == FieldKind::Table))
        m_values.erase(path);
    else
        m_values[path] = v;
    m_dirty.insert(path);
}

void EditorPresenter::record(const std::string& path, const std::string& cellKey, const Json& before,
    const Json& after, const Json* typed)
{
    m_redo.clear();
    if (typed && !m_breakGroup && !m_undo.empty() && m_undo.back().path == path
        && m_undo.back().cellKey == cellKey && !cellKey.empty() == !m_undo.back().cellKey.empty()) {
        m_undo.back().after = after;
    } else {
        m_undo.push_back({ path, cellKey, before, after });
    }
    m_breakGroup = !typed || endsWord(*typed);
}

void EditorPresenter::setValue(const std::string& path, Json v)
{
    const Json before = value(path);
    if (before == v || (isEmptyValue(before) && isEmptyValue(v)))
        return;
    apply(path, v);
    record(path, "", before, value(path), &v);
}

Json& EditorPresenter::table(const std::string& path)
{
    auto& t = m_values[path];
    if (!t.is_array())
        t = Json::array();
    return t;
}

std::size_t EditorPresenter::rowCount(const std::string& tablePath) const
{
    const Json t = value(tablePath);
    return t.is_array() ? t.size() : 0;
}

Json EditorPresenter::cell(const std::string& tablePath, std::size_t row, const std::string& column) const
{
    const Json t = value(tablePath);
    if (!t.is_array() || row >= t.size() || !t[row].contains(column))
        return Json();
    return t[row][column];
}

void EditorPresenter::setCell(
    const std::string& tablePath, std::size_t row, const std::string& column, Json v)
{
    Json& t = table(tablePath);
    if (row >= t.size())
        throw Error(ErrorCode::Internal, tablePath + ": no row " + std::to_string(row));
    const Json before = t;
    if (isEmptyValue(v))
        t[row].erase(column);
    else
        t[row][column] = v;
    if (t == before)
        return;
    m_dirty.insert(tablePath);
    record(tablePath, t[row].value("@id", "") + "." + column, before, t, &v);
}

std::size_t EditorPresenter::addRow(const std::string& tablePath)
{
    Json& t = table(tablePath);
    const Json before = t;
    t.push_back({ { "@id", crypto::newUuid() } });
    m_dirty.insert(tablePath);
    record(tablePath, "", before, t, nullptr);
    return t.size() - 1;
}

void EditorPresenter::removeRow(const std::string& tablePath, std::size_t row)
{
    Json& t = table(tablePath);
    if (row >= t.size())
        return;
    const Json before = t;
    t.erase(t.begin() + static_cast<std::ptrdiff_t>(row));
    m_dirty.insert(tablePath);
    record(tablePath, "", before, t, nullptr);
}

std::size_t EditorPresenter::moveRow(const std::string& tablePath, std::size_t row, int delta)
{
    Json& t = table(tablePath);
    const long target = static_cast<long>(row) + delta;
    if (row >= t.size() || target < 0 || target >= static_cast<long>(t.size()))
        return row;
    const Json before = t;
    std::swap(t[row], t[static_cast<std::size_t>(target)]);
    m_dirty.insert(tablePath);
    record(tablePath, "", before, t, nullptr);
    return static_cast<std::size_t>(target);
}

std::vector<FormChoice> EditorPresenter::choicesFor(const FormField& field) const
{
    std::vector<FormChoice> out;
    if (field.kind == FieldKind::Person) {
        for (const auto& p : m_case.people)
            out.push_back({ p.id, p.relation.empty() ? p.name : p.name + " (" + p.relation + ")" });
        return out;
    }
    if (field.kind == FieldKind::TeamMember) {
        for (const auto& t : m_case.team)
            out.push_back({ t.id, t.fagomraade.empty() ? t.name : t.name + " (" + t.fagomraade + ")" });
        return out;
    }
    return field.choices;
}

const FormField* EditorPresenter::column(const std::string& tablePath, const std::string& columnId) const
{
    const FormField* t = m_spec.field(tablePath);
    if (!t)
        return nullptr;
    for (const auto& c : t->columns)
        if (c.path == columnId)
            return &c;
    return nullptr;
}

std::string EditorPresenter::message(const std::string& path) const
{
    const FormField* f = m_spec.field(path);
    if (!f)
        return {};
    const Json v = value(path);
    if (auto m = validateValue(*f, v, choicesFor(*f)); !m.empty())
        return m;
    if (f->kind == FieldKind::Table && v.is_array()) {
        for (std::size_t r = 0; r < v.size(); ++r)
            for (const auto& c : f->columns)
                if (auto m = validateValue(c, v[r].value(c.path, Json()), choicesFor(c)); !m.empty())
                    return format(tr("Række {0}, {1}: {2}"), { std::to_string(r + 1), c.label, m });
    }
    return {};
}

std::string EditorPresenter::labelOf(const std::string& path) const
{
    const FormField* f = m_spec.field(path);
    return f ? f->label : path;
}

std::string EditorPresenter::displayText(const FormField& field, const Json& v) const
{
    if (isEmptyValue(v))
        return {};
    switch (field.kind) {
    case FieldKind::Bool:
        return v.is_boolean() && v.get<bool>() ? tr("Ja") : tr("Nej");
    case FieldKind::Choice:
    case FieldKind::Person:
    case FieldKind::TeamMember:
        for (const auto& c : choicesFor(field))
            if (v.is_string() && c.id == v.get<std::string>())
                return c.label;
        break;
    case FieldKind::MultiChoice: {
        std::string out;
        for (const auto& item : v)
            for (const auto& c : choicesFor(field))
                if (item.is_string() && c.id == item.get<std::string>())
                    out += (out.empty() ? "" : ", ") + c.label;
        return out;
    }
    case FieldKind::Table:
        return format(tr("{0} rækker"), { std::to_string(v.size()) });
    case FieldKind::Date:
        // Danish reading order, as in print; a value that is not a date is shown as typed.
        if (v.is_string() && isIsoDate(v.get<std::string>()))
            return docgen::formatDate(v.get<std::string>());
        break;
    case FieldKind::DateTime:
        if (v.is_string() && isIsoDateTime(v.get<std::string>())) {
            const auto& d = v.get_ref<const std::string&>();
            return format(tr("{0} kl. {1}"), { docgen::formatDate(d.substr(0, 10)), d.substr(11, 5) });
        }
        break;
    default:
        break;
    }
    return v.is_string() ? v.get<std::string>() : v.dump();
}

std::vector<Json> EditorPresenter::conflictValues(const std::string& path) const
{
    if (m_dirty.count(path))
        return {}; // being edited here: the next save settles it
    for (const auto& c : m_state.conflicts())
        if (c.path == path)
            return c.values;
    return {};
}

void EditorPresenter::resolve(const std::string& path, Json v)
{
    const Json before = value(path);
    apply(path, v);
    record(path, "", before, value(path), nullptr);
    m_dirty.insert(path); // even when unchanged: opsForValues supersedes the standing values
}

std::size_t EditorPresenter::flush()
{
    if (m_dirty.empty())
        return 0;
    Json changed = Json::object();
    for (const auto& path : m_dirty)
        changed[path] = value(path);
    const auto ops = opsForValues(m_state, changed, m_spec.kinds, m_factory, m_case.id, m_docId);
    std::size_t added = 0;
    if (!ops.empty())
        m_store.transaction([&] { added = m_store.appendOps(ops); });
    m_dirty.clear();
    m_state = m_store.documentState(m_docId);
    return added;
}

void EditorPresenter::undo()
{
    if (m_undo.empty())
        return;
    UndoStep step = std::move(m_undo.back());
    m_undo.pop_back();
    apply(step.path, step.before);
    m_redo.push_back(std::move(step));
    m_breakGroup = true;
    if (onValueChanged)
        onValueChanged(m_redo.back().path);
}

void EditorPresenter::redo()
{
    if (m_redo.empty())
        return;
    UndoStep step = std::move(m_redo.back());
    m_redo.pop_back();
    apply(step.path, step.after);
    m_undo.push_back(std::move(step));
    m_breakGroup = true;
    if (onValueChanged)
        onValueChanged(m_undo.back().path);
}

std::vector<std::string> EditorPresenter::missingForFinalize() const
{
    std::vector<std::string> out;
    for (const auto& section : m_spec.sections) {
        for (const auto& f : section.fields) {
            const Json v = value(f.path);
            if (f.required && isEmptyValue(v))
                out.push_back(format(tr("{0} › {1}: skal udfyldes."), { section.label, f.label }));
            else if (auto m = message(f.path); !m.empty())
                out.push_back(format(tr("{0} › {1}: {2}"), { section.label, f.label, m }));
            if (f.kind != FieldKind::Table || !v.is_array())
                continue;
            for (std::size_t r = 0; r < v.size(); ++r)
                for (const auto& c : f.columns)
                    if (c.required && isEmptyValue(v[r].value(c.path, Json())))
                        out.push_back(format(tr("{0}, række {1}: {2} skal udfyldes."),
                            { f.label, std::to_string(r + 1), c.label }));
        }
    }
    for (const auto& c : m_state.conflicts()) {
        const auto p = FieldPath::parse(c.path);
        out.push_back(format(tr("{0}: to personer har skrevet forskelligt samtidig; vælg den rigtige værdi."),
            { labelOf(p.table.empty() ? p.field : p.table) }));
    }
    if (!m_state.versions().empty() && !dirty() && m_state.maxHlc() <= m_state.versions().back().hlc)
        out.push_back(format(
            tr("Intet er ændret siden version {0}."), { std::to_string(m_state.versions().back().number) }));
    return out;
}

int EditorPresenter::finalize()
{
    flush();
    const auto problems = missingForFinalize();
    if (!problems.empty()) {
        std::string text;
        for (const auto& p : problems)
            text += (text.empty() ? "" : "\n") + p;
        throw Error(ErrorCode::BadInput, text);
    }
    if (finalizer) {
        finalizer();
    } else {
        const Op op = m_factory.finalize(m_state, m_case.id, m_docId);
        m_store.transaction([&] { m_store.appendOps({ op }); });
    }
    m_state = m_store.documentState(m_docId);
    return m_state.versions().empty() ? 0 : m_state.versions().back().number;
}

int EditorPresenter::unchangedVersion() const
{
    const auto& versions = m_state.versions();
    if (versions.empty() || dirty() || m_state.maxHlc() > versions.back().hlc)
        return 0;
    return versions.back().number;
}

Json EditorPresenter::valuesOf(int version) const
{
    if (version < 0)
        return m_values;
    for (const auto& v : m_state.versions())
        if (v.number == version)
            return v.values;
    return Json::object();
}

std::vector<DiffLine> EditorPresenter::diff(int fromVersion, int toVersion) const
{
    const Json a = valuesOf(fromVersion);
    const Json b = valuesOf(toVersion);
    auto get = [](const Json& values, const std::string& path) {
        const auto it = values.find(path);
        return it == values.end() ? Json() : *it;
    };
    std::vector<DiffLine> out;
    for (const auto& section : m_spec.sections) {
        for (const auto& f : section.fields) {
            const Json va = get(a, f.path);
            const Json vb = get(b, f.path);
            if (va == vb || (isEmptyValue(va) && isEmptyValue(vb)))
                continue;
            if (f.kind != FieldKind::Table) {
                out.push_back({ section.label + " › " + f.label, displayText(f, va), displayText(f, vb) });
                continue;
            }
            // Rows by id: added, removed, or changed cell by cell.
            auto rowsById = [](const Json& t) {
                std::map<std::string, Json> m;
                if (t.is_array())
                    for (const auto& r : t)
                        m[r.value("@id", "")] = r;
                return m;
            };
            const auto ra = rowsById(va);
            const auto rb = rowsById(vb);
            auto describe = [&](const Json& row) {
                std::string s;
                for (const auto& c : f.columns)
                    if (row.contains(c.path) && !isEmptyValue(row[c.path]))
                        s += (s.empty() ? "" : " · ") + displayText(c, row[c.path]);
                return s;
            };
            for (const auto& [id, row] : ra)
                if (!rb.count(id))
                    out.push_back({ f.label + " › " + tr("række fjernet"), describe(row), "" });
            if (vb.is_array())
                for (const auto& row : vb) {
                    const auto id = row.value("@id", "");
                    const auto old = ra.find(id);
                    if (old == ra.end()) {
                        out.push_back({ f.label + " › " + tr("række tilføjet"), "", describe(row) });
                        continue;
                    }
                    for (const auto& c : f.columns) {
                        const Json ca = old->second.value(c.path, Json());
                        const Json cb = row.value(c.path, Json());
                        if (ca != cb && !(isEmptyValue(ca) && isEmptyValue(cb)))
                            out.push_back(
                                { f.label + " › " + c.label, displayText(c, ca), displayText(c, cb) });
                    }
                }
        }
    }
    return out;
}

std::string EditorPresenter::statusText() const
{
    std::string version;
    if (!m_state.versions().empty())
        version = format(
            tr("Seneste færdige version: {0}. "), { std::to_string(m_state.versions().back().number) });
    return version + (dirty() ? tr("Ændringer gemmes …") : tr("Alle ændringer er gemt."));
}

} // namespace fplan::gui
