// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include "crypto/kdf.h"

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

namespace fplan {

// A store is two files: the encrypted database (PATH) and its key-derivation parameters
// (PATH.kdf); either alone is useless. A backup holds both in one POSIX tar archive with the
// members `store.fplan` and `store.fplan.kdf`, still encrypted under the same key.
struct StoreBackup {
    std::string database; // the SQLCipher file, encrypted
    std::string kdf; // the .kdf sidecar's text
};

// The largest store a backup holds (it is built in memory).
constexpr std::size_t MaxBackupBytes = std::size_t(1) << 30;

// A consistent copy of the store at `path` opened with `key`, made with SQLite's online backup
// in one read transaction: other programs (the desktop) may keep writing meanwhile, and the copy
// holds exactly what was committed when it started. Returns the archive's bytes.
std::string makeStoreBackup(const std::filesystem::path& path, const crypto::SecretKey& key);

// Reads an archive made by makeStoreBackup; refuses (Error BadInput, naming `origin`) anything
// else: other members, a bad checksum, a database that is not whole pages, a broken .kdf.
StoreBackup readStoreBackup(std::string_view archive, const std::string& origin);

} // namespace fplan
