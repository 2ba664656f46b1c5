// SPDX-License-Identifier: EUPL-1.2
// Any JSON given as document values is either accepted or refused with a path and a reason;
// the checks never throw anything but fplan::Error and never crash.
#include "base/error.h"
#include "core/case.h"
#include "docgen/forms/template.h"
#include "docgen/forms/values.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace {

struct Fixture {
    std::vector<fplan::docgen::Template> templates;
    fplan::Case kase;

    Fixture()
    {
        const fplan::docgen::TemplateRegistry registry(FPLAN_FUZZ_TEMPLATES_DIR);
        for (const auto& id : registry.ids())
            templates.push_back(registry.load(id));
        kase.people
            = { { "p1", "Søs Nørgaard", "0101901234", "mor", true }, { "p2", "Ελένη", "", "barn", false } };
        kase.team = { { "t1", "Jens Ravn", "Børn og Familie", "", "", "", "jr", "", "" },
            { "t2", "Åse Øberg", "Dagtilbud og Undervisning", "", "", "", "", "", "" } };
        kase.coordinator = "t1";
    }
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    static const Fixture fixture;
    if (size < 1 || fixture.templates.empty())
        return 0;
    const auto& tmpl = fixture.templates[data[0] % fixture.templates.size()];
    const auto values = fplan::Json::parse(data + 1, data + size, nullptr, false);
    if (values.is_discarded())
        return 0;
    try {
        (void)fplan::docgen::findValueProblems(tmpl, values, &fixture.kase);
        (void)fplan::docgen::findValueProblems(tmpl, values, nullptr);
        (void)fplan::docgen::findMissingRequired(tmpl, values);
        (void)fplan::docgen::findDanglingReferences(tmpl, values);
        (void)fplan::docgen::findDanglingReferences(tmpl, values, &values);
        fplan::docgen::checkValues(tmpl, values, &fixture.kase);
    } catch (const fplan::Error&) {
    }
    return 0;
}
