// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include <filesystem>
#include <string>

class wxWindow;

namespace fplan::gui {

// Prints a PDF file through the system's print dialog (GTK's, which sends the PDF as it is, so
// the paper matches the PDF/A). Returns false where that is not available. The file (a private
// PDF) is removed once the print job has read it, or at once when nothing is printed.
bool printPdfFile(wxWindow* parent, const std::string& file, const std::string& title);

// Whether this computer has a program that shows PDF files (the desktop's default for them).
bool havePdfViewer();
// Opens the PDF in that program; false when there is none or it could not be started.
bool openPdfViewer(const std::string& file);
// Opens a file in the desktop's program for its type; false when none could be started.
bool openWithDefaultProgram(const std::string& file);

} // namespace fplan::gui
