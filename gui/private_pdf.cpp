// SPDX-License-Identifier: EUPL-1.2
#include "gui/private_pdf.h"

#include "base/durable_file.h"
#include "base/error.h"

#include <cerrno>
#include <cstdlib>
#include <sys/stat.h>
#include <unistd.h>

namespace fplan::gui {

namespace fs = std::filesystem;

fs::path privatePdfFolder()
{
    const char* runtime = std::getenv("XDG_RUNTIME_DIR");
    const fs::path folder = runtime && *runtime
        ? fs::path(runtime) / "familieplan-pdf"
        : fs::temp_directory_path() / ("familieplan-pdf-" + std::to_string(::getuid()));
    // Made 0700 from the start; an existing one must be a real folder of this user (not a
    // symlink planted in a shared temp folder), and is made 0700 again.
    if (::mkdir(folder.c_str(), 0700) != 0 && errno != EEXIST)
        throw Error(ErrorCode::Storage, "cannot make the PDF folder " + folder.string());
    struct stat st { };
    if (::lstat(folder.c_str(), &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != ::getuid())
        throw Error(ErrorCode::BadInput,
            folder.string() + " is not a folder of this user; PDFs are not written there");
    fs::permissions(folder, fs::perms::owner_all, fs::perm_options::replace);
    return folder;
}

fs::path writePrivatePdf(const std::string& fileName, std::string_view bytes)
{
    const fs::path name(fileName);
    if (name.empty() || name.has_parent_path() || name.filename() != name || fileName == "."
        || fileName == "..")
        throw Error(ErrorCode::Internal, "not a plain file name: " + fileName);
    const fs::path file = privatePdfFolder() / name;
    writeFileDurably(file, bytes, { .force = true, .protectedFiles = {} });
    return file;
}

void removePrivatePdfs(const std::vector<fs::path>& files)
{
    for (const auto& f : files) {
        std::error_code ec;
        fs::remove(f, ec); // gone already (another run's start, the person): nothing to do
    }
}

std::size_t clearPrivatePdfs()
{
    const fs::path folder = privatePdfFolder();
    std::size_t removed = 0;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(folder, ec)) {
        std::error_code one;
        if (!entry.is_directory(one) && fs::remove(entry.path(), one))
            ++removed;
    }
    return removed;
}

} // namespace fplan::gui
