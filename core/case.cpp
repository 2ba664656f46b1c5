// SPDX-License-Identifier: EUPL-1.2
#include "core/case.h"

#include "base/error.h"
#include "core/store.h"

namespace fplan {

namespace {

// Field paths of the case document. Danish like the templates' ids; stable once stored.
constexpr const char* Title = "sag.titel";
constexpr const char* JournalNumber = "sag.journalnummer";
constexpr const char* Kle = "sag.kle";
constexpr const char* Municipality = "sag.kommune";
constexpr const char* People = "personer";
constexpr const char* Team = "team";
constexpr const char* Coordinator = "tovholder";
constexpr const char* CoordinatorHistory = "tovholder_historik";

std::string text(const std::map<std::string, Json>& cells, const char* column)
{
    const auto it = cells.find(column);
    return it != cells.end() && it->second.is_string() ? it->second.get<std::string>() : "";
}

std::string text(const DocumentState& state, const char* path)
{
    const auto v = state.value(path);
    return v && v->is_string() ? v->get<std::string>() : "";
}

// Leaves empty optional strings out, so that export -> import -> export is a fixed point.
void putIfSet(Json& row, const char* column, const std::string& value)
{
    if (!value.empty())
        row[column] = value;
}

} // namespace

const Person* Case::person(const std::string& personId) const
{
    for (const auto& p : people)
        if (p.id == personId)
            return &p;
    return nullptr;
}

const TeamMember* Case::teamMember(const std::string& memberId) const
{
    for (const auto& t : team)
        if (t.id == memberId)
            return &t;
    return nullptr;
}

FieldKinds caseFieldKinds()
{
    FieldKinds kinds;
    kinds.tables = { People, Team, CoordinatorHistory };
    kinds.mergeableText = { std::string(CoordinatorHistory) + ".aarsag" };
    return kinds;
}

Json caseToValues(const Case& c)
{
    Json v = Json::object();
    v[Title] = c.title;
    putIfSet(v, JournalNumber, c.journalNumber);
    putIfSet(v, Kle, c.kle);
    putIfSet(v, Municipality, c.municipality);
    Json people = Json::array();
    for (const auto& p : c.people) {
        Json row = { { "@id", p.id }, { "navn", p.name }, { "foraeldremyndighed", p.custody } };
        putIfSet(row, "cpr", p.cpr);
        putIfSet(row, "relation", p.relation);
        people.push_back(std::move(row));
    }
    v[People] = std::move(people);
    Json team = Json::array();
    for (const auto& t : c.team) {
        Json row = { { "@id", t.id }, { "navn", t.name } };
        putIfSet(row, "fagomraade", t.fagomraade);
        putIfSet(row, "rolle", t.role);
        putIfSet(row, "email", t.email);
        putIfSet(row, "telefon", t.phone);
        putIfSet(row, "bruger", t.user);
        putIfSet(row, "fra", t.from);
        putIfSet(row, "til", t.to);
        team.push_back(std::move(row));
    }
    v[Team] = std::move(team);
    putIfSet(v, Coordinator, c.coordinator);
    Json history = Json::array();
    for (const auto& h : c.coordinatorHistory) {
        Json row = { { "@id", h.id }, { "dato", h.date }, { "tovholder", h.teamMemberId } };
        putIfSet(row, "aarsag", h.reason);
        history.push_back(std::move(row));
    }
    v[CoordinatorHistory] = std::move(history);
    return v;
}

Case caseFromState(const std::string& caseId, const DocumentState& state)
{
    Case c;
    c.id = caseId;
    c.title = text(state, Title);
    c.journalNumber = text(state, JournalNumber);
    c.kle = text(state, Kle);
    c.municipality = text(state, Municipality);
    for (const Row& row : state.rows(People)) {
        Person p;
        p.id = row.id;
        p.name = text(row.cells, "navn");
        p.cpr = text(row.cells, "cpr");
        p.relation = text(row.cells, "relation");
        const auto custody = row.cells.find("foraeldremyndighed");
        p.custody = custody != row.cells.end() && custody->second.is_boolean() && custody->second.get<bool>();
        c.people.push_back(std::move(p));
    }
    for (const Row& row : state.rows(Team)) {
        TeamMember t;
        t.id = row.id;
        t.name = text(row.cells, "navn");
        t.fagomraade = text(row.cells, "fagomraade");
        t.role = text(row.cells, "rolle");
        t.email = text(row.cells, "email");
        t.phone = text(row.cells, "telefon");
        t.user = text(row.cells, "bruger");
        t.from = text(row.cells, "fra");
        t.to = text(row.cells, "til");
        c.team.push_back(std::move(t));
    }
    c.coordinator = text(state, Coordinator);
    for (const Row& row : state.rows(CoordinatorHistory)) {
        CoordinatorChange h;
        h.id = row.id;
        h.date = text(row.cells, "dato");
        h.teamMemberId = text(row.cells, "tovholder");
        h.reason = text(row.cells, "aarsag");
        c.coordinatorHistory.push_back(std::move(h));
    }
    return c;
}

Case loadCase(const Store& store, const std::string& caseId)
{
    const auto caseDocId = store.caseDocumentId(caseId);
    if (!caseDocId)
        throw Error(ErrorCode::NotFound, "no case with id '" + caseId + "' in this store");
    return caseFromState(caseId, store.documentState(*caseDocId));
}

Case loadCaseOfDocument(const Store& store, const std::string& docId)
{
    const auto doc = store.document(docId);
    if (!doc)
        throw Error(ErrorCode::NotFound, "no document with id '" + docId + "' in this store");
    return loadCase(store, doc->caseId);
}

Json caseTableValues(const Case& before, const Case& after, CaseTable table)
{
    const Json all = caseToValues(after);
    if (table == CaseTable::CoordinatorChange)
        return { { Coordinator, all.value(Coordinator, Json()) },
            { CoordinatorHistory, all.value(CoordinatorHistory, Json::array()) } };
    const char* path = table == CaseTable::People ? People : Team;
    const Json old = caseToValues(before).at(path);
    Json rows = all.at(path);
    for (auto& row : rows)
        for (const auto& oldRow : old)
            if (oldRow.at("@id") == row.at("@id"))
                for (const auto& [column, v] : oldRow.items())
                    if (!row.contains(column))
                        row[column] = nullptr;
    return { { path, std::move(rows) } };
}

} // namespace fplan
