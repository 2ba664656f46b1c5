// SPDX-License-Identifier: EUPL-1.2
#include "delivery/transport.h"

#include "base/durable_file.h"
#include "base/error.h"
#include "delivery/https_client.h"

#include <cerrno>
#include <cstring>
#include <ctime>
#include <sys/stat.h>

namespace fplan::delivery {

namespace fs = std::filesystem;

namespace {

bool isUuid(const std::string& s)
{
    if (s.size() != 36)
        return false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? s[i] != '-' : !std::isxdigit(static_cast<unsigned char>(s[i])))
            return false;
    }
    return true;
}

std::string setting(const std::map<std::string, std::string>& settings, const std::string& key)
{
    const auto it = settings.find(key);
    return it == settings.end() ? std::string() : it->second;
}

std::string require(
    const std::map<std::string, std::string>& settings, const std::string& key, const std::string& why)
{
    auto value = setting(settings, key);
    if (value.empty())
        throw Error(ErrorCode::BadInput,
            "setting " + key + " is missing (" + why + "): fplan config set " + key + " VALUE");
    return value;
}

std::string nowUtc()
{
    const std::time_t t = std::time(nullptr);
    std::tm tm {};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

} // namespace

FolderTransport::FolderTransport(fs::path folder)
    : m_folder(std::move(folder))
{
}

std::string FolderTransport::describe() const
{
    return "folder " + m_folder.string();
}

SendOutcome FolderTransport::send(const std::string& messageUuid, const std::string& memoXml)
{
    using Kind = SendOutcome::Kind;
    if (!isUuid(messageUuid))
        return { Kind::Permanent, "not a message UUID: '" + messageUuid + "'" };
    std::error_code ec;
    if (!fs::is_directory(m_folder, ec))
        return { Kind::Retry, "the delivery folder " + m_folder.string() + " is not there" };
    const fs::path final = m_folder / (messageUuid + ".xml");
    struct stat st { };
    if (::lstat(final.c_str(), &st) == 0) {
        // Handed on before (a retry after a lost acknowledgement) only if it is this very message.
        if (!S_ISREG(st.st_mode))
            return { Kind::Permanent, final.string() + " is there but is not a regular file; not delivered" };
        try {
            if (readFileBounded(final, memoXml.size(), "MeMo message") == memoXml)
                return { Kind::Delivered, {} };
        } catch (const Error&) {
        }
        return { Kind::Permanent, final.string() + " is already there with other content; not delivered" };
    }
    // The one durable writer: a dot-named temporary file made with O_EXCL (a planted symlink is
    // never followed), fsync, rename, fsync of the folder; it also removes the temporary files
    // of a send that was killed before its rename.
    try {
        writeFileDurably(final, memoXml);
    } catch (const Error& e) {
        return { Kind::Retry, e.what() };
    }
    return { Kind::Delivered, {} };
}

std::string sf1601Request(const std::string& memoXml)
{
    // The MeMo message goes in whole, minus its XML declaration.
    std::string_view message = memoXml;
    if (message.rfind("<?xml", 0) == 0) {
        const auto end = message.find("?>");
        message.remove_prefix(end == std::string_view::npos ? 0 : end + 2);
        while (!message.empty() && (message.front() == '\n' || message.front() == '\r'))
            message.remove_prefix(1);
    }
    std::string body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                       "<kombi_request xmlns=\"urn:oio:sagdok:kombipostafsend:1.0.0\">\n"
                       "<KombiValgKode>Digital</KombiValgKode>\n";
    body.append(message);
    body += "</kombi_request>\n";
    return body;
}

Sf1601Transport::Sf1601Transport(HttpsSettings settings)
    : m_settings(std::move(settings))
{
}

std::string Sf1601Transport::describe() const
{
    return "SF1601 endpoint " + m_settings.endpoint;
}

SendOutcome Sf1601Transport::send(const std::string& messageUuid, const std::string& memoXml)
{
    using Kind = SendOutcome::Kind;
    HttpsRequest post;
    post.url = m_settings.endpoint;
    post.contentType = "application/xml; charset=utf-8";
    post.body = sf1601Request(memoXml);
    // The transaction id is the message UUID, so the service can recognise a repeated attempt.
    post.headers = { { "x-TransaktionsId", messageUuid }, { "x-TransaktionsTid", nowUtc() } };
    post.clientCert = m_settings.clientCert;
    post.ca = m_settings.ca;
    post.timeout = m_settings.timeout;
    try {
        const auto reply = sendHttps(post);
        if (reply.status >= 200 && reply.status < 300)
            return { Kind::Delivered, {} };
        std::string detail = reply.body.substr(0, 200);
        for (auto& c : detail)
            if (c == '\n' || c == '\r')
                c = ' ';
        const std::string error = m_settings.endpoint + " answered HTTP " + std::to_string(reply.status)
            + (detail.empty() ? std::string() : ": " + detail);
        const bool temporary = reply.status >= 500 || reply.status == 408 || reply.status == 429;
        return { temporary ? Kind::Retry : Kind::Permanent, error };
    } catch (const Error& e) {
        // A certificate file that cannot be read will not fix itself by waiting.
        return { e.code() == ErrorCode::Network ? Kind::Retry : Kind::Permanent, e.what() };
    }
}

std::unique_ptr<Transport> makeTransport(const std::map<std::string, std::string>& settings)
{
    const auto kind = setting(settings, "delivery.transport");
    if (kind == "folder")
        return std::make_unique<FolderTransport>(
            require(settings, "delivery.folder", "the folder the integration platform reads"));
    if (kind == "sf1601") {
        HttpsSettings s;
        s.endpoint = require(settings, "delivery.endpoint", "the SF1601 endpoint URL");
        s.clientCert = require(settings, "delivery.client_cert", "PEM with certificate and key");
        s.ca = require(settings, "delivery.ca", "the CA that signed the endpoint's certificate");
        if (auto t = setting(settings, "delivery.timeout_ms"); !t.empty()) {
            try {
                s.timeout = std::chrono::milliseconds(std::stol(t));
            } catch (const std::exception&) {
                throw Error(ErrorCode::BadInput, "setting delivery.timeout_ms '" + t + "' is not a number");
            }
        }
        return std::make_unique<Sf1601Transport>(std::move(s));
    }
    if (kind.empty())
        throw Error(ErrorCode::BadInput,
            "setting delivery.transport is missing: fplan config set delivery.transport folder|sf1601");
    throw Error(
        ErrorCode::BadInput, "setting delivery.transport is '" + kind + "'; it must be folder or sf1601");
}

} // namespace fplan::delivery
