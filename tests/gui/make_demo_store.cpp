// SPDX-License-Identifier: EUPL-1.2
// Makes a demo store for the desktop smoke test, screenshots and the start-up benchmark:
// make_demo_store PATH COUNT (passphrase from $FPLAN_PASSPHRASE). Prints the first case's id, its
// family plan's id and its follow-up agenda's id, one a line.
// make_demo_store --dump PATH prints every document as "TEMPLATE VALUES-JSON", one a line, so a
// test can see what the desktop stored.
#include "app/documents.h"
#include "gui/new_case_presenter.h"

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>

using namespace fplan;

namespace {

int dump(const std::string& path)
{
    const Store store = Store::open(path, std::getenv("FPLAN_PASSPHRASE"));
    for (const auto& c : store.listCases())
        for (const auto& d : store.documents(c.id))
            std::cout << d.templateId << " " << store.documentState(d.id).values().dump() << "\n";
    return 0;
}

} // namespace

int main(int argc, char** argv)
{
    if (argc == 3 && std::string(argv[1]) == "--dump" && std::getenv("FPLAN_PASSPHRASE"))
        return dump(argv[2]);
    if (argc != 3 || !std::getenv("FPLAN_PASSPHRASE")) {
        std::cerr << "usage: FPLAN_PASSPHRASE=... make_demo_store PATH COUNT\n";
        return 2;
    }
    try {
        const std::string path = argv[1];
        const int count = std::atoi(argv[2]);
        const std::string passphrase = std::getenv("FPLAN_PASSPHRASE");
        Store::create(path, passphrase);
        Store store = Store::open(path, passphrase);
        store.setSetting("user.name", "Jens Ravn");
        store.setSetting("municipality.name", "Ringkøbing-Skjern Kommune");
        const auto templates = docgen::TemplateRegistry::locate();
        app::DocumentService documents(store, templates, "jr");
        static const char* surnames[] = { "Nørgaard", "Østergaard", "Andersen", "Åberg", "Jensen", "Hansen",
            "Pedersen", "Kristensen", "Møller", "Lund", "Bæk", "Holm" };
        static const char* mothers[] = { "Søs", "Mette", "Line", "Anne", "Hanne", "Sara" };
        static const char* children[]
            = { "Alma", "Emil", "Ida", "Noah", "Freja", "Oscar", "Clara", "William" };
        std::string first;
        store.transaction([&] {
            for (int i = 0; i < count; ++i) {
                const std::string surname = surnames[i % 12];
                gui::NewCasePresenter c;
                c.title = "Familien " + surname + (i < 12 ? "" : " " + std::to_string(i / 12 + 1));
                char journal[32];
                std::snprintf(journal, sizeof journal, "27.24.00-G01-%d-26", i + 1);
                c.journalNumber = journal;
                c.kle = "27.24.00";
                char cpr1[32], cpr2[32];
                std::snprintf(cpr1, sizeof cpr1, "%02d%02d90%04d", i % 28 + 1, i % 12 + 1, 1000 + i);
                std::snprintf(
                    cpr2, sizeof cpr2, "%02d%02d15%04d", (i + 5) % 28 + 1, (i + 3) % 12 + 1, 4000 + i);
                c.people = { { std::string(mothers[i % 6]) + " " + surname, cpr1, "mor", true },
                    { std::string(children[i % 8]) + " " + surname, cpr2, "barn", false } };
                c.team
                    = { { "Jens Ravn", "Børn og Familie", "myndighedsrådgiver", "jr@kommune.dk", "12345678" },
                          { "Pia Holm", "Sundhed og Omsorg", "sundhedsplejerske", "ph@kommune.dk", "" },
                          { "Karim Said", "Beskæftigelse", "jobkonsulent", "", "" } };
                c.coordinator = 0;
                const std::string id = c.create(store, "jr", "2026-03-02");
                if (i == 0)
                    first = id;
            }
        });
        const std::string plan = documents.create(first, "familieplan").docId;
        documents.fill(plan, { { "om_planen.dato", "2026-03-12" } });
        {
            // Two team members set the plan's start on two devices at once: a conflict to pick from.
            const DocumentState base = store.documentState(plan);
            OpFactory jens("jr", "demo-device-1", store.clock());
            OpFactory pia("ph", "demo-device-2", store.clock());
            store.appendOps({ jens.set(base, first, plan, "om_planen.periode_fra", "2026-03-16"),
                pia.set(base, first, plan, "om_planen.periode_fra", "2026-04-01") });
        }
        const std::string agenda = documents.create(first, "opfoelgningsmoede").docId;
        // The mother's consent covers two of the team's three fagområder: the overview shows the gap.
        const std::string consent = documents.create(first, "samtykke").docId;
        const Case kase = documents.openCase(first);
        documents.fill(consent,
            { { "hvem.giver",
                  Json::array({ { { "person", kase.people.front().id }, { "grundlag", "foraeldremyndighed" },
                      { "dato", "2026-03-02" }, { "form", "papir" } } }) },
                { "udveksling.formaal",
                    "At fagpersonerne sammen med familien kan lave og følge op på en fælles plan." },
                { "udveksling.fagomraader", Json::array({ "boern_og_familie", "sundhed_og_omsorg" }) },
                { "udveksling.oplysninger", "Skolegang, trivsel og helbred." },
                { "gyldighed.fra", "2026-03-02" }, { "gyldighed.til", "2027-06-30" },
                { "modtaget.dato", "2026-03-02" } });
        documents.finalize(consent);
        std::cout << first << "\n" << plan << "\n" << agenda << "\n";
    } catch (const std::exception& e) {
        std::cerr << "make_demo_store: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
