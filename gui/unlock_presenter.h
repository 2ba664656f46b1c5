// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include "core/store.h"
#include "crypto/passphrase_policy.h"

#include <filesystem>
#include <functional>
#include <memory>
#include <string>

namespace fplan::gui {

enum class UnlockMode { Open, Create };

// What the slow part gives back to the main thread: a store, or a message for the dialog.
struct UnlockOutcome {
    std::shared_ptr<Store> store; // shared: it crosses threads inside a copyable callback
    std::string error;
    bool wrongPassphrase = false;
};

// The unlock dialog's logic: open an existing store, or create one with the passphrase typed
// twice. Only unlock() is slow (key derivation); it touches nothing but its arguments, so the
// dialog can run it on a worker thread.
class UnlockPresenter {
public:
    using ParamsFactory = std::function<crypto::KdfParams()>;
    static constexpr std::size_t MinimumLength = crypto::MinimumPassphraseChars;

    explicit UnlockPresenter(std::filesystem::path path, ParamsFactory params = crypto::KdfParams::fresh);

    const std::filesystem::path& path() const { return m_path; }
    UnlockMode mode() const;
    bool needsRepeat() const { return mode() == UnlockMode::Create; }
    std::string title() const;
    std::string explanation() const;

    // Checked on the main thread before the slow part; an empty string means go ahead.
    std::string check(const std::string& passphrase, const std::string& repeat) const;
    UnlockOutcome unlock(const std::string& passphrase) const;

    // "Skift adgangskode": the current passphrase, and the new one twice, under the rules for a
    // new store. Checked on the main thread; "" means go ahead.
    std::string checkChange(
        const std::string& current, const std::string& passphrase, const std::string& repeat) const;
    // The slow part, for a worker thread: re-encrypts the store under the new passphrase (Store::
    // changePassphrase, as `fplan store passphrase`). The store must be closed in this program
    // first (the change needs it to itself). Returns "" or the reason in Danish; nothing changes then.
    std::string changePassphrase(const std::string& current, const std::string& passphrase) const;

private:
    std::string checkNew(const std::string& passphrase, const std::string& repeat) const;

    std::filesystem::path m_path;
    ParamsFactory m_params;
};

// Characters, not bytes, in a UTF-8 string (for length limits a person can count).
std::size_t utf8Length(const std::string& text);

} // namespace fplan::gui
