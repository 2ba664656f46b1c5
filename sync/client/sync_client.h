// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include "base/error.h"
#include "core/op.h"
#include "core/store.h"
#include "crypto/secret_string.h"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <set>
#include <string>

namespace fplan::sync {

struct SyncOptions {
    std::string server; // https://host:port
    std::string account; // the account on the case store server
    std::filesystem::path ca; // trust this CA (PEM) instead of the pinned certificate fingerprint
    // Asked only when a sign-in is needed (first sync, or the session has expired); it stays in
    // locked memory until it is sent.
    std::function<crypto::SecretString()> password;
    std::size_t pushBatch = 1000; // ops per push (the server takes at most 5000)
    std::size_t pushBatchBytes = 4 << 20; // and about this much JSON (the server takes 8 MiB)
    std::size_t pullLimit = 1000;
    std::chrono::milliseconds timeout { 30000 }; // per request
};

struct SyncReport {
    std::string server;
    std::string account;
    std::string fingerprint; // the pinned (or CA-checked) server certificate
    bool signedIn = false; // a password sign-in happened during this sync
    bool firstSignIn = false; // this sync bound the store to the server
    std::size_t pushed = 0; // ops the server now holds that this sync sent
    std::size_t pulled = 0; // ops this store did not have
    std::set<std::string> casesNew;
    std::set<std::string> casesUpdated;
    std::size_t queued = 0; // ops still waiting for the server
    std::int64_t cursor = 0; // the server sequence number pulled up to
    std::chrono::system_clock::time_point synced; // when it went through (kept in the store)
    std::size_t connections = 0; // TLS connections this sync opened (one while the server keeps it)
};

Json toJson(const SyncReport& report);

// What went wrong with a sync, for a program that explains it to a person (the desktop's sign-in
// and status bar); the Error's code stays what the CLI's exit status is made of.
enum class SyncProblem {
    Unreachable, // the server cannot be reached or answers garbage (Error Network)
    CertificateChanged, // the server presents another certificate than the pinned one (Conflict)
    WrongPassword, // the server refuses the user name or password (WrongPassphrase)
    AccountLocked, // too many failed sign-ins; `retryAfter` says for how long (Conflict)
    AccountDisabled, // (Conflict)
    SignInNeeded, // no session and no password to sign in with (Usage)
    BoundElsewhere, // the store syncs with another server or account (Conflict)
    Other, // anything else: the message says what
};

class SyncError : public Error {
public:
    SyncError(ErrorCode code, SyncProblem problem, const std::string& message, std::string retryAfter = {})
        : Error(code, message)
        , m_problem(problem)
        , m_retryAfter(std::move(retryAfter))
    {
    }
    SyncProblem problem() const noexcept { return m_problem; }
    const std::string& retryAfter() const noexcept { return m_retryAfter; } // seconds, as the server said

private:
    SyncProblem m_problem;
    std::string m_retryAfter;
};

// A SyncError's problem; any other Error(Network) is Unreachable, anything else Other.
SyncProblem problemOf(const std::exception& e);

// Pushes the upload queue in local order, records what the server holds, pulls everything after
// the cursor and stores it. Each of those steps is its own transaction, so a sync cut anywhere
// resumes without loss or duplicates by running it again. Errors: Error(Network) when the server
// cannot be reached (the ops stay queued), Error(Conflict) for a changed server certificate, an
// account that is locked or disabled, or a store bound to another server or account;
// Error(WrongPassphrase) for a wrong password; Error(Usage) when a sign-in is needed and
// `password` is not set; Error(BadInput) when the server refuses an op or sends one that fails
// validation. Those with a SyncProblem other than Other are thrown as SyncError.
SyncReport syncWithServer(Store& store, const SyncOptions& options);

} // namespace fplan::sync
