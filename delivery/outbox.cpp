// SPDX-License-Identifier: EUPL-1.2
#include "delivery/outbox.h"

#include "base/error.h"
#include "core/sql.h"
#include "core/store.h"
#include "crypto/random.h"
#include "delivery/memo.h"

#include <algorithm>

namespace fplan::delivery {

namespace {

const std::vector<const char*>& migrations()
{
    static const std::vector<const char*> list = {
        // One statement per step, whatever way the store runs them.
        "CREATE TABLE delivery_outbox ("
        "  message_uuid TEXT PRIMARY KEY,"
        "  doc_id TEXT NOT NULL,"
        "  version INTEGER NOT NULL,"
        "  recipient TEXT NOT NULL,"
        "  status TEXT NOT NULL CHECK (status IN ('queued','sending','sent','failed')),"
        "  attempts INTEGER NOT NULL DEFAULT 0,"
        "  next_attempt_at INTEGER NOT NULL,"
        "  last_error TEXT NOT NULL DEFAULT '',"
        "  created_at INTEGER NOT NULL,"
        "  sent_at INTEGER,"
        "  message TEXT NOT NULL)",
        "CREATE INDEX delivery_outbox_due ON delivery_outbox(status, next_attempt_at)",
        "CREATE TABLE delivery_paper ("
        "  id TEXT PRIMARY KEY,"
        "  doc_id TEXT NOT NULL,"
        "  version INTEGER NOT NULL,"
        "  recipient TEXT NOT NULL,"
        "  handed_over_on TEXT NOT NULL,"
        "  recorded_by TEXT NOT NULL,"
        "  recorded_at INTEGER NOT NULL)",
        // The version's id (its finalize op id), which never changes; the number may be shared
        // by two concurrent versions. Empty for entries queued before it was recorded.
        "ALTER TABLE delivery_outbox ADD COLUMN version_id TEXT NOT NULL DEFAULT ''",
    };
    return list;
}

constexpr const char* EntryColumns
    = "message_uuid, doc_id, version, recipient, status, attempts, next_attempt_at, last_error,"
      " created_at, sent_at, version_id";

OutboxStatus statusFrom(const std::string& s)
{
    if (s == "queued")
        return OutboxStatus::Queued;
    if (s == "sending")
        return OutboxStatus::Sending;
    if (s == "sent")
        return OutboxStatus::Sent;
    if (s == "failed")
        return OutboxStatus::Failed;
    throw Error(ErrorCode::Storage, "outbox: unknown status '" + s + "'");
}

OutboxEntry readEntry(const sql::Statement& st)
{
    OutboxEntry e;
    e.messageUuid = st.text(0);
    e.docId = st.text(1);
    e.version = static_cast<int>(st.integer(2));
    e.recipient = st.text(3);
    e.status = statusFrom(st.text(4));
    e.attempts = static_cast<int>(st.integer(5));
    e.nextAttemptAt = st.integer(6);
    e.lastError = st.text(7);
    e.createdAt = st.integer(8);
    if (!st.isNull(9))
        e.sentAt = st.integer(9);
    e.versionId = st.text(10);
    return e;
}

bool isDate(const std::string& s)
{
    if (s.size() != 10 || s[4] != '-' || s[7] != '-')
        return false;
    for (std::size_t i = 0; i < s.size(); ++i)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return false;
    const int month = std::stoi(s.substr(5, 2));
    const int day = std::stoi(s.substr(8, 2));
    return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

} // namespace

const char* toString(OutboxStatus status)
{
    switch (status) {
    case OutboxStatus::Queued:
        return "queued";
    case OutboxStatus::Sending:
        return "sending";
    case OutboxStatus::Sent:
        return "sent";
    case OutboxStatus::Failed:
        return "failed";
    }
    return "unknown";
}

std::chrono::seconds RetryPolicy::delayAfter(int attempts) const
{
    auto delay = baseDelay;
    for (int i = 1; i < attempts && delay < maxDelay; ++i)
        delay *= 2;
    return std::min(delay, maxDelay);
}

std::int64_t unixNow()
{
    return std::chrono::duration_cast<std::chrono::seconds>(
        std::chrono::system_clock::now().time_since_epoch())
        .count();
}

Outbox::Outbox(Store& store)
    : m_store(store)
{
    m_store.migrateModule("delivery", migrations());
}

bool Outbox::enqueue(const MemoMessage& message, const std::string& docId, int version, std::int64_t now)
{
    bool added = false;
    m_store.transaction([&] {
        // Already queued: this message, or this version (by its id) to this recipient.
        sql::Statement exists(m_store.handle(),
            "SELECT 1 FROM delivery_outbox WHERE message_uuid = ?"
            " OR (version_id <> '' AND version_id = ? AND doc_id = ? AND recipient = ?)");
        exists.bind(1, message.uuid).bind(2, message.versionId).bind(3, docId).bind(4, message.recipient);
        if (exists.step())
            return;
        sql::Statement insert(m_store.handle(),
            "INSERT INTO delivery_outbox (message_uuid, doc_id, version, recipient,"
            " status, attempts, next_attempt_at, created_at, message, version_id)"
            " VALUES (?, ?, ?, ?, 'queued', 0, ?, ?, ?, ?)");
        insert.bind(1, message.uuid)
            .bind(2, docId)
            .bind(3, std::int64_t { version })
            .bind(4, message.recipient)
            .bind(5, now)
            .bind(6, now)
            .bind(7, message.xml)
            .bind(8, message.versionId);
        insert.run();
        added = true;
    });
    return added;
}

int Outbox::enqueueAll(
    const std::vector<MemoMessage>& messages, const std::string& docId, int version, std::int64_t now)
{
    int added = 0;
    m_store.transaction([&] {
        for (const auto& m : messages)
            added += enqueue(m, docId, version, now) ? 1 : 0;
    });
    return added;
}

std::vector<OutboxEntry> Outbox::list(const std::string& docId) const
{
    sql::Statement st(m_store.handle(),
        std::string("SELECT ") + EntryColumns
            + " FROM delivery_outbox WHERE ? = '' OR doc_id = ?"
              " ORDER BY created_at, message_uuid");
    st.bind(1, docId).bind(2, docId);
    std::vector<OutboxEntry> out;
    while (st.step())
        out.push_back(readEntry(st));
    return out;
}

std::optional<OutboxEntry> Outbox::entry(const std::string& messageUuid) const
{
    sql::Statement st(m_store.handle(),
        std::string("SELECT ") + EntryColumns + " FROM delivery_outbox WHERE message_uuid = ?");
    st.bind(1, messageUuid);
    if (!st.step())
        return std::nullopt;
    return readEntry(st);
}

std::string Outbox::messageXml(const std::string& messageUuid) const
{
    sql::Statement st(m_store.handle(), "SELECT message FROM delivery_outbox WHERE message_uuid = ?");
    st.bind(1, messageUuid);
    if (!st.step())
        throw Error(ErrorCode::NotFound, "no message " + messageUuid + " in the outbox");
    return st.text(0);
}

std::vector<OutboxEntry> Outbox::due(std::int64_t now)
{
    m_store.transaction([&] {
        sql::Statement reset(m_store.handle(),
            "UPDATE delivery_outbox SET status = 'queued'"
            " WHERE status = 'sending' AND next_attempt_at <= ?");
        reset.bind(1, now).run();
    });
    sql::Statement st(m_store.handle(),
        std::string("SELECT ") + EntryColumns
            + " FROM delivery_outbox WHERE status = 'queued' AND next_attempt_at <= ?"
              " ORDER BY next_attempt_at, created_at, message_uuid");
    st.bind(1, now);
    std::vector<OutboxEntry> out;
    while (st.step())
        out.push_back(readEntry(st));
    return out;
}

std::optional<std::int64_t> Outbox::nextAttemptAt() const
{
    sql::Statement st(m_store.handle(),
        "SELECT min(next_attempt_at) FROM delivery_outbox"
        " WHERE status IN ('queued', 'sending')");
    if (!st.step() || st.isNull(0))
        return std::nullopt;
    return st.integer(0);
}

void Outbox::markSending(const std::string& messageUuid, std::int64_t now)
{
    m_store.transaction([&] {
        sql::Statement st(m_store.handle(),
            "UPDATE delivery_outbox SET status = 'sending', attempts = attempts + 1,"
            " next_attempt_at = ? WHERE message_uuid = ? AND status = 'queued'");
        st.bind(1, now + SendingLease).bind(2, messageUuid);
        st.run();
    });
    const auto e = entry(messageUuid);
    if (!e || e->status != OutboxStatus::Sending)
        throw Error(ErrorCode::Conflict, "message " + messageUuid + " is not waiting to be sent");
}

void Outbox::markSent(const std::string& messageUuid, std::int64_t now)
{
    m_store.transaction([&] {
        sql::Statement st(m_store.handle(),
            "UPDATE delivery_outbox SET status = 'sent', sent_at = ?, last_error = ''"
            " WHERE message_uuid = ?");
        st.bind(1, now).bind(2, messageUuid);
        st.run();
    });
}

OutboxStatus Outbox::markAttemptFailed(const std::string& messageUuid, const std::string& error,
    bool permanent, std::int64_t now, const RetryPolicy& policy)
{
    OutboxStatus status = OutboxStatus::Queued;
    m_store.transaction([&] {
        const auto e = entry(messageUuid);
        if (!e)
            throw Error(ErrorCode::NotFound, "no message " + messageUuid + " in the outbox");
        const int attempts = std::max(e->attempts, 1);
        status = permanent || attempts >= policy.maxAttempts ? OutboxStatus::Failed : OutboxStatus::Queued;
        sql::Statement st(m_store.handle(),
            "UPDATE delivery_outbox SET status = ?, last_error = ?, next_attempt_at = ?"
            " WHERE message_uuid = ?");
        st.bind(1, toString(status))
            .bind(2, error)
            .bind(3, now + policy.delayAfter(attempts).count())
            .bind(4, messageUuid);
        st.run();
    });
    return status;
}

void Outbox::retry(const std::string& messageUuid, std::int64_t now)
{
    m_store.transaction([&] {
        sql::Statement st(m_store.handle(),
            "UPDATE delivery_outbox SET status = 'queued', attempts = 0,"
            " next_attempt_at = ? WHERE message_uuid = ? AND status = 'failed'");
        st.bind(1, now).bind(2, messageUuid);
        st.run();
    });
}

PaperDelivery Outbox::recordPaperDelivery(const std::string& docId, int version, const std::string& recipient,
    const std::string& handedOverOn, const std::string& recordedBy, std::int64_t now)
{
    if (docId.empty() || version < 1)
        throw Error(ErrorCode::BadInput, "a paper delivery needs a document and a finalised version");
    if (recipient.empty())
        throw Error(ErrorCode::BadInput, "a paper delivery needs the person it was handed to");
    if (!isDate(handedOverOn))
        throw Error(
            ErrorCode::BadInput, "paper delivery date '" + handedOverOn + "' is not a date (YYYY-MM-DD)");
    PaperDelivery p { crypto::newUuid(), docId, version, recipient, handedOverOn, recordedBy, now };
    m_store.transaction([&] {
        sql::Statement st(m_store.handle(),
            "INSERT INTO delivery_paper (id, doc_id, version, recipient, handed_over_on,"
            " recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
        st.bind(1, p.id)
            .bind(2, p.docId)
            .bind(3, std::int64_t { p.version })
            .bind(4, p.recipient)
            .bind(5, p.handedOverOn)
            .bind(6, p.recordedBy)
            .bind(7, p.recordedAt);
        st.run();
    });
    return p;
}

std::vector<PaperDelivery> Outbox::paperDeliveries(const std::string& docId) const
{
    sql::Statement st(m_store.handle(),
        "SELECT id, doc_id, version, recipient, handed_over_on, recorded_by, recorded_at"
        " FROM delivery_paper WHERE ? = '' OR doc_id = ? ORDER BY recorded_at, id");
    st.bind(1, docId).bind(2, docId);
    std::vector<PaperDelivery> out;
    while (st.step())
        out.push_back({ st.text(0), st.text(1), static_cast<int>(st.integer(2)), st.text(3), st.text(4),
            st.text(5), st.integer(6) });
    return out;
}

} // namespace fplan::delivery
