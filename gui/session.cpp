// SPDX-License-Identifier: EUPL-1.2
#include "gui/session.h"

#include "base/error.h"
#include "gui/i18n.h"

namespace fplan::gui {

Session::Session(std::shared_ptr<Store> store, docgen::TemplateRegistry templates, std::string author,
    std::shared_ptr<StoreConnections> connections)
    : m_store(std::move(store))
    , m_connections(std::move(connections))
    , m_templates(std::move(templates))
    , m_author(std::move(author))
    , m_documents(std::make_unique<app::DocumentService>(*m_store, m_templates, m_author))
{
}

Store Session::openConnection()
{
    if (!m_connections)
        throw Error(ErrorCode::Internal, "this session cannot open further store connections");
    return m_connections->open();
}

void Session::setAuthor(std::string author)
{
    m_author = std::move(author);
    m_documents->setAuthor(m_author);
}

const docgen::Template& Session::templateFor(const std::string& templateId)
{
    auto it = m_loaded.find(templateId);
    if (it == m_loaded.end())
        it = m_loaded.emplace(templateId, m_templates.load(templateId)).first;
    return it->second;
}

std::string Session::templateTitle(const std::string& templateId)
{
    try {
        return templateFor(templateId).title;
    } catch (const Error&) {
        return templateId; // a template removed from the folder still lists its documents
    }
}

docgen::RenderDocument Session::printable(const std::string& docId, int version)
{
    try {
        return m_documents->printable(docId, version).document;
    } catch (const Error& e) {
        if (e.code() != ErrorCode::NotFound || version <= 0)
            throw;
        throw Error(ErrorCode::NotFound,
            format(tr("Dokumentet har ingen version {0}."), { std::to_string(version) }));
    }
}

} // namespace fplan::gui
