// SPDX-License-Identifier: EUPL-1.2
#include "gui/sync_presenter.h"

#include "base/error.h"
#include "crypto/secret_string.h"
#include "gui/i18n.h"

#include <cstdlib>
#include <ctime>

namespace fplan::gui {

using Phase = sync::SyncLoopStatus::Phase;
using sync::SyncProblem;

void SyncStatusPresenter::signedOut()
{
    m_bound = false;
    m_status = {};
}

void SyncStatusPresenter::update(const sync::SyncLoopStatus& status)
{
    m_bound = true;
    // A sync that starts does not know the count yet: the last one known stays on the line.
    const bool keepCount = !status.queuedKnown && m_status.queuedKnown;
    const std::size_t queued = m_status.queued;
    m_status = status;
    if (keepCount) {
        m_status.queued = queued;
        m_status.queuedKnown = true;
    }
}

bool SyncStatusPresenter::failed() const
{
    return m_bound && m_status.phase == Phase::Failed;
}

bool SyncStatusPresenter::needsSignIn() const
{
    return m_bound && m_status.phase == Phase::Failed
        && (m_status.problem == SyncProblem::SignInNeeded || m_status.problem == SyncProblem::WrongPassword);
}

std::string SyncStatusPresenter::text() const
{
    if (!m_bound)
        return tr("Ikke logget ind på en server – vælg Synkronisering › Log ind …");
    const std::string waiting = m_status.queued == 0
        ? std::string()
        : format(trn("{0} ændring venter", "{0} ændringer venter", m_status.queued),
            { std::to_string(m_status.queued) });
    const std::string since = m_status.lastSynced
        ? format(tr("sidst synkroniseret {0}"), { clockTime(*m_status.lastSynced) })
        : std::string();
    switch (m_status.phase) {
    case Phase::Syncing:
        return tr("Synkroniserer …");
    case Phase::Synced:
        return waiting.empty() ? tr("Synkroniseret") : format(tr("Synkroniseret – {0}"), { waiting });
    case Phase::Failed:
        break;
    }
    switch (m_status.problem) {
    case SyncProblem::Unreachable:
        if (!waiting.empty())
            return format(tr("Offline – {0}"), { waiting }) + (since.empty() ? "" : " (" + since + ")");
        return since.empty() ? tr("Kan ikke nå serveren")
                             : format(tr("Kan ikke nå serveren ({0})"), { since });
    case SyncProblem::SignInNeeded:
    case SyncProblem::WrongPassword:
        return tr("Log ind igen for at synkronisere – vælg Synkronisering › Log ind …");
    default:
        break;
    }
    if (m_status.error) {
        try {
            std::rethrow_exception(m_status.error);
        } catch (const std::exception& e) {
            return tr("Synkronisering stoppet:") + " " + syncErrorMessage(e);
        }
    }
    return tr("Synkronisering stoppet:") + " " + m_status.message;
}

std::string clockTime(std::chrono::system_clock::time_point when)
{
    const std::time_t t = std::chrono::system_clock::to_time_t(when);
    std::tm local {};
    localtime_r(&t, &local);
    char text[8];
    std::strftime(text, sizeof text, "%H.%M", &local);
    return text;
}

std::string syncErrorMessage(const std::exception& error)
{
    const auto* syncError = dynamic_cast<const sync::SyncError*>(&error);
    switch (sync::problemOf(error)) {
    case SyncProblem::Unreachable:
        return tr("Serveren kan ikke nås. Tjek adressen og netværket; dine ændringer venter og sendes, når "
                  "forbindelsen er tilbage.");
    case SyncProblem::CertificateChanged:
        return tr("Serverens certifikat er ikke det samme som sidst. Det kan være en anden server, der "
                  "udgiver sig for at være jeres, så der er intet sendt. Spørg den, der driver serveren, om "
                  "certifikatet er skiftet.");
    case SyncProblem::WrongPassword:
        return tr("Forkert brugernavn eller adgangskode.");
    case SyncProblem::AccountLocked:
        if (syncError && !syncError->retryAfter().empty())
            return format(trn("Kontoen er låst efter for mange forkerte forsøg. Prøv igen om {0} sekund.",
                              "Kontoen er låst efter for mange forkerte forsøg. Prøv igen om {0} sekunder.",
                              std::strtoul(syncError->retryAfter().c_str(), nullptr, 10)),
                { syncError->retryAfter() });
        return tr("Kontoen er låst efter for mange forkerte forsøg. Prøv igen senere.");
    case SyncProblem::AccountDisabled:
        return tr("Kontoen er spærret på serveren. Kontakt den, der driver serveren.");
    case SyncProblem::SignInNeeded:
        return tr("Log ind med din adgangskode for at synkronisere.");
    case SyncProblem::BoundElsewhere:
        return tr("Denne Familieplan-fil synkroniserer allerede med en anden server eller bruger.");
    case SyncProblem::Other:
        break;
    }
    return format(tr("Synkroniseringen fejlede: {0}"), { error.what() });
}

namespace {

std::string signedInMessage(
    const std::string& server, const std::string& account, const std::string& fingerprint, bool first)
{
    if (!first)
        return format(tr("Du er logget ind igen på {0}."), { server });
    return format(tr("Du er logget ind på {0} som {1}. Serverens certifikat er gemt, og der "
                     "synkroniseres kun med en server, der har netop dette certifikat:\n\nSHA-256 {2}"),
        { server, account, groupedFingerprint(fingerprint) });
}

} // namespace

SignInPresenter::SignInPresenter(std::optional<sync::ServerBinding> binding)
    : m_binding(std::move(binding))
{
}

std::string SignInPresenter::title() const
{
    return passwordOnly() ? tr("Log ind igen") : tr("Log ind på serveren");
}

std::string SignInPresenter::explanation() const
{
    if (passwordOnly())
        return format(
            tr("Sessionen hos {0} er udløbet. Skriv adgangskoden for {1} for at synkronisere igen."),
            { m_binding->url, m_binding->account });
    return tr("Familieplan-filen synkroniseres med teamets server. Serverens adresse, dit brugernavn og din "
              "adgangskode får du af den, der driver serveren. Første gang gemmes serverens certifikat; "
              "siden spørger programmet kun igen, når sessionen er udløbet.");
}

std::string SignInPresenter::server() const
{
    return m_binding ? m_binding->url : std::string();
}

std::string SignInPresenter::account() const
{
    return m_binding ? m_binding->account : std::string();
}

std::string SignInPresenter::check(
    const std::string& server, const std::string& account, const std::string& password) const
{
    if (!passwordOnly()) {
        if (server.empty())
            return tr("Skriv serverens adresse.");
        if (server.rfind("https://", 0) != 0 || server.size() <= 8)
            return tr(
                "Serverens adresse begynder med https:// (for eksempel https://sager.kommune.dk:8443).");
        if (account.empty())
            return tr("Skriv dit brugernavn.");
    }
    if (password.empty())
        return tr("Skriv adgangskoden.");
    return {};
}

SignInOutcome SignInPresenter::signIn(
    Store& store, const std::string& server, const std::string& account, const std::string& password) const
{
    SignInOutcome outcome;
    const auto before = sync::ClientState(store).binding();
    try {
        sync::SyncOptions options;
        options.server = passwordOnly() ? m_binding->url : server;
        options.account = passwordOnly() ? m_binding->account : account;
        options.password = [&password] { return crypto::SecretString(password); };
        options.timeout = std::chrono::seconds(15);
        const auto report = sync::syncWithServer(store, options);
        outcome.ok = true;
        outcome.firstSignIn = report.firstSignIn;
        outcome.fingerprint = report.fingerprint;
        outcome.message
            = signedInMessage(report.server, report.account, report.fingerprint, report.firstSignIn);
    } catch (const std::exception& e) {
        outcome.message = syncErrorMessage(e);
        // Signed in, but the sync after it failed (a case the server refuses, the network gone):
        // the sign-in holds, and the status line will say how the syncs go.
        const auto after = sync::ClientState(store).binding();
        if (after && !after->token.empty() && (!before || before->token != after->token)) {
            outcome.ok = true;
            outcome.firstSignIn = !before;
            outcome.fingerprint = after->fingerprint;
            outcome.message
                = signedInMessage(after->url, after->account, after->fingerprint, outcome.firstSignIn)
                + "\n\n" + outcome.message;
        }
    }
    return outcome;
}

void PresencePresenter::update(const sync::PresenceNotice& notice)
{
    if (notice.gone)
        m_present.erase(notice.client);
    else
        m_present[notice.client] = notice;
}

void PresencePresenter::clear()
{
    m_present.clear();
}

std::string PresencePresenter::textFor(const std::string& docId, const docgen::Template& tmpl,
    const std::function<std::string(const std::string& account)>& nameOf) const
{
    std::string text;
    for (const auto& [client, p] : m_present) {
        if (p.docId != docId)
            continue;
        std::string line;
        const std::string name = nameOf(p.account);
        for (const auto& section : tmpl.sections)
            if (!p.section.empty() && (section.path == p.section || section.id == p.section))
                line = format(tr("{0} skriver i {1}"), { name, section.label });
        if (line.empty())
            line = format(tr("{0} har dokumentet åbent"), { name });
        text += (text.empty() ? "" : "; ") + line;
    }
    return text;
}

std::string sectionOf(const std::string& path)
{
    return path.substr(0, path.find_first_of(".["));
}

std::string groupedFingerprint(const std::string& hex)
{
    std::string out;
    for (std::size_t i = 0; i < hex.size(); ++i) {
        if (i > 0 && i % 4 == 0)
            out += (i % 32 == 0) ? '\n' : ' ';
        out += hex[i];
    }
    return out;
}

} // namespace fplan::gui
