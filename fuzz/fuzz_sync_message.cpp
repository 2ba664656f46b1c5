// SPDX-License-Identifier: EUPL-1.2
// Any bytes as a sync request body or pull query are either decoded or refused with a
// ProtocolError (and each decoded op is accepted or refused with fplan::Error); never a crash,
// never another exception.
#include "base/error.h"
#include "core/op.h"
#include "sync/server/protocol.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    try {
        const auto push = fplan::sync::decodePush(input);
        for (const auto& op : push.ops) {
            try {
                (void)fplan::opFromJson(op);
            } catch (const fplan::Error&) {
            }
        }
    } catch (const fplan::sync::ProtocolError&) {
    }
    try {
        (void)fplan::sync::decodeLogin(input);
    } catch (const fplan::sync::ProtocolError&) {
    }
    try {
        (void)fplan::sync::decodePullQuery(input);
    } catch (const fplan::sync::ProtocolError&) {
    }
    return 0;
}
