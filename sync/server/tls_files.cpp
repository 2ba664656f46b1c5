// SPDX-License-Identifier: EUPL-1.2
#include "sync/server/tls_files.h"

#include "base/error.h"
#include "crypto/hash.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <memory>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <unistd.h>

namespace fplan::sync {

namespace {

struct Free {
    void operator()(EVP_PKEY* p) const noexcept { EVP_PKEY_free(p); }
    void operator()(X509* p) const noexcept { X509_free(p); }
    void operator()(X509_EXTENSION* p) const noexcept { X509_EXTENSION_free(p); }
    void operator()(std::FILE* f) const noexcept { std::fclose(f); }
};
template <class T> using Ptr = std::unique_ptr<T, Free>;

void check(bool ok, const char* step)
{
    if (!ok)
        throw Error(ErrorCode::Crypto, std::string("making the TLS certificate: ") + step + " failed");
}

// Opens a new file with the given mode for writing; refuses to replace an existing one.
Ptr<std::FILE> createPrivate(const std::filesystem::path& path, mode_t mode)
{
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd < 0)
        throw Error(ErrorCode::Storage, path.string() + ": cannot create: " + std::strerror(errno));
    return Ptr<std::FILE>(::fdopen(fd, "w"));
}

Ptr<std::FILE> openRead(const std::filesystem::path& path)
{
    Ptr<std::FILE> f(std::fopen(path.c_str(), "re"));
    if (!f)
        throw Error(ErrorCode::BadInput, path.string() + ": cannot read: " + std::strerror(errno));
    return f;
}

Ptr<X509> readCertificate(const std::filesystem::path& path)
{
    auto f = openRead(path);
    Ptr<X509> cert(PEM_read_X509(f.get(), nullptr, nullptr, nullptr));
    if (!cert)
        throw Error(ErrorCode::BadInput, path.string() + ": no PEM certificate in it");
    return cert;
}

} // namespace

bool ensureSelfSigned(const std::filesystem::path& dataDir, TlsFiles& files)
{
    files = { dataDir / "tls.crt", dataDir / "tls.key" };
    std::error_code ec;
    if (std::filesystem::exists(files.certificate, ec) && std::filesystem::exists(files.privateKey, ec))
        return false;
    Ptr<EVP_PKEY> key(EVP_EC_gen("P-256"));
    check(key != nullptr, "EC key generation");
    Ptr<X509> cert(X509_new());
    check(cert && X509_set_version(cert.get(), 2), "X509_new");
    std::uint8_t serial[16];
    check(RAND_bytes(serial, sizeof serial) == 1, "RAND_bytes");
    serial[0] &= 0x7f;
    BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
    check(bn && BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get())), "serial number");
    BN_free(bn);
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), -60 * 60);
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), 10L * 365 * 24 * 60 * 60);
    check(X509_set_pubkey(cert.get(), key.get()), "X509_set_pubkey");
    X509_NAME* name = X509_get_subject_name(cert.get());
    X509_NAME_add_entry_by_txt(
        name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
    X509_NAME_add_entry_by_txt(
        name, "O", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("Familieplan case store"), -1, -1, 0);
    check(X509_set_issuer_name(cert.get(), name), "issuer");
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, cert.get(), cert.get(), nullptr, nullptr, 0);
    for (const auto& [nid, value] : { std::pair { NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1,IP:::1" },
             std::pair { NID_basic_constraints, "critical,CA:TRUE" },
             std::pair { NID_key_usage, "critical,digitalSignature,keyCertSign" },
             std::pair { NID_ext_key_usage, "serverAuth" } }) {
        Ptr<X509_EXTENSION> ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value));
        check(ext && X509_add_ext(cert.get(), ext.get(), -1), "certificate extension");
    }
    check(X509_sign(cert.get(), key.get(), EVP_sha256()) > 0, "X509_sign");

    std::filesystem::remove(files.certificate, ec);
    std::filesystem::remove(files.privateKey, ec);
    {
        auto out = createPrivate(files.privateKey, 0600);
        check(out && PEM_write_PrivateKey(out.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr),
            "writing the key");
        check(std::fflush(out.get()) == 0 && ::fsync(::fileno(out.get())) == 0, "writing the key");
    }
    {
        auto out = createPrivate(files.certificate, 0644);
        check(out && PEM_write_X509(out.get(), cert.get()), "writing the certificate");
        check(std::fflush(out.get()) == 0 && ::fsync(::fileno(out.get())) == 0, "writing the certificate");
    }
    return true;
}

std::string certificateFingerprint(const std::filesystem::path& certificatePem)
{
    const auto cert = readCertificate(certificatePem);
    unsigned char* der = nullptr;
    const int length = i2d_X509(cert.get(), &der);
    if (length <= 0)
        throw Error(ErrorCode::BadInput, certificatePem.string() + ": cannot encode the certificate");
    const std::string hex = crypto::sha256Hex(std::string_view(reinterpret_cast<const char*>(der), length));
    OPENSSL_free(der);
    return hex;
}

void checkTlsFiles(const TlsFiles& files)
{
    const auto cert = readCertificate(files.certificate);
    auto f = openRead(files.privateKey);
    Ptr<EVP_PKEY> key(PEM_read_PrivateKey(f.get(), nullptr, nullptr, nullptr));
    if (!key)
        throw Error(ErrorCode::BadInput,
            files.privateKey.string() + ": no PEM private key in it (or it is encrypted)");
    if (X509_check_private_key(cert.get(), key.get()) != 1)
        throw Error(ErrorCode::BadInput,
            files.privateKey.string() + ": the key does not belong to " + files.certificate.string());
}

} // namespace fplan::sync
