// SPDX-License-Identifier: EUPL-1.2
#include "app/consent.h"

#include "core/cpr.h"

#include <algorithm>

namespace fplan::app {

namespace {

bool contains(const std::vector<std::string>& list, const std::string& item)
{
    return std::find(list.begin(), list.end(), item) != list.end();
}

std::string text(const Json& object, const char* key)
{
    if (!object.is_object())
        return {};
    const auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::vector<std::string> labels(const Json& ids, const std::function<std::string(const std::string&)>& label)
{
    std::vector<std::string> out;
    if (ids.is_array())
        for (const auto& id : ids)
            if (id.is_string())
                out.push_back(label(id.get<std::string>()));
    return out;
}

const Json& rows(const Json& values, const char* table)
{
    static const Json none = Json::array();
    const auto it = values.find(table);
    return it != values.end() && it->is_array() ? *it : none;
}

// Whole years from a YYYY-MM-DD birth date to a YYYY-MM-DD date (dates compare as text).
int ageOn(const std::string& birthDate, const std::string& date)
{
    const int years = std::stoi(date.substr(0, 4)) - std::stoi(birthDate.substr(0, 4));
    return date.substr(5) < birthDate.substr(5) ? years - 1 : years;
}

bool onDuty(const TeamMember& t, const std::string& date)
{
    return (t.from.empty() || t.from <= date) && (t.to.empty() || date <= t.to);
}

// A withdrawal of `record` that stops `fagomraade` on `date`, if any (the earliest).
const ConsentRecord::Withdrawal* withdrawalOf(
    const ConsentRecord& record, const std::string& fagomraade, const std::string& date)
{
    const ConsentRecord::Withdrawal* found = nullptr;
    for (const auto& w : record.withdrawals)
        if (!w.date.empty() && w.date <= date && (w.whole || contains(w.fagomraader, fagomraade))
            && (!found || w.date < found->date))
            found = &w;
    return found;
}

// Whether the record is in force on the date at all (in its period, not wholly withdrawn).
bool inForce(const ConsentRecord& record, const std::string& date)
{
    if (record.from.empty() || date < record.from || (!record.to.empty() && date > record.to))
        return false;
    return std::none_of(record.withdrawals.begin(), record.withdrawals.end(),
        [&](const auto& w) { return w.whole && !w.date.empty() && w.date <= date; });
}

} // namespace

const ConsentGap* ConsentStatus::gapOf(const std::string& teamMemberId) const
{
    for (const auto& g : gaps)
        if (g.teamMemberId == teamMemberId)
            return &g;
    return nullptr;
}

ConsentRecord consentRecord(const std::string& docId, int version, const Json& finalised, const Json& draft,
    const std::function<std::string(const std::string&)>& choiceLabel)
{
    ConsentRecord r;
    r.docId = docId;
    r.version = version;
    r.fagomraader = labels(finalised.value("udveksling.fagomraader", Json::array()), choiceLabel);
    for (const auto& row : rows(finalised, "udveksling.fagpersoner"))
        if (auto id = text(row, "fagperson"); !id.empty())
            r.namedTeamMembers.push_back(std::move(id));
    for (const auto& row : rows(finalised, "hvem.giver"))
        if (auto id = text(row, "person"); !id.empty())
            r.consentingPeople.push_back(std::move(id));
    r.from = text(finalised, "gyldighed.fra");
    r.to = text(finalised, "gyldighed.til");
    for (const auto& row : rows(draft, "tilbagekaldelse.tilbagekald")) {
        ConsentRecord::Withdrawal w;
        w.date = text(row, "dato");
        w.personId = text(row, "hvem");
        w.whole = text(row, "omfang") != "fagomraader"; // unclear scope: the whole consent
        w.fagomraader = labels(row.value("fagomraader", Json::array()), choiceLabel);
        r.withdrawals.push_back(std::move(w));
    }
    return r;
}

ConsentStatus evaluateConsent(const std::vector<ConsentRecord>& records, const Case& kase,
    const std::vector<TeamMember>& team, const std::string& date)
{
    ConsentStatus status;
    status.date = date;
    for (const auto& r : records)
        status.documents.push_back(r.docId);
    for (const auto& t : team) {
        if (!onDuty(t, date))
            continue;
        ConsentGap best { t.id, t.name, t.fagomraade, ConsentGapKind::NoConsent, {} };
        bool covered = false;
        for (const auto& r : records) {
            ConsentGap gap { t.id, t.name, t.fagomraade, ConsentGapKind::NotNamed, {} };
            if (const auto* w = withdrawalOf(r, t.fagomraade, date)) {
                gap.kind = ConsentGapKind::Withdrawn;
                gap.date = w->date;
            } else if (!r.to.empty() && date > r.to) {
                gap.kind = ConsentGapKind::Expired;
                gap.date = r.to;
            } else if (r.from.empty() || date < r.from) {
                gap.kind = ConsentGapKind::NotYetValid;
                gap.date = r.from;
            } else if (contains(r.fagomraader, t.fagomraade)
                && (r.namedTeamMembers.empty() || contains(r.namedTeamMembers, t.id))) {
                covered = true;
                if (r.to > status.validUntil)
                    status.validUntil = r.to;
                break;
            }
            if (gap.kind < best.kind)
                best = gap;
        }
        if (!covered)
            status.gaps.push_back(std::move(best));
    }
    // Who must have consented: everyone with custody, and the young who have turned 15.
    std::vector<std::string> consenting;
    for (const auto& r : records)
        if (inForce(r, date))
            consenting.insert(consenting.end(), r.consentingPeople.begin(), r.consentingPeople.end());
    for (const auto& p : kase.people) {
        if (contains(consenting, p.id))
            continue;
        const auto cpr = checkCpr(p.cpr);
        const bool young = !p.custody && cpr.valid && ageOn(cpr.birthDate, date) >= 15
            && ageOn(cpr.birthDate, date) < 18 && p.relation == "barn";
        if (p.custody || young)
            status.missing.push_back({ p.id, p.name, p.custody });
    }
    return status;
}

std::string describe(const ConsentGap& gap)
{
    const std::string who = gap.name + " (" + gap.fagomraade + "): ";
    switch (gap.kind) {
    case ConsentGapKind::Withdrawn:
        return who + "the consent for this discipline was withdrawn on " + gap.date;
    case ConsentGapKind::Expired:
        return who + "the consent ended on " + gap.date;
    case ConsentGapKind::NotYetValid:
        return who + "the consent is valid only from " + gap.date;
    case ConsentGapKind::NotNamed:
        return who + "the consent does not name this discipline or professional";
    case ConsentGapKind::NoConsent:
        break;
    }
    return who + "no finalised consent in the case";
}

std::string describe(const MissingConsenter& missing)
{
    return missing.name + (missing.custody ? " (custody holder)" : " (15 years or older)")
        + " has not given consent";
}

Json toJson(const ConsentStatus& status)
{
    static const char* const kinds[] = { "withdrawn", "expired", "not_yet_valid", "not_named", "no_consent" };
    Json gaps = Json::array();
    for (const auto& g : status.gaps)
        gaps.push_back(
            { { "team_member", g.teamMemberId }, { "name", g.name }, { "fagomraade", g.fagomraade },
                { "reason", kinds[static_cast<int>(g.kind)] }, { "date", g.date }, { "text", describe(g) } });
    Json missing = Json::array();
    for (const auto& m : status.missing)
        missing.push_back({ { "person", m.personId }, { "name", m.name }, { "custody", m.custody },
            { "text", describe(m) } });
    return { { "date", status.date }, { "covered", status.covered() }, { "documents", status.documents },
        { "valid_until", status.validUntil }, { "gaps", std::move(gaps) },
        { "missing", std::move(missing) } };
}

} // namespace fplan::app
