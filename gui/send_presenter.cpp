// SPDX-License-Identifier: EUPL-1.2
#include "gui/send_presenter.h"

#include "base/error.h"
#include "core/case.h"
#include "core/cpr.h"
#include "gui/i18n.h"

#include <algorithm>

namespace fplan::gui {

namespace {

bool has(const std::vector<delivery::DeliveryProblem>& problems, delivery::DeliveryProblemCode code)
{
    return std::any_of(
        problems.begin(), problems.end(), [&](const delivery::DeliveryProblem& p) { return p.code == code; });
}

// The words of the case overview's counts (sendt, venter, fejlet), one term per state.
std::string statusText(delivery::OutboxStatus status)
{
    switch (status) {
    case delivery::OutboxStatus::Queued:
        return tr("Venter");
    case delivery::OutboxStatus::Sending:
        return tr("Sendes");
    case delivery::OutboxStatus::Sent:
        return tr("Sendt");
    case delivery::OutboxStatus::Failed:
        return tr("Fejlet");
    }
    return "";
}

} // namespace

std::string displayCpr(const std::string& cpr)
{
    const auto n = normaliseCpr(cpr);
    return n ? n->substr(0, 6) + "-" + n->substr(6) : cpr;
}

SendPresenter::SendPresenter(app::DocumentService& documents, std::string docId, int version)
    : m_documents(documents)
    , m_store(documents.store())
    , m_docId(std::move(docId))
    , m_requestedVersion(version)
{
    const auto doc = m_store.document(m_docId);
    if (!doc)
        throw Error(ErrorCode::NotFound, format(tr("Dokumentet {0} findes ikke."), { m_docId }));
    // The letter's heading as the service gives it to every caller: the title of the template
    // version the document was made with (the command line's MeMo label says the same).
    m_documentTitle = m_documents.title(*doc);
    // The parents with custody are the default recipients (as `fplan send --to parents`).
    for (const auto& p : loadCaseOfDocument(m_store, m_docId).people)
        m_candidates.push_back({ p.name, p.cpr, p.relation, p.custody, p.custody });
    reload();
}

void SendPresenter::reload()
{
    m_preview
        = delivery::previewDelivery(m_store, m_docId, m_requestedVersion, toArgument(), m_documentTitle);
    for (auto& r : m_preview.recipients)
        if (r.name.empty())
            r.name = nameFor(r.cpr);
}

void SendPresenter::setChosen(std::size_t index, bool chosen)
{
    if (index >= m_candidates.size())
        return;
    m_candidates[index].chosen = chosen;
    reload();
}

std::string SendPresenter::toArgument() const
{
    // Only valid numbers go to the library; a chosen person without one is named in problems().
    std::string to;
    for (const auto& c : m_candidates) {
        const auto cpr = normaliseCpr(c.cpr);
        if (c.chosen && cpr && checkCpr(*cpr).valid)
            to += (to.empty() ? "" : ",") + *cpr;
    }
    return to;
}

std::string SendPresenter::nameFor(const std::string& normalisedCpr) const
{
    for (const auto& c : m_candidates)
        if (normaliseCpr(c.cpr) == normalisedCpr)
            return c.name;
    return {};
}

std::vector<std::string> SendPresenter::recipientLines() const
{
    std::vector<std::string> lines;
    for (const auto& r : m_preview.recipients)
        lines.push_back((r.name.empty() ? tr("(uden navn)") : r.name) + " (" + displayCpr(r.cpr) + ")");
    return lines;
}

int SendPresenter::notificationLength() const
{
    // UTF-8: count every byte that does not continue a character.
    return static_cast<int>(std::count_if(m_notification.begin(), m_notification.end(),
        [](char ch) { return (static_cast<unsigned char>(ch) & 0xC0) != 0x80; }));
}

std::string SendPresenter::notificationCounter() const
{
    return format(tr("{0} / {1} tegn"),
        { std::to_string(notificationLength()), std::to_string(MaxNotificationLength) });
}

std::vector<std::string> SendPresenter::problems() const
{
    using delivery::DeliveryProblemCode;
    std::vector<std::string> out;
    for (const auto& p : m_preview.problems) {
        if (p.code == DeliveryProblemCode::NoSender)
            out.push_back(
                tr("Kommunens navn og CVR-nummer mangler: udfyld dem under Filer › Indstillinger."));
        else if (p.code == DeliveryProblemCode::BadCvr)
            out.push_back(format(tr("Kommunens CVR-nummer {0} er ikke 8 cifre."), { p.detail }));
    }
    // The people chosen here: one without a valid number is named (the library never sees it).
    bool anyone = false;
    for (const auto& c : m_candidates) {
        if (!c.chosen)
            continue;
        anyone = true;
        const auto cpr = normaliseCpr(c.cpr);
        if (!cpr || !checkCpr(*cpr).valid)
            out.push_back(format(
                tr("{0} har intet gyldigt CPR-nummer: ret sagen, eller vælg personen fra."), { c.name }));
    }
    if (!anyone)
        out.push_back(tr("Vælg mindst én modtager."));
    if (notificationLength() > MaxNotificationLength)
        out.push_back(format(tr("Beskeden er {0} tegn; den må højst være {1}."),
            { std::to_string(notificationLength()), std::to_string(MaxNotificationLength) }));
    if (has(m_preview.problems, DeliveryProblemCode::NotFinalised)
        || has(m_preview.problems, DeliveryProblemCode::NoSuchVersion))
        out.push_back(tr("Dokumentet har ingen færdiggjort version: færdiggør det først."));
    for (const auto& p : m_preview.problems) {
        switch (p.code) {
        case DeliveryProblemCode::NoDocument:
            out.push_back(format(tr("Dokumentet {0} findes ikke."), { p.detail }));
            break;
        case DeliveryProblemCode::CustodyWithoutCpr:
        case DeliveryProblemCode::BadRecipientCpr:
            out.push_back(format(
                tr("{0} har intet gyldigt CPR-nummer: ret sagen, eller vælg personen fra."), { p.detail }));
            break;
        case DeliveryProblemCode::RecipientNotInCase:
            out.push_back(format(tr("CPR-nummeret {0} tilhører ingen i sagen."), { p.detail }));
            break;
        default:
            break; // said above, from the same code or from the people chosen here
        }
    }
    return out;
}

std::vector<std::string> SendPresenter::notices() const
{
    if (m_preview.transportConfigured)
        return {};
    return { tr("Der er ingen forsendelsesvej til Digital Post sat op på denne computer. Brevene lægges i "
                "udbakken og sendes, når it-afdelingen har sat forsendelsen op; indtil da står de som "
                "»venter«.") };
}

std::string SendPresenter::confirmationText() const
{
    std::string who;
    for (const auto& line : recipientLines())
        who += "\n  • " + line;
    std::string notes;
    for (const auto& n : notices())
        notes += "\n\n" + n;
    return format(tr("Send »{0}« som {1} til:{2}\n\nBrevet kan ikke kaldes tilbage, når det er sendt."),
               { m_preview.label, m_preview.fileName, who })
        + notes;
}

delivery::QueueResult SendPresenter::send(const std::string& pdf)
{
    const auto reasons = problems();
    if (!reasons.empty())
        throw Error(ErrorCode::BadInput, reasons.front());
    app::SendOrder order;
    order.docId = m_docId;
    order.version = VersionRef::byId(m_preview.versionId); // the version shown, even if its number is shared
    order.recipients = m_preview.recipients;
    order.notification = m_notification;
    order.pdf = pdf;
    auto result = m_documents.send(order);
    reload();
    return result.queued;
}

std::vector<delivery::ClaimedMessage> SendPresenter::claimDue(std::int64_t now)
{
    return delivery::claimDue(m_store, now);
}

int SendPresenter::finishAttempts(const std::vector<delivery::ClaimedMessage>& attempts,
    const std::vector<delivery::SendOutcome>& outcomes, std::int64_t now)
{
    const int sent = delivery::recordOutcomes(m_store, attempts, outcomes, {}, now).sent;
    reload();
    return sent;
}

std::vector<DeliveryLine> SendPresenter::deliveries() const
{
    std::vector<DeliveryLine> lines;
    for (const auto& e : m_preview.earlier) {
        const auto name = nameFor(e.recipient);
        lines.push_back({ e.messageUuid, e.version,
            (name.empty() ? std::string() : name + " ") + "(" + displayCpr(e.recipient) + ")",
            statusText(e.status), e.attempts, e.lastError, e.status == delivery::OutboxStatus::Failed });
    }
    return lines;
}

void SendPresenter::retry(const std::string& messageUuid, std::int64_t now)
{
    delivery::Outbox(m_store).retry(messageUuid, now);
    reload();
}

void SendPresenter::recordPaper(
    const std::string& recipient, const std::string& date, const std::string& author)
{
    const auto begin = recipient.find_first_not_of(" \t");
    if (begin == std::string::npos)
        throw Error(ErrorCode::BadInput, tr("Skriv, hvem der fik det udskrevne brev."));
    if (date.size() != 10)
        throw Error(ErrorCode::BadInput, tr("Vælg datoen for udleveringen."));
    if (m_preview.version <= 0)
        throw Error(ErrorCode::BadInput, tr("Dokumentet har ingen færdiggjort version."));
    const auto end = recipient.find_last_not_of(" \t");
    delivery::Outbox(m_store).recordPaperDelivery(m_docId, m_preview.version,
        recipient.substr(begin, end - begin + 1), date, author, delivery::unixNow());
    reload();
}

std::vector<std::string> SendPresenter::paperLines() const
{
    std::vector<std::string> lines;
    for (const auto& p : m_preview.paper)
        lines.push_back(format(tr("{0}: udleveret til {1} (version {2}, registreret af {3})"),
            { p.handedOverOn, p.recipient, std::to_string(p.version), p.recordedBy }));
    return lines;
}

} // namespace fplan::gui
