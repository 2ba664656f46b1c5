// SPDX-License-Identifier: EUPL-1.2
// Any bytes as a sync request body or pull query are either decoded or refused with a
// ProtocolError (and each decoded op is accepted or refused with fplan::Error); never a crash,
// never another exception. A decoded push's op texts read back as its parsed ops.
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
        // What the server stores for each op is that op: its text reads back as what was parsed.
        if (push.opTexts.size() != push.ops.size())
            __builtin_trap();
        for (std::size_t i = 0; i < push.ops.size(); ++i)
            if (nlohmann::json::parse(push.opTexts[i]) != push.ops[i])
                __builtin_trap();
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
