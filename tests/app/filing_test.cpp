// SPDX-License-Identifier: EUPL-1.2
// Filing a finalised version for ESDH/eDoc (DocumentService::file): the PDF and its metadata,
// written durably into the folder of the setting filing.folder.
#include "app/documents.h"
#include "crypto/hash.h"
#include "tests/docgen/docgen_fixture.h"

#include <gtest/gtest.h>

#include <sys/stat.h>

using namespace fplan;
using namespace fplan::app;
using fplan::test::StoreWithCase;

namespace {

class FilingTest : public testing::Test {
protected:
    DocumentService docs() { return DocumentService(*m.store, m.templates, "jr"); }

    std::string finalisedConsent(int versions)
    {
        auto d = docs();
        const std::string id = d.create(m.caseId, ConsentTemplateId).docId;
        d.fill(id, fplan::test::everyFieldFilled(m.templates.load(ConsentTemplateId)));
        for (int v = 1; v <= versions; ++v) {
            if (v > 1)
                d.fill(id, { { "udveksling.undtaget", "Ændret i version " + std::to_string(v) } });
            EXPECT_EQ(v, d.finalize(id).version);
        }
        return id;
    }

    StoreWithCase m;
    std::filesystem::path folder = m.dir / "esdh";
};

} // namespace

TEST_F(FilingTest, WritesThePdfAndItsMetadataOnceAndPrivately)
{
    std::filesystem::create_directory(folder);
    m.store->setSetting("filing.folder", folder.string());
    const std::string id = finalisedConsent(2);
    auto d = docs();
    const auto filed = d.file(id, 1);
    EXPECT_FALSE(filed.alreadyFiled);
    EXPECT_EQ(folder / ("samtykke-" + id + "-v1.pdf"), filed.pdf);
    EXPECT_EQ(folder / ("samtykke-" + id + "-v1.json"), filed.metadata);
    const std::string pdf = test::readFile(filed.pdf);
    EXPECT_EQ(0u, pdf.rfind("%PDF-", 0));
    const Json meta = Json::parse(test::readFile(filed.metadata));
    EXPECT_EQ("familieplan-esdh/1", meta.at("format"));
    EXPECT_EQ("27.24.00-G01-1-26", meta.at("journal_number"));
    EXPECT_EQ("27.24.00", meta.at("kle"));
    EXPECT_EQ("Samtykkeerklæring – version 1", meta.at("title"));
    EXPECT_EQ("samtykke", meta.at("document_type"));
    EXPECT_EQ(1, meta.at("version"));
    EXPECT_EQ(10u, meta.at("date").get<std::string>().size());
    EXPECT_EQ(filed.pdf.filename().string(), meta.at("file"));
    EXPECT_EQ(crypto::sha256Hex(pdf), meta.at("sha256"));
    EXPECT_EQ(pdf.size(), meta.at("bytes"));
    EXPECT_EQ(filed.metadataJson, meta);
    for (const auto& f : { filed.pdf, filed.metadata }) {
        struct stat st { };
        ASSERT_EQ(0, ::stat(f.c_str(), &st));
        EXPECT_EQ(0600u, st.st_mode & 0777) << f;
    }

    // Filing the same version again finds its metadata and PDF and writes nothing; the latest is
    // version 2.
    const auto again = d.file(id, 1);
    EXPECT_TRUE(again.alreadyFiled);
    EXPECT_EQ(meta, again.metadataJson);
    EXPECT_EQ(pdf, test::readFile(filed.pdf));
    const auto latest = d.file(id, VersionRef {});
    EXPECT_EQ(2, latest.metadataJson.at("version"));
    EXPECT_EQ(4u, std::distance(std::filesystem::directory_iterator(folder), {}));
    // A PDF without its metadata (a filing killed between the two) is written again, then the metadata.
    std::filesystem::remove(latest.metadata);
    test::writeFile(latest.pdf, "half");
    const auto rewritten = d.file(id, 2);
    EXPECT_FALSE(rewritten.alreadyFiled);
    EXPECT_EQ(rewritten.metadataJson.at("sha256"), crypto::sha256Hex(test::readFile(latest.pdf)));
    EXPECT_EQ(rewritten.metadataJson, Json::parse(test::readFile(latest.metadata)));
    // Metadata without its PDF: the import took the PDF, or someone removed it; nothing is guessed.
    std::filesystem::remove(latest.pdf);
    test::expectError(ErrorCode::Conflict, "without its PDF", [&] { d.file(id, 2); });

    // A file of that name with other content is not overwritten.
    test::writeFile(filed.metadata, "{}");
    test::expectError(ErrorCode::Conflict, "already there with other content", [&] { d.file(id, 1); });
    EXPECT_EQ("{}", test::readFile(filed.metadata));
}

TEST_F(FilingTest, RefusesWithoutSettingFolderOrFinalisedVersion)
{
    auto d = docs();
    const std::string id = finalisedConsent(1);
    test::expectError(ErrorCode::BadInput, "setting filing.folder is missing", [&] { d.file(id, 1); });
    m.store->setSetting("filing.folder", folder.string()); // not made yet
    test::expectError(ErrorCode::Storage, "is not there", [&] { d.file(id, 1); });
    std::filesystem::create_directory(folder);
    const std::string draft = d.create(m.caseId, "familieplan").docId;
    test::expectError(ErrorCode::BadInput, "no finalised version", [&] { d.file(draft, VersionRef {}); });
    test::expectError(ErrorCode::NotFound, "no version", [&] { d.file(id, 7); });
    EXPECT_TRUE(std::filesystem::is_empty(folder));
}

TEST_F(FilingTest, WarnsWhenTheConsentDoesNotCoverTheTeamThatSeesTheCase)
{
    std::filesystem::create_directory(folder);
    m.store->setSetting("filing.folder", folder.string());
    auto d = docs();
    const std::string id = finalisedConsent(1); // every field filled: one discipline, withdrawn
    const auto filed = d.file(id, 1);
    EXPECT_FALSE(filed.consent.covered());
    bool named = false;
    for (const auto& w : filed.warnings)
        named = named || w.find("consent: Mette Skov (Beskæftigelse)") != std::string::npos;
    EXPECT_TRUE(named);
}
