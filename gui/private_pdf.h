// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace fplan::gui {

// The PDFs made for "Åbn PDF" and for printing hold personal data: they go in a folder only this
// user can open (0700; under $XDG_RUNTIME_DIR, else a per-user folder in the temp folder, never
// a shared one), each file 0600 and written whole by the durable writer. A document removes its
// PDFs when it closes, and the program removes what an earlier run left when it starts.
std::filesystem::path privatePdfFolder();
// Writes (replaces) `fileName` (a plain name, no folder) there; returns its path.
std::filesystem::path writePrivatePdf(const std::string& fileName, std::string_view bytes);
// Removes these PDFs (those a closing document made); one already gone is no error.
void removePrivatePdfs(const std::vector<std::filesystem::path>& files);
// At start: removes every file in the folder. Returns how many were removed.
std::size_t clearPrivatePdfs();

} // namespace fplan::gui
