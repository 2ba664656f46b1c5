// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include "core/store.h"
#include "tests/support/test_support.h"

#include <filesystem>
#include <optional>
#include <string>

namespace fplan::test {

// A small but complete PDF (one page, "Familieplan"), with a correct cross-reference table.
std::string minimalPdf();

// A fresh store holding one case (Søs Nørgaard with custody, Peter Nørgaard with custody,
// Alma the child) with one familieplan document finalised as version 1.
struct CaseStore {
    TempDir dir;
    std::optional<Store> store;
    std::string caseId;
    std::string docId;
    std::filesystem::path path() const { return dir / "fplan.db"; }
};
void makeCaseStore(CaseStore& out, bool withSender = true);
// Finalises the document once more; returns the new version number.
int finalizeAgain(CaseStore& cs);

inline constexpr const char* MotherCpr = "0101901234";
inline constexpr const char* FatherCpr = "0202885678";

// A throwaway CA, a server certificate for localhost/127.0.0.1, a client certificate (PEM with
// key) signed by that CA, and a second client certificate from a CA nobody trusts.
struct TestPki {
    std::filesystem::path ca, serverCert, serverKey, clientPem, rogueClientPem;
    std::filesystem::path wrongNameCert, wrongNameKey; // from the right CA, for other.example
};
TestPki makeTestPki(const std::filesystem::path& dir);

} // namespace fplan::test
