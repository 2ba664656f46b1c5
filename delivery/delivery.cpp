// SPDX-License-Identifier: EUPL-1.2
#include "delivery/delivery.h"

#include "core/case.h"
#include "core/cpr.h"
#include "base/error.h"
#include "core/store.h"

#include <algorithm>
#include <functional>
#include <set>

namespace fplan::delivery {

namespace {

Case caseOf(const Store& store, const std::string& docId)
{
    const auto doc = store.document(docId);
    if (!doc)
        throw Error(ErrorCode::NotFound, "no document " + docId + " in the store");
    const auto caseDoc = store.caseDocumentId(doc->caseId);
    if (!caseDoc)
        throw Error(ErrorCode::NotFound, "document " + docId + " belongs to no case in the store");
    return caseFromState(doc->caseId, store.documentState(*caseDoc));
}

std::string trimmed(const std::string& s)
{
    const auto first = s.find_first_not_of(" \t");
    if (first == std::string::npos)
        return {};
    return s.substr(first, s.find_last_not_of(" \t") - first + 1);
}

} // namespace

std::vector<Recipient> resolveRecipients(
    const Store& store, const std::string& docId, const std::string& to, const std::string& outsideCase)
{
    std::vector<Recipient> out;
    std::set<std::string> seen;
    const Case c = caseOf(store, docId);
    if (to == "parents") {
        for (const auto& p : c.people) {
            if (!p.custody)
                continue;
            const auto cpr = normaliseCpr(p.cpr);
            if (!cpr || !checkCpr(*cpr).valid)
                throw Error(ErrorCode::BadInput,
                    p.name + " has custody but no valid CPR number ('" + p.cpr
                        + "'); correct the case first");
            if (seen.insert(*cpr).second)
                out.push_back({ *cpr, p.name });
        }
        if (out.empty())
            throw Error(ErrorCode::BadInput,
                "nobody in case " + c.id + " has custody: name the recipients' CPR numbers");
    }
    // CPR numbers: those of --to must belong to people in the case (one mistyped digit must not
    // send a family's plan to a stranger); those of --to-outside-case are the legal exception.
    auto addList = [&](const std::string& list, bool inCase) {
        std::size_t start = 0;
        while (start <= list.size()) {
            const auto comma = list.find(',', start);
            const auto item
                = trimmed(list.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
            start = comma == std::string::npos ? list.size() + 1 : comma + 1;
            if (item.empty())
                continue;
            const auto check = checkCpr(item);
            const auto cpr = normaliseCpr(item);
            if (!check.valid || !cpr)
                throw Error(ErrorCode::BadInput,
                    "recipient '" + item + "' is not a valid CPR number"
                        + (check.reason.empty() ? "" : ": " + check.reason));
            const auto person = std::find_if(c.people.begin(), c.people.end(),
                [&](const Person& p) { return normaliseCpr(p.cpr) == cpr; });
            if (inCase && person == c.people.end())
                throw Error(ErrorCode::BadInput,
                    "recipient " + item + " is not a person in case " + c.id
                        + " (mistyped?); nothing was sent. A recipient outside the case needs "
                          "--to-outside-case");
            if (seen.insert(*cpr).second)
                out.push_back({ *cpr, person == c.people.end() ? std::string() : person->name });
        }
    };
    if (to != "parents")
        addList(to, true);
    addList(outsideCase, false);
    if (out.empty())
        throw Error(ErrorCode::BadInput, "no recipients: use --to parents or --to CPR[,CPR]");
    return out;
}

int resolveVersion(const Store& store, const std::string& docId, int requested)
{
    if (!store.document(docId))
        throw Error(ErrorCode::NotFound, "no document " + docId + " in the store");
    const auto state = store.documentState(docId);
    const auto& versions = state.versions();
    if (versions.empty())
        throw Error(
            ErrorCode::Conflict, "document " + docId + " has no finalised version yet (fplan doc finalize)");
    if (requested == 0)
        return versions.back().number;
    for (const auto& v : versions)
        if (v.number == requested)
            return requested;
    throw Error(ErrorCode::NotFound, "document " + docId + " has no version " + std::to_string(requested));
}

MemoMessage buildMessageFor(const Store& store, const SendRequest& request, const Recipient& recipient)
{
    const int version = resolveVersion(store, request.docId, request.version);
    const Case c = caseOf(store, request.docId);
    const std::string title = request.documentTitle.empty() ? "Dokument" : request.documentTitle;
    MemoInput in;
    in.docId = request.docId;
    in.version = version;
    in.senderCvr = store.setting("municipality.cvr").value_or("");
    in.senderName = store.setting("municipality.name").value_or("");
    in.recipientCpr = recipient.cpr;
    in.label = title + " – version " + std::to_string(version);
    in.notification = request.notification;
    in.journalNumber = c.journalNumber;
    in.kle = c.kle;
    in.fileName = request.fileName.empty() ? documentFileName(title, version) : request.fileName;
    in.pdf = request.pdf;
    return buildMemoMessage(in);
}

QueueResult queueForDelivery(Store& store, const SendRequest& request)
{
    if (request.recipients.empty())
        throw Error(ErrorCode::BadInput, "no recipients to send " + request.docId + " to");
    QueueResult result;
    result.version = resolveVersion(store, request.docId, request.version);
    SendRequest fixed = request;
    fixed.version = result.version;
    // Every message is built and validated before anything is written.
    std::vector<MemoMessage> messages;
    for (const auto& r : request.recipients)
        messages.push_back(buildMessageFor(store, fixed, r));
    Outbox outbox(store);
    result.newlyQueued = outbox.enqueueAll(messages, request.docId, result.version, unixNow());
    for (const auto& m : messages)
        result.messageUuids.push_back(m.uuid);
    return result;
}

FlushReport flushOutbox(Store& store, Transport& transport, const RetryPolicy& policy, std::int64_t now)
{
    Outbox outbox(store);
    FlushReport report;
    for (const auto& entry : outbox.due(now)) {
        try {
            outbox.markSending(entry.messageUuid, now);
        } catch (const Error& e) {
            if (e.code() != ErrorCode::Conflict)
                throw;
            continue; // another flush took it between due() and now
        }
        const auto outcome = transport.send(entry.messageUuid, outbox.messageXml(entry.messageUuid));
        if (outcome.kind == SendOutcome::Kind::Delivered) {
            outbox.markSent(entry.messageUuid, now);
            ++report.sent;
            continue;
        }
        const auto status = outbox.markAttemptFailed(
            entry.messageUuid, outcome.error, outcome.kind == SendOutcome::Kind::Permanent, now, policy);
        ++(status == OutboxStatus::Failed ? report.failed : report.retrying);
        report.errors.push_back(entry.messageUuid + " (" + entry.recipient + "): " + outcome.error);
    }
    return report;
}

std::unique_ptr<Transport> transportFromSettings(const Store& store)
{
    return makeTransport(store.settings());
}

DeliveryPreview previewDelivery(Store& store, const std::string& docId, int version, const std::string& to,
    const std::string& documentTitle)
{
    DeliveryPreview p;
    const auto note = [&](const std::function<void()>& step) {
        try {
            step();
        } catch (const Error& e) {
            p.problems.push_back(e.what());
        }
    };
    note([&] { p.version = resolveVersion(store, docId, version); });
    note([&] { p.recipients = resolveRecipients(store, docId, to); });
    const auto cvr = store.setting("municipality.cvr").value_or("");
    if (cvr.empty() || store.setting("municipality.name").value_or("").empty())
        p.problems.push_back("no sender: set municipality.cvr and municipality.name");
    else if (cvr.size() != 8 || cvr.find_first_not_of("0123456789") != std::string::npos)
        p.problems.push_back("municipality.cvr '" + cvr + "' is not a CVR number (8 digits)");
    const std::string title = documentTitle.empty() ? "Dokument" : documentTitle;
    if (p.version > 0) {
        p.label = title + " – version " + std::to_string(p.version);
        p.fileName = documentFileName(title, p.version);
    }
    Outbox outbox(store);
    p.earlier = outbox.list(docId);
    p.paper = outbox.paperDeliveries(docId);
    try {
        transportFromSettings(store);
        p.transportConfigured = true;
    } catch (const Error&) {
        // A transport not (yet) configured delays delivery; it does not refuse it.
    }
    return p;
}

std::string documentFileName(const std::string& documentTitle, int version)
{
    return cleanFileName(documentTitle + " version " + std::to_string(version) + ".pdf");
}

} // namespace fplan::delivery
