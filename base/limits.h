// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include <cstddef>

// Every size and complexity limit on input, in one place. docs/limits.md lists them for people;
// keep the two in step. Each is refused fast with exit 2 and a message naming file, path and limit.
namespace fplan::limits {

inline constexpr std::size_t MiB = 1024 * 1024;

// Input files, read no further than this (so /dev/zero as an input fails at once).
inline constexpr std::size_t BundleBytes = 8 * MiB;
inline constexpr std::size_t ValuesBytes = 4 * MiB;
inline constexpr std::size_t TemplateBytes = 1 * MiB;
// A PDF handed to `memo build` / `send --pdf`: Digital Post's limit for one document.
inline constexpr std::size_t PdfBytes = 99'500'000;
// A MeMo message read back (`memo validate`): the PDF as base64 plus the header.
inline constexpr std::size_t MemoBytes = PdfBytes / 3 * 4 + MiB;
inline constexpr std::size_t PassphraseFileBytes = 4096;
inline constexpr std::size_t KdfFileBytes = 64 * 1024;
inline constexpr std::size_t PasswordListBytes = 4 * MiB;

// JSON: nesting of arrays and objects (bundles, values, settings files).
inline constexpr std::size_t JsonDepth = 32;
// One text value (a name, a title, a free-text field).
inline constexpr std::size_t StringBytes = 256 * 1024;
// People, team members and documents in one bundle.
inline constexpr std::size_t BundlePeople = 200;
inline constexpr std::size_t BundleTeam = 200;
inline constexpr std::size_t BundleDocuments = 500;
// Rows in a table field when its template names no max-rows.
inline constexpr std::size_t TableRows = 500;

// XML (templates and other XML the programs read).
inline constexpr std::size_t XmlAttributesPerElement = 64;
inline constexpr std::size_t XmlDepth = 64;

} // namespace fplan::limits
