// SPDX-License-Identifier: EUPL-1.2
#pragma once

// The document service: every use-case on a document, written once and called by the desktop's
// presenters and the command line alike. Each use-case checks first and writes in one
// transaction, or not at all, and returns what it did as a result struct.

#include "app/consent.h"
#include "base/durable_file.h"
#include "core/bundle.h"
#include "core/case.h"
#include "core/store.h"
#include "delivery/delivery.h"
#include "docgen/forms/template.h"
#include "docgen/forms/values.h"
#include "docgen/render/document_renderer.h"
#include "docgen/render/pdf_writer.h"

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace fplan::app {

// One difference between two versions (or a version and the draft), field by field; table
// rows are matched by their row id.
struct FieldChange {
    std::string path; // "om_planen.dato", "indsatser.indsats[ROW]" or "indsatser.indsats[ROW].status"
    std::string field; // the same as parts: the field's or table's path,
    std::string rowId; // the row's id (rows and cells),
    std::string column; // and the cell's column
    std::string label; // the field's or column's label; empty for a field the template no longer has
    std::string kind; // "changed", "added", "removed", "row added", "row removed"
    Json before;
    Json after;
};

Json toJson(const FieldChange& change);

// The version number meaning "the live draft" in diff() and values().
inline constexpr int DraftVersion = -1;

// The author name for ops when none is given: the store's user.name setting, else the login
// name ($USER), else "ukendt".
std::string defaultAuthor(const Store& store);

// A document with what every use-case on it needs: where it is, its case and its template.
struct OpenDocument {
    DocumentInfo info;
    Case kase;
    docgen::Template tmpl;
};

struct NewDocumentResult {
    std::string docId;
    std::size_t opsStored = 0; // default rows, seeded rows and automatic values
};

// Rows a table in a fill left out and that stayed, because the fill did not say what the
// person saw (no "@seen"): they may have been added since the values were written.
struct KeptRows {
    std::string table;
    std::vector<std::string> rowIds;
};

struct FillResult {
    std::size_t opsStored = 0;
    // Values refused (nothing of their field stored); empty when everything was stored.
    std::vector<docgen::ValueProblem> refused;
    std::vector<KeptRows> kept;
};

// What a fill does with values that do not fit: refuse the whole fill (the command line's
// all-or-nothing), or store what fits and report the rest (the editor's autosave).
enum class FillMode { AllOrNothing, StoreWhatFits };

struct FinalizeResult {
    int version = 0;
};

struct ReviseResult {
    int version = 0; // the number the new draft will get
    std::size_t opsStored = 0;
};

// What a PDF of a document prints, and what could not be printed as written (English).
struct Printable {
    docgen::RenderDocument document;
    std::vector<std::string> warnings;
};

// A document's meeting as an iCalendar file for the team (`doc ics`).
struct CalendarFile {
    std::string text; // RFC 5545, CRLF line ends
    std::vector<std::string> warnings; // team members left out (no e-mail address), in English
};

// "Send til familien" for one finalised version.
struct SendOrder {
    std::string docId;
    VersionRef version; // a number, an id, or (number 0) the latest finalised version
    std::vector<delivery::Recipient> recipients;
    std::string notification;
    std::string fileName;
    std::optional<std::string> pdf; // the rendered version; rendered here when not given
};

struct PreparedSend {
    delivery::SendRequest request;
    std::vector<std::string> warnings; // from rendering the version (English)
};

struct SendResult {
    delivery::QueueResult queued;
    std::vector<std::string> warnings;
};

// A team member added or changed, and the consent gate for the team after the change.
struct TeamChange {
    std::string teamMemberId;
    ConsentStatus consent;
    const ConsentGap* gap() const { return consent.gapOf(teamMemberId); } // the change's own gap
};

// A finalised version written for the municipality's ESDH/eDoc (docs/filing.md): the PDF and
// its metadata file, side by side in the folder the setting filing.folder names.
struct FiledDocument {
    std::filesystem::path pdf;
    std::filesystem::path metadata;
    Json metadataJson;
    bool alreadyFiled = false; // both files were there with this very content
    std::vector<std::string> warnings; // from rendering, and the consent gate (English)
    ConsentStatus consent;
};

class DocumentService {
public:
    DocumentService(Store& store, const docgen::TemplateRegistry& templates, std::string author);

    Store& store() const { return m_store; }
    const docgen::TemplateRegistry& templates() const { return m_templates; }
    const std::string& author() const { return m_author; }
    // Who writes from now on (the settings changed the name).
    void setAuthor(std::string author) { m_author = std::move(author); }

    // Open a case, a document: Error(NotFound) naming the id.
    Case openCase(const std::string& caseId) const;
    DocumentInfo info(const std::string& docId) const;
    OpenDocument open(const std::string& docId) const;
    docgen::Template templateOf(const DocumentInfo& info) const;
    // The heading a family sees: the template's title (its id when the template is gone).
    std::string title(const DocumentInfo& info) const;

    // A new draft: default rows, automatic fields, and tables seeded from the case's latest
    // finalised source document (the follow-up agenda from the family plan).
    NewDocumentResult create(const std::string& caseId, const std::string& templateId);

    // Values keyed by field path, checked against the template and the case (value checks,
    // references to rows), with the discipline's author filled in. All or nothing: a bad value
    // throws Error(BadInput, "PATH: reason") and stores nothing. The values may be older than
    // the store: a table deletes the rows it leaves out only when "@seen" says the person saw
    // them (or a row says "@delete"); other rows it leaves out stay and are listed in `kept`.
    FillResult fill(const std::string& docId, const Json& values);
    // The same for a caller that keeps the document's state (the editor): the stored ops are
    // applied to `state`, so it never re-reads the op log. `state` is what the person saw, so
    // without "@seen" a row a table leaves out is one they removed (`unlisted`).
    FillResult fill(const OpenDocument& doc, DocumentState& state, const Json& values, FillMode mode,
        UnlistedRows unlisted = UnlistedRows::Delete);

    // A resurrected row (deleted by one person while another edited it) settled by a person:
    // kept (an insert naming the standing deletes) or removed (a delete naming the edits it
    // had not seen). The op is stored and applied to `state`. Error(NotFound) when the table
    // has no such resurrected row.
    void settleResurrectedRow(const OpenDocument& doc, DocumentState& state, const std::string& table,
        const std::string& rowId, bool keep);

    // `doc show --json`: id, case_id, template, template_version, values, conflicts, versions.
    Json show(const std::string& docId) const;

    // What stops finalising: open conflicts, empty required fields and cells, references to rows
    // that are gone, and (alone) nothing changed since the latest version. `draft` is the values
    // to judge when they are not yet all stored (the editor's working copy); else the state's.
    std::vector<docgen::ValueProblem> finalizeProblems(
        const OpenDocument& doc, const DocumentState& state, const Json* draft = nullptr) const;
    // Freezes the draft as the next version. Error(Conflict, "cannot finalise ID: ...") naming
    // every problem. The overload applies the finalise op to the caller's state.
    FinalizeResult finalize(const std::string& docId);
    FinalizeResult finalize(const OpenDocument& doc, DocumentState& state);

    // The values of a version (by number or id; findVersion's rules) or of the draft
    // (DraftVersion), as `doc fill` takes them; fields the template no longer has are included.
    // Error(NotFound) for no such version.
    Json values(const std::string& docId, const VersionRef& version) const;
    std::vector<FieldChange> diff(
        const std::string& docId, const VersionRef& from, const VersionRef& to) const;
    std::vector<FieldChange> diff(const docgen::Template& tmpl, const Json& before, const Json& after) const;

    // Starts the next version's draft from the latest finalised version, with the changes agreed
    // at the follow-up meetings since then written back.
    ReviseResult revise(const std::string& docId);

    // The draft (version number 0, or DraftVersion) or one finalised version (by number or id),
    // ready for layout; reads the store.
    Printable printable(const std::string& docId, const VersionRef& version) const;
    // The meeting a document describes (its template's calendar fields), of the draft or one
    // finalised version, as printable() chooses it. The UID is the document's id, the SEQUENCE
    // its version number, the DTSTAMP when that version was finalised (the draft: now), so a
    // calendar updates the entry it has. Error(BadInput) when the document is no meeting.
    CalendarFile calendarFile(const std::string& docId, const VersionRef& version) const;
    // `doc ics` and the desktop's "Gem kalenderfil": calendarFile() written to `target` the one
    // way files are written (writeFileDurably: private, durable, as `options` allow). Returns
    // the warnings.
    std::vector<std::string> saveCalendarFile(const std::string& docId, const VersionRef& version,
        const std::filesystem::path& target, const WriteOptions& options) const;
    // The PDF/A bytes of a finalised version, as the family receives it.
    docgen::RenderedPdf renderVersion(const std::string& docId, const VersionRef& version) const;

    // The request the outbox gets for an order (rendering the version unless a PDF is given).
    // Error(BadInput) for a document for the team only (a choice with audience="team").
    PreparedSend prepareSend(const SendOrder& order) const;
    // Queues one message per recipient; Error(BadInput) when refused, nothing queued then.
    SendResult send(const SendOrder& order) const;

    // The consent gate for the case's team (or `team`, a team about to be stored) on `date`
    // (YYYY-MM-DD; today when empty): app/consent.h.
    ConsentStatus consent(const std::string& caseId, const std::string& date = {}) const;
    ConsentStatus consent(
        const Case& kase, const std::vector<TeamMember>& team, const std::string& date) const;

    // Stores `changed`'s version of one table of the case document over `before` (only that
    // table: a concurrent edit of the rest of the case merges as usual).
    void storeCaseTable(const Case& before, const Case& changed, CaseTable table, const std::string& author);
    // Adds a team member (an empty id gets a new one, `from` today when empty) or changes the
    // one with that id; Error(BadInput) for an empty name or discipline. Stored whatever the
    // consent says; the result says whether the consent covers the team now.
    TeamChange saveTeamMember(const std::string& caseId, TeamMember member);

    // Writes a finalised version's PDF and metadata into the folder `filing.folder` names
    // (durably, 0600; a second filing of the same version finds the same files and writes
    // nothing). Error(BadInput) for a missing setting, a draft or a case without a journal
    // number; Error(Storage) when the folder is not there; Error(Conflict) when a file of that
    // name is there with other content. docs/filing.md describes the files.
    FiledDocument file(const std::string& docId, const VersionRef& version) const;

private:
    // The values printable() and calendarFile() show, with the version's number, id and time.
    struct Shown {
        Json values;
        int number = 0;
        std::string opId;
        std::uint64_t hlc = 0; // 0 for the draft
    };
    Shown shownValues(const DocumentState& state, const std::string& docId, const VersionRef& version,
        std::vector<std::string>* warnings) const;

    void fillDisciplineAuthors(
        const docgen::Template& tmpl, const DocumentState& state, const Case& kase, Json& values) const;

    Store& m_store;
    const docgen::TemplateRegistry& m_templates;
    std::string m_author;
};

// Layout and PDF/A bytes, with fonts found by fontconfig; touches no store (may run on a worker).
docgen::RenderedPdf renderPdf(const docgen::RenderDocument& doc);

// For `case import`: checks a bundle document against its template and tells core how to store it.
PreparedDocument prepareDocument(
    const docgen::TemplateRegistry& templates, const BundleDocument& doc, const Case& kase);

} // namespace fplan::app
