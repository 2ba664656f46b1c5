// SPDX-License-Identifier: EUPL-1.2
// The sign-in dialog's logic against the real fplan-server: each refusal gets its own Danish
// message, the first sign-in pins and shows the certificate, a later one needs the password only.
#include "base/error.h"
#include "core/store.h"
#include "gui/sync_presenter.h"
#include "sync/client/client_state.h"
#include "tests/support/test_support.h"
#include "tests/sync/server_process.h"

#include <gtest/gtest.h>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace fplan;
using namespace fplan::gui;
namespace fs = std::filesystem;

namespace {

const char* Passphrase = "korrekt hest batteri";

class SignInServer : public ::testing::Test {
protected:
    void SetUp() override
    {
        test::addServerUser(dir / "server", "jr", "hemmeligt-jr");
        test::addServerUser(dir / "server", "kl", "hemmeligt-kl");
        server = std::make_unique<test::ServerProcess>(dir / "server");
        Store::create(dir / "mine.fplan", Passphrase, crypto::KdfParams::freshCheap());
        store = std::make_unique<Store>(Store::open(dir / "mine.fplan", Passphrase));
    }

    SignInOutcome signIn(const std::string& account, const std::string& password, const std::string& url = {})
    {
        SignInPresenter p(sync::ClientState(*store).binding());
        return p.signIn(*store, url.empty() ? server->url() : url, account, password);
    }

    test::TempDir dir;
    std::unique_ptr<test::ServerProcess> server;
    std::unique_ptr<Store> store;
};

// A port nothing listens on.
std::uint16_t closedPort()
{
    const int s = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a {};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t n = sizeof a;
    ::getsockname(s, reinterpret_cast<sockaddr*>(&a), &n);
    ::close(s);
    return ntohs(a.sin_port);
}

} // namespace

TEST_F(SignInServer, FirstSignInPinsAndShowsTheCertificateThenOnlyThePasswordIsAsked)
{
    const auto wrong = signIn("jr", "forkert");
    EXPECT_FALSE(wrong.ok);
    EXPECT_EQ("Forkert brugernavn eller adgangskode.", wrong.message);
    EXPECT_FALSE(sync::ClientState(*store).binding()) << "a refused sign-in bound the store";

    const auto first = signIn("jr", "hemmeligt-jr");
    ASSERT_TRUE(first.ok) << first.message;
    EXPECT_TRUE(first.firstSignIn);
    EXPECT_EQ(server->fingerprint(), first.fingerprint);
    EXPECT_NE(std::string::npos, first.message.find(groupedFingerprint(server->fingerprint())))
        << first.message;
    EXPECT_EQ(server->fingerprint(), sync::ClientState(*store).binding()->fingerprint);

    // The session expires (here: it is forgotten): the dialog asks for the password only.
    sync::ClientState(*store).setToken("");
    SignInPresenter again(sync::ClientState(*store).binding());
    EXPECT_TRUE(again.passwordOnly());
    EXPECT_EQ(server->url(), again.server());
    const auto second = again.signIn(*store, "", "", "hemmeligt-jr");
    ASSERT_TRUE(second.ok) << second.message;
    EXPECT_FALSE(second.firstSignIn);
    EXPECT_EQ(0u, second.message.rfind("Du er logget ind igen på", 0)) << second.message;
}

TEST_F(SignInServer, ADisabledAccountAnUnreachableServerAndAChangedCertificateEachSaySo)
{
    server->disableUser("kl");
    EXPECT_EQ("Kontoen er spærret på serveren. Kontakt den, der driver serveren.",
        signIn("kl", "hemmeligt-kl").message);

    const auto away = signIn("jr", "hemmeligt-jr", "https://127.0.0.1:" + std::to_string(closedPort()));
    EXPECT_FALSE(away.ok);
    EXPECT_EQ(0u, away.message.rfind("Serveren kan ikke nås.", 0)) << away.message;

    ASSERT_TRUE(signIn("jr", "hemmeligt-jr").ok);
    sync::ClientState(*store).setFingerprint(std::string(64, 'a'));
    sync::ClientState(*store).setToken("");
    const auto changed = signIn("jr", "hemmeligt-jr");
    EXPECT_FALSE(changed.ok);
    EXPECT_EQ(0u, changed.message.rfind("Serverens certifikat er ikke det samme som sidst.", 0))
        << changed.message;
    EXPECT_EQ(std::string(64, 'a'), sync::ClientState(*store).binding()->fingerprint) << "the pin moved";
}

TEST_F(SignInServer, AnAccountLockedAfterFailedSignInsSaysForHowLong)
{
    SignInOutcome last;
    for (int i = 0; i < 12 && last.message.find("låst") == std::string::npos; ++i)
        last = signIn("jr", "forkert");
    EXPECT_FALSE(last.ok);
    EXPECT_EQ(0u, last.message.rfind("Kontoen er låst efter for mange forkerte forsøg. Prøv igen om ", 0))
        << last.message;
}
