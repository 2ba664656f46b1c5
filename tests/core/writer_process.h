// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include "core/store.h"

#include <chrono>
#include <filesystem>
#include <set>
#include <string>
#include <sys/types.h>

namespace fplan::test {

// The store_crash_writer program (tests/core/crash_writer.cpp) on a store, for tests of what
// another process sees while it writes: it commits ops to document "doc" one at a time and prints
// each op id on a line of its own once the commit returned (an acknowledgement). `mode` is the
// op id prefix, or "load" for the writer's load mode.
class WriterProcess {
public:
    WriterProcess(const std::filesystem::path& store, const std::string& passphrase, const std::string& mode);
    ~WriterProcess(); // kills it if it still runs
    WriterProcess(const WriterProcess&) = delete;
    WriterProcess& operator=(const WriterProcess&) = delete;

    // Waits until `count` more acknowledgements have arrived; false when the writer ended or
    // `timeout` passed first.
    bool waitForAcks(std::size_t count, std::chrono::milliseconds timeout = std::chrono::seconds(30));
    // SIGKILL, then reads the acknowledgements it printed before. True when the signal ended it
    // (false: it had ended by itself).
    bool kill();
    // Waits until it ends by itself; reads everything it printed. The wait status.
    int wait();
    const std::set<std::string>& acknowledged() const { return m_acknowledged; }

private:
    bool readSome(int timeoutMs); // false at the end of its output or after the timeout
    pid_t m_pid = -1;
    int m_out = -1;
    std::string m_pending;
    std::set<std::string> m_acknowledged;
};

// The ids of the ops of document "doc" (the one the writer writes) held in the store.
std::set<std::string> storedOpIds(Store& store);

} // namespace fplan::test
