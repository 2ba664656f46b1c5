// SPDX-License-Identifier: EUPL-1.2
#include "core/store_backup.h"

#include "base/error.h"
#include "core/store.h"
#include "crypto/encrypted_db.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <sstream>
#include <unistd.h>

namespace fplan {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t Block = 512;
constexpr std::size_t PageSize = 4096; // SQLCipher's page size for every store
constexpr std::size_t MaxKdfBytes = 64 * 1024;
constexpr const char* DatabaseMember = "store.fplan";
constexpr const char* KdfMember = "store.fplan.kdf";

void putOctal(char* field, std::size_t width, std::uint64_t value)
{
    std::snprintf(
        field, width, "%0*llo", static_cast<int>(width - 1), static_cast<unsigned long long>(value));
}

unsigned headerChecksum(const char* header)
{
    unsigned sum = 0;
    for (std::size_t i = 0; i < Block; ++i)
        sum += (i >= 148 && i < 156) ? ' ' : static_cast<unsigned char>(header[i]);
    return sum;
}

void appendMember(std::string& archive, const char* name, const std::string& content)
{
    std::array<char, Block> header {};
    std::snprintf(header.data(), 100, "%s", name);
    putOctal(header.data() + 100, 8, 0600);
    putOctal(header.data() + 108, 8, 0);
    putOctal(header.data() + 116, 8, 0);
    putOctal(header.data() + 124, 12, content.size());
    putOctal(header.data() + 136, 12, static_cast<std::uint64_t>(std::time(nullptr)));
    header[156] = '0';
    std::snprintf(header.data() + 257, 6, "ustar");
    header[263] = '0';
    header[264] = '0';
    std::snprintf(header.data() + 148, 8, "%06o", headerChecksum(header.data()));
    header[155] = ' ';
    archive.append(header.data(), Block);
    archive += content;
    archive.append((Block - content.size() % Block) % Block, '\0');
}

std::uint64_t readOctal(const char* field, std::size_t width, const std::string& origin)
{
    std::uint64_t value = 0;
    std::size_t i = 0;
    while (i < width && field[i] == ' ')
        ++i;
    for (; i < width && field[i] >= '0' && field[i] <= '7'; ++i)
        value = value * 8 + static_cast<std::uint64_t>(field[i] - '0');
    if (i < width && field[i] != '\0' && field[i] != ' ')
        throw Error(ErrorCode::BadInput, origin + ": not a Familieplan backup (bad number in a tar header)");
    return value;
}

std::string readWholeFile(const fs::path& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error(ErrorCode::Storage, path.string() + ": cannot read");
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

void removeQuietly(const fs::path& path)
{
    std::error_code ec;
    fs::remove(path, ec);
}

} // namespace

std::string makeStoreBackup(const fs::path& path, const crypto::SecretKey& key)
{
    // Read-only: checks key and format, writes nothing, and waits for no writer.
    Store store = Store::openWithKey(path, key, StoreAccess::ReadOnly);
    const std::string kdf = readWholeFile(Store::kdfPathFor(path));
    // The copy is made beside the store (same file system, same privacy) and removed after.
    const fs::path copy = path.string() + ".backup-" + std::to_string(::getpid());
    const auto removeCopy = [&] {
        removeQuietly(copy);
        for (const auto& side : Store::sqliteSideFiles(copy))
            removeQuietly(side);
    };
    removeCopy();
    std::string database;
    try {
        crypto::backupEncryptedDatabase(store.handle(), path.string(), copy, key);
        if (fs::file_size(copy) > MaxBackupBytes)
            throw Error(ErrorCode::Storage, path.string() + ": larger than the 1 GiB a backup holds");
        database = readWholeFile(copy);
    } catch (...) {
        removeCopy();
        throw;
    }
    removeCopy();
    std::string archive;
    archive.reserve(database.size() + kdf.size() + 4 * Block);
    appendMember(archive, DatabaseMember, database);
    appendMember(archive, KdfMember, kdf);
    archive.append(2 * Block, '\0');
    return archive;
}

StoreBackup readStoreBackup(std::string_view archive, const std::string& origin)
{
    const auto bad = [&](const std::string& why) {
        return Error(ErrorCode::BadInput, origin + ": not a Familieplan backup (" + why + ")");
    };
    StoreBackup result;
    bool haveDatabase = false;
    bool haveKdf = false;
    std::size_t at = 0;
    while (true) {
        if (archive.size() - at < Block)
            throw bad("it ends inside a tar header");
        const char* header = archive.data() + at;
        if (std::all_of(header, header + Block, [](char c) { return c == '\0'; }))
            break;
        if (std::string_view(header + 257, 5) != "ustar")
            throw bad("not a POSIX tar archive");
        if (readOctal(header + 148, 8, origin) != headerChecksum(header))
            throw bad("a tar header's checksum is wrong");
        const std::string name(header, strnlen(header, 100));
        if (header[156] != '0' && header[156] != '\0')
            throw bad("member '" + name + "' is not a regular file");
        const std::uint64_t size = readOctal(header + 124, 12, origin);
        at += Block;
        if (size > archive.size() - at)
            throw bad("member '" + name + "' is cut off");
        const std::string_view content = archive.substr(at, size);
        at += size + (Block - size % Block) % Block;
        if (at > archive.size())
            throw bad("member '" + name + "' is cut off");
        if (name == DatabaseMember && !haveDatabase) {
            if (size == 0 || size % PageSize != 0 || size > MaxBackupBytes)
                throw bad("the database is not whole 4096-byte pages");
            result.database = std::string(content);
            haveDatabase = true;
        } else if (name == KdfMember && !haveKdf) {
            if (size > MaxKdfBytes)
                throw bad("the .kdf member is larger than 64 KiB");
            result.kdf = std::string(content);
            crypto::KdfParams::fromJson(result.kdf, origin + ": " + KdfMember);
            haveKdf = true;
        } else {
            throw bad(
                "unexpected member '" + name + "'; a backup holds " + DatabaseMember + " and " + KdfMember);
        }
    }
    if (!haveDatabase || !haveKdf)
        throw bad(std::string("it lacks ") + (haveDatabase ? KdfMember : DatabaseMember));
    return result;
}

} // namespace fplan
