// SPDX-License-Identifier: EUPL-1.2
#include "base/error.h"

namespace fplan {

int exitCodeFor(ErrorCode code) noexcept
{
    switch (code) {
    case ErrorCode::BadInput:
    case ErrorCode::Usage:
    case ErrorCode::NotFound:
        return 2;
    default:
        return 1;
    }
}

} // namespace fplan
