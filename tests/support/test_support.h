// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include "base/error.h"

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <source_location>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <thread>
#include <vector>

namespace fplan::test {

// A fresh directory under the system temp dir, removed with everything in it at destruction.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return m_path; }
    std::filesystem::path operator/(const std::string& name) const { return m_path / name; }

private:
    std::filesystem::path m_path;
};

// Sets an environment variable for as long as it lives, then puts back what was there (or
// nothing). Tests run one at a time in a process, so this is safe for them.
class ScopedEnv {
public:
    ScopedEnv(const char* name, const std::string& value);
    ~ScopedEnv();
    ScopedEnv(const ScopedEnv&) = delete;
    ScopedEnv& operator=(const ScopedEnv&) = delete;

private:
    const char* m_name;
    std::optional<std::string> m_old;
};

struct RunResult {
    int exitCode = -1;
    std::string out;
    std::string err;
};

// Runs a program with arguments (no shell), extra environment entries "K=V", and optional stdin.
RunResult run(const std::vector<std::string>& argv, const std::vector<std::string>& env = {},
    const std::string& input = {});

std::filesystem::path sourceDir();
std::filesystem::path buildDir();
std::filesystem::path dataFile(const std::string& relative); // tests/data/...
// The ids of the templates shipped in templates/ (each *.xml there), sorted. The tests every
// template must pass iterate over these, so a template is tested from the moment it is added.
std::vector<std::string> shippedTemplateIds();
std::string readFile(const std::filesystem::path& path);
void writeFile(const std::filesystem::path& path, const std::string& content);
// Reads a file's raw bytes and tells whether `needle` occurs in them.
bool fileContains(const std::filesystem::path& path, const std::string& needle);

// A program running in the background with its standard output on a pipe, read line by line;
// killed (SIGKILL) at destruction if it still runs. `env` entries ("K=V") add to the test's.
class ChildProcess {
public:
    explicit ChildProcess(const std::vector<std::string>& argv, const std::vector<std::string>& env = {});
    ~ChildProcess();
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    // The next line it writes (without the newline), or nothing when none comes within `timeout`
    // or it closed its output.
    std::optional<std::string> readLine(std::chrono::milliseconds timeout);
    // From now on its output is read and thrown away (a program blocks on a full pipe).
    void discardOutput();
    void signal(int signal);
    int wait(); // its exit status, or 128 + the signal that ended it
    bool running() const { return m_pid > 0; }
    pid_t pid() const { return m_pid; }

private:
    pid_t m_pid = -1;
    int m_stdout = -1;
    std::string m_buffer;
    std::thread m_drain;
};

// Runs `action` and fails the calling test unless it throws fplan::Error with `code` and a
// message containing `substring`. Returns the message (empty when the expectation failed).
std::string expectError(ErrorCode code, std::string_view substring, const std::function<void()>& action,
    std::source_location where = std::source_location::current());

} // namespace fplan::test
