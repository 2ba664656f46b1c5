// SPDX-License-Identifier: EUPL-1.2
#include "cli/command.h"

#include "base/durable_file.h"
#include "base/error.h"
#include "base/limits.h"
#include "base/paths.h"
#include "base/suggest.h"
#include "crypto/random.h"

#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <iostream>
#include <sstream>
#include <termios.h>
#include <unistd.h>

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

std::optional<VersionRef> Args::versionOption() const
{
    const auto word = option("version");
    if (!word)
        return std::nullopt;
    return VersionRef::parse(*word, "--version");
}

void Args::expectWords(std::size_t count, const char* usage) const
{
    if (m_words.size() != count)
        throw Error(ErrorCode::Usage, std::string("usage: fplan ") + usage);
}

std::set<std::string> withOptions(const std::set<std::string>& base, std::initializer_list<const char*> more)
{
    std::set<std::string> all = base;
    for (const char* name : more)
        all.insert(name);
    return all;
}

std::string optionHelp(const std::string& name)
{
    static const std::map<std::string, std::string> help = {
        { "store", "the store file (default: $FPLAN_STORE)" },
        { "passphrase-file", "read the passphrase from the first line of this file" },
        { "new-passphrase-file", "read the new passphrase from the first line of this file" },
        { "templates", "the templates folder (default: $FPLAN_TEMPLATES or the installed one)" },
        { "json", "print JSON instead of text" },
        { "server", "the case store server, https://HOST:PORT" },
        { "user", "the account on the case store server" },
        { "ca", "trust the server certificate signed by this CA (PEM) instead of pinning it" },
        { "watch", "keep syncing: pull whenever the server says a case has new ops, until SIGINT/SIGTERM" },
        { "case", "only this case's ops" },
        { "out", "the file to write (refused if it exists, unless --force)" },
        { "force", "replace an existing output file" },
        { "version", "a finalised version: its number (1, 2, ...) or its id (doc show --json lists them)" },
        { "to", "parents, or CPR numbers of people in the case, comma-separated" },
        { "to-outside-case", "CPR numbers outside the case (a legal exception; logged)" },
        { "pdf", "send this PDF instead of rendering the version" },
        { "notification", "the short notification text Digital Post shows" },
        { "file-name", "the attachment's file name" },
        { "no-flush", "only queue the messages; outbox flush sends them" },
        { "recipient", "the recipient's CPR number" },
        { "bundle", "the case bundle (JSON)" },
        { "template", "the template id" },
        { "values", "the values file (JSON keyed by field path)" },
        { "date", "the day to judge, YYYY-MM-DD (default: today)" },
        { "name", "the team member's name" },
        { "fagomraade", "the team member's discipline, as the consent names it (e.g. Beskæftigelse)" },
        { "role", "the team member's role (e.g. jobkonsulent)" },
        { "email", "the team member's e-mail address" },
        { "phone", "the team member's phone number" },
    };
    const auto it = help.find(name);
    return it == help.end() ? std::string() : it->second;
}

std::string closestName(const std::string& typed, const std::vector<std::string>& known)
{
    return fplan::closestName(typed, known);
}

std::string terminalSafe(std::string_view text, bool keepLines)
{
    static const char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        // U+202A..U+202E and U+2066..U+2069 (bidirectional overrides), U+0080..U+009F (C1).
        const bool bidi = c == 0xE2 && i + 2 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0x80
            && ((static_cast<unsigned char>(text[i + 2]) >= 0xAA
                && static_cast<unsigned char>(text[i + 2]) <= 0xAE));
        const bool isolate = c == 0xE2 && i + 2 < text.size()
            && static_cast<unsigned char>(text[i + 1]) == 0x81
            && static_cast<unsigned char>(text[i + 2]) >= 0xA6
            && static_cast<unsigned char>(text[i + 2]) <= 0xA9;
        const bool c1 = c == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) < 0xA0;
        const bool line = keepLines && (c == '\n' || c == '\t');
        const std::size_t len
            = (!line && (c < 0x20 || c == 0x7F)) ? 1 : (c1 ? 2 : ((bidi || isolate) ? 3 : 0));
        if (len > 0) {
            for (std::size_t k = 0; k < len; ++k) {
                const auto b = static_cast<unsigned char>(text[i + k]);
                out += "\\x";
                out += digits[b >> 4];
                out += digits[b & 15];
            }
            i += len - 1;
        } else {
            out += static_cast<char>(c);
        }
    }
    return out;
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

crypto::SecretString askHidden(const char* prompt)
{
    const int fd = ::open("/dev/tty", O_RDWR | O_CLOEXEC);
    if (fd < 0)
        throw Error(ErrorCode::Usage,
            "no passphrase given: set FPLAN_PASSPHRASE, use "
            "--passphrase-file F, or run on a terminal");
    termios old {};
    tcgetattr(fd, &old);
    termios quiet = old;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(fd, TCSAFLUSH, &quiet);
    if (::write(fd, prompt, std::strlen(prompt)) < 0) {
        // the prompt is a courtesy; reading still works
    }
    crypto::SecretString line;
    char c = 0;
    while (line.size() < limits::PassphraseFileBytes && ::read(fd, &c, 1) == 1 && c != '\n')
        line.push_back(c);
    c = 0;
    tcsetattr(fd, TCSAFLUSH, &old);
    if (::write(fd, "\n", 1) < 0) { }
    ::close(fd);
    return line;
}

crypto::SecretString readPassphraseFile(const std::filesystem::path& path)
{
    crypto::SecretString text;
    readFileBounded(path, limits::PassphraseFileBytes, "passphrase file",
        [&](std::string_view piece) { text.append(piece); });
    const auto end = text.view().find_first_of("\r\n");
    if (end != std::string_view::npos)
        text.truncate(end);
    return text;
}

std::optional<crypto::SecretString> takeSecretFromEnvironment(const char* name)
{
    char* value = std::getenv(name);
    if (!value)
        return std::nullopt;
    crypto::SecretString secret(value);
    crypto::wipe(value, std::strlen(value));
    ::unsetenv(name);
    return secret;
}

crypto::SecretString passphrase(const Args& args, const char* prompt)
{
    if (auto file = args.option("passphrase-file"))
        return readPassphraseFile(*file);
    if (auto env = takeSecretFromEnvironment("FPLAN_PASSPHRASE"))
        return std::move(*env);
    return askHidden(prompt);
}

Store openStore(const Args& args)
{
    const crypto::SecretString secret = passphrase(args); // wiped when it goes out of scope
    return Store::open(storePath(args), secret.view(), args.storeAccess());
}

std::string readFile(const std::filesystem::path& path, std::size_t limit, std::string_view what)
{
    return readFileBounded(path, limit, what);
}

void writeFileAtomically(const std::filesystem::path& path, const std::string& content)
{
    writeFileDurably(path, content, outputPolicy());
}

WriteOptions& outputPolicy()
{
    static WriteOptions policy;
    return policy;
}

void setOutputPolicy(const Args& args)
{
    WriteOptions& policy = outputPolicy();
    policy.force = args.flag("force");
    policy.protectedFiles.clear();
    std::filesystem::path store;
    if (auto p = args.option("store"))
        store = *p;
    else if (const char* env = std::getenv("FPLAN_STORE"); env && *env)
        store = env;
    if (!store.empty())
        policy.protectedFiles = Store::ownFiles(store);
}

} // namespace fplan::cli
