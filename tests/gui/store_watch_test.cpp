// SPDX-License-Identifier: EUPL-1.2
// The store watch: what other connections of the same store file wrote reaches the open views.
#include "gui/new_case_presenter.h"
#include "gui/store_watch.h"
#include "tests/support/test_support.h"

#include <gtest/gtest.h>

#include <memory>

using namespace fplan;
using namespace fplan::gui;

namespace {

class StoreWatchTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        Store::create(m_dir / "s.fplan", "hemmelig sætning", crypto::KdfParams::freshCheap());
        m_ui = std::make_unique<Store>(Store::open(m_dir / "s.fplan", "hemmelig sætning"));
        m_sync = std::make_unique<Store>(Store::open(m_dir / "s.fplan", "hemmelig sætning"));
    }
    std::string newCase(Store& store, const char* title)
    {
        NewCasePresenter n;
        n.title = title;
        n.people = { { "Søs Nørgaard", "0101901234", "mor", true } };
        n.team = { { "Jens Ravn", "Børn og Familie", "", "", "" } };
        n.coordinator = 0;
        return n.create(store, "jr", "2026-03-12");
    }

    test::TempDir m_dir;
    std::unique_ptr<Store> m_ui;
    std::unique_ptr<Store> m_sync;
};

} // namespace

TEST_F(StoreWatchTest, StartsAtTheEndAndReturnsWhatAnotherConnectionStored)
{
    newCase(*m_ui, "Familien Før");
    StoreWatch watch(*m_ui);
    EXPECT_TRUE(watch.poll().empty()); // what was there when the window opened is not news

    const std::string caseId = newCase(*m_sync, "Familien Nørgaard");
    const auto changes = watch.poll();
    ASSERT_FALSE(changes.empty());
    EXPECT_EQ(m_sync->allOps(caseId).size(), changes.ops.size());
    EXPECT_EQ(std::set<std::string> { caseId }, changes.cases);
    EXPECT_TRUE(changes.caseListChanged);
    const auto docId = *m_ui->caseDocumentId(caseId);
    EXPECT_EQ(changes.ops.size(), changes.opsOf(docId).size());
    EXPECT_TRUE(watch.poll().empty()); // each op once
}

TEST_F(StoreWatchTest, ALargeBatchArrivesOverSeveralPollsInOrder)
{
    const std::string caseId = newCase(*m_ui, "Familien Nørgaard");
    StoreWatch watch(*m_ui);
    const DocumentState empty;
    OpFactory factory("mette", "device-m", m_sync->clock());
    std::vector<Op> ops; // edits of a document whose creation has not arrived yet
    for (std::size_t i = 0; i < StoreWatch::MaxOpsPerPoll + 10; ++i)
        ops.push_back(factory.set(empty, caseId, "doc-later", "noter.tekst", "Tekst " + std::to_string(i)));
    m_sync->appendOps(ops, OpOrigin::Received);
    const auto first = watch.poll();
    EXPECT_EQ(StoreWatch::MaxOpsPerPoll, first.ops.size());
    EXPECT_EQ(ops.front().id, first.ops.front().id);
    EXPECT_FALSE(first.caseListChanged); // no case was created, no case document changed
    const auto second = watch.poll();
    ASSERT_EQ(10u, second.ops.size());
    EXPECT_EQ(ops.back().id, second.ops.back().id);
    EXPECT_TRUE(watch.poll().empty());
}
