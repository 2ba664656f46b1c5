// SPDX-License-Identifier: EUPL-1.2
#include "gui/settings_presenter.h"

#include "base/error.h"
#include "gui/i18n.h"
#include "gui/idle_lock.h"

namespace fplan::gui {

namespace {
std::string trimmed(const std::string& s)
{
    const auto first = s.find_first_not_of(" \t");
    return first == std::string::npos ? "" : s.substr(first, s.find_last_not_of(" \t") - first + 1);
}
} // namespace

SettingsPresenter::SettingsPresenter(Store& store)
    : m_store(store)
{
    userName = store.setting("user.name").value_or("");
    municipalityName = store.setting("municipality.name").value_or("");
    municipalityCvr = store.setting("municipality.cvr").value_or("");
    lockMinutes = std::to_string(gui::lockMinutes(store));
}

std::vector<std::string> SettingsPresenter::problems() const
{
    std::vector<std::string> out;
    if (trimmed(userName).empty())
        out.push_back(tr("Skriv dit navn: det står ved alt, du skriver."));
    const std::string cvr = trimmed(municipalityCvr);
    if (!cvr.empty() && (cvr.size() != 8 || cvr.find_first_not_of("0123456789") != std::string::npos))
        out.push_back(format(tr("CVR-nummeret {0} skal være 8 cifre."), { cvr }));
    if (!parseLockMinutes(lockMinutes))
        out.push_back(format(tr("Lås efter skal være et helt antal minutter fra 0 (aldrig) til {0}."),
            { std::to_string(IdleLock::MaximumMinutes) }));
    return out;
}

void SettingsPresenter::save()
{
    const auto found = problems();
    if (!found.empty()) {
        std::string message;
        for (const auto& p : found)
            message += (message.empty() ? "" : "\n") + p;
        throw Error(ErrorCode::BadInput, message);
    }
    m_store.transaction([&] {
        m_store.setSetting("user.name", trimmed(userName));
        m_store.setSetting("municipality.name", trimmed(municipalityName));
        m_store.setSetting("municipality.cvr", trimmed(municipalityCvr));
        m_store.setSetting("desktop.lock_minutes", std::to_string(*parseLockMinutes(lockMinutes)));
    });
}

} // namespace fplan::gui
