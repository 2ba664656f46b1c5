// SPDX-License-Identifier: EUPL-1.2
#include "delivery/delivery.h"

#include "base/error.h"
#include "core/case.h"
#include "core/cpr.h"
#include "core/store.h"

#include <algorithm>
#include <functional>
#include <optional>
#include <set>

namespace fplan::delivery {

namespace {

std::string trimmed(const std::string& s)
{
    const auto first = s.find_first_not_of(" \t");
    if (first == std::string::npos)
        return {};
    return s.substr(first, s.find_last_not_of(" \t") - first + 1);
}

} // namespace

namespace {

struct Recipients {
    std::vector<Recipient> recipients;
    std::vector<DeliveryProblem> problems;
};

Recipients collectRecipients(
    const Store& store, const std::string& docId, const std::string& to, const std::string& outsideCase)
{
    Recipients out;
    std::set<std::string> seen;
    const Case c = loadCaseOfDocument(store, docId);
    if (to == "parents") {
        for (const auto& p : c.people) {
            if (!p.custody)
                continue;
            const auto cpr = normaliseCpr(p.cpr);
            if (!cpr || !checkCpr(*cpr).valid)
                out.problems.push_back(
                    { { "people", p.id }, DeliveryProblemCode::CustodyWithoutCpr, p.name });
            else if (seen.insert(*cpr).second)
                out.recipients.push_back({ *cpr, p.name });
        }
        if (out.recipients.empty() && out.problems.empty())
            out.problems.push_back({ { "case", c.id }, DeliveryProblemCode::NoRecipients, {} });
        if (outsideCase.empty())
            return out;
    }
    // CPR numbers: those of --to must belong to people in the case (one mistyped digit must not
    // send a family's plan to a stranger); those of --to-outside-case are the legal exception.
    const auto addList = [&](const std::string& list, const char* option, bool inCase) {
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
            if (!check.valid || !cpr) {
                out.problems.push_back({ { option }, DeliveryProblemCode::BadRecipientCpr, item });
                continue;
            }
            const auto person = std::find_if(c.people.begin(), c.people.end(),
                [&](const Person& p) { return normaliseCpr(p.cpr) == cpr; });
            if (inCase && person == c.people.end()) {
                out.problems.push_back({ { option, c.id }, DeliveryProblemCode::RecipientNotInCase, item });
                continue;
            }
            if (seen.insert(*cpr).second)
                out.recipients.push_back({ *cpr, person == c.people.end() ? std::string() : person->name });
        }
    };
    if (to != "parents")
        addList(to, "to", true);
    addList(outsideCase, "to-outside-case", false);
    if (out.recipients.empty() && out.problems.empty())
        out.problems.push_back({ { "to" }, DeliveryProblemCode::NoRecipients, {} });
    return out;
}

// The version a request means, or why there is none.
std::optional<DeliveryProblem> versionProblem(
    const Store& store, const std::string& docId, const VersionRef& requested, Version& version)
{
    if (!store.document(docId))
        return DeliveryProblem { { "document" }, DeliveryProblemCode::NoDocument, docId };
    try {
        version = findVersion(store.documentState(docId), docId, requested);
        return std::nullopt;
    } catch (const Error& e) {
        if (e.code() == ErrorCode::Conflict)
            return DeliveryProblem { { "document", "version" }, DeliveryProblemCode::NotFinalised, docId };
        if (e.code() == ErrorCode::NotFound)
            return DeliveryProblem { { "document", "version" }, DeliveryProblemCode::NoSuchVersion,
                requested.text() };
        throw;
    }
}

std::optional<DeliveryProblem> senderProblem(const Store& store)
{
    const auto cvr = store.setting("municipality.cvr").value_or("");
    if (cvr.empty() || store.setting("municipality.name").value_or("").empty())
        return DeliveryProblem { { "municipality" }, DeliveryProblemCode::NoSender, {} };
    if (cvr.size() != 8 || cvr.find_first_not_of("0123456789") != std::string::npos)
        return DeliveryProblem { { "municipality", "cvr" }, DeliveryProblemCode::BadCvr, cvr };
    return std::nullopt;
}

ErrorCode errorCodeOf(DeliveryProblemCode code)
{
    switch (code) {
    case DeliveryProblemCode::NoDocument:
    case DeliveryProblemCode::NoSuchVersion:
        return ErrorCode::NotFound;
    case DeliveryProblemCode::NotFinalised:
        return ErrorCode::Conflict;
    default:
        return ErrorCode::BadInput;
    }
}

} // namespace

std::string describe(const DeliveryProblem& p)
{
    switch (p.code) {
    case DeliveryProblemCode::NoDocument:
        return "no document " + p.detail + " in the store";
    case DeliveryProblemCode::NotFinalised:
        return "document " + p.detail + " has no finalised version yet (fplan doc finalize)";
    case DeliveryProblemCode::NoSuchVersion:
        return "the document has no version " + p.detail;
    case DeliveryProblemCode::NoSender:
        return "no sender: set municipality.cvr and municipality.name";
    case DeliveryProblemCode::BadCvr:
        return "municipality.cvr '" + p.detail + "' is not a CVR number (8 digits)";
    case DeliveryProblemCode::CustodyWithoutCpr:
        return p.detail + " has custody but no valid CPR number; correct the case first";
    case DeliveryProblemCode::BadRecipientCpr: {
        const auto check = checkCpr(p.detail);
        return "recipient '" + p.detail + "' is not a valid CPR number"
            + (check.reason.empty() ? "" : ": " + check.reason);
    }
    case DeliveryProblemCode::RecipientNotInCase:
        return "recipient " + p.detail + " is not a person in case "
            + (p.path.size() > 1 ? p.path[1] : std::string())
            + " (mistyped?); nothing was sent. A recipient outside the case needs --to-outside-case";
    case DeliveryProblemCode::NoRecipients:
        if (p.path.size() == 2 && p.path[0] == "case")
            return "nobody in case " + p.path[1] + " has custody: name the recipients' CPR numbers";
        return "no recipients: use --to parents or --to CPR[,CPR]";
    }
    return "unknown problem";
}

std::vector<Recipient> resolveRecipients(
    const Store& store, const std::string& docId, const std::string& to, const std::string& outsideCase)
{
    auto found = collectRecipients(store, docId, to, outsideCase);
    if (!found.problems.empty())
        throw Error(errorCodeOf(found.problems.front().code), describe(found.problems.front()));
    return std::move(found.recipients);
}

Version resolveVersion(const Store& store, const std::string& docId, const VersionRef& requested)
{
    Version version;
    if (const auto problem = versionProblem(store, docId, requested, version)) {
        if (problem->code == DeliveryProblemCode::NoDocument)
            throw Error(ErrorCode::NotFound, describe(*problem));
        findVersion(store.documentState(docId), docId, requested); // throws the one "no version" message
    }
    return version;
}

MemoMessage buildMessageFor(const Store& store, const SendRequest& request, const Recipient& recipient)
{
    const Version found = resolveVersion(store, request.docId, request.version);
    const int version = found.number;
    const Case c = loadCaseOfDocument(store, request.docId);
    const std::string title = request.documentTitle.empty() ? "Dokument" : request.documentTitle;
    MemoInput in;
    in.docId = request.docId;
    in.version = version;
    in.versionId = found.opId;
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
    const Version found = resolveVersion(store, request.docId, request.version);
    result.version = found.number;
    SendRequest fixed = request;
    fixed.version = VersionRef::byId(found.opId);
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

std::vector<ClaimedMessage> claimDue(Store& store, std::int64_t now, std::size_t limit)
{
    Outbox outbox(store);
    std::vector<ClaimedMessage> claimed;
    store.transaction([&] {
        claimed.clear();
        for (const auto& entry : outbox.due(now)) {
            if (claimed.size() >= limit)
                break;
            try {
                outbox.markSending(entry.messageUuid, now);
            } catch (const Error& e) {
                if (e.code() != ErrorCode::Conflict)
                    throw;
                continue; // not waiting any more (retried or failed meanwhile)
            }
            claimed.push_back({ entry.messageUuid, entry.recipient, outbox.messageXml(entry.messageUuid) });
        }
    });
    return claimed;
}

std::vector<SendOutcome> sendClaimed(Transport& transport, const std::vector<ClaimedMessage>& claimed)
{
    std::vector<SendOutcome> outcomes;
    outcomes.reserve(claimed.size());
    for (const auto& m : claimed)
        outcomes.push_back(transport.send(m.messageUuid, m.memoXml));
    return outcomes;
}

FlushReport recordOutcomes(Store& store, const std::vector<ClaimedMessage>& claimed,
    const std::vector<SendOutcome>& outcomes, const RetryPolicy& policy, std::int64_t now)
{
    if (outcomes.size() != claimed.size())
        throw Error(ErrorCode::Internal,
            std::to_string(outcomes.size()) + " outcomes for " + std::to_string(claimed.size())
                + " messages");
    Outbox outbox(store);
    FlushReport report;
    store.transaction([&] {
        report = {};
        for (std::size_t i = 0; i < claimed.size(); ++i) {
            const auto& m = claimed[i];
            const auto& outcome = outcomes[i];
            if (outcome.kind == SendOutcome::Kind::Delivered) {
                outbox.markSent(m.messageUuid, now);
                ++report.sent;
                continue;
            }
            const auto status = outbox.markAttemptFailed(
                m.messageUuid, outcome.error, outcome.kind == SendOutcome::Kind::Permanent, now, policy);
            ++(status == OutboxStatus::Failed ? report.failed : report.retrying);
            report.errors.push_back(m.messageUuid + " (" + m.recipient + "): " + outcome.error);
        }
    });
    return report;
}

FlushReport flushOutbox(Store& store, Transport& transport, const RetryPolicy& policy, std::int64_t now)
{
    FlushReport total;
    for (auto claimed = claimDue(store, now); !claimed.empty(); claimed = claimDue(store, now)) {
        FlushReport batch = recordOutcomes(store, claimed, sendClaimed(transport, claimed), policy, now);
        total.sent += batch.sent;
        total.retrying += batch.retrying;
        total.failed += batch.failed;
        total.errors.insert(total.errors.end(), batch.errors.begin(), batch.errors.end());
    }
    return total;
}

std::unique_ptr<Transport> transportFromSettings(const Store& store)
{
    return makeTransport(store.settings());
}

DeliveryPreview previewDelivery(Store& store, const std::string& docId, const VersionRef& version,
    const std::string& to, const std::string& documentTitle)
{
    DeliveryPreview p;
    Version chosen;
    if (auto problem = versionProblem(store, docId, version, chosen))
        p.problems.push_back(std::move(*problem));
    p.version = chosen.number;
    p.versionId = chosen.opId;
    if (store.document(docId)) {
        auto found = collectRecipients(store, docId, to, {});
        p.recipients = std::move(found.recipients);
        for (auto& problem : found.problems)
            p.problems.push_back(std::move(problem));
    }
    if (auto problem = senderProblem(store))
        p.problems.push_back(std::move(*problem));
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
