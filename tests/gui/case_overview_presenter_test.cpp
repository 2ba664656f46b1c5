// SPDX-License-Identifier: EUPL-1.2
#include "app/documents.h"
#include "base/error.h"
#include "gui/case_overview_presenter.h"
#include "tests/delivery/delivery_fixtures.h"

#include <gtest/gtest.h>

#include <filesystem>

using namespace fplan;
using namespace fplan::gui;

namespace fs = std::filesystem;

namespace {

const docgen::TemplateRegistry& sourceTemplates()
{
    static const docgen::TemplateRegistry registry { test::sourceDir() / "templates" };
    return registry;
}

std::vector<std::string> idsOf(const std::vector<TemplateChoice>& choices)
{
    std::vector<std::string> out;
    for (const auto& c : choices)
        out.push_back(c.templateId);
    return out;
}

} // namespace

// "Nyt dokument" (the overview's button and the Dokument menu) offers what the templates folder
// holds, by title: a template added to the folder is offered without a new button, the case's
// own data never.
TEST(CaseOverviewPresenter, OffersEveryTemplateOfTheFolderAsANewDocument)
{
    test::CaseStore cs;
    test::makeCaseStore(cs);
    app::DocumentService documents(*cs.store, sourceTemplates(), "Jens Ravn");
    CaseOverviewPresenter overview(documents, cs.caseId, [](const std::string& id) { return "T:" + id; });
    const auto offered = overview.creatableDocuments();
    EXPECT_EQ((std::vector<std::string> { "aarshjul", "familiefaglig-undersoegelse", "familieplan",
                  "invitation", "opfoelgningsmoede", "samtykke" }),
        idsOf(offered));
    EXPECT_EQ("T:invitation", offered[3].title);

    test::TempDir folder;
    for (const auto& entry : fs::directory_iterator(test::sourceDir() / "templates"))
        fs::copy_file(entry.path(), folder / entry.path().filename().string());
    std::string text = test::readFile(folder / "invitation.xml");
    text.replace(text.find("id=\"invitation\""), 15, "id=\"moede\"");
    test::writeFile(folder / "moede.xml", text);
    test::writeFile(folder / (std::string(CaseTemplateId) + ".xml"), text); // never a document one makes
    const docgen::TemplateRegistry extended(folder.path());
    const auto more = creatableTemplates(extended, nullptr);
    EXPECT_EQ((std::vector<std::string> { "aarshjul", "familiefaglig-undersoegelse", "familieplan",
                  "invitation", "moede", "opfoelgningsmoede", "samtykke" }),
        idsOf(more));
    EXPECT_EQ("moede", more[4].title); // no titles given: the id
}

// "Gem kalenderfil": the invitation's finalised meeting, as `fplan doc ics` writes it (the same
// service call), private and never over the store's own files.
TEST(CaseOverviewPresenter, SavesTheInvitationsCalendarFileAsDocIcsDoes)
{
    test::CaseStore cs;
    test::makeCaseStore(cs);
    app::DocumentService documents(*cs.store, sourceTemplates(), "Jens Ravn");
    CaseOverviewPresenter overview(documents, cs.caseId,
        [](const std::string& t) { return t == "invitation" ? "Invitation 1/2: møde" : t; });
    const fs::path target = cs.dir / "møde.ics";
    test::expectError(ErrorCode::BadInput, "beskriver ikke et møde og kan ikke gemmes som kalenderfil",
        [&] { overview.saveCalendarFile(cs.docId, target); }); // the plan
    const std::string id = overview.newDocument("invitation");
    test::expectError(
        ErrorCode::BadInput, "Gør invitationen færdig først", [&] { overview.saveCalendarFile(id, target); });
    EXPECT_FALSE(fs::exists(target));

    documents.fill(id,
        { { "moedet.slags", "familieplansmoede" }, { "moedet.start", "2026-05-07T14:00" },
            { "moedet.slut", "2026-05-07T15:30" }, { "moedet.sted", "Rådhuset, mødelokale 2" },
            { "moedet.formaal", "Vi laver familiens plan sammen." },
            { "deltagere.deltager", Json::array({ { { "@id", "d1" }, { "fagperson", "t1" } } }) } });
    ASSERT_EQ(1, documents.finalize(id).version);
    documents.fill(id, { { "moedet.sted", "Skolen" } }); // a later draft is not what was sent
    const std::string message = overview.saveCalendarFile(id, target);
    EXPECT_NE(std::string::npos, message.find("Kalenderfilen for version 1 er gemt som " + target.string()))
        << message;
    const std::string written = test::readFile(target);
    EXPECT_EQ(documents.calendarFile(id, VersionRef(1)).text, written);
    EXPECT_NE(std::string::npos, written.find("LOCATION:Rådhuset\\, mødelokale 2\r\n")) << written;
    EXPECT_EQ(fs::perms::owner_read | fs::perms::owner_write, fs::status(target).permissions());
    EXPECT_EQ("Invitation 1-2- møde.ics", overview.calendarFileName(id)); // the title, safe as a file name
    // Asked again (the file dialog asked before replacing): written over. The store: never.
    EXPECT_NO_THROW(overview.saveCalendarFile(id, target));
    const std::string store = test::readFile(cs.path());
    test::expectError(ErrorCode::BadInput, "", [&] { overview.saveCalendarFile(id, cs.path()); });
    EXPECT_TRUE(store == test::readFile(cs.path())) << "the store was written over";
}
