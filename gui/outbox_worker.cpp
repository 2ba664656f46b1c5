// SPDX-License-Identifier: EUPL-1.2
#include "gui/outbox_worker.h"

#include "delivery/outbox.h"
#include "gui/i18n.h"

namespace fplan::gui {

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
