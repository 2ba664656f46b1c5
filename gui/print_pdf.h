// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include <filesystem>
#include <string>

class wxWindow;

namespace fplan::gui {

// Prints a PDF file through the system's print dialog (GTK's, which sends the PDF as it is, so
// the paper matches the PDF/A). Returns false where that is not available.
bool printPdfFile(wxWindow* parent, const std::string& file, const std::string& title);

// PDFs hold personal data: they go in a folder only this user can read, never a shared /tmp.
std::filesystem::path privatePdfFolder();

} // namespace fplan::gui
