// SPDX-License-Identifier: EUPL-1.2
// libFuzzer target: case bundle parsing (what `fplan case import` and `fplan render --bundle` read).
// Any input must either parse or throw fplan::Error(BadInput) - never crash, hang, recurse
// without bound or leak. A parsed bundle is written back out and parsed again: it must give the
// same JSON (export, import, export round trip).
#include "base/error.h"
#include "core/bundle.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string text(reinterpret_cast<const char*>(data), size);
    fplan::Bundle bundle;
    try {
        bundle = fplan::parseBundle(text, "fuzz.json");
    } catch (const fplan::Error& e) {
        if (e.code() != fplan::ErrorCode::BadInput)
            std::abort();
        return 0;
    }
    const auto first = fplan::bundleToJson(bundle);
    const auto again = fplan::bundleToJson(fplan::parseBundle(first.dump(), "round-trip.json"));
    if (first != again)
        std::abort();
    return 0;
}
