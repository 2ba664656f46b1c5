// SPDX-License-Identifier: EUPL-1.2
// Property test over 3-5 replicas and every op kind: creation, set (plain and text-merged),
// row inserts, moves and deletes, finalise, revise and seeding. Random edits, exchanged in
// random orders, duplicated and partial; in the end every replica shows the same documents and
// no version ever changed its number. Along the way, a document restored from a snapshot of
// some of its ops with the others applied after it equals the fold of all of them.
#include "core/document.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <span>

using namespace fplan;

namespace {

const std::vector<std::string> Docs = { "plan", "follow" };

struct Replica {
    Replica(int n)
        : factory("forfatter" + std::to_string(n), "dev" + std::to_string(n % 2), clock)
    {
    }
    HybridClock clock;
    OpFactory factory; // device ids repeat on purpose: nothing may depend on them being unique
    std::map<std::string, std::vector<Op>> ops; // by doc
    std::set<std::string> ids;
    bool add(const Op& op)
    {
        if (!ids.insert(op.id).second)
            return false;
        ops[op.docId].push_back(op);
        return true;
    }
    DocumentState state(const std::string& doc) const
    {
        const auto it = ops.find(doc);
        return it == ops.end() ? DocumentState() : DocumentState::fold(it->second);
    }
};

FieldKinds kinds()
{
    FieldKinds k;
    k.tables = { "t" };
    k.mergeableText = { "tekst", "t.x" };
    return k;
}

Json snapshot(const DocumentState& s)
{
    Json conflicts = Json::array();
    for (const auto& c : s.conflicts())
        conflicts.push_back({ { "path", c.path }, { "values", c.values }, { "ops", c.opIds } });
    Json resurrected = Json::array();
    for (const auto& table : s.tables())
        for (const auto& row : s.rows(table))
            if (row.resurrected)
                resurrected.push_back({ { "path", table }, { "row", row.id } });
    Json versions = Json::array();
    for (const auto& v : s.versions())
        versions.push_back(
            { { "version", v.number }, { "id", v.opId }, { "by", v.author }, { "values", v.values } });
    Json skipped = Json::array();
    for (const auto& k : s.skipped())
        skipped.push_back({ k.opId, k.reason });
    Json changed = Json::array();
    for (const auto& v : s.versions())
        changed.push_back(s.changedSince(v));
    Json heads = Json::object();
    for (const auto& path : { "a", "b.c", "tekst" })
        heads[path] = s.heads(path);
    return { { "created", s.creation() ? s.creation()->id : "" }, { "values", s.values() },
        { "conflicts", conflicts }, { "resurrected", resurrected }, { "versions", versions },
        { "skipped", skipped }, { "seen", s.seenMarker() }, { "frontier", s.frontier() },
        { "changed_since", changed }, { "heads", heads }, { "max_hlc", s.maxHlc() },
        { "op_count", s.opCount() } };
}

// The store's way of opening a document: a snapshot of the fold of the ops stored up to some
// point, restored, then the ops after it (in the order they arrived, often out of causal
// order) applied; and again from a snapshot of that.
DocumentState restoredFold(const std::vector<Op>& ops, std::size_t cut, std::size_t secondCut)
{
    const std::span<const Op> all(ops);
    DocumentState state = DocumentState::restore(DocumentState::fold(all.first(cut)).snapshot());
    for (std::size_t i = cut; i < secondCut; ++i)
        state.apply(ops[i]);
    DocumentState again = DocumentState::restore(state.snapshot());
    for (std::size_t i = secondCut; i < ops.size(); ++i)
        again.apply(ops[i]);
    return again;
}

void randomEdit(Replica& r, std::mt19937& rng, std::vector<Op>& made)
{
    std::uniform_int_distribution<int> pick(0, 99);
    const std::string doc = Docs[static_cast<std::size_t>(pick(rng)) % Docs.size()];
    DocumentState state = r.state(doc);
    static const std::vector<std::string> words = { "mor", "far", "Alma", "skole", "job", "søvn" };
    auto word = [&] { return words[static_cast<std::size_t>(pick(rng)) % words.size()]; };
    std::vector<Op> ops;
    const int what = pick(rng);
    if (!state.creation() || what < 4) {
        Op create = r.factory.create("c", doc, "skabelon", "1", "");
        const DocumentState plan = r.state("plan");
        if (const Version* v = plan.latestVersion(); v && doc == "follow")
            create.value["seeded_from"] = Json::array({ v->opId });
        ops.push_back(create);
    } else if (what < 25) {
        ops.push_back(r.factory.set(state, "c", doc, pick(rng) % 2 ? "a" : "b.c", word()));
    } else if (what < 35) {
        std::string text = state.value("tekst") ? state.value("tekst")->get<std::string>() : "en to tre fire";
        const auto space = text.find(' ', static_cast<std::size_t>(pick(rng)) % text.size());
        text.insert(space == std::string::npos ? text.size() : space, " " + word());
        ops.push_back(r.factory.set(state, "c", doc, "tekst", text, true));
    } else if (what < 75) {
        // A table edit through opsForValues: add, change, move, delete rows.
        Json rows = state.values().value("t", Json::array());
        const int how = pick(rng) % 4;
        if (how == 0 || rows.empty())
            rows.insert(rows.begin() + (rows.empty() ? 0 : pick(rng) % static_cast<int>(rows.size() + 1)),
                Json { { "@id", "r" + std::to_string(pick(rng) % 12) }, { "x", word() } });
        else if (how == 1)
            rows[static_cast<std::size_t>(pick(rng)) % rows.size()]["x"] = word();
        else if (how == 2 && rows.size() > 1)
            std::swap(rows[0], rows[rows.size() - 1]);
        else
            rows.erase(rows.begin() + pick(rng) % static_cast<int>(rows.size()));
        std::set<std::string> ids;
        Json unique = Json::array();
        for (const auto& row : rows)
            if (ids.insert(row.at("@id").get<std::string>()).second)
                unique.push_back(row);
        ops = opsForValues(state, Json { { "t", unique } }, kinds(), r.factory, "c", doc);
    } else if (what < 77) {
        Op future = r.factory.set(state, "c", doc, "a", "fra en nyere version");
        future.format = CurrentOpFormat + 1; // kept and skipped, on every replica alike
        ops.push_back(future);
    } else if (what < 85) {
        if (state.conflicts().empty())
            ops.push_back(r.factory.finalize(state, "c", doc));
    } else if (what < 92) {
        // Revise: the draft back to the latest version's values.
        if (const Version* v = state.latestVersion()) {
            Json target = v->values;
            const Json draft = state.values();
            for (const auto& [path, value] : draft.items())
                if (!target.contains(path))
                    target[path] = value.is_array() ? Json::array() : Json();
            ops = opsForValues(state, target, kinds(), r.factory, "c", doc);
        }
    } else {
        // Seeding: the follow-up's table from the plan's latest version.
        const DocumentState plan = r.state("plan");
        if (const Version* v = plan.latestVersion(); v && doc == "follow" && v->values.contains("t"))
            ops = opsForValues(state, Json { { "t", v->values.at("t") } }, kinds(), r.factory, "c", doc);
    }
    for (const auto& op : ops) {
        r.add(op);
        made.push_back(op);
    }
}

} // namespace

class ReplicaProperty : public ::testing::TestWithParam<int> { };

TEST_P(ReplicaProperty, EveryReplicaAgreesAndVersionsKeepTheirNumbers)
{
    std::mt19937 rng(static_cast<unsigned>(GetParam()));
    const int count = 3 + GetParam() % 3;
    std::vector<Replica> replicas;
    replicas.reserve(static_cast<std::size_t>(count)); // a factory holds its replica's clock: never moved
    for (int i = 0; i < count; ++i)
        replicas.emplace_back(i);
    std::vector<Op> made;
    std::map<std::string, int> numbers; // version id -> the number it was first seen with
    auto checkNumbers = [&](const Replica& r) {
        for (const auto& doc : Docs) {
            const DocumentState state = r.state(doc);
            for (const auto& v : state.versions()) {
                const auto [it, fresh] = numbers.emplace(v.opId, v.number);
                ASSERT_EQ(it->second, v.number) << "version " << v.opId << " changed its number";
            }
        }
    };
    std::uniform_int_distribution<int> pick(0, 999);
    std::mt19937 cutRng(static_cast<unsigned>(GetParam())); // its own: the edits stay as they were
    auto checkSnapshots = [&](const Replica& r) {
        for (const auto& [doc, ops] : r.ops) {
            const std::size_t cut = static_cast<std::size_t>(pick(cutRng)) % (ops.size() + 1);
            const std::size_t second = cut + static_cast<std::size_t>(pick(cutRng)) % (ops.size() - cut + 1);
            ASSERT_EQ(snapshot(DocumentState::fold(ops)), snapshot(restoredFold(ops, cut, second)))
                << doc << " restored from ops " << cut << " and " << second << " of " << ops.size();
        }
    };
    for (int step = 0; step < 120; ++step) {
        Replica& r = replicas[static_cast<std::size_t>(pick(rng)) % replicas.size()];
        randomEdit(r, rng, made);
        if (pick(rng) % 3 == 0) {
            // Partial, shuffled, duplicated delivery from one replica to another.
            const Replica& from = replicas[static_cast<std::size_t>(pick(rng)) % replicas.size()];
            Replica& to = replicas[static_cast<std::size_t>(pick(rng)) % replicas.size()];
            std::vector<Op> batch;
            for (const auto& [doc, ops] : from.ops)
                for (const auto& op : ops)
                    if (pick(rng) % 2)
                        batch.push_back(op);
            std::shuffle(batch.begin(), batch.end(), rng);
            if (!batch.empty())
                batch.push_back(batch.front());
            for (const auto& op : batch)
                to.add(op);
            checkNumbers(to);
            checkSnapshots(to);
        }
    }
    // Everything to everyone, each in its own random order.
    for (auto& r : replicas) {
        std::vector<Op> all = made;
        std::shuffle(all.begin(), all.end(), rng);
        for (const auto& op : all)
            r.add(op);
        checkNumbers(r);
    }
    for (const auto& doc : Docs) {
        const Json expected = snapshot(replicas[0].state(doc));
        for (std::size_t i = 1; i < replicas.size(); ++i)
            EXPECT_EQ(expected, snapshot(replicas[i].state(doc))) << doc << " on replica " << i;
        // A fold of the ops in another order gives the same, too.
        std::vector<Op> reversed = replicas[0].ops[doc];
        std::reverse(reversed.begin(), reversed.end());
        EXPECT_EQ(expected, snapshot(DocumentState::fold(reversed)));
        // And so does a snapshot of some of them with the rest applied after it, on every replica.
        for (const auto& r : replicas) {
            const auto& ops = r.ops.at(doc);
            for (const std::size_t cut : { std::size_t { 0 }, ops.size() / 3, ops.size() / 2, ops.size() })
                EXPECT_EQ(expected, snapshot(restoredFold(ops, cut, (cut + ops.size()) / 2)))
                    << doc << " restored from " << cut << " of " << ops.size();
        }
    }
    EXPECT_FALSE(numbers.empty()) << "the run finalised nothing";
}

INSTANTIATE_TEST_SUITE_P(Seeds, ReplicaProperty, ::testing::Range(1, 31));
