// SPDX-License-Identifier: EUPL-1.2
// Any bytes as a sync request body or pull query are either decoded or refused with a
// ProtocolError (and each decoded op is read, or refused with the reason); never a crash, never
// another exception. A decoded push's op texts read back as the ops read from the body.
#include "core/op.h"
#include "core/op_validation.h"
#include "sync/server/protocol.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    try {
        const auto push = fplan::sync::decodePush(input);
        // What the server stores for each op is that op: its text reads back as what was read.
        if (push.opTexts.size() != push.ops.size())
            __builtin_trap();
        for (std::size_t i = 0; i < push.ops.size(); ++i) {
            const auto again = fplan::readOp(nlohmann::json::parse(push.opTexts[i]));
            const auto* op = std::get_if<fplan::Op>(&push.ops[i].read);
            const auto* opAgain = std::get_if<fplan::Op>(&again.read);
            if ((op == nullptr) != (opAgain == nullptr)
                || push.ops[i].unknownMember.has_value() != again.unknownMember.has_value()
                || (op && fplan::toJson(*op) != fplan::toJson(*opAgain)))
                __builtin_trap();
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
