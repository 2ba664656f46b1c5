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
#include <ctime>

namespace fplan::gui {

using docgen::Field;
using docgen::FieldType;
using docgen::ProblemCode;
using docgen::ValueProblem;

namespace {

// Keystrokes join one undo step until a word ends.
bool endsWord(const Json& value)
{
    if (!value.is_string())
        return true;
    const auto& s = value.get_ref<const std::string&>();
    return !s.empty() && (s.back() == ' ' || s.back() == '\n');
}

// A number from a problem's text ("168.0", "2.5") as a Danish reader writes it ("168", "2,5").
std::string danishNumber(std::string text)
{
    if (text.size() > 2 && text.compare(text.size() - 2, 2, ".0") == 0)
        text.resize(text.size() - 2);
    std::replace(text.begin(), text.end(), '.', ',');
    return text;
}

void addSections(const docgen::Section& s, int depth, std::vector<EditorSection>& out)
{
    out.push_back({ &s, depth });
    for (const auto& sub : s.sections)
        addSections(sub, depth + 1, out);
}

} // namespace

std::string problemText(const ValueProblem& p)
{
    switch (p.code) {
    case ProblemCode::NotText:
        return tr("Skal være tekst.");
    case ProblemCode::LineBreak:
        return tr("Linjeskift er ikke tilladt i et kort tekstfelt.");
    case ProblemCode::ControlCharacter:
        return tr("Teksten indeholder et ugyldigt tegn.");
    case ProblemCode::TooLong:
        return format(tr("Højst {0} tegn (der står {1})."), { p.limit, p.detail });
    case ProblemCode::NotCpr:
        return format(tr("»{0}« er ikke et gyldigt CPR-nummer."), { p.detail });
    case ProblemCode::NotEmail:
        return format(tr("»{0}« er ikke en e-mailadresse."), { p.detail });
    case ProblemCode::NotPhone:
        return format(tr("»{0}« er ikke et telefonnummer."), { p.detail });
    case ProblemCode::NotDate:
        return tr("Skriv datoen som DD.MM.ÅÅÅÅ.");
    case ProblemCode::NotDateTime:
        return tr("Skriv dato og tid som DD.MM.ÅÅÅÅ TT:MM.");
    case ProblemCode::NotNumber:
    case ProblemCode::NotFinite:
        return tr("Skal være et tal.");
    case ProblemCode::BelowMin:
        return format(tr("Mindst {0} (der står {1})."), { danishNumber(p.limit), danishNumber(p.detail) });
    case ProblemCode::AboveMax:
        return format(tr("Højst {0} (der står {1})."), { danishNumber(p.limit), danishNumber(p.detail) });
    case ProblemCode::NotBool:
        return tr("Vælg ja eller nej.");
    case ProblemCode::NotAChoice:
    case ProblemCode::NotAList:
    case ProblemCode::ChosenTwice:
    case ProblemCode::NotAPersonId:
    case ProblemCode::UnknownPerson:
    case ProblemCode::NotATeamMemberId:
    case ProblemCode::UnknownTeamMember:
        return tr("Vælg en af mulighederne.");
    case ProblemCode::WrongFagomraade:
        return format(tr("{0} arbejder ikke inden for {1}."), { p.detail, p.limit });
    case ProblemCode::TooManyRows:
        return format(tr("Højst {0} rækker (der er {1})."), { p.limit, p.detail });
    case ProblemCode::NotATable:
    case ProblemCode::NotARow:
    case ProblemCode::BadRowId:
    case ProblemCode::DuplicateRowId:
    case ProblemCode::UnknownColumn:
    case ProblemCode::UnknownField:
    case ProblemCode::NotAnObject:
        return tr("Skal være en tabel.");
    case ProblemCode::MissingRequired:
        return tr("skal udfyldes.");
    case ProblemCode::DanglingReference:
        return tr("Henviser til en række, som ikke findes længere.");
    case ProblemCode::OpenConflict:
        return tr("to personer har skrevet forskelligt samtidig; vælg den rigtige værdi.");
    case ProblemCode::Unchanged:
        return format(tr("Intet er ændret siden version {0}."), { p.detail });
    }
    return {};
}

int startNextVersion(app::DocumentService& documents, const std::string& docId)
{
    const DocumentState state = documents.store().documentState(docId);
    const Version* latest = state.latestVersion();
    if (!latest)
        throw Error(ErrorCode::BadInput,
            tr("Dokumentet har ingen færdig version endnu: færdiggør det, før næste version startes."));
    if (state.changedSince(*latest))
        throw Error(ErrorCode::BadInput,
            format(
                tr("Næste version er allerede startet: kladden er ændret siden version {0}. Skriv videre i "
                   "den, eller færdiggør den."),
                { std::to_string(latest->number) }));
    return documents.revise(docId).version;
}

EditorPresenter::EditorPresenter(app::DocumentService& documents, const std::string& docId)
    : m_documents(documents)
    , m_doc(documents.open(docId))
    , m_state(documents.store().documentState(docId))
    , m_values(m_state.values())
{
    if (!m_values.is_object())
        m_values = Json::object();
    for (const auto& section : m_doc.tmpl.sections)
        addSections(section, 0, m_sections);
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
    const Field* f = m_doc.tmpl.field(path);
    if (docgen::isEmptyValue(v) && !(f && f->type == FieldType::Table))
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
    if (before == v || (docgen::isEmptyValue(before) && docgen::isEmptyValue(v)))
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
    if (docgen::isEmptyValue(v))
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

std::vector<docgen::Choice> EditorPresenter::choicesFor(const Field& field) const
{
    std::vector<docgen::Choice> out;
    if (field.type == FieldType::Bool)
        return { { "true", tr("Ja") }, { "false", tr("Nej") } };
    if (field.type == FieldType::Person) {
        for (const auto& p : kase().people)
            out.push_back({ p.id, p.relation.empty() ? p.name : p.name + " (" + p.relation + ")" });
        return out;
    }
    if (field.type == FieldType::TeamMember) {
        for (const auto& t : kase().team)
            out.push_back({ t.id, t.fagomraade.empty() ? t.name : t.name + " (" + t.fagomraade + ")" });
        return out;
    }
    return field.choices;
}

std::string EditorPresenter::message(const std::string& path) const
{
    const Field* f = m_doc.tmpl.field(path);
    if (!f)
        return {};
    const Json v = value(path);
    if (docgen::isEmptyValue(v))
        return {};
    // The checks of the service's fill (docgen's), on this one value.
    const auto problems = docgen::findValueProblems(m_doc.tmpl, Json { { path, v } }, &kase());
    if (problems.empty())
        return {};
    const ValueProblem& p = problems.front();
    if (p.path.row && !p.path.column.empty()) {
        const Field* c = f->column(p.path.column);
        const std::string why = c ? explain(*c, cell(path, *p.path.row, p.path.column), p) : problemText(p);
        return format(tr("Række {0}, {1}: {2}"),
            { std::to_string(*p.path.row + 1), c ? c->label : p.path.column, why });
    }
    return explain(*f, v, p);
}

std::string EditorPresenter::cellMessage(
    const std::string& tablePath, std::size_t row, const std::string& column) const
{
    const Json v = cell(tablePath, row, column);
    if (docgen::isEmptyValue(v))
        return {};
    const Json values = { { tablePath, Json::array({ Json { { column, v } } }) } };
    const auto problems = docgen::findValueProblems(m_doc.tmpl, values, &kase());
    if (problems.empty())
        return {};
    const Field* table = m_doc.tmpl.field(tablePath);
    const Field* c = table ? table->column(column) : nullptr;
    return c ? explain(*c, v, problems.front()) : problemText(problems.front());
}

std::string EditorPresenter::explain(const Field& field, const Json& v, const ValueProblem& p) const
{
    switch (p.code) {
    case ProblemCode::NotAChoice:
    case ProblemCode::NotBool:
    case ProblemCode::NotAPersonId:
    case ProblemCode::UnknownPerson:
    case ProblemCode::NotATeamMemberId:
    case ProblemCode::UnknownTeamMember: {
        // Typed text that names no choice: say what the choices are (the text stays until fixed).
        if (!v.is_string())
            break;
        std::string names;
        for (const auto& c : choicesFor(field))
            names += (names.empty() ? "" : ", ") + c.label;
        if (names.empty())
            return format(
                tr("»{0}« kan ikke vælges: der er ingen muligheder endnu."), { v.get<std::string>() });
        return format(
            tr("»{0}« er ikke en af mulighederne. Vælg en af: {1}."), { v.get<std::string>(), names });
    }
    case ProblemCode::NotDate:
    case ProblemCode::NotDateTime:
        // "31.02.2026" is a date that does not exist, not a date in the wrong form.
        if (v.is_string())
            if (auto why = dateTextProblem(v.get<std::string>(), p.code == ProblemCode::NotDateTime);
                !why.empty())
                return why;
        break;
    default:
        break;
    }
    return problemText(p);
}

Json EditorPresenter::choiceFromText(const Field& field, const std::string& typed) const
{
    const std::string key = searchKey(typed);
    if (key.find_first_not_of(" \t\n") == std::string::npos)
        return Json();
    // The label as shown (or the stored id), without regard to case, accents or spaces around it.
    auto trimmedKey = [](std::string k) {
        k.erase(0, k.find_first_not_of(' '));
        k.erase(k.find_last_not_of(' ') + 1);
        return k;
    };
    for (const auto& c : choicesFor(field))
        if (trimmedKey(searchKey(c.label)) == trimmedKey(key) || c.id == typed)
            return field.type == FieldType::Bool ? Json(c.id == "true") : Json(c.id);
    return typed; // kept as typed, and marked by message()/cellMessage() until it is fixed
}

std::string EditorPresenter::labelOf(const std::string& path) const
{
    const Field* f = m_doc.tmpl.field(path);
    return f ? f->label : path;
}

std::string EditorPresenter::sectionOf(const std::string& path) const
{
    for (const auto& s : m_sections)
        for (const auto& f : s.section->fields)
            if (f.path == path)
                return s.section->label;
    return {};
}

std::string EditorPresenter::placeOf(const std::string& path) const
{
    return sectionOf(path) + " › " + labelOf(path);
}

std::string EditorPresenter::displayText(const Field& field, const Json& v) const
{
    if (docgen::isEmptyValue(v))
        return {};
    switch (field.type) {
    case FieldType::Bool:
        return v.is_boolean() && v.get<bool>() ? tr("Ja") : tr("Nej");
    case FieldType::Choice:
    case FieldType::Person:
    case FieldType::TeamMember:
        for (const auto& c : choicesFor(field))
            if (v.is_string() && c.id == v.get<std::string>())
                return c.label;
        break;
    case FieldType::MultiChoice: {
        std::string out;
        for (const auto& item : v)
            for (const auto& c : choicesFor(field))
                if (item.is_string() && c.id == item.get<std::string>())
                    out += (out.empty() ? "" : ", ") + c.label;
        return out;
    }
    case FieldType::Table:
        return format(trn("{0} række", "{0} rækker", v.size()), { std::to_string(v.size()) });
    case FieldType::Date:
        // Danish reading order, as in print; a value that is not a date is shown as typed.
        if (v.is_string() && isIsoDate(v.get<std::string>()))
            return docgen::formatDate(v.get<std::string>());
        break;
    case FieldType::DateTime:
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

std::vector<StandingValue> EditorPresenter::conflictVersions(const std::string& path) const
{
    if (m_dirty.count(path))
        return {};
    std::vector<StandingValue> out;
    for (const auto& c : m_state.conflicts())
        if (c.path == path)
            for (std::size_t i = 0; i < c.values.size() && i < c.opIds.size(); ++i) {
                const Op* op = m_state.find(c.opIds[i]);
                out.push_back({ c.values[i], op ? op->author : "", op ? op->hlc : 0, c.opIds[i] });
            }
    return out;
}

std::string EditorPresenter::authorLine(const StandingValue& standing) const
{
    std::string who = standing.author.empty() ? tr("ukendt") : standing.author;
    for (const auto& member : kase().team)
        if (!member.user.empty() && member.user == standing.author)
            who = member.name; // ops synced through the server carry the account's name

    if (standing.hlc == 0)
        return who;
    const std::time_t seconds = static_cast<std::time_t>((standing.hlc >> 16) / 1000);
    std::tm local {};
    localtime_r(&seconds, &local);
    char day[16];
    char time[8];
    std::strftime(day, sizeof day, "%Y-%m-%d", &local);
    std::strftime(time, sizeof time, "%H.%M", &local);
    return format(tr("{0}, {1} kl. {2}"), { who, docgen::formatDate(day), time });
}

std::vector<ResurrectedRow> EditorPresenter::resurrectedRows(const std::string& tablePath) const
{
    std::vector<ResurrectedRow> out;
    const Json shown = value(tablePath);
    for (const auto& row : m_state.rows(tablePath)) {
        if (!row.resurrected)
            continue;
        ResurrectedRow r;
        r.rowId = row.id;
        bool shownHere = false;
        for (std::size_t i = 0; shown.is_array() && i < shown.size() && !shownHere; ++i)
            if (shown[i].value("@id", "") == row.id) {
                r.index = i;
                shownHere = true;
            }
        if (!shownHere)
            continue; // removed here, not yet saved: the next save settles it
        for (const auto& id : m_state.heads(rowPath(tablePath, row.id)))
            if (const Op* op = m_state.find(id); op && op->kind == OpKind::RowDelete)
                r.deletedBy += (r.deletedBy.empty() ? "" : ", ") + op->author;
        out.push_back(std::move(r));
    }
    return out;
}

void EditorPresenter::keepRow(const std::string& tablePath, const std::string& rowId)
{
    flush();
    m_documents.settleResurrectedRow(m_doc, m_state, tablePath, rowId, true);
    takeStored(tablePath);
}

void EditorPresenter::removeResurrectedRow(const std::string& tablePath, const std::string& rowId)
{
    flush();
    m_documents.settleResurrectedRow(m_doc, m_state, tablePath, rowId, false);
    takeStored(tablePath);
}

Json EditorPresenter::storedValue(const std::string& path) const
{
    const Field* f = m_doc.tmpl.field(path);
    if (f && f->type == FieldType::Table)
        return m_state.tableValue(path);
    return m_state.value(path).value_or(Json());
}

bool EditorPresenter::takeStored(const std::string& path)
{
    const Json stored = storedValue(path);
    const Json before = value(path);
    if (before == stored || (docgen::isEmptyValue(before) && docgen::isEmptyValue(stored)))
        return false;
    const Field* f = m_doc.tmpl.field(path);
    if (docgen::isEmptyValue(stored) && !(f && f->type == FieldType::Table))
        m_values.erase(path);
    else
        m_values[path] = stored;
    return true;
}

std::vector<std::string> EditorPresenter::applyIncoming(const std::vector<Op>& ops, const std::string& held)
{
    std::vector<const Op*> fresh;
    for (const auto& op : ops)
        if (op.docId == docId() && !m_state.find(op.id))
            fresh.push_back(&op);
    if (!fresh.empty()) {
        // What was typed here was typed on what the person saw: store it as that, before the
        // state moves on, so that the fold can merge it with what arrived or show both.
        flush();
        for (const Op* op : fresh) {
            m_state.apply(*op);
            if (op->path.empty())
                continue; // creation or a finalised version: no field changes
            try {
                const FieldPath fp = FieldPath::parse(op->path);
                m_stale.insert(fp.table.empty() ? fp.field : fp.table);
            } catch (const Error&) {
                // a path the fold skipped: nothing to show
            }
        }
    }
    std::vector<std::string> changed;
    if (m_stale.empty())
        return changed;
    std::set<std::string> conflicted;
    for (const auto& c : m_state.conflicts())
        conflicted.insert(c.path);
    for (auto it = m_stale.begin(); it != m_stale.end();) {
        const std::string& path = *it;
        const Field* f = m_doc.tmpl.field(path);
        const bool isTable = f && f->type == FieldType::Table;
        if (m_dirty.count(path) || (path == held && isTable)) {
            ++it; // what the person is typing stays; the store's value is taken later
            continue;
        }
        // The field the person is in keeps what they wrote while both versions stand.
        if (!(path == held && conflicted.count(path)) && takeStored(path))
            changed.push_back(path);
        it = m_stale.erase(it);
    }
    return changed;
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
    const auto result = m_documents.fill(m_doc, m_state, changed, app::FillMode::StoreWhatFits);
    // What was refused stays pending here; the field shows why (message()).
    std::set<std::string> refused;
    for (const auto& p : result.refused)
        refused.insert(p.path.field);
    m_dirty = std::move(refused);
    return result.opsStored;
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

std::string EditorPresenter::problemLine(const ValueProblem& p) const
{
    switch (p.code) {
    case ProblemCode::MissingRequired:
        if (p.path.row)
            return format(tr("{0}, række {1}: {2} skal udfyldes."),
                { p.limit, std::to_string(*p.path.row + 1), p.detail });
        return format(tr("{0} › {1}: skal udfyldes."), { sectionOf(p.path.field), labelOf(p.path.field) });
    case ProblemCode::OpenConflict:
        return format(tr("{0}: to personer har skrevet forskelligt samtidig; vælg den rigtige værdi."),
            { labelOf(p.path.field) });
    case ProblemCode::Unchanged:
        return problemText(p);
    default:
        return format(
            tr("{0} › {1}: {2}"), { sectionOf(p.path.field), labelOf(p.path.field), problemText(p) });
    }
}

std::vector<std::string> EditorPresenter::missingForFinalize() const
{
    std::vector<std::string> out;
    // Values typed here that the fill refused (they are not stored).
    for (const Field* f : m_doc.tmpl.fields())
        if (auto m = message(f->path); !m.empty())
            out.push_back(format(tr("{0} › {1}: {2}"), { sectionOf(f->path), f->label, m }));
    // The service's own rules for finalising, on the working copy.
    for (const auto& p : m_documents.finalizeProblems(m_doc, m_state, &m_values))
        if (p.code != ProblemCode::Unchanged || !dirty())
            out.push_back(problemLine(p));
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
    return m_documents.finalize(m_doc, m_state).version;
}

int EditorPresenter::startNextVersion()
{
    flush();
    if (dirty())
        throw Error(ErrorCode::BadInput, tr("Ret først de markerede felter; de er ikke gemt."));
    const int next = gui::startNextVersion(m_documents, docId());
    // The service wrote the new draft as ops: read it back, as a newly opened editor would.
    m_state = m_documents.store().documentState(docId());
    m_values = m_state.values();
    if (!m_values.is_object())
        m_values = Json::object();
    m_undo.clear();
    m_redo.clear();
    return next;
}

int EditorPresenter::unchangedVersion() const
{
    const auto& versions = m_state.versions();
    if (versions.empty() || dirty() || m_state.changedSince(versions.back()))
        return 0;
    return versions.back().number;
}

Json EditorPresenter::valuesOf(int version) const
{
    if (version < 0)
        return m_values; // the working copy: what the window shows
    for (const auto& v : m_state.versions())
        if (v.number == version)
            return v.values;
    return Json::object();
}

std::vector<DiffLine> EditorPresenter::diff(int fromVersion, int toVersion) const
{
    const Json a = valuesOf(fromVersion);
    const Json b = valuesOf(toVersion);
    // A row shown as its cells, the way the table shows them.
    auto describeRow = [&](const Field& table, const Json& row) {
        std::string s;
        for (const auto& c : table.columns)
            if (row.is_object() && row.contains(c.id) && !docgen::isEmptyValue(row[c.id]))
                s += (s.empty() ? "" : " · ") + displayText(c, row[c.id]);
        return s;
    };
    std::vector<DiffLine> out;
    for (const auto& change : m_documents.diff(m_doc.tmpl, a, b)) {
        const Field* f = m_doc.tmpl.field(change.field);
        if (!f)
            continue; // a field this template no longer has: the editor cannot show it
        if (change.rowId.empty()) {
            out.push_back(
                { placeOf(f->path), displayText(*f, change.before), displayText(*f, change.after) });
        } else if (change.kind == "row removed") {
            out.push_back({ f->label + " › " + tr("række fjernet"), describeRow(*f, change.before), "" });
        } else if (change.kind == "row added") {
            out.push_back({ f->label + " › " + tr("række tilføjet"), "", describeRow(*f, change.after) });
        } else if (const Field* c = f->column(change.column)) {
            out.push_back({ f->label + " › " + c->label, displayText(*c, change.before),
                displayText(*c, change.after) });
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
