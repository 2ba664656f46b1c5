// SPDX-License-Identifier: EUPL-1.2
#include "gui/outbox_worker.h"

#include "base/error.h"
#include "delivery/outbox.h"
#include "gui/i18n.h"

namespace fplan::gui {

std::vector<PendingAttempt> claimDueLetters(Store& store, std::int64_t now)
{
    delivery::Outbox outbox(store);
    std::vector<PendingAttempt> claimed;
    for (const auto& entry : outbox.due(now)) {
        try {
            outbox.markSending(entry.messageUuid, now);
        } catch (const Error& e) {
            if (e.code() != ErrorCode::Conflict)
                throw;
            continue; // another flush (the CLI's, the send dialog's) took it meanwhile
        }
        claimed.push_back({ entry.messageUuid, outbox.messageXml(entry.messageUuid) });
    }
    return claimed;
}

std::vector<delivery::SendOutcome> sendAttempts(
    delivery::Transport& transport, const std::vector<PendingAttempt>& attempts)
{
    std::vector<delivery::SendOutcome> outcomes;
    for (const auto& a : attempts)
        outcomes.push_back(transport.send(a.messageUuid, a.memoXml));
    return outcomes;
}

int recordAttempts(Store& store, const std::vector<PendingAttempt>& attempts,
    const std::vector<delivery::SendOutcome>& outcomes, std::int64_t now)
{
    delivery::Outbox outbox(store);
    int sent = 0;
    for (std::size_t i = 0; i < attempts.size() && i < outcomes.size(); ++i) {
        if (outcomes[i].kind == delivery::SendOutcome::Kind::Delivered) {
            outbox.markSent(attempts[i].messageUuid, now);
            ++sent;
        } else {
            outbox.markAttemptFailed(attempts[i].messageUuid, outcomes[i].error,
                outcomes[i].kind == delivery::SendOutcome::Kind::Permanent, now, {});
        }
    }
    return sent;
}

std::string outboxStatusText(Store& store)
{
    std::size_t waiting = 0, failed = 0;
    for (const auto& e : delivery::Outbox(store).list()) {
        if (e.status == delivery::OutboxStatus::Queued || e.status == delivery::OutboxStatus::Sending)
            ++waiting;
        else if (e.status == delivery::OutboxStatus::Failed)
            ++failed;
    }
    std::string out;
    if (waiting > 0)
        out = format(trn("{0} brev venter på at blive sendt", "{0} breve venter på at blive sendt", waiting),
            { std::to_string(waiting) });
    if (failed > 0)
        out += (out.empty() ? "" : " · ")
            + format(trn("{0} brev kunne ikke sendes", "{0} breve kunne ikke sendes", failed),
                { std::to_string(failed) });
    return out;
}

} // namespace fplan::gui
