// SPDX-License-Identifier: EUPL-1.2
// `fplan` on a real pseudo-terminal (forkpty), as a person runs it: what the terminal receives
// from the store is escaped, the passphrase prompt does not echo, and the passphrase is held in
// locked memory (crypto::SecretString) from every source the command line reads it from.
#include "cli/command.h"
#include "core/bundle.h"
#include "core/store.h"
#include "tests/support/test_support.h"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <chrono>
#include <csignal>
#include <fstream>
#include <netinet/in.h>
#include <poll.h>
#include <pty.h>
#include <regex>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <type_traits>
#include <unistd.h>

extern char** environ;

using namespace fplan;

// Every path the command line reads a passphrase from hands it on in locked memory.
static_assert(
    std::is_same_v<decltype(cli::passphrase(std::declval<const cli::Args&>(), "")), crypto::SecretString>);
static_assert(std::is_same_v<decltype(cli::askHidden("")), crypto::SecretString>);
static_assert(std::is_same_v<decltype(cli::readPassphraseFile("")), crypto::SecretString>);
static_assert(
    std::is_same_v<decltype(cli::takeSecretFromEnvironment("")), std::optional<crypto::SecretString>>);

namespace {

constexpr const char* Passphrase = "rigtig-adgangskode";

// One program on the slave side of a new pseudo-terminal; the test is the person at the keyboard.
class Terminal {
public:
    Terminal(std::vector<std::string> argv, const std::vector<std::string>& env)
    {
        std::vector<std::string> envStrings;
        for (char** e = environ; *e; ++e)
            if (std::string_view(*e).rfind("FPLAN_PASSPHRASE=", 0) != 0)
                envStrings.emplace_back(*e);
        for (const auto& entry : env) {
            const auto key = entry.substr(0, entry.find('=') + 1);
            std::erase_if(envStrings, [&](const std::string& s) { return s.rfind(key, 0) == 0; });
            envStrings.push_back(entry);
        }
        std::vector<char*> args, envp;
        for (auto& a : argv)
            args.push_back(a.data());
        args.push_back(nullptr);
        for (auto& e : envStrings)
            envp.push_back(e.data());
        envp.push_back(nullptr);
        winsize size {};
        size.ws_row = 40;
        size.ws_col = 250; // wide: no line is wrapped by the terminal
        m_pid = ::forkpty(&m_master, nullptr, nullptr, &size);
        if (m_pid < 0)
            throw std::runtime_error("forkpty failed");
        if (m_pid == 0) {
            ::execve(args[0], args.data(), envp.data());
            ::_exit(127);
        }
    }
    ~Terminal()
    {
        if (m_pid > 0 && !m_done) {
            ::kill(m_pid, SIGKILL);
            ::waitpid(m_pid, nullptr, 0);
        }
        if (m_master >= 0)
            ::close(m_master);
    }
    Terminal(const Terminal&) = delete;
    Terminal& operator=(const Terminal&) = delete;

    pid_t pid() const { return m_pid; }
    const std::string& received() const { return m_received; }

    // Reads what the terminal shows until `text` appears; false at the end or after 30 s.
    bool waitFor(const std::string& text)
    {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
        while (m_received.find(text) == std::string::npos) {
            if (std::chrono::steady_clock::now() > deadline || !readSome(200))
                return m_received.find(text) != std::string::npos;
        }
        return true;
    }
    void type(std::string_view keys)
    {
        if (::write(m_master, keys.data(), keys.size()) != static_cast<ssize_t>(keys.size()))
            throw std::runtime_error("cannot type on the terminal");
    }
    // Everything until the program ends; its exit code.
    int finish()
    {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
        while (std::chrono::steady_clock::now() < deadline && readSome(200)) { }
        int status = 0;
        ::waitpid(m_pid, &status, 0);
        m_done = true;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }

private:
    // false at the end of output (the slave side closed: EIO on Linux).
    bool readSome(int timeoutMs)
    {
        pollfd fd { m_master, POLLIN, 0 };
        const int ready = ::poll(&fd, 1, timeoutMs);
        if (ready == 0)
            return true;
        char buffer[4096];
        const ssize_t n = ::read(m_master, buffer, sizeof buffer);
        if (n <= 0)
            return false;
        m_received.append(buffer, static_cast<std::size_t>(n));
        return true;
    }

    int m_master = -1;
    pid_t m_pid = -1;
    bool m_done = false;
    std::string m_received;
};

// A line of /proc/PID/status ("VmLck:      4 kB" -> 4), or -1.
long procStatusKb(pid_t pid, const std::string& key)
{
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind(key + ":", 0) == 0)
            return std::stol(line.substr(key.size() + 1));
    return -1;
}

std::string procEnvironment(pid_t pid)
{
    return test::readFile("/proc/" + std::to_string(pid) + "/environ");
}

class CliTerminal : public ::testing::Test {
protected:
    void SetUp() override
    {
        const auto r = test::run({ FPLAN_CLI, "init" },
            { "FPLAN_STORE=" + store.string(), std::string("FPLAN_PASSPHRASE=") + Passphrase });
        ASSERT_EQ(0, r.exitCode) << r.err;
    }
    std::vector<std::string> env(bool withPassphrase = true) const
    {
        std::vector<std::string> e = { "FPLAN_STORE=" + store.string(), "USER=jr", "LANG=C.UTF-8" };
        if (withPassphrase)
            e.push_back(std::string("FPLAN_PASSPHRASE=") + Passphrase);
        return e;
    }

    test::TempDir dir;
    std::filesystem::path store = dir / "sager.fplan";
};

// What a person's terminal would act on: ESC (cursor moves, colours, window titles), BEL, and
// the bidirectional overrides that reorder what is shown.
void expectNothingActive(const std::string& shown)
{
    EXPECT_EQ(std::string::npos, shown.find('\x1b')) << shown;
    EXPECT_EQ(std::string::npos, shown.find('\x07')) << shown;
    EXPECT_EQ(std::string::npos, shown.find("\xe2\x80\xae")) << shown; // U+202E RIGHT-TO-LEFT OVERRIDE
    EXPECT_EQ(std::string::npos, shown.find("\xe2\x81\xa6")) << shown; // U+2066 LEFT-TO-RIGHT ISOLATE
}

} // namespace

// A case that arrived with hostile text (from an older version or another replica: today's
// bundle import refuses it) is listed and shown escaped on a terminal.
TEST_F(CliTerminal, HostileTextFromTheStoreReachesTheTerminalEscaped)
{
    const std::string title = "Familien \x1b]0;pwned\x07Holm \xe2\x80\xae"
                              "dlab\x1b[2J";
    const std::string remark = "ok\x1b[1A\x1b[2Kforged line \xe2\x81\xa6x\x1b[31m";
    std::string docId;
    {
        Store s = Store::open(store, Passphrase);
        Bundle bundle = parseBundle(R"({
          "case": {"title": "Familien Holm", "journal_number": "27.24.00-G01-2-26", "kle": "27.24.00"},
          "people": [{"id": "p1", "name": "Ida Holm", "cpr": "0101901234", "relation": "mor", "custody": true}],
          "team": [{"id": "t1", "name": "Jens Ravn", "fagomraade": "Børn og Familie",
                    "role": "myndighedsrådgiver", "email": "jr@kommune.dk", "phone": "12345678"}],
          "coordinator": "t1",
          "documents": [{"template": "familieplan", "values": {}}]
        })",
            "bundle.json");
        bundle.kase.title = title;
        bundle.documents[0].values["familiens_bemaerkninger.bemaerkninger"] = remark;
        OpFactory factory("tester", s.deviceId(), s.clock());
        const auto caseId = importBundle(s, bundle, factory, [](const BundleDocument&, const Case&) {
            return PreparedDocument { "1", {}, "", "" };
        });
        docId = s.documents(caseId).front().id;
    }

    Terminal list({ FPLAN_CLI, "case", "list" }, env());
    ASSERT_EQ(0, list.finish()) << list.received();
    expectNothingActive(list.received());
    EXPECT_NE(std::string::npos,
        list.received().find("Familien \\x1b]0;pwned\\x07Holm \\xe2\\x80\\xaedlab\\x1b[2J"))
        << list.received();

    Terminal json({ FPLAN_CLI, "case", "list", "--json" }, env());
    ASSERT_EQ(0, json.finish()) << json.received();
    expectNothingActive(json.received());

    Terminal show({ FPLAN_CLI, "doc", "show", docId }, env());
    ASSERT_EQ(0, show.finish()) << show.received();
    expectNothingActive(show.received());
    EXPECT_NE(
        std::string::npos, show.received().find("ok\\x1b[1A\\x1b[2Kforged line \\xe2\\x81\\xa6x\\x1b[31m"))
        << show.received();
}

// Asked on the terminal, the passphrase is not echoed, and from the moment it is read it is
// held in locked memory: typed, from $FPLAN_PASSPHRASE (which leaves the environment) or from
// --passphrase-file.
TEST_F(CliTerminal, PassphrasesAreNotEchoedAndLiveInLockedMemory)
{
    {
        Terminal t({ FPLAN_CLI, "case", "list" }, env(/*withPassphrase=*/false));
        ASSERT_TRUE(t.waitFor("Adgangskode: ")) << t.received();
        EXPECT_EQ(0, procStatusKb(t.pid(), "VmLck")); // nothing read yet, nothing locked
        // Process hygiene, seen from outside while it waits: no core file could hold what it
        // reads (RLIMIT_CORE 0), and what it creates is private (umask 077).
        const std::string limits = test::readFile("/proc/" + std::to_string(t.pid()) + "/limits");
        EXPECT_TRUE(std::regex_search(limits, std::regex("Max core file size +0 +0 "))) << limits;
        const std::string status = test::readFile("/proc/" + std::to_string(t.pid()) + "/status");
        EXPECT_NE(std::string::npos, status.find("Umask:\t0077")) << status;
        t.type(std::string(Passphrase) + "\n");
        ASSERT_EQ(0, t.finish()) << t.received();
        EXPECT_EQ(std::string::npos, t.received().find(Passphrase)) << t.received();
    }
    const std::string next = "ny og længere adgangskode";
    {
        // The current passphrase from the environment; the new one is asked for twice.
        Terminal t({ FPLAN_CLI, "passphrase", "change" }, env());
        ASSERT_TRUE(t.waitFor("Ny adgangskode: ")) << t.received();
        EXPECT_GT(procStatusKb(t.pid(), "VmLck"), 0);
        EXPECT_EQ(std::string::npos, procEnvironment(t.pid()).find(Passphrase));
        t.type(next + "\n");
        ASSERT_TRUE(t.waitFor("Gentag adgangskoden: ")) << t.received();
        t.type(next + "\n");
        ASSERT_EQ(0, t.finish()) << t.received();
        EXPECT_NE(std::string::npos, t.received().find("passphrase changed")) << t.received();
        EXPECT_EQ(std::string::npos, t.received().find(next)) << t.received();
    }
    {
        // The current passphrase from a file.
        test::writeFile(dir / "pass.txt", next + "\n");
        Terminal t({ FPLAN_CLI, "passphrase", "change", "--passphrase-file", (dir / "pass.txt").string() },
            env(/*withPassphrase=*/false));
        ASSERT_TRUE(t.waitFor("Ny adgangskode: ")) << t.received();
        EXPECT_GT(procStatusKb(t.pid(), "VmLck"), 0);
        t.type(std::string(Passphrase) + "x\n");
        ASSERT_TRUE(t.waitFor("Gentag adgangskoden: ")) << t.received();
        t.type(std::string(Passphrase) + "x\n");
        ASSERT_EQ(0, t.finish()) << t.received();
        EXPECT_EQ(std::string::npos, t.received().find(Passphrase)) << t.received();
    }
    const auto r = test::run({ FPLAN_CLI, "case", "list" },
        { "FPLAN_STORE=" + store.string(), "FPLAN_PASSPHRASE=" + std::string(Passphrase) + "x" });
    EXPECT_EQ(0, r.exitCode) << r.err;
}

// The server password `fplan sync` takes from $FPLAN_PASSWORD leaves the environment at once (as
// the passphrase does), before the sync even reaches the server: seen while fplan waits for a
// server that takes the connection and never answers.
TEST_F(CliTerminal, TheSyncPasswordLeavesTheEnvironmentAtOnce)
{
    const int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    ASSERT_GE(listener, 0);
    sockaddr_in address {};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    ASSERT_EQ(0, ::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address));
    ASSERT_EQ(0, ::listen(listener, 4));
    ASSERT_EQ(0, ::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length));
    const std::string password = "serverens hemmelige kodeord";
    auto environment = env();
    environment.push_back("FPLAN_PASSWORD=" + password);
    Terminal t({ FPLAN_CLI, "sync", "--server",
                   "https://127.0.0.1:" + std::to_string(ntohs(address.sin_port)), "--user", "jr" },
        environment);
    pollfd waiting { listener, POLLIN, 0 };
    ASSERT_EQ(1, ::poll(&waiting, 1, 30000)) << "fplan sync never connected";
    const int connection = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
    EXPECT_EQ(std::string::npos, procEnvironment(t.pid()).find(password));
    EXPECT_EQ(std::string::npos, procEnvironment(t.pid()).find(Passphrase));
    ::close(connection);
    ::close(listener);
}

// No other process of the same user can read fplan's memory or make it dump core while it holds
// a passphrase: the kernel gives /proc/PID of a process that is not dumpable (PR_SET_DUMPABLE 0)
// to root. Seen on fplan started as another user (needs root to do that).
TEST_F(CliTerminal, FplanIsNotDumpableWhileItAsksForThePassphrase)
{
    if (::geteuid() != 0)
        GTEST_SKIP() << "needs root to start fplan as another user";
    Terminal t(
        { "/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", FPLAN_CLI, "case", "list" },
        env(/*withPassphrase=*/false));
    ASSERT_TRUE(t.waitFor("Adgangskode: ")) << t.received();
    const std::string proc = "/proc/" + std::to_string(t.pid());
    EXPECT_NE(std::string::npos, test::readFile(proc + "/status").find("Uid:\t65534"))
        << "not the other user";
    struct stat st { };
    ASSERT_EQ(0, ::stat((proc + "/status").c_str(), &st));
    EXPECT_EQ(0u, st.st_uid) << "/proc/PID of a dumpable process belongs to its own user";
}
