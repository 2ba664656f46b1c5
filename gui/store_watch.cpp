// SPDX-License-Identifier: EUPL-1.2
#include "gui/store_watch.h"

#include <map>
#include <optional>

namespace fplan::gui {

std::vector<Op> StoreChanges::opsOf(const std::string& docId) const
{
    std::vector<Op> out;
    for (const auto& op : ops)
        if (op.docId == docId)
            out.push_back(op);
    return out;
}

StoreWatch::StoreWatch(Store& store)
    : m_store(store)
    , m_seq(store.lastSeq())
{
}

StoreChanges StoreWatch::poll()
{
    StoreChanges changes;
    if (m_store.lastSeq() == m_seq)
        return changes;
    changes.ops = m_store.opsAfter(m_seq, MaxOpsPerPoll, m_seq);
    std::map<std::string, std::optional<std::string>> caseDocs; // one look-up per case
    for (const auto& op : changes.ops) {
        changes.cases.insert(op.caseId);
        auto [it, added] = caseDocs.try_emplace(op.caseId);
        if (added)
            it->second = m_store.caseDocumentId(op.caseId);
        if (op.kind == OpKind::Create || it->second == op.docId)
            changes.caseListChanged = true;
    }
    return changes;
}

} // namespace fplan::gui
