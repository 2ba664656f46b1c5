// SPDX-License-Identifier: EUPL-1.2
#include "gui/session.h"

#include "base/error.h"
#include "docgen/render/fonts.h"
#include "docgen/render/pdf_writer.h"
#include "gui/i18n.h"
#include "gui/template_form.h"

#include <cstdlib>

namespace fplan::gui {

Session::Session(std::shared_ptr<Store> store, docgen::TemplateRegistry templates, std::string author)
    : m_store(std::move(store))
    , m_templates(std::move(templates))
    , m_author(std::move(author))
    , m_documents(std::make_unique<docgen::Documents>(*m_store, m_templates, m_author))
{
}

void Session::setAuthor(std::string author)
{
    m_author = std::move(author);
    m_documents = std::make_unique<docgen::Documents>(*m_store, m_templates, m_author);
}

const docgen::Template& Session::templateFor(const std::string& templateId)
{
    auto it = m_loaded.find(templateId);
    if (it == m_loaded.end())
        it = m_loaded.emplace(templateId, m_templates.load(templateId)).first;
    return it->second;
}

const FormSpec& Session::formFor(const std::string& templateId)
{
    auto it = m_forms.find(templateId);
    if (it == m_forms.end())
        it = m_forms.emplace(templateId, formFromTemplate(templateFor(templateId))).first;
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
    const DocumentInfo info = m_documents->info(docId);
    const Case kase = m_documents->caseOf(info.caseId);
    const DocumentState state = m_store->documentState(docId);
    docgen::RenderContext context;
    context.municipality = m_store->setting("municipality.name").value_or(kase.municipality);
    Json values = state.values();
    if (version > 0) {
        const Version* found = nullptr;
        for (const auto& v : state.versions())
            if (v.number == version)
                found = &v;
        if (!found)
            throw Error(ErrorCode::NotFound,
                format(tr("Dokumentet har ingen version {0}."), { std::to_string(version) }));
        values = found->values;
        context.version = found->number;
        context.date = formatHlcUtc(found->hlc).substr(0, 10);
    }
    return docgen::buildRenderDocument(templateFor(info.templateId), values, kase, context);
}

docgen::RenderedPdf renderPdf(const docgen::RenderDocument& doc)
{
    docgen::SystemFonts fonts;
    return docgen::renderPdf(doc, fonts);
}

std::string authorFor(const Store& store)
{
    if (auto name = store.setting("user.name"))
        return *name;
    if (const char* user = std::getenv("USER"); user && *user)
        return user;
    return "ukendt";
}

} // namespace fplan::gui
