// SPDX-License-Identifier: EUPL-1.2
#pragma once

// What "Send til familien" needs: who gets the letter, build and queue the messages, hand them
// on, and record a printed copy.

#include "core/document.h"
#include "delivery/memo.h"
#include "delivery/outbox.h"
#include "delivery/transport.h"

#include <string>
#include <vector>

namespace fplan {
class Store;
}

namespace fplan::delivery {

struct Recipient {
    std::string cpr; // normalised
    std::string name; // empty when given as a bare CPR number
};

// The recipients of `to`: "parents" (each person of the document's case with custody) or a
// comma-separated list of CPR numbers of people in the case, plus `outsideCase`: CPR numbers
// of people outside the case (a rare legal exception the caller logs). Error(BadInput) for an
// invalid CPR, a CPR in `to` of nobody in the case, or nobody to send to.
std::vector<Recipient> resolveRecipients(
    const Store& store, const std::string& docId, const std::string& to, const std::string& outsideCase = {});

struct SendRequest {
    std::string docId;
    VersionRef version; // a number, an id, or (number 0) the latest finalised version
    std::vector<Recipient> recipients;
    std::string pdf; // the rendered version's bytes
    std::string documentTitle; // "Familieplan"; the label becomes "Familieplan – version 2"
    std::string notification; // optional
    std::string fileName; // optional; refused if it breaks Digital Post's rules;
                          // default documentFileName(documentTitle, version)
};

// The version a request means (findVersion's rules); Error(NotFound) for no such document or
// version, Error(Conflict) when none is finalised.
Version resolveVersion(const Store& store, const std::string& docId, const VersionRef& requested);

// One message for one recipient, from the store's settings and the case (no queueing).
MemoMessage buildMessageFor(const Store& store, const SendRequest& request, const Recipient& recipient);

struct QueueResult {
    int version = 0;
    std::vector<std::string> messageUuids; // one per recipient, in order
    int newlyQueued = 0; // the others were queued (or sent) before
};

// Builds and validates every message first; queues all of them in one transaction, or none
// when any is refused (missing sender, invalid CPR, bad file name, too big...).
QueueResult queueForDelivery(Store& store, const SendRequest& request);

struct FlushReport {
    int sent = 0;
    int retrying = 0;
    int failed = 0;
    std::vector<std::string> errors; // "UUID (CPR): reason" for each failed attempt
};

// One message claimed for an attempt: all a sender needs, without the store.
struct ClaimedMessage {
    std::string messageUuid;
    std::string recipient; // CPR
    std::string memoXml;
};

// A flush in three steps, so the store can stay on one thread while the network runs on
// another: claim up to `limit` messages whose turn has come (one short transaction; a claim runs
// out after Outbox::SendingLease, so a flush cut short is retried), send the claimed messages
// (transport only, no store), record the outcomes (one transaction). The limit keeps a batch's
// sending (a request timeout each at worst) well inside the lease, so no letter is claimed again
// while it is being sent.
inline constexpr std::size_t ClaimBatch = 8;
std::vector<ClaimedMessage> claimDue(
    Store& store, std::int64_t now = unixNow(), std::size_t limit = ClaimBatch);
std::vector<SendOutcome> sendClaimed(Transport& transport, const std::vector<ClaimedMessage>& claimed);
FlushReport recordOutcomes(Store& store, const std::vector<ClaimedMessage>& claimed,
    const std::vector<SendOutcome>& outcomes, const RetryPolicy& policy = {}, std::int64_t now = unixNow());

// The three steps, batch after batch: tries every message whose turn has come, once, through
// `transport`.
FlushReport flushOutbox(
    Store& store, Transport& transport, const RetryPolicy& policy = {}, std::int64_t now = unixNow());

// The store's delivery settings as a transport (see makeTransport).
std::unique_ptr<Transport> transportFromSettings(const Store& store);

// Why sending would be refused. The sentence a person reads is made from the code where it is
// shown (describe() in English for the CLI; Danish in the desktop); never parsed back.
enum class DeliveryProblemCode {
    NoDocument, // detail: the document id
    NotFinalised, // no version is finalised yet
    NoSuchVersion, // detail: the version asked for
    NoSender, // municipality.cvr or municipality.name is not set
    BadCvr, // detail: the CVR number as set
    CustodyWithoutCpr, // detail: the person's name, path: {"people", person id}
    BadRecipientCpr, // detail: the recipient as given
    RecipientNotInCase, // detail: the CPR as given, path: {option, case id}
    NoRecipients,
};

struct DeliveryProblem {
    std::vector<std::string> path; // the setting or case part it is about: {"municipality", "cvr"}
    DeliveryProblemCode code;
    std::string detail;
};

std::string describe(const DeliveryProblem& problem); // English

// What "Send til familien" shows before anything is sent: who, which version, under which
// title and file name, what was sent or handed over before, and every reason it would be
// refused (each a sentence for a person; empty when sending can go ahead).
struct DeliveryPreview {
    int version = 0;
    std::string versionId; // the version's stable id (send it by this, not by its number)
    std::string label;
    std::string fileName;
    std::vector<Recipient> recipients;
    std::vector<DeliveryProblem> problems;
    std::vector<OutboxEntry> earlier; // this document's messages already in the outbox
    std::vector<PaperDelivery> paper; // printed copies recorded as handed over
    bool transportConfigured = false; // false: messages wait in the outbox
};
DeliveryPreview previewDelivery(Store& store, const std::string& docId, const VersionRef& version,
    const std::string& to, const std::string& documentTitle);

// The file name a document gets in the citizen's mailbox: "Familieplan version 2.pdf".
std::string documentFileName(const std::string& documentTitle, int version);

} // namespace fplan::delivery
