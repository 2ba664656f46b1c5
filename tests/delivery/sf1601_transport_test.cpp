// SPDX-License-Identifier: EUPL-1.2
#include "base/error.h"
#include "delivery/delivery.h"
#include "delivery/https_client.h"
#include "delivery/transport.h"
#include "tests/delivery/delivery_fixtures.h"
#include "tests/delivery/memo_receiver.h"
#include "tests/support/test_support.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

using namespace fplan;
using namespace fplan::delivery;
using Mode = test::MemoReceiver::Mode;

namespace {

// One PKI for the whole suite: making keys is the slow part.
class Sf1601Delivery : public ::testing::Test {
protected:
    static void SetUpTestSuite()
    {
        s_dir = new test::TempDir();
        s_pki = new test::TestPki(test::makeTestPki(s_dir->path()));
    }
    static void TearDownTestSuite()
    {
        delete s_pki;
        delete s_dir;
    }

    void SetUp() override
    {
        m_receiver = std::make_unique<test::MemoReceiver>(s_pki->serverCert, s_pki->serverKey, s_pki->ca);
        test::makeCaseStore(m_cs);
        Store& store = *m_cs.store;
        store.setSetting("delivery.transport", "sf1601");
        store.setSetting("delivery.endpoint", endpoint());
        store.setSetting("delivery.client_cert", s_pki->clientPem.string());
        store.setSetting("delivery.ca", s_pki->ca.string());
        store.setSetting("delivery.timeout_ms", "1500");
    }

    std::string endpoint() const
    {
        return "https://localhost:" + std::to_string(m_receiver->port()) + "/kombipostafsend";
    }

    std::vector<std::string> queueForParents()
    {
        SendRequest r;
        r.docId = m_cs.docId;
        r.recipients = resolveRecipients(*m_cs.store, m_cs.docId, "parents");
        r.pdf = test::minimalPdf();
        r.documentTitle = "Familieplan";
        return queueForDelivery(*m_cs.store, r).messageUuids;
    }

    static test::TempDir* s_dir;
    static test::TestPki* s_pki;
    std::unique_ptr<test::MemoReceiver> m_receiver;
    test::CaseStore m_cs;
};

test::TempDir* Sf1601Delivery::s_dir = nullptr;
test::TestPki* Sf1601Delivery::s_pki = nullptr;

RetryPolicy quickPolicy(int maxAttempts)
{
    RetryPolicy p;
    p.maxAttempts = maxAttempts;
    p.baseDelay = std::chrono::seconds(60);
    return p;
}

} // namespace

TEST_F(Sf1601Delivery, DeliversOverMutualTlsOnceEvenWhenFlushedAgain)
{
    const auto uuids = queueForParents();
    auto transport = transportFromSettings(*m_cs.store);
    const std::int64_t t0 = unixNow();
    const auto report = flushOutbox(*m_cs.store, *transport, quickPolicy(3), t0);
    EXPECT_EQ(2, report.sent) << (report.errors.empty() ? "" : report.errors.front());
    for (const auto& uuid : uuids)
        EXPECT_EQ(1, m_receiver->accepted(uuid));
    EXPECT_NE(std::string::npos, m_receiver->lastClientSubject().find("Familieplan klient"));
    EXPECT_NE(std::string::npos, m_receiver->lastBody().find("<kombi_request"));
    // The transaction id is the message's own UUID.
    EXPECT_EQ(findMessageUuid(m_receiver->lastBody()), m_receiver->lastTransactionId());

    // Flushing and queueing again never makes a second letter.
    flushOutbox(*m_cs.store, *transport, quickPolicy(3), t0 + 100'000);
    queueForParents();
    flushOutbox(*m_cs.store, *transport, quickPolicy(3), t0 + 200'000);
    EXPECT_EQ(2, m_receiver->requests());
    for (const auto& [uuid, count] : m_receiver->acceptedAll())
        EXPECT_EQ(1, count) << uuid;
}

TEST_F(Sf1601Delivery, ServerErrorsAreRetriedWithBackoffThenSucceed)
{
    const auto uuids = queueForParents();
    auto transport = transportFromSettings(*m_cs.store);
    const std::int64_t t0 = unixNow();
    m_receiver->setMode(Mode::Refuse5xx);
    auto report = flushOutbox(*m_cs.store, *transport, quickPolicy(5), t0);
    EXPECT_EQ(2, report.retrying);
    auto entry = Outbox(*m_cs.store).entry(uuids[0]);
    EXPECT_EQ(OutboxStatus::Queued, entry->status);
    EXPECT_NE(std::string::npos, entry->lastError.find("HTTP 503")) << entry->lastError;
    EXPECT_EQ(t0 + 60, entry->nextAttemptAt);

    m_receiver->setMode(Mode::Accept);
    EXPECT_EQ(0, flushOutbox(*m_cs.store, *transport, quickPolicy(5), t0 + 59).sent); // not yet
    report = flushOutbox(*m_cs.store, *transport, quickPolicy(5), t0 + 60);
    EXPECT_EQ(2, report.sent);
    for (const auto& uuid : uuids)
        EXPECT_EQ(1, m_receiver->accepted(uuid));
    EXPECT_EQ(4, m_receiver->requests());
}

TEST_F(Sf1601Delivery, ClientErrorsArePermanentAndShownToAPerson)
{
    const auto uuids = queueForParents();
    auto transport = transportFromSettings(*m_cs.store);
    m_receiver->setMode(Mode::Refuse4xx);
    const auto report = flushOutbox(*m_cs.store, *transport, quickPolicy(5), unixNow());
    EXPECT_EQ(2, report.failed);
    const auto entry = Outbox(*m_cs.store).entry(uuids[0]);
    EXPECT_EQ(OutboxStatus::Failed, entry->status);
    EXPECT_EQ(1, entry->attempts);
    EXPECT_NE(std::string::npos, entry->lastError.find("HTTP 400")) << entry->lastError;
}

TEST_F(Sf1601Delivery, TimeoutsAreRetriedAndFailAfterMaxAttempts)
{
    const auto uuids = queueForParents();
    m_cs.store->setSetting("delivery.timeout_ms", "400");
    auto transport = transportFromSettings(*m_cs.store);
    m_receiver->setMode(Mode::Timeout);
    m_receiver->setHang(std::chrono::milliseconds(2000));
    const std::int64_t t0 = unixNow();
    auto report = flushOutbox(*m_cs.store, *transport, quickPolicy(2), t0);
    EXPECT_EQ(2, report.retrying);
    ASSERT_FALSE(report.errors.empty());
    EXPECT_NE(std::string::npos, report.errors.front().find("within 400 ms")) << report.errors.front();
    report = flushOutbox(*m_cs.store, *transport, quickPolicy(2), t0 + 60);
    EXPECT_EQ(2, report.failed);
    const auto entry = Outbox(*m_cs.store).entry(uuids[1]);
    EXPECT_EQ(OutboxStatus::Failed, entry->status);
    EXPECT_EQ(2, entry->attempts);
    EXPECT_FALSE(entry->lastError.empty());
    EXPECT_EQ(0, m_receiver->accepted(uuids[1]));
}

TEST_F(Sf1601Delivery, AClientCertificateTheServerDoesNotTrustIsRefused)
{
    HttpsRequest post;
    post.url = endpoint();
    post.contentType = "application/xml";
    post.body = "<kombi_request/>";
    post.clientCert = s_pki->rogueClientPem;
    post.ca = s_pki->ca;
    post.timeout = std::chrono::milliseconds(3000);
    test::expectError(ErrorCode::Network, "", [&] { sendHttps(post); });
    EXPECT_EQ(0, m_receiver->requests());
    // With TLS 1.3 the receiver meets the refusal when it reads the request, which can be just
    // after the client has had its error (a run of the whole suite saw 0 here).
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (m_receiver->refusedHandshakes() < 1 && std::chrono::steady_clock::now() < until)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    EXPECT_GE(m_receiver->refusedHandshakes(), 1);
}

TEST_F(Sf1601Delivery, AServerNotSignedByTheConfiguredCaIsRefused)
{
    HttpsRequest post;
    post.url = endpoint();
    post.contentType = "application/xml";
    post.body = "<kombi_request/>";
    post.clientCert = s_pki->clientPem;
    post.ca = s_dir->path() / "rogue-ca.pem"; // not the CA that signed the server
    test::expectError(ErrorCode::Network, "TLS handshake", [&] { sendHttps(post); });
    EXPECT_EQ(0, m_receiver->requests());
}

TEST_F(Sf1601Delivery, TheServerNameMustMatchItsCertificate)
{
    HttpsRequest post;
    post.url = "https://127.0.0.1:" + std::to_string(m_receiver->port()) + "/x";
    post.contentType = "application/xml";
    post.body = "<kombi_request/>";
    post.clientCert = s_pki->clientPem;
    post.ca = s_pki->ca;
    // The certificate names 127.0.0.1 as well as localhost.
    EXPECT_EQ(400, sendHttps(post).status); // the receiver wants a MeMo message
    // A server whose certificate, from the right CA, is for another name.
    test::MemoReceiver other(s_pki->wrongNameCert, s_pki->wrongNameKey, s_pki->ca);
    post.url = "https://localhost:" + std::to_string(other.port()) + "/x";
    test::expectError(ErrorCode::Network, "TLS handshake", [&] { sendHttps(post); });
    EXPECT_EQ(0, other.requests());
}

TEST_F(Sf1601Delivery, AnUnreadableClientCertificateIsAPermanentFailure)
{
    queueForParents();
    m_cs.store->setSetting("delivery.client_cert", (s_dir->path() / "missing.pem").string());
    auto transport = transportFromSettings(*m_cs.store);
    const auto report = flushOutbox(*m_cs.store, *transport, quickPolicy(5), unixNow());
    EXPECT_EQ(2, report.failed);
    EXPECT_NE(std::string::npos, report.errors.front().find("missing.pem"));
}

TEST_F(Sf1601Delivery, AnAnswerLostAfterArrivalIsRetriedWithTheSameUuid)
{
    const auto uuids = queueForParents();
    m_cs.store->setSetting("delivery.timeout_ms", "400");
    auto transport = transportFromSettings(*m_cs.store);
    m_receiver->setMode(Mode::AcceptThenTimeout);
    m_receiver->setHang(std::chrono::milliseconds(2000));
    const std::int64_t t0 = unixNow();
    EXPECT_EQ(2, flushOutbox(*m_cs.store, *transport, quickPolicy(3), t0).retrying);
    m_receiver->setMode(Mode::Accept);
    EXPECT_EQ(2, flushOutbox(*m_cs.store, *transport, quickPolicy(3), t0 + 60).sent);
    // Each message went twice, under its own UUID both times: the service files one letter each.
    for (const auto& uuid : uuids)
        EXPECT_EQ(2, m_receiver->accepted(uuid));
    EXPECT_EQ(uuids.size(), m_receiver->letters());
}
