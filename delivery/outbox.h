// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace fplan {
class Store;
}

namespace fplan::delivery {

struct MemoMessage;

enum class OutboxStatus { Queued, Sending, Sent, Failed };
const char* toString(OutboxStatus status);

struct OutboxEntry {
    std::string messageUuid;
    std::string docId;
    int version = 0;
    std::string versionId; // the version's finalize op id; empty for entries from before it was kept
    std::string recipient; // CPR
    OutboxStatus status = OutboxStatus::Queued;
    int attempts = 0;
    std::int64_t nextAttemptAt = 0; // Unix seconds
    std::string lastError; // empty until an attempt failed
    std::int64_t createdAt = 0;
    std::optional<std::int64_t> sentAt;
};

// When to try again: baseDelay, then doubled per attempt up to maxDelay; after maxAttempts
// failed attempts the message is marked failed for a person to look at.
struct RetryPolicy {
    int maxAttempts = 8;
    std::chrono::seconds baseDelay { 60 };
    std::chrono::seconds maxDelay { std::chrono::hours(6) };
    std::chrono::seconds delayAfter(int attempts) const; // attempts >= 1
};

// A printed copy handed over to a family member (the GUI prints; this records it).
struct PaperDelivery {
    std::string id;
    std::string docId;
    int version = 0;
    std::string recipient; // the person's name or CPR, as the caseworker gave it
    std::string handedOverOn; // YYYY-MM-DD
    std::string recordedBy;
    std::int64_t recordedAt = 0;
};

// The durable outbox, in the store's own encrypted file (tables delivery_*):
// queued -> sending -> sent | (queued again with backoff) | failed. Idempotent by message UUID.
class Outbox {
public:
    explicit Outbox(Store& store); // applies the delivery module's migrations

    // Queues a message; one already in the outbox (by UUID, or the same version id to the same
    // recipient) is left as it is (returns false).
    bool enqueue(const MemoMessage& message, const std::string& docId, int version, std::int64_t now);
    // Several messages in one transaction: all are queued or none.
    int enqueueAll(
        const std::vector<MemoMessage>& messages, const std::string& docId, int version, std::int64_t now);

    std::vector<OutboxEntry> list(const std::string& docId = {}) const; // all, or one document's
    std::optional<OutboxEntry> entry(const std::string& messageUuid) const;
    std::string messageXml(const std::string& messageUuid) const;

    // Messages whose turn has come, oldest first. A message left in "sending" past its lease
    // (the sender crashed) is queued again first; Digital Post drops a second copy of a UUID.
    std::vector<OutboxEntry> due(std::int64_t now);

    // When the next queued message is due (Unix seconds), so a caller can schedule the next
    // flush; nullopt when nothing waits.
    std::optional<std::int64_t> nextAttemptAt() const;

    // Claims a queued message for one attempt, for `lease` seconds (another flush, e.g. the
    // GUI's and the CLI's at once, leaves it alone meanwhile). Error(Conflict) if not queued.
    static constexpr std::int64_t SendingLease = 15 * 60;
    void markSending(const std::string& messageUuid, std::int64_t now);
    void markSent(const std::string& messageUuid, std::int64_t now);
    // A failed attempt: queued again after the policy's delay, or failed when `permanent` or
    // out of attempts. Returns the new status.
    OutboxStatus markAttemptFailed(const std::string& messageUuid, const std::string& error, bool permanent,
        std::int64_t now, const RetryPolicy& policy);
    // A person decided to try a failed message again: attempts start over.
    void retry(const std::string& messageUuid, std::int64_t now);

    PaperDelivery recordPaperDelivery(const std::string& docId, int version, const std::string& recipient,
        const std::string& handedOverOn, const std::string& recordedBy, std::int64_t now);
    std::vector<PaperDelivery> paperDeliveries(const std::string& docId = {}) const;

private:
    Store& m_store;
};

std::int64_t unixNow();

} // namespace fplan::delivery
