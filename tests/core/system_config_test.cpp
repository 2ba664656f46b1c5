// SPDX-License-Identifier: EUPL-1.2
#include "core/store.h"
#include "core/system_config.h"
#include "tests/support/test_support.h"

#include <gtest/gtest.h>

#include <cstdlib>

using namespace fplan;

TEST(SystemConfig, ReadsKeysCommentsAndBlankLines)
{
    const auto config = SystemConfig::parse("# IT\n\nmunicipality.name = Eksempel Kommune \n"
                                            "  delivery.transport=folder\n",
        "/etc/fplan/fplan.conf");
    EXPECT_EQ("Eksempel Kommune", config.value("municipality.name").value_or(""));
    EXPECT_EQ("folder", config.value("delivery.transport").value_or(""));
    EXPECT_FALSE(config.value("municipality.cvr"));
    // The ESDH filing folder is the machine's too, checked as delivery.folder is.
    EXPECT_EQ("/srv/esdh",
        SystemConfig::parse("filing.folder = /srv/esdh\n", "f").value("filing.folder").value_or(""));
    test::expectError(ErrorCode::BadInput, "fplan.conf:1: filing.folder 'esdh': give an absolute path",
        [] { SystemConfig::parse("filing.folder = esdh\n", "fplan.conf"); });
}

TEST(SystemConfig, ErrorsNameFileLineAndKey)
{
    test::expectError(ErrorCode::BadInput, "fplan.conf:2: unknown key 'user.name'",
        [] { SystemConfig::parse("municipality.cvr = 12345678\nuser.name = Anne\n", "fplan.conf"); });
    test::expectError(ErrorCode::BadInput, "fplan.conf:1: expected 'key = value'",
        [] { SystemConfig::parse("municipality.cvr 12345678\n", "fplan.conf"); });
    test::expectError(ErrorCode::BadInput, "fplan.conf:3: key 'delivery.ca' is already set on line 1",
        [] { SystemConfig::parse("delivery.ca = /a.pem\n# x\ndelivery.ca = /b.pem\n", "fplan.conf"); });
    test::expectError(ErrorCode::BadInput, "fplan.conf:1: key 'municipality.name' has no value",
        [] { SystemConfig::parse("municipality.name =\n", "fplan.conf"); });
    test::expectError(ErrorCode::BadInput, "fplan.conf:1: municipality.cvr '1234': a CVR number is 8 digits",
        [] { SystemConfig::parse("municipality.cvr = 1234\n", "fplan.conf"); });
    test::expectError(ErrorCode::BadInput, "line longer than 4096 bytes",
        [] { SystemConfig::parse("# " + std::string(5000, 'x') + "\n", "fplan.conf"); });
}

TEST(SystemConfig, MachineSettingsWinAndCannotBeChangedInTheStore)
{
    test::TempDir dir;
    const auto conf = dir / "fplan.conf";
    test::writeFile(conf, "municipality.name = Maskinens Kommune\n");
    const auto path = dir / "s.fplan";
    Store::create(path, "system-config-passphrase", crypto::KdfParams::freshCheap());
    {
        Store store = Store::open(path, "system-config-passphrase");
        store.setSetting("municipality.name", "Sagsbehandlerens Kommune");
        store.setSetting("user.name", "Anne");
    }
    ::setenv("FPLAN_SYSTEM_CONFIG", conf.c_str(), 1);
    {
        Store store = Store::open(path, "system-config-passphrase");
        EXPECT_EQ("Maskinens Kommune", store.setting("municipality.name").value_or(""));
        EXPECT_EQ("Maskinens Kommune", store.settings().at("municipality.name"));
        EXPECT_EQ("Anne", store.setting("user.name").value_or("")) << "a caseworker's own setting stays";
        test::expectError(ErrorCode::Conflict, "set for this machine in " + conf.string(),
            [&] { store.setSetting("municipality.name", "Andet"); });
        store.setSetting("user.name", "Bo");
    }
    test::writeFile(conf, "municipality.name = X\nfrobnicate = 1\n");
    test::expectError(ErrorCode::BadInput, conf.string() + ":2: unknown key 'frobnicate'",
        [&] { Store::open(path, "system-config-passphrase"); });
    ::unsetenv("FPLAN_SYSTEM_CONFIG");
    Store store = Store::open(path, "system-config-passphrase");
    EXPECT_EQ("Sagsbehandlerens Kommune", store.setting("municipality.name").value_or(""));
    EXPECT_EQ("Bo", store.setting("user.name").value_or(""));
}
