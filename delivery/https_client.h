// SPDX-License-Identifier: EUPL-1.2
#pragma once

// The project's own small face of Boost.Beast: the only delivery header that https_client.cpp
// (the one Beast translation unit of the library) implements.

#include <chrono>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace fplan::delivery {

struct HttpsPost {
    std::string url; // https://host[:port]/path
    std::string contentType;
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
    std::filesystem::path clientCert; // PEM: certificate chain and private key
    std::filesystem::path ca; // trusted CA for the server's certificate
    std::chrono::milliseconds timeout { 30000 }; // for the whole exchange
};

struct HttpsReply {
    int status = 0;
    std::string body;
};

// Mutual TLS (verify_peer + host name verification against `ca`), one POST, one reply.
// Any failure to get a reply (resolve, connect, handshake, timeout) is Error(Network) naming
// the step; a bad URL or unreadable certificate file is Error(BadInput).
HttpsReply postHttps(const HttpsPost& request);

} // namespace fplan::delivery
