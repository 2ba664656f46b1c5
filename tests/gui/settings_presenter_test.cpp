// SPDX-License-Identifier: EUPL-1.2
#include "base/error.h"
#include "gui/session.h"
#include "gui/settings_presenter.h"
#include "tests/support/test_support.h"

#include <gtest/gtest.h>

using namespace fplan;
using namespace fplan::gui;

TEST(SettingsPresenter, ChecksAndStoresTheAuthorAndTheMunicipality)
{
    test::TempDir dir;
    Store::create(dir / "s.fplan", "hemmelig sætning", crypto::KdfParams::freshCheap());
    Store store = Store::open(dir / "s.fplan", "hemmelig sætning");

    SettingsPresenter p(store);
    EXPECT_EQ("", p.userName);
    p.municipalityCvr = "2919 0035";
    const auto problems = p.problems();
    ASSERT_EQ(2u, problems.size());
    EXPECT_EQ("Skriv dit navn: det står ved alt, du skriver.", problems[0]);
    EXPECT_EQ("CVR-nummeret 2919 0035 skal være 8 cifre.", problems[1]);
    EXPECT_THROW(p.save(), Error);
    EXPECT_FALSE(store.setting("user.name"));

    p.userName = " Jens Ravn ";
    p.municipalityName = "Ringkøbing-Skjern Kommune";
    p.municipalityCvr = "29189978";
    p.save();
    EXPECT_EQ("Jens Ravn", app::defaultAuthor(store)); // every later edit carries this name
    SettingsPresenter again(store);
    EXPECT_EQ("Ringkøbing-Skjern Kommune", again.municipalityName);
    EXPECT_EQ("29189978", again.municipalityCvr);
}
