// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include <string>
#include <string_view>

namespace fplan::crypto {

// The SHA-256 of `bytes` as 64 lowercase hex digits (libsodium).
std::string sha256Hex(std::string_view bytes);

} // namespace fplan::crypto
