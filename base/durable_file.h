// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace fplan {

struct WriteOptions {
    // Replace an existing regular file (`--force`); without it an existing file is refused.
    bool force = false;
    // Files never written over, even with force (the open store and its key-derivation file);
    // compared by device and inode, so another name for the same file is caught too.
    std::vector<std::filesystem::path> protectedFiles;
};

// The one way the programs write a file: a new temporary file made with O_CREAT|O_EXCL (never
// following a planted symlink) in the target's folder, mode 0600, written, fsynced, renamed over
// the target, and the folder fsynced. A reader sees the old file or the whole new one, never a
// part. Refuses (Error BadInput) a target that is a symlink, a directory, a device or any other
// non-regular file, or one of `protectedFiles`; refuses (Error Conflict) an existing file unless
// `force`. Removes what an earlier, killed writer left in the same folder first.
void writeFileDurably(
    const std::filesystem::path& target, std::string_view content, const WriteOptions& options = {});

// The same for a file's content read from `source` as it is written (no size limit, nothing held
// in memory): for large copies such as a server database backup.
void copyFileDurably(const std::filesystem::path& target, const std::filesystem::path& source,
    const WriteOptions& options = {});

// Removes the temporary files that writers killed before their rename left in `folder`
// (those of processes that are still running are kept). Returns how many were removed.
std::size_t removeWriteLeftovers(const std::filesystem::path& folder);

// Reads a whole file, but never more than `limit` bytes: a longer file (or /dev/zero) is refused
// with Error(BadInput) naming the file, `what` it is and the limit, after reading limit + 1 bytes.
// A missing file is Error(NotFound); a directory is Error(BadInput).
std::string readFileBounded(const std::filesystem::path& path, std::size_t limit, std::string_view what);
// The same, handing the bytes to `sink` piece by piece instead of collecting them, so a secret
// can go straight into locked memory; the read buffer is wiped afterwards.
void readFileBounded(const std::filesystem::path& path, std::size_t limit, std::string_view what,
    const std::function<void(std::string_view)>& sink);

// fsync of a folder, so that a rename or a new file in it survives a power cut.
void syncFolder(const std::filesystem::path& folder);

} // namespace fplan
