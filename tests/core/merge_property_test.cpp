// SPDX-License-Identifier: EUPL-1.2
// Property tests of the merge rules: random concurrent edits on several devices, delivered in
// any order and any number of times, always fold to the same document.
#include "core/document.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <deque>
#include <random>

using namespace fplan;

namespace {

struct Replica {
    explicit Replica(int n)
        : factory("forfatter" + std::to_string(n), "dev" + std::to_string(n), clock)
    {
    }
    HybridClock clock;
    OpFactory factory;
    std::vector<Op> ops;
    std::set<std::string> ids;

    void add(const Op& op)
    {
        if (ids.insert(op.id).second)
            ops.push_back(op);
    }
};

Json snapshot(const DocumentState& s)
{
    Json conflicts = Json::array();
    for (const auto& c : s.conflicts())
        conflicts.push_back({ { "path", c.path }, { "values", c.values } });
    Json resurrected = Json::array();
    for (const auto& table : s.tables())
        for (const auto& row : s.rows(table))
            if (row.resurrected)
                resurrected.push_back(row.id);
    Json versions = Json::array();
    for (const auto& v : s.versions())
        versions.push_back({ { "n", v.number }, { "values", v.values } });
    return { { "values", s.values() }, { "conflicts", conflicts }, { "resurrected", resurrected },
        { "versions", versions } };
}

void randomEdit(Replica& r, std::mt19937& rng)
{
    const DocumentState state = DocumentState::fold(r.ops);
    static const std::vector<std::string> fields = { "a", "b.c", "tekst" };
    static const std::vector<std::string> words = { "mor", "far", "Alma", "skole", "job", "søvn" };
    std::uniform_int_distribution<int> pick(0, 99);
    const int what = pick(rng);
    auto word = [&] { return words[static_cast<std::size_t>(pick(rng)) % words.size()]; };
    if (what < 30) {
        const auto& f = fields[static_cast<std::size_t>(pick(rng)) % fields.size()];
        if (f == "tekst") {
            std::string base
                = state.value(f) ? state.value(f)->get<std::string>() : "en to tre fire fem seks";
            auto pos = base.find(' ', static_cast<std::size_t>(pick(rng)) % (base.size() + 1));
            base.insert(pos == std::string::npos ? base.size() : pos, " " + word());
            r.add(r.factory.set(state, "c", "d", f, base, true));
        } else {
            r.add(r.factory.set(state, "c", "d", f, word()));
        }
    } else if (what < 50) {
        const auto rows = state.rows("t");
        const std::string before = rows.empty() ? "" : rows.back().position;
        r.add(r.factory.insertRow(
            state, "c", "d", "t", "row" + std::to_string(pick(rng) % 8), positionBetween(before, "")));
    } else if (what < 80) {
        const auto rows = state.rows("t");
        if (!rows.empty()) {
            const auto& row = rows[static_cast<std::size_t>(pick(rng)) % rows.size()];
            r.add(r.factory.set(state, "c", "d", cellPath("t", row.id, "x"), word()));
        }
    } else if (what < 95) {
        const auto rows = state.rows("t");
        if (!rows.empty())
            r.add(r.factory.deleteRow(
                state, "c", "d", "t", rows[static_cast<std::size_t>(pick(rng)) % rows.size()].id));
    } else {
        r.add(r.factory.finalize(state, "c", "d"));
    }
}

} // namespace

class MergeProperty : public ::testing::TestWithParam<unsigned> { };

TEST_P(MergeProperty, AnyOrderAnyDuplicatesSameDocument)
{
    std::mt19937 rng(GetParam());
    std::deque<Replica> replicas; // stable addresses: each factory refers to its replica's clock
    for (int i = 0; i < 3; ++i)
        replicas.emplace_back(i);
    std::uniform_int_distribution<int> pick(0, 99);
    for (int step = 0; step < 120; ++step) {
        Replica& r = replicas[static_cast<std::size_t>(pick(rng)) % replicas.size()];
        if (pick(rng) < 20) {
            // Partial sync: r receives a random subset of another replica's ops (causally closed
            // subsets are not required by the fold, so deliver a random prefix).
            const Replica& other = replicas[static_cast<std::size_t>(pick(rng)) % replicas.size()];
            const std::size_t n
                = other.ops.empty() ? 0 : static_cast<std::size_t>(pick(rng)) % (other.ops.size() + 1);
            for (std::size_t i = 0; i < n; ++i)
                r.add(other.ops[i]);
        } else {
            randomEdit(r, rng);
        }
    }
    // Full sync: every replica gets every op; all must agree.
    std::vector<Op> all;
    for (auto& r : replicas)
        all.insert(all.end(), r.ops.begin(), r.ops.end());
    for (auto& r : replicas)
        for (const auto& op : all)
            r.add(op);
    const Json expected = snapshot(DocumentState::fold(replicas[0].ops));
    for (const auto& r : replicas)
        EXPECT_EQ(expected, snapshot(DocumentState::fold(r.ops)));

    // Shuffled, with duplicates: the same document.
    for (int round = 0; round < 5; ++round) {
        std::vector<Op> shuffled = all;
        shuffled.insert(shuffled.end(), all.begin(), all.begin() + static_cast<long>(all.size() / 2));
        std::shuffle(shuffled.begin(), shuffled.end(), rng);
        EXPECT_EQ(expected, snapshot(DocumentState::fold(shuffled)));
    }
}

INSTANTIATE_TEST_SUITE_P(Seeds, MergeProperty, ::testing::Range(1u, 41u));

TEST(MergePropertyConflicts, ConcurrentSameFieldEditsAlwaysHoldBothValues)
{
    std::mt19937 rng(7);
    for (int trial = 0; trial < 100; ++trial) {
        Replica a(1), b(2);
        const Op base = a.factory.set(DocumentState::fold(a.ops), "c", "d", "f", "start");
        a.add(base);
        b.add(base);
        const std::string va = "a" + std::to_string(rng() % 1000);
        const std::string vb = "b" + std::to_string(rng() % 1000);
        a.add(a.factory.set(DocumentState::fold(a.ops), "c", "d", "f", va));
        b.add(b.factory.set(DocumentState::fold(b.ops), "c", "d", "f", vb));
        std::vector<Op> all = a.ops;
        all.insert(all.end(), b.ops.begin(), b.ops.end());
        std::shuffle(all.begin(), all.end(), rng);
        const auto conflicts = DocumentState::fold(all).conflicts();
        ASSERT_EQ(1u, conflicts.size());
        std::vector<Json> values = conflicts[0].values;
        std::sort(values.begin(), values.end());
        EXPECT_EQ((std::vector<Json> { va, vb }), values);
    }
}
