// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include "core/bundle.h"
#include "core/store.h"
#include "docgen/forms/template.h"
#include "tests/support/test_support.h"

#include <memory>
#include <string>

namespace fplan::test {

// A case with Danish and non-Latin names and one professional per discipline.
const char* const FamilyBundle = R"({
  "case": {"title": "Familien Nørgaard-Şahin", "journal_number": "27.24.00-G01-1-26", "kle": "27.24.00"},
  "people": [
    {"id": "p1", "name": "Søs Nørgaard", "cpr": "0101901234", "relation": "mor", "custody": true},
    {"id": "p2", "name": "Łukasz Şahin", "cpr": "1503881237", "relation": "far", "custody": true},
    {"id": "p3", "name": "Ελένη Şahin", "cpr": "1205154321", "relation": "barn"},
    {"id": "p4", "name": "Дмитрий Nørgaard", "cpr": "2002184322", "relation": "barn"}
  ],
  "team": [
    {"id": "t1", "name": "Jens Ravn", "fagomraade": "Børn og Familie", "role": "myndighedsrådgiver", "user": "jr", "email": "jr@kommune.dk"},
    {"id": "t2", "name": "Åse Øberg", "fagomraade": "Dagtilbud og Undervisning", "role": "lærer", "user": "ao"},
    {"id": "t3", "name": "Ольга Петрова", "fagomraade": "Handicap og Psykiatri", "role": "sagsbehandler"},
    {"id": "t4", "name": "Mette Skov", "fagomraade": "Beskæftigelse", "role": "jobkonsulent", "email": "ms@jobcenter.dk"},
    {"id": "t5", "name": "Γιώργος Παππάς", "fagomraade": "Sundhed og Omsorg", "role": "sundhedsplejerske"}
  ],
  "coordinator": "t1"
})";

// A fresh store in a temporary folder holding FamilyBundle as one case.
struct StoreWithCase {
    TempDir dir;
    std::unique_ptr<Store> store;
    std::string caseId;
    docgen::TemplateRegistry templates { sourceDir() / "templates" };

    StoreWithCase();
};

// Values that fill every field of `tmpl` (tables with two rows, ids r1 and r2) with text in
// Danish, Polish, Turkish, Greek and Russian, each value fitting its field.
Json everyFieldFilled(const docgen::Template& tmpl);

} // namespace fplan::test
