// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>

namespace fplan::delivery {

// What one attempt to hand a message on came to.
struct SendOutcome {
    enum class Kind { Delivered, Retry, Permanent };
    Kind kind = Kind::Delivered;
    std::string error; // for a person: what went wrong, and where
};

// Hands one message on. Implementations never throw for a failed attempt; they report it.
class Transport {
public:
    virtual ~Transport() = default;
    virtual SendOutcome send(const std::string& messageUuid, const std::string& memoXml) = 0;
    virtual std::string describe() const = 0;
};

// Writes UUID.xml into a folder that the municipality's integration platform reads, through the
// one durable writer (base/durable_file.h): a dot-named temporary file made with O_EXCL (a
// symlink planted in the folder is never followed), fsync, rename, fsync of the folder, so a
// reader never sees half a file; the temporary files of a killed send are removed on the next.
// A UUID.xml already there counts as delivered only if it holds this very message.
class FolderTransport : public Transport {
public:
    explicit FolderTransport(std::filesystem::path folder);
    SendOutcome send(const std::string& messageUuid, const std::string& memoXml) override;
    std::string describe() const override;

private:
    std::filesystem::path m_folder;
};

struct HttpsSettings {
    std::string endpoint; // https://host[:port]/path
    std::filesystem::path clientCert; // PEM with certificate and private key
    std::filesystem::path ca; // PEM of the CA that signed the server's certificate
    std::chrono::milliseconds timeout { 30000 };
};

// POSTs an SF1601-style request (kombi_request around the MeMo message) with a client
// certificate; 2xx delivered, 408/429/5xx and network trouble retried, other 4xx permanent.
class Sf1601Transport : public Transport {
public:
    explicit Sf1601Transport(HttpsSettings settings);
    SendOutcome send(const std::string& messageUuid, const std::string& memoXml) override;
    std::string describe() const override;

private:
    HttpsSettings m_settings;
};

// The SF1601 request body for one message.
std::string sf1601Request(const std::string& memoXml);

// The transport the settings choose (delivery.transport = folder | sf1601, with delivery.folder
// or delivery.endpoint, delivery.client_cert, delivery.ca, delivery.timeout_ms);
// Error(BadInput) naming the missing or wrong setting.
std::unique_ptr<Transport> makeTransport(const std::map<std::string, std::string>& settings);

} // namespace fplan::delivery
