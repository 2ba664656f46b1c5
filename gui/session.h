// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include "app/documents.h"
#include "core/store.h"
#include "core/store_connections.h"
#include "docgen/forms/template.h"
#include "docgen/render/document_renderer.h"

#include <map>
#include <memory>
#include <string>

namespace fplan::gui {

// One unlocked store with the templates and the person writing: what every window works on.
class Session {
public:
    // `connections` opens further connections to the same store for worker threads (none: the
    // program does nothing in the background that needs one, e.g. in tests).
    Session(std::shared_ptr<Store> store, docgen::TemplateRegistry templates, std::string author,
        std::shared_ptr<StoreConnections> connections = nullptr);

    Store& store() { return *m_store; }
    const docgen::TemplateRegistry& templates() const { return m_templates; }
    // The document service every window calls (its use-cases are the command line's too).
    app::DocumentService& documents() { return *m_documents; }
    const std::string& author() const { return m_author; }
    // Another connection to the store, for a worker thread (any thread); Error(Internal) without
    // `connections`.
    Store openConnection();
    // After the settings changed who is writing; editors opened from now on use the new name.
    void setAuthor(std::string author);

    // Loaded once per template id; Error(NotFound/BadInput) from the loader passes through.
    const docgen::Template& templateFor(const std::string& templateId);
    std::string templateTitle(const std::string& templateId);

    // What a PDF of a document prints: its draft (version 0) or one finalised version. Reads
    // the store, so it runs on the main thread; app::renderPdf() may then run on a worker.
    docgen::RenderDocument printable(const std::string& docId, int version = 0);

private:
    std::shared_ptr<Store> m_store;
    std::shared_ptr<StoreConnections> m_connections;
    docgen::TemplateRegistry m_templates;
    std::string m_author;
    std::unique_ptr<app::DocumentService> m_documents; // one for the session: presenters keep it
    std::map<std::string, docgen::Template> m_loaded;
};

} // namespace fplan::gui
