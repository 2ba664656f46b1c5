// SPDX-License-Identifier: EUPL-1.2
#include "base/error.h"
#include "core/settings.h"
#include "gui/idle_lock.h"
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

TEST(SettingsPresenter, TheIdleLockTimeIsASettingOfMinutes)
{
    test::TempDir dir;
    Store::create(dir / "s.fplan", "hemmelig sætning", crypto::KdfParams::freshCheap());
    Store store = Store::open(dir / "s.fplan", "hemmelig sætning");
    SettingsPresenter p(store);
    EXPECT_EQ(std::to_string(IdleLock::DefaultMinutes), p.lockMinutes);
    p.userName = "Jens Ravn";
    for (const char* wrong : { "", "ti", "-5", "481", "1.5" }) {
        p.lockMinutes = wrong;
        ASSERT_EQ(1u, p.problems().size()) << wrong;
        EXPECT_EQ("Lås efter skal være et helt antal minutter fra 0 (aldrig) til 480.", p.problems()[0]);
        test::expectError(ErrorCode::BadInput, "Lås efter", [&] { p.save(); });
    }
    EXPECT_FALSE(store.setting("desktop.lock_minutes"));
    p.lockMinutes = " 25 ";
    p.save();
    EXPECT_EQ("25", store.setting("desktop.lock_minutes"));
    EXPECT_EQ(25, lockMinutes(store));
    // `fplan config set` checks the same setting.
    checkSetting("desktop.lock_minutes", "0");
    test::expectError(ErrorCode::BadInput, "desktop.lock_minutes '999'",
        [] { checkSetting("desktop.lock_minutes", "999"); });
}

TEST(IdleLock, LocksAfterTheMinutesWithoutUse)
{
    using namespace std::chrono_literals;
    const IdleLock::Clock::time_point t0 {};
    IdleLock lock(10, t0);
    EXPECT_FALSE(lock.due(t0 + 9min + 59s));
    EXPECT_TRUE(lock.due(t0 + 10min));
    lock.used(t0 + 5min); // a key press or a click counts from then
    EXPECT_FALSE(lock.due(t0 + 14min));
    EXPECT_TRUE(lock.due(t0 + 15min));
    lock.setMinutes(0, t0 + 15min); // never
    EXPECT_FALSE(lock.due(t0 + 24h));
    lock.setMinutes(2, t0 + 24h);
    EXPECT_FALSE(lock.due(t0 + 24h + 1min));
    EXPECT_TRUE(lock.due(t0 + 24h + 2min));
    EXPECT_EQ(std::optional<int>(0), parseLockMinutes("0"));
    EXPECT_FALSE(parseLockMinutes("480 min"));
}
