// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include "app/documents.h"
#include "core/store.h"
#include "delivery/delivery.h"

#include <cstdint>
#include <string>
#include <vector>

namespace fplan::gui {

// One person of the case who could receive the letter.
struct SendCandidate {
    std::string name;
    std::string cpr; // as written in the case
    std::string relation;
    bool custody = false;
    bool chosen = false;
};

// One message of this document in the outbox, as "Forsendelser" shows it.
struct DeliveryLine {
    std::string messageUuid;
    int version = 0;
    std::string recipient; // "Søs Nørgaard (010190-1234)"
    std::string status; // "Venter", "Sendes", "Sendt", "Fejlet"
    int attempts = 0;
    std::string lastError;
    bool canRetry = false; // only failed messages: a person decides to try again
};

// "Send til familien" for one finalised version: who, what, problems, confirmation, queueing,
// the delivery status per recipient and printed copies. Queueing is the document service's
// send, as for `fplan send`; the letter's title is the service's too. Touches the store on the
// calling (main) thread only; the network part of an attempt is split out so it can run on a worker.
class SendPresenter {
public:
    static constexpr int MaxNotificationLength = 150; // Digital Post's limit, in characters

    SendPresenter(app::DocumentService& documents, std::string docId, int version);
    void reload();

    const std::vector<SendCandidate>& candidates() const { return m_candidates; }
    void setChosen(std::size_t index, bool chosen);
    std::vector<std::string> recipientLines() const; // "Søs Nørgaard (010190-1234)"

    int version() const { return m_preview.version; }
    const std::string& label() const { return m_preview.label; }
    const std::string& fileName() const { return m_preview.fileName; }
    bool transportConfigured() const { return m_preview.transportConfigured; }

    void setNotification(std::string text) { m_notification = std::move(text); }
    const std::string& notification() const { return m_notification; }
    int notificationLength() const; // in characters, not bytes
    std::string notificationCounter() const; // "12 / 150 tegn"

    // Every reason sending is refused now, one sentence each; empty: it may go ahead.
    std::vector<std::string> problems() const;
    bool canSend() const { return problems().empty(); }
    // What the person must know before confirming, though it does not stop sending: no delivery
    // route is set up on this computer, so the letters wait in the outbox. Shown beside
    // problems() in the dialog and repeated in the confirmation, never only afterwards.
    std::vector<std::string> notices() const;
    std::string confirmationText() const;

    // Queues one message per chosen recipient through app::DocumentService::send (the same
    // version and person again: nothing new). `pdf` is the rendered version. Error(BadInput)
    // when refused; nothing is queued then.
    delivery::QueueResult send(const std::string& pdf);

    // The flush, split for the UI: claim the due messages (main thread), send them (any thread,
    // no store), record what happened (main thread). Returns how many were sent.
    std::vector<delivery::ClaimedMessage> claimDue(std::int64_t now);
    int finishAttempts(const std::vector<delivery::ClaimedMessage>& attempts,
        const std::vector<delivery::SendOutcome>& outcomes, std::int64_t now);

    std::vector<DeliveryLine> deliveries() const; // this document's messages, all versions
    void retry(const std::string& messageUuid, std::int64_t now);

    // A printed copy handed over: to whom and when (YYYY-MM-DD). Error(BadInput) if empty.
    void recordPaper(const std::string& recipient, const std::string& date, const std::string& author);
    std::vector<std::string> paperLines() const; // "2026-11-23: Peter Nørgaard (version 1, Jens Ravn)"

private:
    std::string toArgument() const;
    std::string nameFor(const std::string& normalisedCpr) const;

    app::DocumentService& m_documents;
    Store& m_store;
    std::string m_docId;
    int m_requestedVersion;
    std::string m_documentTitle;
    std::string m_notification;
    std::vector<SendCandidate> m_candidates;
    delivery::DeliveryPreview m_preview;
};

// "0101901234" -> "010190-1234"; anything else as it is.
std::string displayCpr(const std::string& cpr);

} // namespace fplan::gui
