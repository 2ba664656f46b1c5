// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <string>

namespace fplan::test {

// A stand-in for the SF1601 service on loopback: TLS, demands a client certificate signed by
// `clientCa`, and answers as told. It counts accepted messages by their MeMo messageUUID.
class MemoReceiver {
public:
    // AcceptThenTimeout takes the message and never answers: the sender cannot know it arrived.
    enum class Mode { Accept, Refuse5xx, Refuse4xx, Timeout, AcceptThenTimeout };

    MemoReceiver(const std::filesystem::path& serverCert, const std::filesystem::path& serverKey,
        const std::filesystem::path& clientCa);
    ~MemoReceiver();
    MemoReceiver(const MemoReceiver&) = delete;
    MemoReceiver& operator=(const MemoReceiver&) = delete;

    unsigned short port() const;
    void setMode(Mode mode);
    // How long a Timeout answer keeps the client waiting before the connection is dropped.
    void setHang(std::chrono::milliseconds hang);

    int accepted(const std::string& messageUuid) const; // how often this UUID was accepted
    // Letters as Digital Post would file them: one per distinct UUID accepted.
    std::size_t letters() const;
    std::map<std::string, int> acceptedAll() const;
    int requests() const; // HTTP requests read, whatever the answer
    int refusedHandshakes() const; // TLS handshakes that failed (e.g. no or unknown client cert)
    std::string lastClientSubject() const;
    std::string lastBody() const;
    std::string lastTransactionId() const;

    struct State;

private:
    std::shared_ptr<State> m_state;
};

} // namespace fplan::test
