// SPDX-License-Identifier: EUPL-1.2
#include "gui/unlock_presenter.h"
#include "tests/support/test_support.h"

#include <gtest/gtest.h>

using namespace fplan;
using namespace fplan::gui;

TEST(UnlockPresenter, NoFileMeansCreateWithTheWarningAboutForgottenPassphrases)
{
    test::TempDir dir;
    UnlockPresenter p(dir / "sager.fplan", crypto::KdfParams::freshCheap);
    EXPECT_EQ(UnlockMode::Create, p.mode());
    EXPECT_TRUE(p.needsRepeat());
    EXPECT_NE(std::string::npos, p.explanation().find("kan ikke genskabes"));
}

TEST(UnlockPresenter, NewStoreNeedsTheSamePassphraseTwice)
{
    test::TempDir dir;
    UnlockPresenter p(dir / "sager.fplan", crypto::KdfParams::freshCheap);
    EXPECT_EQ("De to adgangskoder er ikke ens.", p.check("hemmelig sætning", "hemmelig sætnimg"));
    EXPECT_EQ("Skriv adgangskoden.", p.check("", ""));
    EXPECT_EQ(0u, p.check("kort", "kort").rfind("Adgangskoden skal have mindst 12 tegn.", 0));
    // Twelve characters but not bytes-only: "æøå" counts three.
    EXPECT_EQ(0u, p.check("æøåæøåæøåæø", "æøåæøåæøåæø").rfind("Adgangskoden skal have mindst 12 tegn.", 0));
    EXPECT_EQ("", p.check("æøåæøåæøåæøx", "æøåæøåæøåæøx"));
    EXPECT_NE(std::string::npos, p.check("            ", "            ").find("ét tegn gentaget"));
    EXPECT_NE(std::string::npos, p.check("Password1234", "Password1234").find("almindelige adgangskoder"));
    EXPECT_EQ("", p.check("hemmelig sætning", "hemmelig sætning"));
}

TEST(UnlockPresenter, LengthCountsCharactersNotBytes)
{
    EXPECT_EQ(7u, utf8Length("æøåÆØÅx"));
    test::TempDir dir;
    UnlockPresenter p(dir / "s.fplan", crypto::KdfParams::freshCheap);
    EXPECT_NE("", p.check("æøåÆØÅx", "æøåÆØÅx"));
}

TEST(UnlockPresenter, CreatesThenOpensAndRefusesAWrongPassphrase)
{
    test::TempDir dir;
    const auto path = dir / "sager.fplan";
    {
        UnlockPresenter create(path, crypto::KdfParams::freshCheap);
        const auto outcome = create.unlock("hemmelig sætning");
        ASSERT_TRUE(outcome.store) << outcome.error;
        EXPECT_EQ("", outcome.error);
    }
    UnlockPresenter open(path, crypto::KdfParams::freshCheap);
    EXPECT_EQ(UnlockMode::Open, open.mode());
    EXPECT_FALSE(open.needsRepeat());
    EXPECT_EQ("", open.check("noget", ""));

    const auto wrong = open.unlock("forkert sætning");
    EXPECT_FALSE(wrong.store);
    EXPECT_TRUE(wrong.wrongPassphrase);
    EXPECT_EQ("Forkert adgangskode, eller filen er ikke en Familieplan-fil.", wrong.error);

    const auto right = open.unlock("hemmelig sætning");
    ASSERT_TRUE(right.store) << right.error;
    EXPECT_FALSE(right.store->deviceId().empty());
}

TEST(UnlockPresenter, AFileThatIsNotAStoreIsReportedLikeAWrongPassphrase)
{
    test::TempDir dir;
    const auto path = dir / "noter.txt";
    test::writeFile(path, std::string(8192, 'x'));
    test::writeFile(Store::kdfPathFor(path), crypto::KdfParams::freshCheap().toJson());
    UnlockPresenter p(path, crypto::KdfParams::freshCheap);
    const auto outcome = p.unlock("hvad som helst");
    EXPECT_FALSE(outcome.store);
    EXPECT_EQ("Forkert adgangskode, eller filen er ikke en Familieplan-fil.", outcome.error);
}

TEST(UnlockPresenter, ChangesThePassphraseUnderTheRulesForANewOne)
{
    test::TempDir dir;
    const auto path = dir / "sager.fplan";
    UnlockPresenter p(path, crypto::KdfParams::freshCheap);
    ASSERT_EQ("", p.unlock("hemmelig sætning").error); // creates it; the store closes again here
    EXPECT_EQ(
        "Skriv den nuværende adgangskode.", p.checkChange("", "en helt ny sætning", "en helt ny sætning"));
    EXPECT_EQ("Den nye adgangskode er den samme som den nuværende.",
        p.checkChange("hemmelig sætning", "hemmelig sætning", "hemmelig sætning"));
    EXPECT_EQ(0u,
        p.checkChange("hemmelig sætning", "kort", "kort").rfind("Adgangskoden skal have mindst 12 tegn.", 0));
    EXPECT_EQ("De to adgangskoder er ikke ens.",
        p.checkChange("hemmelig sætning", "en helt ny sætning", "en helt ny sætnign"));
    EXPECT_EQ("", p.checkChange("hemmelig sætning", "en helt ny sætning", "en helt ny sætning"));

    EXPECT_EQ(
        "Den nuværende adgangskode er forkert.", p.changePassphrase("forkert sætning", "en helt ny sætning"));
    {
        // Open elsewhere (here: in this test): refused, nothing changed.
        auto open = p.unlock("hemmelig sætning");
        ASSERT_TRUE(open.store);
        EXPECT_NE(
            std::string::npos, p.changePassphrase("hemmelig sætning", "en helt ny sætning").find("åben"));
    }
    EXPECT_EQ("", p.changePassphrase("hemmelig sætning", "en helt ny sætning"));
    EXPECT_TRUE(p.unlock("hemmelig sætning").wrongPassphrase);
    EXPECT_TRUE(p.unlock("en helt ny sætning").store);
}
