// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include "core/document.h"

#include <optional>
#include <string>
#include <vector>

namespace fplan {

// The case's own data, kept as the case's first document (template id "sag") so that it
// syncs, merges and keeps its history by the same rules as every other document.
inline constexpr const char* CaseTemplateId = "sag";

struct Person {
    std::string id; // stable within the case ("p1", or a UUID for people added later)
    std::string name;
    std::string cpr;
    std::string relation; // mor, far, barn, plejeforælder, andet
    bool custody = false;
};

struct TeamMember {
    std::string id;
    std::string name;
    std::string fagomraade;
    std::string role;
    std::string email;
    std::string phone;
    std::string user; // account on the case store, if any
    std::string from; // YYYY-MM-DD
    std::string to;
};

struct CoordinatorChange {
    std::string id;
    std::string date; // YYYY-MM-DD
    std::string teamMemberId;
    std::string reason;
};

struct Case {
    std::string id;
    std::string title;
    std::string journalNumber;
    std::string kle;
    std::string municipality;
    std::vector<Person> people;
    std::vector<TeamMember> team;
    std::string coordinator; // team member id of the current tovholder
    std::vector<CoordinatorChange> coordinatorHistory;

    const Person* person(const std::string& id) const;
    const TeamMember* teamMember(const std::string& id) const;
};

// What the case document's fields and tables are called.
FieldKinds caseFieldKinds();
Json caseToValues(const Case& c);
Case caseFromState(const std::string& caseId, const DocumentState& state);

class Store;

// The case `caseId` as stored; Error(NotFound) "no case with id 'ID' in this store".
Case loadCase(const Store& store, const std::string& caseId);
// The case a document belongs to; Error(NotFound) when the store has no such document or case.
Case loadCaseOfDocument(const Store& store, const std::string& docId);

// The case document's tables that people edit after the case was made.
enum class CaseTable { People, Team, CoordinatorChange };

// The values that store `after`'s rows of `table` over `before`'s, for opsForValues: every row,
// with null for exactly the columns a row had in `before` and lost in `after` (opsForValues
// leaves a column it is not given alone). A column no one touched is not written. For
// CoordinatorChange: the tovholder and its history.
Json caseTableValues(const Case& before, const Case& after, CaseTable table);

} // namespace fplan
