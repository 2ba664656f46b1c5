// SPDX-License-Identifier: EUPL-1.2
#include "tests/delivery/delivery_fixtures.h"

#include "base/error.h"
#include "core/bundle.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <vector>

namespace fplan::test {

std::string minimalPdf()
{
    std::vector<std::string> objects = {
        "<< /Type /Catalog /Pages 2 0 R /Lang (da-DK) >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        " /Resources << /Font << /F1 5 0 R >> >> >>",
        "", // the content stream, below
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    };
    const std::string content = "BT /F1 24 Tf 72 760 Td (Familieplan) Tj ET";
    objects[3] = "<< /Length " + std::to_string(content.size()) + " >>\nstream\n" + content + "\nendstream";
    std::string pdf = "%PDF-1.7\n%\xE2\xE3\xCF\xD3\n";
    std::vector<std::size_t> offsets;
    for (std::size_t i = 0; i < objects.size(); ++i) {
        offsets.push_back(pdf.size());
        pdf += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
    }
    const std::size_t xref = pdf.size();
    pdf += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
    for (auto offset : offsets) {
        std::string n = std::to_string(offset);
        pdf += std::string(10 - n.size(), '0') + n + " 00000 n \n";
    }
    pdf += "trailer\n<< /Size " + std::to_string(objects.size() + 1) + " /Root 1 0 R >>\nstartxref\n"
        + std::to_string(xref) + "\n%%EOF\n";
    return pdf;
}

void makeCaseStore(CaseStore& cs, bool withSender)
{
    Store::create(cs.path(), "test-passphrase", crypto::KdfParams::freshCheap());
    cs.store.emplace(Store::open(cs.path(), "test-passphrase"));
    Store& store = *cs.store;
    const std::string bundleJson = R"({
      "case": {"title": "Familien Nørgaard", "journal_number": "27.24.00-G01-1-26", "kle": "27.24.00"},
      "people": [
        {"id": "p1", "name": "Søs Nørgaard", "cpr": "0101901234", "relation": "mor", "custody": true},
        {"id": "p2", "name": "Peter Nørgaard", "cpr": "020288-5678", "relation": "far", "custody": true},
        {"id": "p3", "name": "Alma Nørgaard", "cpr": "1205154321", "relation": "barn"}
      ],
      "team": [{"id": "t1", "name": "Jens Ravn", "fagomraade": "Børn og Familie",
                "role": "myndighedsrådgiver", "email": "jr@kommune.dk", "phone": "12345678"}],
      "coordinator": "t1",
      "documents": [{"template": "familieplan", "values": {}}]
    })";
    const Bundle bundle = parseBundle(bundleJson, "bundle.json");
    OpFactory factory("tester", store.deviceId(), store.clock());
    cs.caseId = importBundle(store, bundle, factory, [](const BundleDocument&, const Case&) {
        return PreparedDocument { "1", {}, "", "" };
    });
    const auto docs = store.documents(cs.caseId);
    if (docs.size() != 1)
        throw std::runtime_error("expected one document in the test case");
    cs.docId = docs.front().id;
    finalizeAgain(cs);
    if (withSender) {
        store.setSetting("municipality.cvr", "29189803");
        store.setSetting("municipality.name", "Aarhus Kommune");
    }
}

int finalizeAgain(CaseStore& cs)
{
    Store& store = *cs.store;
    OpFactory factory("tester", store.deviceId(), store.clock());
    const auto state = store.documentState(cs.docId);
    store.appendOps({ factory.finalize(state, cs.caseId, cs.docId) });
    return store.documentState(cs.docId).versions().back().number;
}

namespace {

void openssl(const std::vector<std::string>& args)
{
    std::vector<std::string> argv = { "openssl" };
    argv.insert(argv.end(), args.begin(), args.end());
    const auto r = run(argv);
    if (r.exitCode != 0)
        throw std::runtime_error("openssl " + args.front() + " failed: " + r.err);
}

void makeCa(const std::filesystem::path& dir, const std::string& name)
{
    openssl({ "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", (dir / (name + ".key")).string(), "-out", (dir / (name + ".pem")).string(), "-days", "2",
        "-subj", "/CN=" + name });
}

void makeLeaf(const std::filesystem::path& dir, const std::string& ca, const std::string& name,
    const std::string& subject, const std::string& extensions)
{
    const auto ext = dir / (name + ".ext");
    writeFile(ext, extensions + "\n");
    openssl({ "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
        (dir / (name + ".key")).string(), "-out", (dir / (name + ".csr")).string(), "-subj", subject });
    openssl({ "x509", "-req", "-in", (dir / (name + ".csr")).string(), "-CA", (dir / (ca + ".pem")).string(),
        "-CAkey", (dir / (ca + ".key")).string(), "-CAcreateserial", "-out", (dir / (name + ".pem")).string(),
        "-days", "2", "-extfile", ext.string() });
}

} // namespace

TestPki makeTestPki(const std::filesystem::path& dir)
{
    makeCa(dir, "test-ca");
    makeCa(dir, "rogue-ca");
    makeLeaf(dir, "test-ca", "server", "/CN=localhost",
        "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth");
    makeLeaf(dir, "test-ca", "client", "/O=Testkommune/CN=Familieplan klient", "extendedKeyUsage=clientAuth");
    makeLeaf(dir, "test-ca", "wrongname", "/CN=other.example",
        "subjectAltName=DNS:other.example\nextendedKeyUsage=serverAuth");
    makeLeaf(dir, "rogue-ca", "rogue", "/CN=Ukendt klient", "extendedKeyUsage=clientAuth");
    TestPki pki;
    pki.ca = dir / "test-ca.pem";
    pki.serverCert = dir / "server.pem";
    pki.serverKey = dir / "server.key";
    pki.clientPem = dir / "client-bundle.pem";
    pki.rogueClientPem = dir / "rogue-bundle.pem";
    pki.wrongNameCert = dir / "wrongname.pem";
    pki.wrongNameKey = dir / "wrongname.key";
    writeFile(pki.clientPem, readFile(dir / "client.pem") + readFile(dir / "client.key"));
    writeFile(pki.rogueClientPem, readFile(dir / "rogue.pem") + readFile(dir / "rogue.key"));
    return pki;
}

} // namespace fplan::test
