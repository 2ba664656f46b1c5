// SPDX-License-Identifier: EUPL-1.2
#include "base/process.h"

#include "base/error.h"

#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>

namespace fplan {

void hardenProcess()
{
    const rlimit none { 0, 0 };
    if (::setrlimit(RLIMIT_CORE, &none) != 0)
        throw Error(ErrorCode::Internal, "cannot switch off core dumps (setrlimit RLIMIT_CORE)");
    if (::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
        throw Error(ErrorCode::Internal, "cannot switch off core dumps (prctl PR_SET_DUMPABLE)");
    ::umask(S_IRWXG | S_IRWXO);
}

} // namespace fplan
