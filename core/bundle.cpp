// SPDX-License-Identifier: EUPL-1.2
#include "core/bundle.h"

#include "base/error.h"
#include "base/json_input.h"
#include "base/limits.h"
#include "base/suggest.h"
#include "base/text_rules.h"
#include "core/cpr.h"

#include <algorithm>
#include <ctime>
#include <regex>
#include <set>

namespace fplan {

namespace {

class BundleReader {
public:
    explicit BundleReader(std::string origin)
        : m_origin(std::move(origin))
    {
    }

    [[noreturn]] void fail(const std::string& path, const std::string& why) const
    {
        throw Error(ErrorCode::BadInput, m_origin + ": " + path + ": " + why);
    }

    const Json& object(const Json& parent, const std::string& path, const char* key, bool required)
    {
        static const Json missing;
        if (!parent.contains(key)) {
            if (required)
                fail(path, std::string("missing required member '") + key + "'");
            return missing;
        }
        const Json& v = parent.at(key);
        if (!v.is_object())
            fail(path + "." + key, "must be an object");
        return v;
    }

    std::string text(const Json& parent, const std::string& path, const char* key, bool required)
    {
        if (!parent.contains(key) || parent.at(key).is_null()) {
            if (required)
                fail(path, std::string("missing required member '") + key + "'");
            return {};
        }
        const Json& v = parent.at(key);
        if (!v.is_string())
            fail(path + "." + key, "must be a string");
        std::string s = v.get<std::string>();
        if (const auto why = textProblem(s, false); !why.empty())
            fail(path + "." + key, why);
        if (required && s.find_first_not_of(" \t\r\n") == std::string::npos)
            fail(path + "." + key, "must not be empty");
        return s;
    }

    bool boolean(const Json& parent, const std::string& path, const char* key)
    {
        if (!parent.contains(key) || parent.at(key).is_null())
            return false;
        if (!parent.at(key).is_boolean())
            fail(path + "." + key, "must be true or false");
        return parent.at(key).get<bool>();
    }

    std::string date(const Json& parent, const std::string& path, const char* key, bool required)
    {
        std::string s = text(parent, path, key, required);
        if (s.empty())
            return s;
        static const std::regex shape("^\\d{4}-\\d{2}-\\d{2}$");
        std::tm tm {};
        if (!std::regex_match(s, shape))
            fail(path + "." + key, "'" + s + "' is not a date (YYYY-MM-DD)");
        tm.tm_year = std::stoi(s.substr(0, 4)) - 1900;
        tm.tm_mon = std::stoi(s.substr(5, 2)) - 1;
        tm.tm_mday = std::stoi(s.substr(8, 2));
        std::tm check = tm;
        timegm(&check);
        if (check.tm_mday != tm.tm_mday || check.tm_mon != tm.tm_mon)
            fail(path + "." + key, "'" + s + "' is not a real date");
        return s;
    }

    std::string id(const Json& parent, const std::string& path)
    {
        std::string s = text(parent, path, "id", true);
        if (s.find_first_of("[]. ") != std::string::npos)
            fail(path + ".id", "'" + s + "' may not contain spaces, dots or brackets");
        if (!m_ids.insert(s).second)
            fail(path + ".id", "duplicate id '" + s + "'");
        return s;
    }

    const Json& array(const Json& parent, const std::string& path, const char* key, std::size_t limit)
    {
        static const Json empty = Json::array();
        if (!parent.contains(key) || parent.at(key).is_null())
            return empty;
        if (!parent.at(key).is_array())
            fail(path + "." + key, "must be an array");
        if (parent.at(key).size() > limit)
            fail(path + "." + key,
                "has " + std::to_string(parent.at(key).size()) + " entries; the limit is "
                    + std::to_string(limit));
        return parent.at(key);
    }

    // Unknown members are errors: a typo such as "custodi" must not silently drop a parent's custody.
    void members(const Json& object, const std::string& path, const std::vector<std::string>& known)
    {
        for (const auto& [key, value] : object.items()) {
            if (std::find(known.begin(), known.end(), key) != known.end())
                continue;
            const std::string close = closestName(key, known);
            fail(path + "." + printable(key),
                "unknown member '" + printable(key) + "'"
                    + (close.empty() ? "" : " (did you mean '" + close + "'?)"));
        }
    }

    // A key as it may appear in a message: control characters shown as \xHH.
    static std::string printable(const std::string& key)
    {
        std::string out;
        for (unsigned char c : key.substr(0, 64)) {
            if (c < 0x20 || c == 0x7f) {
                static const char digits[] = "0123456789abcdef";
                out += "\\x";
                out += digits[c >> 4];
                out += digits[c & 15];
            } else {
                out += static_cast<char>(c);
            }
        }
        return out;
    }

private:
    std::string m_origin;
    std::set<std::string> m_ids;
};

} // namespace

Bundle parseBundle(const std::string& text, const std::string& origin)
{
    const Json root = parseJsonInput(text, origin);
    BundleReader r(origin);
    if (!root.is_object())
        r.fail("$", "a bundle is a JSON object");
    r.members(root, "$", { "case", "people", "team", "coordinator", "coordinator_history", "documents" });

    Bundle b;
    Case& c = b.kase;
    const Json& kase = r.object(root, "$", "case", true);
    r.members(kase, "$.case", { "title", "journal_number", "kle", "municipality" });
    c.title = r.text(kase, "$.case", "title", true);
    c.journalNumber = r.text(kase, "$.case", "journal_number", false);
    c.kle = r.text(kase, "$.case", "kle", false);
    c.municipality = r.text(kase, "$.case", "municipality", false);

    const Json& people = r.array(root, "$", "people", limits::BundlePeople);
    for (std::size_t i = 0; i < people.size(); ++i) {
        const std::string path = "$.people[" + std::to_string(i) + "]";
        const Json& p = people[i];
        if (!p.is_object())
            r.fail(path, "must be an object");
        r.members(p, path, { "id", "name", "cpr", "relation", "custody" });
        Person person;
        person.id = r.id(p, path);
        person.name = r.text(p, path, "name", true);
        person.cpr = r.text(p, path, "cpr", false);
        if (!person.cpr.empty()) {
            const CprCheck check = checkCpr(person.cpr);
            if (!check.valid)
                r.fail(path + ".cpr", check.reason);
            person.cpr = *normaliseCpr(person.cpr);
        }
        person.relation = r.text(p, path, "relation", false);
        person.custody = r.boolean(p, path, "custody");
        c.people.push_back(std::move(person));
    }

    const Json& team = r.array(root, "$", "team", limits::BundleTeam);
    for (std::size_t i = 0; i < team.size(); ++i) {
        const std::string path = "$.team[" + std::to_string(i) + "]";
        const Json& t = team[i];
        if (!t.is_object())
            r.fail(path, "must be an object");
        r.members(t, path, { "id", "name", "fagomraade", "role", "email", "phone", "user", "from", "to" });
        TeamMember m;
        m.id = r.id(t, path);
        m.name = r.text(t, path, "name", true);
        m.fagomraade = r.text(t, path, "fagomraade", false);
        m.role = r.text(t, path, "role", false);
        m.email = r.text(t, path, "email", false);
        m.phone = r.text(t, path, "phone", false);
        m.user = r.text(t, path, "user", false);
        m.from = r.date(t, path, "from", false);
        m.to = r.date(t, path, "to", false);
        c.team.push_back(std::move(m));
    }

    c.coordinator = r.text(root, "$", "coordinator", false);
    if (!c.coordinator.empty() && !c.teamMember(c.coordinator))
        r.fail("$.coordinator", "'" + c.coordinator + "' is not the id of a team member");

    const Json& history = r.array(root, "$", "coordinator_history", limits::BundleTeam);
    for (std::size_t i = 0; i < history.size(); ++i) {
        const std::string path = "$.coordinator_history[" + std::to_string(i) + "]";
        const Json& h = history[i];
        if (!h.is_object())
            r.fail(path, "must be an object");
        r.members(h, path, { "date", "team_member", "reason" });
        CoordinatorChange change;
        change.id = "h" + std::to_string(i + 1);
        change.date = r.date(h, path, "date", true);
        change.teamMemberId = r.text(h, path, "team_member", true);
        if (!c.teamMember(change.teamMemberId))
            r.fail(path + ".team_member", "'" + change.teamMemberId + "' is not the id of a team member");
        change.reason = r.text(h, path, "reason", false);
        c.coordinatorHistory.push_back(std::move(change));
    }
    if (c.coordinatorHistory.empty() && !c.coordinator.empty())
        c.coordinatorHistory.push_back(
            { "h1", localDateToday(), c.coordinator, "Valgt ved oprettelse af sagen" });

    const Json& docs = r.array(root, "$", "documents", limits::BundleDocuments);
    for (std::size_t i = 0; i < docs.size(); ++i) {
        const std::string path = "$.documents[" + std::to_string(i) + "]";
        const Json& d = docs[i];
        if (!d.is_object())
            r.fail(path, "must be an object");
        r.members(d, path, { "template", "values" });
        BundleDocument doc;
        doc.templateId = r.text(d, path, "template", true);
        doc.values = d.contains("values") ? d.at("values") : Json::object();
        if (!doc.values.is_object())
            r.fail(path + ".values", "must be an object keyed by field path");
        doc.jsonPath = path;
        b.documents.push_back(std::move(doc));
    }
    return b;
}

Json bundleToJson(const Bundle& bundle)
{
    const Case& c = bundle.kase;
    auto put = [](Json& j, const char* key, const std::string& v) {
        if (!v.empty())
            j[key] = v;
    };
    Json root = Json::object();
    Json kase = { { "title", c.title } };
    put(kase, "journal_number", c.journalNumber);
    put(kase, "kle", c.kle);
    put(kase, "municipality", c.municipality);
    root["case"] = std::move(kase);
    root["people"] = Json::array();
    for (const auto& p : c.people) {
        Json j = { { "id", p.id }, { "name", p.name }, { "custody", p.custody } };
        put(j, "cpr", p.cpr);
        put(j, "relation", p.relation);
        root["people"].push_back(std::move(j));
    }
    root["team"] = Json::array();
    for (const auto& t : c.team) {
        Json j = { { "id", t.id }, { "name", t.name } };
        put(j, "fagomraade", t.fagomraade);
        put(j, "role", t.role);
        put(j, "email", t.email);
        put(j, "phone", t.phone);
        put(j, "user", t.user);
        put(j, "from", t.from);
        put(j, "to", t.to);
        root["team"].push_back(std::move(j));
    }
    put(root, "coordinator", c.coordinator);
    root["coordinator_history"] = Json::array();
    for (const auto& h : c.coordinatorHistory) {
        Json j = { { "date", h.date }, { "team_member", h.teamMemberId } };
        put(j, "reason", h.reason);
        root["coordinator_history"].push_back(std::move(j));
    }
    root["documents"] = Json::array();
    for (const auto& d : bundle.documents)
        root["documents"].push_back({ { "template", d.templateId }, { "values", d.values } });
    return root;
}

} // namespace fplan

#include "core/store.h"
#include "crypto/random.h"

namespace fplan {

std::string importBundle(
    Store& store, const Bundle& bundle, OpFactory& factory, const PrepareDocument& prepare)
{
    std::vector<PreparedDocument> prepared;
    for (const auto& doc : bundle.documents)
        prepared.push_back(prepare(doc, bundle.kase));

    const std::string caseId = crypto::newUuid();
    const std::string caseDocId = crypto::newUuid();
    store.transaction([&] {
        store.createCase(caseId, caseDocId, factory.author());
        const DocumentState empty;
        store.appendOps(
            opsForValues(empty, caseToValues(bundle.kase), caseFieldKinds(), factory, caseId, caseDocId));
        for (std::size_t i = 0; i < bundle.documents.size(); ++i) {
            const std::string docId = crypto::newUuid();
            if (!prepared[i].templateHash.empty())
                store.putTemplate(prepared[i].templateHash, bundle.documents[i].templateId,
                    prepared[i].templateVersion, prepared[i].templateText);
            store.createDocument({ docId, caseId, bundle.documents[i].templateId, prepared[i].templateVersion,
                                     0, prepared[i].templateHash },
                factory.author());
            store.appendOps(
                opsForValues(empty, bundle.documents[i].values, prepared[i].kinds, factory, caseId, docId));
        }
    });
    return caseId;
}

Bundle exportBundle(const Store& store, const std::string& caseId)
{
    const auto caseDocId = store.caseDocumentId(caseId);
    if (!caseDocId)
        throw Error(ErrorCode::NotFound, "no case with id '" + caseId + "' in this store");
    Bundle bundle;
    bundle.kase = caseFromState(caseId, store.documentState(*caseDocId));
    for (const auto& info : store.documents(caseId))
        bundle.documents.push_back({ info.templateId, store.documentState(info.id).values(), "" });
    return bundle;
}

} // namespace fplan
