// SPDX-License-Identifier: EUPL-1.2
#pragma once

namespace fplan {

// What every Familieplan program does first, before it reads a passphrase or a family's data:
// no core dumps (a crash must not write passphrases, keys, CPR numbers or names to ./core, and
// no other process of the same user may ptrace or read /proc/PID/mem), and umask 077 so that
// everything the program creates - the store, its -wal and -shm, exports, PDFs - is private.
// Throws Error(Internal) if the kernel refuses.
void hardenProcess();

} // namespace fplan
