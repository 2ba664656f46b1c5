// SPDX-License-Identifier: EUPL-1.2
// A plan edited for years: open and fold a document of 1,000 / 10,000 / 100,000 ops, and append
// one op to it. The reference, measured in the same run on the same file, is reading the same
// rows without folding them (open) and one plain INSERT transaction (append). The first open
// folds every op and writes the document's snapshot; later opens restore the snapshot and fold
// the ops after it (the median of those is "open").
#include "core/sql.h"
#include "core/store.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <unistd.h>
#include <vector>

using namespace fplan;
using Clock = std::chrono::steady_clock;

namespace {

double msSince(Clock::time_point start)
{
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

double quantile(std::vector<double> v, double q)
{
    std::sort(v.begin(), v.end());
    return v[static_cast<std::size_t>(q * static_cast<double>(v.size() - 1))];
}

// Years of editing: 60 fields, a 40-row table whose cells change, rows added, moved, deleted,
// a long text edited often, and a version now and then.
void fillDocument(Store& store, const std::string& caseId, const std::string& docId, int count)
{
    OpFactory factory("bench", store.deviceId(), store.clock());
    DocumentState state = store.documentState(docId);
    std::mt19937 rng(7);
    std::vector<Op> batch;
    // The live rows (id, position) in order, kept here: asking the state each time would make
    // filling the document, which is not what is measured, quadratic.
    std::vector<std::pair<std::string, std::string>> rows;
    int made = 0;
    auto add = [&](Op op) {
        state.apply(op);
        batch.push_back(std::move(op));
        ++made;
    };
    while (made < count) {
        const int what = static_cast<int>(rng() % 100);
        if (what < 45) {
            add(factory.set(state, caseId, docId,
                "afsnit" + std::to_string(rng() % 12) + ".felt" + std::to_string(rng() % 5),
                "værdi " + std::to_string(rng())));
        } else if (what < 55) {
            add(factory.set(state, caseId, docId, "bemaerkninger.tekst",
                "Familien fortæller om ugen, og aftalerne følges op. " + std::to_string(made), true));
        } else if (what < 85) {
            if (rows.size() < 40) {
                const std::string id = "r" + std::to_string(made);
                const std::string position
                    = factory.positionBetween(rows.empty() ? "" : rows.back().second, "");
                add(factory.insertRow(state, caseId, docId, "indsatser", id, position));
                rows.emplace_back(id, position);
            } else {
                const auto& row = rows[rng() % rows.size()];
                add(factory.set(state, caseId, docId, cellPath("indsatser", row.first, "status"),
                    "i_gang " + std::to_string(made)));
            }
        } else if (what < 95) {
            if (rows.size() > 30) {
                const auto gone = rows.begin() + static_cast<std::ptrdiff_t>(rng() % rows.size());
                add(factory.deleteRow(state, caseId, docId, "indsatser", gone->first));
                rows.erase(gone);
            }
        } else if (what < 96 && state.conflicts().empty()) {
            add(factory.finalize(state, caseId, docId));
        }
        if (batch.size() >= 2000) {
            store.appendOps(batch);
            batch.clear();
        }
    }
    store.appendOps(batch);
}

} // namespace

int main(int argc, char** argv)
{
    std::vector<int> sizes = { 1000, 10000, 100000 };
    if (argc > 1)
        sizes = { std::atoi(argv[1]) };
    const auto dir
        = std::filesystem::temp_directory_path() / ("fplan-bench-fold-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    std::printf("| ops | first open (full fold) | open median | reference read median | ratio | append p50 | "
                "append p99 | reference insert p99 | ratio p99 |\n|---|---|---|---|---|---|---|---|---|\n");
    for (const int n : sizes) {
        const auto path = dir / ("fold-" + std::to_string(n) + ".fplan");
        Store::create(path, "benchmark passphrase", crypto::KdfParams::freshCheap());
        Store store = Store::open(path, "benchmark passphrase");
        store.createCase("case", "casedoc");
        store.createDocument({ "plan", "case", "familieplan", "1", 0, "" });
        fillDocument(store, "case", "plan", n);

        std::vector<double> open, read;
        double first = 0;
        for (int i = 0; i < 8; ++i) {
            auto start = Clock::now();
            const DocumentState state = store.documentState("plan");
            const auto values = state.values();
            if (i == 0)
                first = msSince(start);
            else
                open.push_back(msSince(start));
            start = Clock::now();
            sql::Statement s(
                store.handle(), "SELECT op_id, value, parents FROM ops WHERE doc_id = 'plan' ORDER BY seq");
            std::size_t bytes = 0;
            while (s.step())
                bytes += s.text(0).size() + s.text(1).size() + s.text(2).size();
            read.push_back(msSince(start));
            if (bytes == 0 || values.empty())
                return 1;
        }

        // The editor's path: one field saved, in its own transaction, applied to the open state.
        DocumentState state = store.documentState("plan");
        OpFactory factory("bench", store.deviceId(), store.clock());
        sql::exec(store.handle(), "CREATE TABLE IF NOT EXISTS bench_floor(x TEXT)");
        std::vector<double> append, floor;
        for (int i = 0; i < 200; ++i) {
            const Op op
                = factory.set(state, "case", "plan", "afsnit1.felt1", "ny værdi " + std::to_string(i));
            auto start = Clock::now();
            store.transaction([&] { store.appendOps({ op }); });
            state.apply(op);
            append.push_back(msSince(start));
            start = Clock::now();
            store.transaction([&] {
                sql::Statement s(store.handle(), "INSERT INTO bench_floor(x) VALUES(?)");
                s.bind(1, toJson(op).dump()).run();
            });
            floor.push_back(msSince(start));
        }
        const double o = quantile(open, 0.5), r = quantile(read, 0.5);
        const double p99 = quantile(append, 0.99), f99 = quantile(floor, 0.99);
        std::printf("| %d | %.1f ms | %.1f ms | %.1f ms | %.1f | %.2f ms | %.2f ms | %.2f ms | %.1f |\n", n,
            first, o, r, o / r, quantile(append, 0.5), p99, f99, p99 / f99);
        std::fflush(stdout);
    }
    std::filesystem::remove_all(dir);
    return 0;
}
