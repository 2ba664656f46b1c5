// SPDX-License-Identifier: EUPL-1.2
// Test helper: commits one op per transaction forever and prints each op id once its commit
// has returned, so the parent knows exactly which ops were acknowledged before it kills us.
#include "core/store.h"

#include <cstdio>
#include <optional>
#include <string>

int main(int argc, char** argv)
{
    if (argc != 4) {
        std::fprintf(stderr, "usage: store_crash_writer STORE PASSPHRASE PREFIX\n");
        return 2;
    }
    std::optional<fplan::Store> opened;
    try {
        opened.emplace(fplan::Store::open(argv[1], argv[2]));
    } catch (const std::exception& e) {
        std::fprintf(stderr, "store_crash_writer: %s\n", e.what());
        return 1;
    }
    fplan::Store& store = *opened;
    fplan::HybridClock& clock = store.clock();
    fplan::OpFactory factory("crash", store.deviceId(), clock);
    fplan::DocumentState state;
    for (long i = 0;; ++i) {
        fplan::Op op = factory.set(state, "case", "doc", "felt" + std::to_string(i % 7),
            std::string(argv[3]) + "-" + std::to_string(i) + std::string(200, 'x'));
        store.appendOps({ op });
        std::printf("%s\n", op.id.c_str());
        std::fflush(stdout);
    }
}
