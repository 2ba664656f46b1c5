// SPDX-License-Identifier: EUPL-1.2
#include "app/documents.h"
#include "base/error.h"
#include "cli/command.h"
#include "delivery/delivery.h"

#include <iostream>
#include <syslog.h>

namespace fplan::cli {

namespace {

// The order as the command line gives it: --version, --notification, --file-name, --pdf.
app::SendOrder sendOrder(const Args& args, const std::string& docId)
{
    app::SendOrder order;
    order.docId = docId;
    order.version = args.versionOption().value_or(VersionRef {}); // the latest without it
    order.notification = args.option("notification").value_or("");
    order.fileName = args.option("file-name").value_or("");
    if (auto file = args.option("pdf"))
        order.pdf = readFile(*file, limits::PdfBytes, "PDF");
    return order;
}

void printWarnings(const std::vector<std::string>& warnings)
{
    for (const auto& w : warnings)
        std::cerr << "fplan: warning: " << w << "\n";
}

void printFlush(const delivery::FlushReport& report, const std::string& via, std::ostream& out)
{
    out << "via " << via << ": " << report.sent << " sent, " << report.retrying << " to retry, "
        << report.failed << " failed\n";
    for (const auto& e : report.errors)
        std::cerr << "fplan: " << e << "\n";
}

int runMemoBuild(const Args& args, std::ostream& out)
{
    args.expectWords(1, "memo build DOC_ID --recipient CPR --out FILE.xml");
    const auto recipient = args.option("recipient");
    const auto file = args.option("out");
    if (!recipient || !file)
        throw Error(ErrorCode::Usage, "usage: fplan memo build DOC_ID --recipient CPR --out FILE.xml");
    Store store = openStore(args);
    const auto registry = templateRegistry(args);
    const app::DocumentService documents(store, registry, app::defaultAuthor(store));
    const auto prepared = documents.prepareSend(sendOrder(args, args.word(0, "DOC_ID")));
    printWarnings(prepared.warnings);
    const auto message = delivery::buildMessageFor(store, prepared.request, { *recipient, {} });
    writeFileAtomically(*file, message.xml);
    out << message.uuid << "\n";
    return 0;
}

int runMemoValidate(const Args& args, std::ostream& out)
{
    args.expectWords(1, "memo validate FILE.xml");
    const std::string file = args.word(0, "FILE.xml");
    std::error_code ec;
    if (const auto size = std::filesystem::file_size(file, ec); !ec && size > delivery::MaxMessageBytes)
        throw Error(ErrorCode::BadInput,
            file + ": " + std::to_string(size) + " bytes is more than any MeMo message can be");
    const auto problems
        = delivery::MemoSchema::installed().validate(readFile(file, limits::MemoBytes, "MeMo message"), file);
    if (problems.empty()) {
        out << file << ": a valid MeMo 1.2 message\n";
        return 0;
    }
    for (const auto& p : problems)
        std::cerr << p << "\n";
    return 2;
}

int runSend(const Args& args, std::ostream& out)
{
    args.expectWords(1, "send DOC_ID [--version N|ID] --to parents|CPR[,CPR]");
    const auto to = args.option("to");
    if (!to)
        throw Error(ErrorCode::Usage, "usage: fplan send DOC_ID [--version N|ID] --to parents|CPR[,CPR]");
    Store store = openStore(args);
    const std::string docId = args.word(0, "DOC_ID");
    const auto registry = templateRegistry(args);
    const app::DocumentService documents(store, registry, app::defaultAuthor(store));
    auto order = sendOrder(args, docId);
    const auto outside = args.option("to-outside-case");
    order.recipients = delivery::resolveRecipients(store, docId, *to, outside.value_or(""));
    if (outside) {
        const std::string note = "sending document " + docId + " to CPR " + *outside
            + " outside the case (legal exception), by " + app::defaultAuthor(store);
        std::cerr << "fplan: note: " << note << "\n";
        ::openlog("fplan", LOG_PID, LOG_USER);
        ::syslog(LOG_NOTICE, "%s", note.c_str());
        ::closelog();
    }
    const auto sent = documents.send(order);
    printWarnings(sent.warnings);
    const auto& queued = sent.queued;
    for (std::size_t i = 0; i < queued.messageUuids.size(); ++i)
        out << queued.messageUuids[i] << " " << order.recipients[i].cpr << " version " << queued.version
            << "\n";
    out << queued.newlyQueued << " new message(s) in the outbox\n";
    if (args.flag("no-flush")) {
        out << "not sent yet: fplan outbox flush sends them\n";
        return 0;
    }
    if (!store.setting("delivery.transport")) {
        out << "not sent yet: set delivery.transport, then run fplan outbox flush\n";
        return 0;
    }
    auto transport = delivery::transportFromSettings(store);
    printFlush(delivery::flushOutbox(store, *transport), transport->describe(), out);
    return 0;
}

int runOutboxList(const Args& args, std::ostream& out)
{
    args.expectWords(0, "outbox list [--json]");
    Store store = openStore(args);
    const auto entries = delivery::Outbox(store).list();
    if (args.flag("json")) {
        Json list = Json::array();
        for (const auto& e : entries)
            list.push_back({ { "message_uuid", e.messageUuid }, { "doc_id", e.docId },
                { "version", e.version }, { "version_id", e.versionId }, { "recipient", e.recipient },
                { "status", delivery::toString(e.status) }, { "attempts", e.attempts },
                { "last_error", e.lastError } });
        out << list.dump(2) << "\n";
        return 0;
    }
    for (const auto& e : entries) {
        out << e.messageUuid << "  " << e.docId << " v" << e.version << " ("
            << (e.versionId.empty() ? "id unknown" : "id " + e.versionId) << ")  " << e.recipient << "  "
            << delivery::toString(e.status) << "  attempts " << e.attempts;
        if (!e.lastError.empty())
            out << "  " << e.lastError;
        out << "\n";
    }
    return 0;
}

int runOutboxFlush(const Args& args, std::ostream& out)
{
    args.expectWords(0, "outbox flush");
    Store store = openStore(args);
    auto transport = delivery::transportFromSettings(store);
    const auto report = delivery::flushOutbox(store, *transport);
    printFlush(report, transport->describe(), out);
    // Run by a timer with nobody watching: a letter not delivered must show as a failed run.
    return report.failed > 0 || report.retrying > 0 ? 1 : 0;
}

int runOutboxRetry(const Args& args, std::ostream& out)
{
    args.expectWords(1, "outbox retry MESSAGE_UUID");
    Store store = openStore(args);
    delivery::Outbox outbox(store);
    const std::string uuid = args.word(0, "MESSAGE_UUID");
    const auto entry = outbox.entry(uuid);
    if (!entry)
        throw Error(ErrorCode::NotFound, "no message " + uuid + " in the outbox");
    if (entry->status != delivery::OutboxStatus::Failed)
        throw Error(ErrorCode::Conflict,
            "message " + uuid + " is " + delivery::toString(entry->status) + ", not failed");
    outbox.retry(uuid, delivery::unixNow());
    out << uuid << " queued again\n";
    return 0;
}

} // namespace

void registerDeliveryCommands(CommandTable& table)
{
    table.add({ "memo build", "memo build DOC_ID --recipient CPR --out FILE.xml [--version N|ID] [--pdf F]",
        "write the MeMo message one recipient would get (validated, not queued)", { "force" }, runMemoBuild,
        withOptions(StoreAndTemplateOptions,
            { "recipient", "out", "version", "pdf", "notification", "file-name" }) });
    table.add({ "memo validate", "memo validate FILE.xml",
        "check a MeMo message against the MeMo 1.2 schema; exit 2 with FILE:LINE: reason", {},
        runMemoValidate });
    table.add({ "send",
        "send DOC_ID [--version N|ID] --to parents|CPR[,CPR] [--pdf F] [--notification T] [--file-name N] "
        "[--no-flush]",
        "put MeMo messages in the outbox, then try to deliver them once", { "no-flush" }, runSend,
        withOptions(StoreAndTemplateOptions,
            { "version", "to", "to-outside-case", "pdf", "notification", "file-name" }) });
    table.add({ "outbox list", "outbox list [--json]", "show the outbox: status, attempts, last error",
        { "json" }, runOutboxList, StoreOptions });
    table.add({ "outbox flush", "outbox flush",
        "try every message whose turn has come; exit 1 when one was not delivered (retry later or failed)",
        {}, runOutboxFlush, StoreOptions });
    table.add({ "outbox retry", "outbox retry MESSAGE_UUID", "queue a failed message again", {},
        runOutboxRetry, StoreOptions });
}

} // namespace fplan::cli
