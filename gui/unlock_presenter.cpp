// SPDX-License-Identifier: EUPL-1.2
#include "gui/unlock_presenter.h"

#include "base/error.h"
#include "crypto/passphrase_policy.h"
#include "gui/i18n.h"

namespace fplan::gui {

std::size_t utf8Length(const std::string& text)
{
    return crypto::utf8Chars(text);
}

UnlockPresenter::UnlockPresenter(std::filesystem::path path, ParamsFactory params)
    : m_path(std::move(path))
    , m_params(std::move(params))
{
}

UnlockMode UnlockPresenter::mode() const
{
    std::error_code ec;
    return std::filesystem::exists(m_path, ec) ? UnlockMode::Open : UnlockMode::Create;
}

std::string UnlockPresenter::title() const
{
    return mode() == UnlockMode::Open ? tr("Lås Familieplan op") : tr("Opret en ny Familieplan-fil");
}

std::string UnlockPresenter::explanation() const
{
    if (mode() == UnlockMode::Open)
        return format(tr("Skriv adgangskoden til {0}."), { m_path.filename().string() });
    return format(tr("Der findes ingen Familieplan-fil i {0} endnu. Vælg en adgangskode på mindst "
                     "{1} tegn, og skriv den to gange. Husk den: en glemt adgangskode kan ikke "
                     "genskabes, og uden den kan sagerne ikke åbnes."),
        { m_path.string(), std::to_string(MinimumLength) });
}

std::string UnlockPresenter::check(const std::string& passphrase, const std::string& repeat) const
{
    if (passphrase.empty())
        return tr("Skriv adgangskoden.");
    if (mode() == UnlockMode::Open)
        return {};
    return checkNew(passphrase, repeat);
}

std::string UnlockPresenter::checkNew(const std::string& passphrase, const std::string& repeat) const
{
    switch (crypto::checkNewPassphrase(passphrase)) {
    case crypto::PassphraseProblem::TooShort:
        return format(tr("Adgangskoden skal have mindst {0} tegn. Flere ord i træk er lette at huske og "
                         "svære at gætte."),
            { std::to_string(MinimumLength) });
    case crypto::PassphraseProblem::OneCharacter:
        return tr("Adgangskoden består af ét tegn gentaget og er let at gætte. Vælg en anden.");
    case crypto::PassphraseProblem::Common:
        return tr("Adgangskoden er en af de almindelige adgangskoder, som prøves først, når nogen vil "
                  "gætte. Vælg en anden.");
    case crypto::PassphraseProblem::None:
        break;
    }
    if (passphrase != repeat)
        return tr("De to adgangskoder er ikke ens.");
    return {};
}

std::string UnlockPresenter::checkChange(
    const std::string& current, const std::string& passphrase, const std::string& repeat) const
{
    if (current.empty())
        return tr("Skriv den nuværende adgangskode.");
    if (passphrase.empty())
        return tr("Skriv den nye adgangskode.");
    if (passphrase == current)
        return tr("Den nye adgangskode er den samme som den nuværende.");
    return checkNew(passphrase, repeat);
}

std::string UnlockPresenter::changePassphrase(const std::string& current, const std::string& passphrase) const
{
    try {
        Store::changePassphrase(m_path, current, passphrase, m_params());
        return {};
    } catch (const Error& e) {
        if (e.code() == ErrorCode::WrongPassphrase)
            return tr("Den nuværende adgangskode er forkert.");
        if (e.code() == ErrorCode::Conflict)
            return tr("Familieplan-filen er åben i et andet program (fx fplan). Luk det, og prøv igen.");
        return e.what();
    } catch (const std::exception& e) {
        return e.what();
    }
}

UnlockOutcome UnlockPresenter::unlock(const std::string& passphrase) const
{
    UnlockOutcome outcome;
    try {
        if (mode() == UnlockMode::Create)
            Store::create(m_path, passphrase, m_params());
        outcome.store = std::make_shared<Store>(Store::open(m_path, passphrase));
    } catch (const Error& e) {
        outcome.wrongPassphrase = e.code() == ErrorCode::WrongPassphrase;
        outcome.error = outcome.wrongPassphrase
            ? tr("Forkert adgangskode, eller filen er ikke en Familieplan-fil.")
            : std::string(e.what());
    } catch (const std::exception& e) {
        outcome.error = e.what();
    }
    return outcome;
}

} // namespace fplan::gui
