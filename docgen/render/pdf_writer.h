// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include "docgen/render/fonts.h"
#include "docgen/render/layout.h"
#include "docgen/render/render_model.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace fplan::docgen {

struct PdfMetadata {
    std::string title;
    std::string author;
    std::string subject;
    std::string keywords;
    std::string language = "da-DK";
    // Seconds since 1970 for CreationDate/ModDate; unset = SOURCE_DATE_EPOCH, else now.
    std::optional<std::int64_t> time;
};

struct RenderedPdf {
    std::string bytes;
    std::size_t pageCount = 0;
    std::vector<std::string> warnings; // e.g. letters no installed font has
};

// Writes laid-out pages as PDF/A-2b: subset-embedded TrueType fonts (Identity-H + ToUnicode)
// with exact glyph widths, XMP metadata matching the Info dictionary, an sRGB output intent
// and a language tag. The /ID is a hash of the content, so equal input gives equal bytes.
// Throws Error(Internal) if PoDoFo fails, Error(NotFound) if the colour profile is missing.
// `warnings` gets a line for any letter PoDoFo finds no glyph for (the layout should have
// replaced it already; this is the last check before an empty box reaches paper).
std::string writePdf(const LayoutResult& layout, FontMetrics& fonts, const PdfMetadata& metadata,
    std::vector<std::string>* warnings = nullptr);

// Layout and PDF in one step; the metadata comes from the document's title block.
RenderedPdf renderPdf(const RenderDocument& doc, FontMetrics& fonts);

} // namespace fplan::docgen
