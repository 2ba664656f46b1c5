// SPDX-License-Identifier: EUPL-1.2
#include "tests/docgen/sample_plan.h"

#include <string>

namespace fplan::test {

using namespace docgen;

const std::vector<std::string>& sampleNames()
{
    static const std::vector<std::string> names { "Søs Nørgaard", "Łukasz Şahin", "Ñuñez Ærø",
        "Ελένη Παπαδοπούλου", "Дмитрий Соколов", "Alma Nørgaard" };
    return names;
}

RenderDocument samplePlan(int interventions)
{
    RenderDocument doc;
    doc.title = TitleBlock { "Ringkøbing-Skjern Kommune", "Familieplan", "Familien Nørgaard", "12.03.2026",
        "Version 2 af 12.03.2026", "27.24.00-G01-1-26", "" };
    doc.author = "Jens Ravn";
    doc.subject = "Helhedsorienteret familieplan, version 2";

    doc.blocks.emplace_back(Heading { "Familiens fælles mål", 1 });
    Table goals;
    goals.columns = { { "Mål", 3 }, { "Sigt", 1, TextKind::Atomic }, { "Delmål", 3 },
        { "Hvem arbejder med det", 2 }, { "Sådan ser vi, at det lykkes", 3 } };
    goals.rows = {
        { "Alma kommer i skole hver dag og har det godt i klassen", "Kort",
            "Fast morgenrutine; aftale med klasselærer om modtagelse", "Søs Nørgaard, Łukasz Şahin",
            "Fravær under 5 % i et kvartal" },
        { "Søs får et fleksjob, der passer til hendes helbred", "Lang",
            "Afklaring hos jobcenteret; praktik i foråret", "Søs Nørgaard, Ñuñez Ærø",
            "Fast ansættelse i mindst 12 timer om ugen" },
        { "Familien har en rolig hverdag med faste aftaler", "Kort",
            "Ugeplan på køleskabet; familiemøde om søndagen", "Hele familien",
            "Færre konflikter om aftenen, som familien selv oplever det" },
    };
    doc.blocks.emplace_back(goals);

    doc.blocks.emplace_back(Heading { "Om planen", 1 });
    doc.blocks.emplace_back(FieldList { { { "Planens dato", "12.03.2026" }, { "Version", "2" },
        { "Periode", "12.03.2026 – 11.03.2027" },
        { "Tovholder", "Jens Ravn, myndighedsrådgiver, Børn og Familie" },
        { "Deltagere i mødet", "Søs Nørgaard, Alma Nørgaard, Jens Ravn, Łukasz Şahin, Ελένη Παπαδοπούλου" },
        { "Bemærkning", "" } } });
    doc.blocks.emplace_back(Heading { "Familieteam", 2 });
    Table team;
    team.columns = { { "Navn", 2, TextKind::Name }, { "Fagområde", 2, TextKind::Atomic }, { "Rolle", 2 },
        { "Telefon", 1.3, TextKind::Atomic }, { "E-mail", 2.4, TextKind::Atomic } };
    team.rows = { { "Jens Ravn", "Børn og Familie", "Myndighedsrådgiver (tovholder)", "12 34 56 78",
                      "jr@rksk.dk" },
        { "Łukasz Şahin", "Dagtilbud og Undervisning", "Skolesocialrådgiver", "23 45 67 89", "ls@rksk.dk" },
        { "Ñuñez Ærø", "Beskæftigelse", "Jobkonsulent", "34 56 78 90", "nae@rksk.dk" },
        { "Ελένη Παπαδοπούλου", "Sundhed og Omsorg", "Sundhedsplejerske", "45 67 89 01", "ep@rksk.dk" },
        { "Дмитрий Соколов", "Handicap og Psykiatri", "Støttekontaktperson", "56 78 90 12", "ds@rksk.dk" } };
    doc.blocks.emplace_back(team);

    doc.blocks.emplace_back(Heading { "Familiens behov", 1 });
    doc.blocks.emplace_back(FieldList { {
        { "Søs Nørgaard (mor)",
            "Søs fortæller, at hun er træt af at skulle fortælle sin historie til mange forskellige "
            "fagpersoner. "
            "Hun ønsker én indgang til kommunen og et job, der tager hensyn til hendes ryg.\n\n"
            "Hun vil gerne have hjælp til at få struktur på økonomien, så der er ro omkring regningerne hver "
            "måned. "
            "Hun har selv foreslået, at en fra netværket kan være med til møderne.",
            TextKind::Prose, true },
        { "Alma Nørgaard (barn, 10 år)",
            "Alma siger, at hun godt kan lide at gå i skole, når hun har sovet. Hun savner sin bedste "
            "veninde, "
            "som er flyttet, og hun vil gerne gå til håndbold igen.",
            TextKind::Prose, true },
    } });

    doc.blocks.emplace_back(Heading { "Indsatser", 1 });
    Table table;
    table.columns = { { "Indsats", 2 }, { "Mål for indsatsen", 2.4 }, { "Beskrivelse af tilbuddet", 4.4 },
        { "Modtager", 1.8, TextKind::Name }, { "Ansvarlig", 1.8, TextKind::Atomic },
        { "Periode", 1.6, TextKind::Period }, { "Timer pr. uge", 0.9, TextKind::Number },
        { "Status", 1.5, TextKind::Atomic } };
    table.title = "Indsatser";
    static const char* kinds[] = { "Familiebehandling", "Mentor i skolen", "Praktik i jobcenter",
        "Fysioterapi", "Støttekontaktperson", "Forældrekursus", "Lektiecafé", "Økonomisk rådgivning" };
    static const char* statuses[]
        = { "I gang", "Ikke startet", "Fortsættes", "Ændres inden for rammen", "Afsluttes" };
    const auto& names = sampleNames();
    for (int i = 0; i < interventions; ++i) {
        std::string description = "Tilbuddet gives i hjemmet og på skolen efter aftale med familien.";
        if (i % 7 == 3)
            description
                += " Behandleren arbejder med samspillet i familien, med faste aftaler om morgen- og "
                   "aftenrutiner, og med hvordan forældrene kan støtte Alma i at komme i skole. Der holdes "
                   "et kort statusmøde hver fjerde uge, hvor familien selv fortæller, hvad der virker.";
        const int month = 3 + i % 9;
        table.rows.push_back(
            { std::string(kinds[i % 8]) + (interventions > 8 ? " " + std::to_string(i + 1) : ""),
                "Mål " + std::to_string(1 + i % 3) + ": "
                    + (i % 2 ? "Alma kommer i skole hver dag" : "Rolig hverdag"),
                description, names[static_cast<std::size_t>(i) % names.size()],
                i % 2 ? "Børn og Familie" : "Beskæftigelse",
                "01." + std::string(month < 10 ? "0" : "") + std::to_string(month) + ".2026 – 31.12.2026",
                i % 3 == 0 ? "2,5" : std::to_string(1 + i % 6), statuses[i % 5] });
    }
    doc.blocks.emplace_back(table);

    doc.blocks.emplace_back(Heading { "Aftaler", 1 });
    Table agreements;
    agreements.columns = { { "Hvad", 4 }, { "Hvem", 2 }, { "Hvornår", 1.4 } };
    agreements.title = "Aftaler";
    agreements.rows
        = { { "Søs ringer til klasselæreren, hvis Alma bliver hjemme", "Søs Nørgaard", "Løbende" },
              { "Jobcenteret sender forslag til praktiksteder", "Ñuñez Ærø", "01.04.2026" },
              { "Sundhedsplejersken besøger familien", "Ελένη Παπαδοπούλου", "15.04.2026" } };
    doc.blocks.emplace_back(agreements);

    doc.blocks.emplace_back(Heading { "Opfølgning", 1 });
    doc.blocks.emplace_back(
        FieldList { { { "Hvor ofte", "Hver 8. uge" }, { "Næste opfølgningsmøde", "07.05.2026 kl. 09:30" },
            { "Sådan kontakter vi familien",
                "Tovholderen ringer til Søs en uge før mødet og sender en påmindelse i Digital Post." } } });
    doc.blocks.emplace_back(Heading { "Familiens bemærkninger", 1 });
    doc.blocks.emplace_back(
        Paragraph { "Vi er glade for, at vi nu kun skal holde ét møde, hvor alle er med. "
                    "Det er vigtigt for os, at Alma selv får lov at sige, hvad hun synes.\n\n"
                    "Vi vil gerne have planen på papir også." });
    doc.blocks.emplace_back(Heading { "Godkendelse", 1 });
    doc.blocks.emplace_back(BulletList { { "Planen er lavet sammen med familien den 12.03.2026.",
        "Tovholder: Jens Ravn, Børn og Familie." } });
    return doc;
}

} // namespace fplan::test
