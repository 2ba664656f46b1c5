// SPDX-License-Identifier: EUPL-1.2
#include "tests/docgen/docgen_fixture.h"

#include "app/documents.h"
#include "core/document.h"
#include "docgen/forms/values.h"

namespace fplan::test {

using namespace fplan::docgen;

StoreWithCase::StoreWithCase()
{
    const auto path = dir / "test.fplan";
    Store::create(path, "hemmelig sætning", crypto::KdfParams::freshCheap());
    store = std::make_unique<Store>(Store::open(path, "hemmelig sætning"));
    OpFactory factory("jr", store->deviceId(), store->clock());
    caseId = importBundle(*store, parseBundle(FamilyBundle, "family.json"), factory,
        [&](const BundleDocument& doc, const Case& kase) {
            return app::prepareDocument(templates, doc, kase);
        });
}

namespace {

std::string fitted(std::string text, std::size_t maxLength)
{
    while (maxLength && utf8Length(text) > maxLength) {
        text.pop_back();
        while (!text.empty() && (static_cast<unsigned char>(text.back()) & 0xC0) == 0x80)
            text.pop_back();
        if (!text.empty() && (static_cast<unsigned char>(text.back()) & 0xC0) == 0xC0)
            text.pop_back();
    }
    return text;
}

const char* memberFor(const std::string& fagomraade)
{
    if (fagomraade == "Dagtilbud og Undervisning")
        return "t2";
    if (fagomraade == "Handicap og Psykiatri")
        return "t3";
    if (fagomraade == "Beskæftigelse")
        return "t4";
    if (fagomraade == "Sundhed og Omsorg")
        return "t5";
    return "t1";
}

Json valueFor(const Field& f, int variant)
{
    const std::string text = variant == 0 ? "Łukasz Şahin og Søs Nørgaard – " + f.id
                                          : "Ελένη og Дмитрий: «" + f.id + "» æøå ÆØÅ";
    switch (f.type) {
    case FieldType::Text:
        if (!f.refersTo.empty())
            return variant == 0 ? "r1" : "r2"; // every table's rows are r1 and r2
        if (f.format == docgen::TextFormat::Cpr)
            return variant == 0 ? "0101901234" : "1205154321";
        if (f.format == docgen::TextFormat::Email)
            return "jr@kommune.dk";
        if (f.format == docgen::TextFormat::Phone)
            return "+45 12 34 56 78";
        return fitted(text, f.maxLength);
    case FieldType::LongText:
        return fitted(text + "\nAnden linje: Ολγα, Łódź, İstanbul.\n\nNyt afsnit.", f.maxLength);
    case FieldType::Date:
        return variant == 0 ? "2026-03-12" : "2028-02-29";
    case FieldType::DateTime:
        return "2026-03-12T09:30";
    case FieldType::Number:
        return variant == 0 ? Json(7.5) : Json(2);
    case FieldType::Bool:
        return variant == 0;
    case FieldType::Choice:
        return variant == 0 ? f.choices.front().id : f.choices.back().id;
    case FieldType::MultiChoice:
        return Json::array({ f.choices.front().id });
    case FieldType::Person:
        return variant == 0 ? "p2" : "p3";
    case FieldType::TeamMember:
        return f.sameFagomraade ? memberFor(f.fagomraade) : (variant == 0 ? "t1" : "t5");
    case FieldType::Table: {
        Json rows = Json::array();
        for (int i = 0; i < 2; ++i) {
            Json row = { { "@id", "r" + std::to_string(i + 1) } };
            for (const auto& c : f.columns)
                row[c.id] = valueFor(c, i);
            rows.push_back(std::move(row));
        }
        return rows;
    }
    }
    return nullptr;
}

} // namespace

Json everyFieldFilled(const Template& tmpl)
{
    Json values = Json::object();
    for (const Field* f : tmpl.fields())
        values[f->path] = valueFor(*f, 0);
    return values;
}

} // namespace fplan::test
