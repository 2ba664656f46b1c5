// SPDX-License-Identifier: EUPL-1.2
#include "gui/session.h"

#include "core/error.h"
#include "gui/template_form.h"

#include <cstdlib>

namespace fplan::gui {

Session::Session(std::shared_ptr<Store> store, docgen::TemplateRegistry templates, std::string author)
    : m_store(std::move(store)), m_templates(std::move(templates)), m_author(std::move(author)),
      m_documents(*m_store, m_templates, m_author)
{
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

std::string authorFor(const Store& store)
{
    if (auto name = store.setting("user.name"))
        return *name;
    if (const char* user = std::getenv("USER"); user && *user)
        return user;
    return "ukendt";
}

} // namespace fplan::gui
