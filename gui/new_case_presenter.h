// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include "core/case.h"
#include "core/store.h"

#include <string>
#include <vector>

namespace fplan::gui {

struct PersonDraft {
    std::string name;
    std::string cpr;
    std::string relation = "barn";
    bool custody = false;
};

struct TeamMemberDraft {
    std::string name;
    std::string fagomraade;
    std::string role;
    std::string email;
    std::string phone;
};

// What is wrong with one family member or team member (number counts from 1, for a nameless one);
// shared by "Ny sag" and the case overview, where people are added and changed later.
std::vector<std::string> personProblems(const PersonDraft& person, std::size_t number);
std::vector<std::string> teamMemberProblems(const TeamMemberDraft& member, std::size_t number);
// The stored form of a draft: names trimmed, CPR as ten digits.
Person personFromDraft(const PersonDraft& person, std::string id);
void applyDraft(TeamMember& member, const TeamMemberDraft& draft);

// The "Ny sag" dialog's logic: what the caseworker typed, what is wrong with it, and the case
// it becomes (through core's bundle import, so a new case is stored exactly like an imported one).
class NewCasePresenter {
public:
    std::string title;
    std::string journalNumber;
    std::string kle;
    std::vector<PersonDraft> people;
    std::vector<TeamMemberDraft> team;
    int coordinator = -1; // index into team

    static const std::vector<std::string>& relations();
    static const std::vector<std::string>& fagomraader();

    // Every problem, each naming the field, in the order of the dialog; empty when it can be saved.
    std::vector<std::string> problems() const;
    Case toCase(const std::string& today) const;
    // Stores the case and returns its id; throws Error(BadInput) with the problems if any.
    std::string create(Store& store, const std::string& author, const std::string& today) const;
};

} // namespace fplan::gui
