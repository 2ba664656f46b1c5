// SPDX-License-Identifier: EUPL-1.2
// The sync server on loopback: ingest ops/s and push latency with 50 concurrent clients for each
// storage, edit-to-visible latency through the live channel, and as this machine's ceiling the
// same requests answered by the same network layer with a handler that does nothing; and what
// the sync client's kept-alive connection saves against a TLS handshake per request.
// PostgreSQL is measured when $FPLAN_TEST_POSTGRES names a cluster (scripts/with-postgres).
#include "crypto/hash.h"
#include "delivery/https_client.h"
#include "sync/server/handler.h"
#include "sync/server/listener.h"
#include "sync/server/storage.h"
#include "sync/server/tls_files.h"
#include "tests/support/test_support.h"
#include "tests/sync/sync_fixtures.h"
#include "tests/sync/sync_test_client.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <mutex>
#include <thread>
#include <tuple>

namespace {

using namespace fplan;
using Clock = std::chrono::steady_clock;

int envInt(const char* name, int fallback)
{
    const char* v = std::getenv(name);
    return v && *v ? std::atoi(v) : fallback;
}

const int Clients = envInt("FPLAN_BENCH_CLIENTS", 50);
const int PushesPerClient = envInt("FPLAN_BENCH_PUSHES", 40);
const int OpsPerPush = envInt("FPLAN_BENCH_OPS", 25);
// Each storage's ingest is measured this many times, each time right after a round of the bare
// handler, and the medians are compared: on a shared machine one round of either moves by half.
const int Rounds = std::max(1, envInt("FPLAN_BENCH_ROUNDS", 5));

struct Figures {
    double seconds = 0;
    double requestsPerSecond = 0;
    double opsPerSecond = 0;
    double p50Ms = 0;
    double p99Ms = 0;
};

double percentile(std::vector<double> v, double p)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

// A running listener on a free port with a fresh self-signed certificate.
struct Running {
    Running(sync::Service& service, const std::filesystem::path& dir)
    {
        sync::TlsFiles files;
        sync::ensureSelfSigned(dir, files);
        fingerprint = sync::certificateFingerprint(files.certificate);
        listener
            = std::make_unique<sync::Listener>(service, sync::ListenerOptions { "127.0.0.1", 0, files, 4 });
        thread = std::thread([this] { listener->run(); });
    }
    ~Running()
    {
        listener->stop();
        thread.join();
    }
    std::uint16_t port() const { return listener->port(); }
    std::string fingerprint;
    std::unique_ptr<sync::Listener> listener;
    std::thread thread;
};

// Each client pushes its own case's ops; `tokens[i]` is client i's session.
Figures pushLoad(const Running& server, const std::vector<std::string>& tokens, const std::string& label)
{
    std::vector<std::vector<double>> latencies(tokens.size());
    std::vector<std::thread> threads;
    const auto start = Clock::now();
    for (std::size_t c = 0; c < tokens.size(); ++c)
        threads.emplace_back([&, c] {
            test::SyncTestClient client("127.0.0.1", server.port(), server.fingerprint);
            const std::string caseId = "case-" + std::to_string(c);
            for (int p = 0; p < PushesPerClient; ++p) {
                std::vector<Op> ops;
                for (int i = 0; i < OpsPerPush; ++i) {
                    const auto id
                        = label + "-" + std::to_string(c) + "-" + std::to_string(p) + "-" + std::to_string(i);
                    ops.push_back(test::makeOp(id, caseId, "doc-" + std::to_string(c), OpKind::Set,
                        "plan.felt" + std::to_string(i), "Et afsnit tekst " + id,
                        "user" + std::to_string(c)));
                }
                const auto body = test::pushBody(ops);
                const auto t0 = Clock::now();
                const auto r = client.request("POST", "/v1/push", body, tokens[c]);
                latencies[c].push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
                if (r.status != 200) {
                    std::fprintf(stderr, "push failed: %d %s\n", r.status, r.body.c_str());
                    std::exit(1);
                }
            }
        });
    for (auto& t : threads)
        t.join();
    Figures f;
    f.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    std::vector<double> all;
    for (const auto& l : latencies)
        all.insert(all.end(), l.begin(), l.end());
    f.requestsPerSecond = static_cast<double>(all.size()) / f.seconds;
    f.opsPerSecond = f.requestsPerSecond * OpsPerPush;
    f.p50Ms = percentile(all, 0.50);
    f.p99Ms = percentile(all, 0.99);
    return f;
}

void print(const char* name, const Figures& f)
{
    std::printf("%-22s %8.0f pushes/s %9.0f ops/s   push p50 %6.1f ms  p99 %6.1f ms   (%.1f s)\n", name,
        f.requestsPerSecond, f.opsPerSecond, f.p50Ms, f.p99Ms, f.seconds);
}

struct Measured {
    Figures ingest; // the median round
    Figures bare; // the median round of the bare handler, measured between the ingest rounds
    double slowestRatio = 0; // bare / server throughput, round by round
    double fastestRatio = 0;
    double visibleP50 = 0;
    double visibleP99 = 0;
    double keptPullsPerSecond = 0; // one client's pulls on one kept-alive connection
    double freshPullsPerSecond = 0; // the same pulls, each on a connection of its own
};

// What a sync client gains from keep-alive: `n` pulls by one client through the product's HTTPS
// client, on one kept connection or each on a new one (a TLS handshake per request, as before).
std::pair<double, double> pullRates(const Running& server, const std::string& token, int n)
{
    delivery::HttpsRequest request;
    request.method = "GET";
    request.url = "https://127.0.0.1:" + std::to_string(server.port()) + "/v1/pull?after=0&limit=10";
    request.pinnedSha256 = server.fingerprint;
    request.headers.emplace_back("Authorization", "Bearer " + token);
    request.maxReplyBytes = 64 << 20;
    const auto rate = [&](const std::function<int()>& pull) {
        const auto start = Clock::now();
        for (int i = 0; i < n; ++i)
            if (pull() != 200) {
                std::fprintf(stderr, "pull failed\n");
                std::exit(1);
            }
        return n / std::chrono::duration<double>(Clock::now() - start).count();
    };
    delivery::HttpsClient kept;
    const double keptRate = rate([&] { return kept.send(request).status; });
    const double freshRate = rate([&] { return delivery::sendHttps(request).status; });
    return { keptRate, freshRate };
}

Figures median(std::vector<Figures> rounds)
{
    std::sort(rounds.begin(), rounds.end(),
        [](const Figures& a, const Figures& b) { return a.requestsPerSecond < b.requestsPerSecond; });
    return rounds[rounds.size() / 2];
}

Measured measureServer(sync::Storage& storage, const std::filesystem::path& dir, const Running& bareServer)
{
    sync::Handler handler(storage);
    sync::HandlerService service(handler);
    Running server(service, dir);
    handler.onOpsCommitted([&](const std::string& c, std::int64_t seq) { server.listener->notify(c, seq); });
    storage.listen({ [&](const std::string& c, std::int64_t seq) { server.listener->notify(c, seq); }, {} });
    std::vector<std::string> tokens;
    test::SyncTestClient setup("127.0.0.1", server.port(), server.fingerprint);
    for (int c = 0; c < Clients; ++c) {
        const auto user = "user" + std::to_string(c);
        handler.addAccount(user, "password-" + user, "member", true);
        const auto r = setup.request(
            "POST", "/v1/login", Json { { "user", user }, { "password", "password-" + user } }.dump());
        tokens.push_back(Json::parse(r.body)["token"].get<std::string>());
        const auto caseId = "case-" + std::to_string(c);
        setup.request("POST", "/v1/push",
            test::pushBody(test::caseOps(caseId, "casedoc-" + std::to_string(c), user, { user }, {})),
            tokens.back());
    }
    Measured m;
    std::vector<Figures> ingest;
    std::vector<Figures> bare;
    const std::vector<std::string> bareTokens(static_cast<std::size_t>(Clients), std::string(64, '0'));
    for (int round = 0; round < Rounds; ++round) {
        bare.push_back(pushLoad(bareServer, bareTokens, "bare" + std::to_string(round)));
        ingest.push_back(pushLoad(server, tokens, "load" + std::to_string(round)));
        const double ratio = bare.back().requestsPerSecond / ingest.back().requestsPerSecond;
        m.slowestRatio = round == 0 ? ratio : std::max(m.slowestRatio, ratio);
        m.fastestRatio = round == 0 ? ratio : std::min(m.fastestRatio, ratio);
    }
    m.ingest = median(ingest);
    m.bare = median(bare);

    // Edit to visible: user0 writes in a case user1 is on; user1's live channel says so.
    setup.request("POST", "/v1/push",
        test::pushBody(test::caseOps("shared", "shared-doc", "user0", { "user0", "user1" }, {})), tokens[0]);
    test::LiveTestClient live("127.0.0.1", server.port(), server.fingerprint, tokens[1]);
    std::vector<double> visible;
    for (int i = 0; i < 200; ++i) {
        const auto body = test::pushBody({ test::makeOp("edit-" + std::to_string(i), "shared", "doc-x",
            OpKind::Set, "plan.tekst", "udgave " + std::to_string(i), "user0") });
        const auto t0 = Clock::now();
        const auto r = setup.request("POST", "/v1/push", body, tokens[0]);
        const auto seq = Json::parse(r.body)["held"][0]["seq"].get<std::int64_t>();
        for (;;) {
            const auto frame = live.next(std::chrono::seconds(5));
            if (!frame) {
                std::fprintf(stderr, "live frame missing for seq %lld\n", static_cast<long long>(seq));
                std::exit(1);
            }
            if (Json::parse(*frame)["seq"].get<std::int64_t>() >= seq)
                break;
        }
        visible.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    }
    m.visibleP50 = percentile(visible, 0.5);
    m.visibleP99 = percentile(visible, 0.99);
    std::tie(m.keptPullsPerSecond, m.freshPullsPerSecond) = pullRates(server, tokens[0], 200);
    return m;
}

// Answers every push with an answer of the real size, and does nothing else.
class BareService final : public sync::Service {
public:
    BareService()
    {
        m_answer = R"({"held":[)";
        for (int i = 0; i < OpsPerPush; ++i)
            m_answer += std::string(i ? "," : "") + R"({"id":"load-00-00-00","seq":1000000})";
        m_answer += "]}";
    }
    sync::Response handle(const sync::Request&) override { return { 200, m_answer, {} }; }
    std::variant<sync::LiveIdentity, sync::Response> acceptLive(const sync::Request&) override
    {
        return sync::Response { 404, "{}", {} };
    }
    bool sessionValid(const sync::LiveIdentity&) override { return false; }
    std::vector<std::string> caseMembers(const std::string&) override { return {}; }

private:
    std::string m_answer;
};

} // namespace

int main()
{
    std::printf(
        "sync server on loopback: %d clients x %d pushes x %d ops\n", Clients, PushesPerClient, OpsPerPush);
    test::TempDir bareDir;
    BareService bareService;
    const Running bareServer(bareService, bareDir.path());
    std::vector<std::pair<std::string, Measured>> results;
    {
        test::TempDir dir;
        auto storage = sync::openSqlStorage(dir.path());
        results.emplace_back("SQLCipher", measureServer(*storage, dir.path(), bareServer));
    }
    if (const auto url = test::freshPostgresDatabase()) {
        test::TempDir dir;
        auto storage = sync::openPostgresStorage(*url);
        results.emplace_back("PostgreSQL", measureServer(*storage, dir.path(), bareServer));
    } else
        std::printf(
            "PostgreSQL not measured: $FPLAN_TEST_POSTGRES is not set (run under scripts/with-postgres)\n");
    bool ok = true;
    for (const auto& [name, m] : results) {
        print(("bare, beside " + name).c_str(), m.bare);
        print(name.c_str(), m.ingest);
        const double ratio = m.bare.requestsPerSecond / m.ingest.requestsPerSecond;
        std::printf("%-22s edit-to-visible p50 %.1f ms  p99 %.1f ms   bare/server throughput %.2fx "
                    "(medians of %d rounds; round by round %.2fx-%.2fx)\n",
            "", m.visibleP50, m.visibleP99, ratio, Rounds, m.fastestRatio, m.slowestRatio);
        std::printf("%-22s sync client pulls: %.0f/s on one kept connection, %.0f/s with a TLS handshake "
                    "each (%.1fx)\n",
            "", m.keptPullsPerSecond, m.freshPullsPerSecond, m.keptPullsPerSecond / m.freshPullsPerSecond);
        ok = ok && m.visibleP99 <= 100 && ratio <= 3.0;
        if (name == "SQLCipher")
            ok = ok && m.ingest.opsPerSecond >= 5000;
    }
    std::printf(
        "targets (edit-to-visible p99 <= 100 ms, >= 5000 ops/s on SQLCipher, within 3x of bare): %s\n",
        ok ? "met" : "NOT met");
    return 0;
}
