// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fplan::delivery {

// Digital Post's limit for a message from a public sender (99.5 MB).
inline constexpr std::size_t MaxDocumentBytes = 99'500'000;
// The biggest message a MeMo file can be: the PDF as base64 plus room for the header.
inline constexpr std::size_t MaxMessageBytes = MaxDocumentBytes / 3 * 4 + 1024 * 1024;
// Digital Post shows at most 150 characters of a notification (the schema allows 160).
inline constexpr std::size_t MaxNotificationChars = 150;

// Everything one MeMo message needs; the PDF comes in as bytes so that the builder does not
// depend on how (or whether yet) the document was rendered.
struct MemoInput {
    std::string docId;
    int version = 0;
    std::string versionId; // the version's finalize op id: its identity on every replica
    std::string senderCvr; // municipality.cvr, 8 digits
    std::string senderName; // municipality.name
    std::string recipientCpr; // 10 digits (a hyphen after the sixth is accepted)
    std::string label; // "Familieplan – version 2"
    std::string notification; // optional, at most MaxNotificationChars characters
    std::string journalNumber; // the case's journal number (ContentData/CaseID)
    std::string kle; // the case's KLE number (ContentData/KLEdata)
    std::string fileName; // must already obey Digital Post's rules (see cleanFileName)
    std::string pdf; // the document's bytes
    std::chrono::system_clock::time_point created = std::chrono::system_clock::now();
};

struct MemoMessage {
    std::string uuid; // messageUUID
    std::string recipient; // normalised CPR
    std::string xml; // the whole message, UTF-8, schema-valid
    std::string versionId; // the version sent: its finalize op id (MemoInput::versionId)
};

// The compiled MeMo 1.2 schema; loading it reads only the schema folder (see memoSchemaFolder).
class MemoSchema {
public:
    static const MemoSchema& installed(); // loaded once per process, from memoSchemaFolder()
    static MemoSchema load(const std::filesystem::path& entryXsd);
    MemoSchema(MemoSchema&&) noexcept;
    ~MemoSchema();

    // Every problem as "ORIGIN:LINE: message"; empty when `xml` is a valid MeMo message.
    std::vector<std::string> validate(std::string_view xml, const std::string& origin) const;

    struct Impl;
    const Impl& impl() const { return *m_impl; }

private:
    explicit MemoSchema(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

// The folder holding memo-1.2.xsd: base/paths.h's findDataFolder for MemoSchemaFolder
// ($FPLAN_MEMO_SCHEMA_DIR, else the installed copy, else the source tree's data/memo-xsd).
std::filesystem::path memoSchemaFolder();

// The same UUID for the same (document, version, recipient), every time: a retry or a second
// "send" can never make a second letter.
std::string memoMessageUuid(const std::string& docId, const std::string& versionId, const std::string& cpr);

// Why `name` breaks Digital Post's file name rules, or nullopt when it is fine.
std::optional<std::string> fileNameProblem(std::string_view name);
// A name that obeys the rules: forbidden characters become '-', special spaces a plain space,
// control characters are dropped; ".pdf" is appended when missing.
std::string cleanFileName(std::string_view name);

// Builds and validates one message. Refuses with Error(BadInput) and a reason a person can act
// on: missing or malformed sender, invalid CPR, bad file name, not a PDF, too big, notification
// too long; Error(Internal) if the result does not validate (a bug, never sent).
MemoMessage buildMemoMessage(const MemoInput& input, const MemoSchema& schema = MemoSchema::installed());

// The messageUUID inside a MeMo message (or an SF1601 request around one); empty if none.
std::string findMessageUuid(std::string_view xml);

} // namespace fplan::delivery
