// SPDX-License-Identifier: EUPL-1.2
// Any bytes given to the template loader either load or throw fplan::Error; nothing else.
#include "base/error.h"
#include "docgen/forms/template.h"
#include "xml/safe_xml.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    static const fplan::xml::XmlSchema schema
        = fplan::xml::loadSchemaSafely(std::string(FPLAN_FUZZ_TEMPLATES_DIR) + "/template.xsd");
    try {
        const auto tmpl = fplan::docgen::parseTemplate(
            std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.xml", schema);
        // A template that loads must also describe itself.
        (void)fplan::docgen::templateToJson(tmpl).dump();
        (void)tmpl.fieldKinds();
    } catch (const fplan::Error&) {
    }
    return 0;
}
