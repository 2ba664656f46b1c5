// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include <filesystem>
#include <string>

namespace fplan::sync {

struct TlsFiles {
    std::filesystem::path certificate; // PEM
    std::filesystem::path privateKey; // PEM, 0600
};

// DIR/tls.crt and DIR/tls.key: a self-signed EC P-256 certificate for localhost and 127.0.0.1,
// made on first use. Returns whether it was made now.
bool ensureSelfSigned(const std::filesystem::path& dataDir, TlsFiles& files);

// SHA-256 of the certificate's DER bytes, 64 lowercase hex digits (what clients pin).
std::string certificateFingerprint(const std::filesystem::path& certificatePem);

// Throws Error(BadInput) naming the file unless both parse and the key belongs to the certificate.
void checkTlsFiles(const TlsFiles& files);

} // namespace fplan::sync
