// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include <string>

namespace PoDoFo {
class PdfMemDocument;
}

namespace fplan::docgen {

// The bytes of a PDF file for a document built in memory with PoDoFo: header, every object,
// cross-reference table and trailer (with /Root, /Info, and an /ID that is a digest of the file
// itself, so the same document always gives the same bytes). It writes what PoDoFo's own writer writes, in
// its compact form, without formatting each token through vsnprintf twice: that writer was a sixth of a whole
// `fplan render`. Strings are written by PoDoFo itself (escapes, UTF-16 with its byte order mark).
std::string pdfFileBytes(PoDoFo::PdfMemDocument& doc);

} // namespace fplan::docgen
