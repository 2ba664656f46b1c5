// SPDX-License-Identifier: EUPL-1.2
#include "base/error.h"
#include "gui/editor_presenter.h"
#include "gui/new_case_presenter.h"
#include "gui/preview.h"
#include "gui/session.h"
#include "tests/support/test_support.h"

#include <gtest/gtest.h>

using namespace fplan;
using namespace fplan::gui;

namespace {

class SessionTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        Store::create(m_dir / "s.fplan", "hemmelig sætning", crypto::KdfParams::freshCheap());
        auto store = std::make_shared<Store>(Store::open(m_dir / "s.fplan", "hemmelig sætning"));
        m_session = std::make_unique<Session>(
            store, docgen::TemplateRegistry(test::sourceDir() / "templates"), "jr");
        NewCasePresenter n;
        n.title = "Familien Nørgaard";
        n.people = { { "Alma Nørgaard", "1205154321", "barn", false } };
        n.team = { { "Jens Ravn", "Børn og Familie", "", "", "" } };
        n.coordinator = 0;
        m_caseId = n.create(m_session->store(), "jr", "2026-03-12");
    }
    test::TempDir m_dir;
    std::unique_ptr<Session> m_session;
    std::string m_caseId;
};

} // namespace

TEST_F(SessionTest, EveryTemplateBecomesAForm)
{
    for (const std::string& id : test::shippedTemplateIds()) {
        const docgen::Template& form = m_session->templateFor(id);
        EXPECT_EQ(id, form.id);
        EXPECT_FALSE(form.sections.empty()) << id;
    }
    const docgen::Template& agenda = m_session->templateFor("opfoelgningsmoede");
    const docgen::Field* points = agenda.field("dagsorden.punkt");
    ASSERT_NE(nullptr, points);
    EXPECT_EQ(docgen::FieldType::Table, points->type);
    EXPECT_TRUE(points->required);
    ASSERT_EQ(3u, points->columns.size());
    EXPECT_EQ(docgen::FieldType::Choice, points->columns[1].type);
    EXPECT_EQ(1u, agenda.fieldKinds().tables.count("dagsorden.punkt"));
    EXPECT_EQ("Dagsorden for opfølgningsmøde", m_session->templateTitle("opfoelgningsmoede"));
    const docgen::Field* version = m_session->templateFor("familieplan").field("om_planen.version");
    ASSERT_NE(nullptr, version);
    EXPECT_EQ(docgen::AutoValue::PlanVersion, version->autoValue); // the program numbers the plan's versions
}

TEST_F(SessionTest, ANewAgendaOpensInTheEditorWithItsDefaultPointsAndFinalisesThroughDocgen)
{
    const std::string docId = m_session->documents().create(m_caseId, "opfoelgningsmoede").docId;
    EditorPresenter e(m_session->documents(), docId);
    EXPECT_EQ(7u, e.rowCount("dagsorden.punkt"));
    EXPECT_EQ("Velkommen og forventninger", e.cell("dagsorden.punkt", 0, "punkt").get<std::string>());
    EXPECT_EQ("t1", e.value("moedet.moedeleder").get<std::string>()); // the tovholder, filled in

    const auto missing = e.missingForFinalize();
    ASSERT_FALSE(missing.empty());
    EXPECT_NE(std::string::npos, missing.front().find("Dato og tid: skal udfyldes")) << missing.front();

    e.setValue("moedet.tidspunkt", "2026-03-12T09:30");
    e.setValue("revision.revideres", false);
    const auto row = e.addRow("boernenes_deltagelse.barn");
    e.setCell("boernenes_deltagelse.barn", row, "barn", "p1");
    e.setCell("boernenes_deltagelse.barn", row, "deltager", true);
    e.setCell("boernenes_deltagelse.barn", row, "begrundelse", "Alma vil gerne være med.");
    for (const auto& m : e.missingForFinalize())
        ADD_FAILURE() << m;
    EXPECT_EQ(1, e.finalize());
    EXPECT_EQ(1, m_session->documents().show(docId)["versions"].size());
}

TEST_F(SessionTest, RendersTheDraftAndAFinalisedVersionToPdf)
{
    const std::string docId = m_session->documents().create(m_caseId, "familieplan").docId;
    m_session->documents().fill(docId, { { "om_planen.dato", "2026-03-12" } });
    const auto draft = app::renderPdf(m_session->printable(docId));
    EXPECT_EQ(0u, draft.bytes.rfind("%PDF-", 0));
    EXPECT_GE(draft.pageCount, 1u);
    test::expectError(ErrorCode::NotFound, "Dokumentet har ingen version 1.",
        [&] { m_session->printable(docId, 1); }); // not finalised yet
}

TEST_F(SessionTest, ThePreviewHasThePagesThePdfHas)
{
    const std::string docId = m_session->documents().create(m_caseId, "opfoelgningsmoede").docId;
    const auto doc = m_session->printable(docId);
    const Preview preview = makePreview(doc);
    ASSERT_FALSE(preview.layout.pages.empty());
    EXPECT_EQ(app::renderPdf(doc).pageCount, preview.layout.pages.size());
    ASSERT_FALSE(preview.faces.empty());
    EXPECT_FALSE(preview.faces[0].family.empty());
    bool hasTitle = false;
    for (const auto& item : preview.layout.pages[0].items)
        if (const auto* text = std::get_if<docgen::TextItem>(&item))
            hasTitle = hasTitle || text->text.find("Dagsorden") != std::string::npos;
    EXPECT_TRUE(hasTitle);
}
