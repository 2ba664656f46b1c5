// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include "core/op.h"
#include "core/store.h"

#include <chrono>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace fplan::sync {

// Which case store server this store syncs with, and how far it has got. A store syncs with one
// server as one account; both are fixed at the first successful sign-in.
struct ServerBinding {
    std::string url; // https://host:port, without a trailing slash
    std::string account; // the account name; the author of every op this store writes
    std::string fingerprint; // SHA-256 of the server's certificate, 64 lowercase hex; pinned
    std::string token; // the current session token; empty when signed out
    std::int64_t cursor = 0; // the server sequence number of the last op pulled
    // When a sync last went through (pushed and pulled everything), also in an earlier run.
    std::optional<std::chrono::system_clock::time_point> synced;
};

// One op the server says it holds, with its server sequence number.
struct HeldOp {
    std::string opId;
    std::int64_t seq = 0;
};

// A template text that came with the ops, named by a create op of the same page.
struct PulledTemplate {
    std::string hash; // SHA-256 of `text`, checked when stored
    std::string templateId;
    std::string version;
    std::string text;
};

struct PulledPage {
    std::vector<Op> ops; // validated
    std::int64_t last = 0;
    std::vector<PulledTemplate> templates;
};

struct PullApplied {
    std::size_t newOps = 0;
    std::set<std::string> newCases; // cases this store did not have before
    std::set<std::string> updatedCases; // cases it had, with new ops
};

// The sync client's state in the local encrypted store (its own schema module "sync_client").
// Every change is one transaction, so a cut at any point resumes without loss or duplicates:
// ops leave the upload queue only together with the record that the server holds them, and
// pulled ops are stored together with the cursor that passes them.
class ClientState {
public:
    explicit ClientState(Store& store); // applies the module's migrations

    std::optional<ServerBinding> binding() const;

    // The first successful sign-in: binds the store to `url` and `account`, pins the server
    // certificate, keeps the token, makes `account` the author of this store's ops from now on
    // (also of queued ops written before, which no server holds yet). One transaction.
    void bind(const std::string& url, const std::string& account, const std::string& fingerprint,
        const std::string& token);
    void setToken(const std::string& token);
    void setFingerprint(const std::string& fingerprint);
    // A sync went through at `when` (kept to the millisecond).
    void recordSynced(std::chrono::system_clock::time_point when);

    // The ops still to push, in local order (at most `limit`).
    std::vector<Op> pending(std::size_t limit) const;
    std::size_t pendingCount() const;

    // Records that the server holds these ops: they leave the upload queue. One transaction;
    // repeating it is harmless. Returns how many left the queue now.
    std::size_t recordHeld(const std::vector<HeldOp>& held);
    std::optional<std::int64_t> serverSeq(const std::string& opId) const;
    std::size_t heldCount() const;

    // Stores a page of validated pulled ops (ids already stored are skipped) and moves the cursor
    // to `page.last`, in one transaction. A page whose `last` is behind the cursor is refused.
    PullApplied applyPulled(const PulledPage& page);

private:
    Store& m_store;
};

} // namespace fplan::sync
