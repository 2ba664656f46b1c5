// SPDX-License-Identifier: EUPL-1.2
#include "cli/command.h"

#include "base/error.h"
#include "base/paths.h"
#include "crypto/random.h"

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>

namespace fplan::cli {

const std::string& Args::word(std::size_t n, const char* what) const
{
    if (n >= m_words.size())
        throw Error(ErrorCode::Usage, std::string("missing ") + what);
    return m_words[n];
}

std::optional<std::string> Args::option(const std::string& name) const
{
    const auto it = m_options.find(name);
    if (it == m_options.end())
        return std::nullopt;
    return it->second;
}

void Args::expectWords(std::size_t count, const char* usage) const
{
    if (m_words.size() != count)
        throw Error(ErrorCode::Usage, std::string("usage: fplan ") + usage);
}

void CommandTable::add(Command command)
{
    m_commands.push_back(std::move(command));
}

const Command* CommandTable::match(const std::vector<std::string>& words, std::size_t& consumed) const
{
    const Command* best = nullptr;
    std::size_t bestWords = 0;
    for (const auto& c : m_commands) {
        std::istringstream parts(c.name);
        std::string part;
        std::size_t n = 0;
        bool ok = true;
        while (parts >> part) {
            if (n >= words.size() || words[n] != part) {
                ok = false;
                break;
            }
            ++n;
        }
        if (ok && n > bestWords) {
            best = &c;
            bestWords = n;
        }
    }
    consumed = bestWords;
    return best;
}

std::filesystem::path storePath(const Args& args)
{
    if (auto p = args.option("store"))
        return *p;
    return defaultStorePath(); // the desktop's store too

}

std::string askHidden(const char* prompt)
{
    const int fd = ::open("/dev/tty", O_RDWR | O_CLOEXEC);
    if (fd < 0)
        throw Error(ErrorCode::Usage, "no passphrase given: set FPLAN_PASSPHRASE, use "
                                      "--passphrase-file F, or run on a terminal");
    termios old{};
    tcgetattr(fd, &old);
    termios quiet = old;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(fd, TCSAFLUSH, &quiet);
    if (::write(fd, prompt, std::strlen(prompt)) < 0) {
        // the prompt is a courtesy; reading still works
    }
    std::string line;
    char c = 0;
    while (::read(fd, &c, 1) == 1 && c != '\n')
        line += c;
    tcsetattr(fd, TCSAFLUSH, &old);
    if (::write(fd, "\n", 1) < 0) {
    }
    ::close(fd);
    return line;
}

namespace {
std::string firstLine(std::string text)
{
    const auto nl = text.find('\n');
    if (nl != std::string::npos)
        text.erase(nl);
    if (!text.empty() && text.back() == '\r')
        text.pop_back();
    return text;
}
} // namespace

std::string passphrase(const Args& args, const char* prompt)
{
    if (auto file = args.option("passphrase-file"))
        return firstLine(readFile(*file));
    if (const char* env = std::getenv("FPLAN_PASSPHRASE"))
        return env;
    return askHidden(prompt);
}

Store openStore(const Args& args)
{
    std::string secret = passphrase(args);
    try {
        Store store = Store::open(storePath(args), secret);
        crypto::wipe(secret.data(), secret.size());
        return store;
    } catch (...) {
        crypto::wipe(secret.data(), secret.size());
        throw;
    }
}

std::string readFile(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error(ErrorCode::NotFound, path.string() + ": cannot read the file");
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

void writeFileAtomically(const std::filesystem::path& path, const std::string& content)
{
    const auto tmp = path.string() + ".tmp";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out << content;
        out.flush();
        if (!out)
            throw Error(ErrorCode::Storage, tmp + ": cannot write");
    }
    const int fd = ::open(tmp.c_str(), O_RDONLY);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
    std::filesystem::rename(tmp, path);
}

std::string currentAuthor(const Store& store)
{
    if (auto name = store.setting("user.name"))
        return *name;
    if (const char* user = std::getenv("USER"); user && *user)
        return user;
    return "ukendt";
}

} // namespace fplan::cli
