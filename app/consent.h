// SPDX-License-Identifier: EUPL-1.2
#pragma once

// The consent gate: does the family's consent (documents of the `samtykke` template) cover the
// team on a date? One rule, used by the case overview, by a team change, by filing and sending,
// on the desktop and on the command line alike.

#include "core/case.h"
#include "core/op.h"

#include <functional>
#include <string>
#include <vector>

namespace fplan::app {

inline constexpr const char* ConsentTemplateId = "samtykke";

// One consent document as the gate reads it: what was granted from its latest finalised version
// (a draft grants nothing), and the withdrawals as they are written now, finalised or not (a
// withdrawal counts from the moment it is recorded).
struct ConsentRecord {
    std::string docId;
    int version = 0; // the finalised version the grant comes from
    std::vector<std::string> fagomraader; // the disciplines' labels, as team members carry them
    std::vector<std::string> namedTeamMembers; // when not empty, only these may exchange
    std::vector<std::string> consentingPeople; // person ids of who gave consent
    std::string from; // YYYY-MM-DD
    std::string to; // YYYY-MM-DD; empty: no end written
    struct Withdrawal {
        std::string date;
        std::string personId;
        bool whole = false; // the whole consent, else `fagomraader`
        std::vector<std::string> fagomraader;
    };
    std::vector<Withdrawal> withdrawals;
};

// Why a team member is not covered on the date (the first that applies over all documents, in
// the order: withdrawn, expired, not yet valid, discipline or person not named, no consent).
enum class ConsentGapKind { Withdrawn, Expired, NotYetValid, NotNamed, NoConsent };

struct ConsentGap {
    std::string teamMemberId;
    std::string name;
    std::string fagomraade;
    ConsentGapKind kind = ConsentGapKind::NoConsent;
    std::string date; // Withdrawn: since; Expired: the last valid day; NotYetValid: the first
};

// Someone whose consent the law asks for and whom no valid consent names: a custody holder,
// or a young person who has turned 15 on the date (from the CPR number's birth date).
struct MissingConsenter {
    std::string personId;
    std::string name;
    bool custody = false; // else: a young person of 15 or more
};

struct ConsentStatus {
    std::string date;
    std::vector<std::string> documents; // consent documents with a finalised version
    std::vector<ConsentGap> gaps; // team members on the date that no valid consent covers
    std::vector<MissingConsenter> missing;
    std::string validUntil; // the latest end date of a consent that covers someone; "" if none

    bool covered() const { return !documents.empty() && gaps.empty() && missing.empty(); }
    const ConsentGap* gapOf(const std::string& teamMemberId) const;
};

// The gate itself: `team` is the team to judge (the case's, or the case's after a change);
// team members whose period (from/to) does not include `date` are not judged.
ConsentStatus evaluateConsent(const std::vector<ConsentRecord>& records, const Case& kase,
    const std::vector<TeamMember>& team, const std::string& date);

// A consent document's values (its latest finalised version, and the draft for withdrawals)
// as the gate reads them; `choiceLabel` turns a discipline choice id into its label.
ConsentRecord consentRecord(const std::string& docId, int version, const Json& finalised, const Json& draft,
    const std::function<std::string(const std::string&)>& choiceLabel);

// One line in English for the command line and logs: "Mette Skov (Beskæftigelse): ...".
std::string describe(const ConsentGap& gap);
std::string describe(const MissingConsenter& missing);
Json toJson(const ConsentStatus& status);

} // namespace fplan::app
