// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include "core/store.h"
#include "docgen/forms/template.h"
#include "sync/client/client_state.h"
#include "sync/client/sync_loop.h"

#include <chrono>
#include <exception>
#include <functional>
#include <map>
#include <optional>
#include <string>

namespace fplan::gui {

// The status bar's line about the case store server. The count is of changes (ops: one edited
// field, row or status each) that this store has written and the server does not hold yet.
class SyncStatusPresenter {
public:
    // No server yet (the store has never signed in).
    void signedOut();
    void update(const sync::SyncLoopStatus& status);

    std::string text() const;
    // The last sync failed (the server cannot be reached, refused, the session expired): the line
    // shows in the error colour until a sync starts again.
    bool failed() const;
    // The loop stopped because it needs the password (the session expired or was revoked).
    bool needsSignIn() const;

private:
    bool m_bound = false;
    sync::SyncLoopStatus m_status;
};

// "14.32": a time of day as the status line shows it (local time).
std::string clockTime(std::chrono::system_clock::time_point when);

// A sync error as a person reads it (Danish, ends with a full stop).
std::string syncErrorMessage(const std::exception& error);

struct SignInOutcome {
    bool ok = false;
    std::string message; // !ok: what went wrong; ok: what happened, with the pinned fingerprint
    std::string fingerprint; // ok: the server certificate's SHA-256, as pinned
    bool firstSignIn = false;
};

// The sign-in dialog's logic. The first time: server address, user name and password; the
// server's certificate is pinned and shown. Later (the session expired): the password only.
class SignInPresenter {
public:
    explicit SignInPresenter(std::optional<sync::ServerBinding> binding);

    bool passwordOnly() const { return m_binding.has_value(); }
    std::string title() const;
    std::string explanation() const;
    std::string server() const; // prefilled
    std::string account() const;

    // On the main thread before the slow part; an empty string means go ahead.
    std::string check(
        const std::string& server, const std::string& account, const std::string& password) const;
    // The slow part (network): a sync with the password on `store`, a connection of the
    // worker's own. Touches nothing else.
    SignInOutcome signIn(Store& store, const std::string& server, const std::string& account,
        const std::string& password) const;

private:
    std::optional<sync::ServerBinding> m_binding;
};

// Who else has a document open and where they write, from the live channel's presence frames.
class PresencePresenter {
public:
    void update(const sync::PresenceNotice& notice);
    void clear(); // the channel was lost: what it told is out of date

    // "Mette Mø skriver i Familiens mål", "Mette Mø har dokumentet åbent", several joined with
    // "; "; empty when no one else has `docId` open. `nameOf` gives an account's name (the case
    // team's), `tmpl` the document's sections.
    std::string textFor(const std::string& docId, const docgen::Template& tmpl,
        const std::function<std::string(const std::string& account)>& nameOf) const;

private:
    std::map<std::uint64_t, sync::PresenceNotice> m_present; // by the server's client number
};

// The top-level section a field path is in ("familiens_maal.maal[2].tekst" -> "familiens_maal").
std::string sectionOf(const std::string& path);

// "ab12…" as 16 groups of four hex digits, for reading aloud and comparing.
std::string groupedFingerprint(const std::string& hex);

} // namespace fplan::gui
