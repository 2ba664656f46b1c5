// SPDX-License-Identifier: EUPL-1.2
#include "base/durable_file.h"

#include "base/error.h"
#include "base/fd.h"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <functional>
#include <sys/stat.h>
#include <unistd.h>

namespace fplan {

namespace fs = std::filesystem;

namespace {

// Temporary names: ".fplan-tmp-PID-NAME-XXXXXX". The dot hides them from folder readers (the
// integration platform reading a delivery folder ignores dot files); the pid tells a leftover of
// a killed writer from the file of one still running.
constexpr std::string_view TempPrefix = ".fplan-tmp-";

std::string errnoText()
{
    return std::strerror(errno);
}

fs::path folderOf(const fs::path& path)
{
    return path.has_parent_path() ? path.parent_path() : fs::path(".");
}

bool sameFile(const struct stat& a, const fs::path& other)
{
    struct stat b { };
    if (::stat(other.c_str(), &b) != 0)
        return false;
    return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

void checkTarget(const fs::path& target, const WriteOptions& options)
{
    const std::string name = target.string();
    if (target.filename().empty())
        throw Error(ErrorCode::BadInput, name + ": names a folder, not a file to write");
    struct stat st { };
    if (::lstat(target.c_str(), &st) != 0) {
        if (errno != ENOENT)
            throw Error(ErrorCode::Storage, name + ": cannot check the file: " + errnoText());
        return; // a new file
    }
    if (S_ISLNK(st.st_mode))
        throw Error(ErrorCode::BadInput, name + ": is a symbolic link; refusing to write through it");
    if (S_ISDIR(st.st_mode))
        throw Error(ErrorCode::BadInput, name + ": is a folder; give a file name");
    if (!S_ISREG(st.st_mode))
        throw Error(ErrorCode::BadInput,
            name + ": is not a regular file (a device or a pipe); refusing to replace it");
    for (const auto& p : options.protectedFiles)
        if (sameFile(st, p))
            throw Error(ErrorCode::BadInput,
                name + ": is the store's own file (" + p.string() + "); refusing to write over it");
    if (!options.force)
        throw Error(ErrorCode::Conflict, name + ": already exists; use --force to replace it");
}

bool processAlive(long pid)
{
    if (pid <= 0)
        return false;
    return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;
}

} // namespace

void syncFolder(const fs::path& folder)
{
    Fd dir(::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (dir.get() < 0 || ::fsync(dir.get()) != 0)
        throw Error(ErrorCode::Storage, folder.string() + ": cannot flush the folder: " + errnoText());
}

std::size_t removeWriteLeftovers(const fs::path& folder)
{
    std::size_t removed = 0;
    DIR* dir = ::opendir(folder.c_str());
    if (!dir)
        return 0;
    const int dirFd = ::dirfd(dir);
    while (const dirent* entry = ::readdir(dir)) {
        const std::string_view name = entry->d_name;
        if (name.substr(0, TempPrefix.size()) != TempPrefix)
            continue;
        const std::string rest(name.substr(TempPrefix.size()));
        char* end = nullptr;
        const long pid = std::strtol(rest.c_str(), &end, 10);
        if (end == rest.c_str() || *end != '-' || processAlive(pid))
            continue;
        struct stat st { };
        if (::fstatat(dirFd, entry->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode)
            || st.st_uid != ::geteuid())
            continue;
        if (::unlinkat(dirFd, entry->d_name, 0) == 0)
            ++removed;
    }
    ::closedir(dir);
    return removed;
}

namespace {

// The durable writer's one procedure; `fill` writes the content to the new file's descriptor
// and returns false (with errno set) when writing failed, or throws for a failure of its own.
void writeDurably(const fs::path& target, const std::function<bool(int)>& fill, const WriteOptions& options)
{
    checkTarget(target, options);
    const fs::path folder = folderOf(target);
    struct stat dirStat { };
    if (::stat(folder.c_str(), &dirStat) != 0 || !S_ISDIR(dirStat.st_mode))
        throw Error(
            ErrorCode::NotFound, target.string() + ": the folder " + folder.string() + " is not there");
    removeWriteLeftovers(folder);

    std::string temp = (folder
        / (std::string(TempPrefix) + std::to_string(::getpid()) + "-"
            + target.filename().string().substr(0, 64) + "-XXXXXX"))
                           .string();
    // mkostemp: O_CREAT|O_EXCL (a planted symlink or file makes it fail, never followed), mode 0600.
    Fd fd(::mkostemp(temp.data(), O_CLOEXEC));
    if (fd.get() < 0)
        throw Error(ErrorCode::Storage,
            target.string() + ": cannot create a file in " + folder.string() + ": " + errnoText());
    auto fail = [&](const std::string& what) {
        const std::string why = errnoText();
        ::unlink(temp.c_str());
        return Error(ErrorCode::Storage, target.string() + ": " + what + ": " + why);
    };
    if (::fchmod(fd.get(), S_IRUSR | S_IWUSR) != 0)
        throw fail("cannot make the file private");
    bool filled = false;
    try {
        filled = fill(fd.get());
    } catch (...) {
        ::unlink(temp.c_str());
        throw;
    }
    if (!filled)
        throw fail("cannot write (is the disk full?)");
    if (::fsync(fd.get()) != 0)
        throw fail("cannot flush to disk");
    if (::close(fd.release()) != 0)
        throw fail("cannot close");
    // Checked again right before the rename: something may have appeared at the target meanwhile.
    try {
        checkTarget(target, options);
    } catch (...) {
        ::unlink(temp.c_str());
        throw;
    }
    if (::rename(temp.c_str(), target.c_str()) != 0)
        throw fail("cannot rename into place");
    syncFolder(folder);
}

bool writeAll(int fd, std::string_view content)
{
    std::size_t written = 0;
    while (written < content.size()) {
        const ssize_t n = ::write(fd, content.data() + written, content.size() - written);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            if (n == 0)
                errno = ENOSPC;
            return false;
        }
        written += static_cast<std::size_t>(n);
    }
    return true;
}

} // namespace

void writeFileDurably(const fs::path& target, std::string_view content, const WriteOptions& options)
{
    writeDurably(
        target, [&](int fd) { return writeAll(fd, content); }, options);
}

void copyFileDurably(const fs::path& target, const fs::path& source, const WriteOptions& options)
{
    Fd in(::open(source.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY));
    struct stat st { };
    if (in.get() < 0 || ::fstat(in.get(), &st) != 0)
        throw Error(ErrorCode::NotFound, source.string() + ": cannot read the file: " + errnoText());
    if (!S_ISREG(st.st_mode))
        throw Error(ErrorCode::BadInput, source.string() + ": is not a regular file");
    writeDurably(
        target,
        [&](int fd) {
            std::string buffer(1 << 16, '\0');
            while (true) {
                const ssize_t n = ::read(in.get(), buffer.data(), buffer.size());
                if (n < 0 && errno == EINTR)
                    continue;
                if (n < 0)
                    throw Error(
                        ErrorCode::Storage, source.string() + ": cannot read the file: " + errnoText());
                if (n == 0)
                    return true;
                if (!writeAll(fd, std::string_view(buffer.data(), static_cast<std::size_t>(n))))
                    return false;
            }
        },
        options);
}

std::string readFileBounded(const fs::path& path, std::size_t limit, std::string_view what)
{
    std::string data;
    readFileBounded(path, limit, what, [&](std::string_view piece) {
        if (data.empty())
            data.reserve(piece.size());
        data.append(piece);
    });
    return data;
}

void readFileBounded(const fs::path& path, std::size_t limit, std::string_view what,
    const std::function<void(std::string_view)>& sink)
{
    const std::string name = path.string();
    Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY));
    if (fd.get() < 0) {
        if (errno == ENOENT)
            throw Error(ErrorCode::NotFound, name + ": no such file");
        throw Error(ErrorCode::NotFound, name + ": cannot read the file: " + errnoText());
    }
    struct stat st { };
    if (::fstat(fd.get(), &st) == 0 && S_ISDIR(st.st_mode))
        throw Error(ErrorCode::BadInput, name + ": is a folder, not a " + std::string(what));
    auto tooBig = [&] {
        return Error(ErrorCode::BadInput,
            name + ": larger than the limit of " + std::to_string(limit) + " bytes for a "
                + std::string(what));
    };
    if (S_ISREG(st.st_mode) && static_cast<std::size_t>(st.st_size) > limit)
        throw tooBig();
    struct Buffer {
        char bytes[65536];
        ~Buffer() { ::explicit_bzero(bytes, sizeof bytes); }
    } buffer;
    std::size_t total = 0;
    while (true) {
        const ssize_t n = ::read(fd.get(), buffer.bytes, sizeof buffer.bytes);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            throw Error(ErrorCode::Storage, name + ": cannot read: " + errnoText());
        if (n == 0)
            break;
        total += static_cast<std::size_t>(n);
        if (total > limit)
            throw tooBig();
        sink({ buffer.bytes, static_cast<std::size_t>(n) });
    }
}

} // namespace fplan
