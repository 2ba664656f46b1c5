// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include "core/op.h"

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace fplan {

// The one check of an op that comes from elsewhere (an ops file, the case store server, a
// client). What it accepts, the fold can apply or knowingly skip; what it refuses is never
// stored, and the refusal says why.

inline constexpr std::size_t MaxAuthorBytes = 256;
inline constexpr std::size_t MaxValueBytes = 256 * 1024; // a set op's value as JSON
inline constexpr std::size_t MaxSnapshotBytes = 16 * 1024 * 1024; // a finalize op's value as JSON
inline constexpr std::size_t MaxParents = 100000;
inline constexpr std::size_t MaxPositionBytes = 200;
inline constexpr std::size_t MaxTemplateVersionBytes = 64;

struct OpRefusal {
    std::string opId; // empty when the op has no readable id
    std::string reason;
    std::size_t index = 0; // the op's place in its batch (validateOps)
};
Json toJson(const OpRefusal& refusal); // {"op_id": ..., "reason": ...}

// Op, case, document and device ids: 1..MaxIdBytes of [A-Za-z0-9_-].
bool isValidId(std::string_view id);

// Why the fold cannot apply `op` as its kind says (path syntax, kind against path shape, value
// shape), or nullopt. Ops of an unknown kind or a newer format are not judged here.
std::optional<std::string> opShapeProblem(const Op& op);
// Why the fold skips `op`, or nullopt when it applies it: a kind this program does not know, a
// newer format, or a shape problem. Skipped ops stay stored and are listed, never thrown.
std::optional<std::string> foldSkipReason(const Op& op);

// What the receiving side knows when it checks ops.
struct OpReceiver {
    std::uint64_t nowHlc = physicalHlcNow(); // the receiver's clock; later than it + skew is refused
    // The case a document belongs to as the receiver knows it; nullopt for a document it has
    // not seen. May be empty (nothing known).
    std::function<std::optional<std::string>(const std::string& docId)> caseOfDocument;
};

using ValidatedOp = std::variant<Op, OpRefusal>;
// One op as JSON: the Op, or a refusal naming the op id and the reason.
ValidatedOp validateOp(const Json& json, const OpReceiver& receiver);

// An op read from JSON with an OpReader, not yet checked: the op, or why it could not be read;
// and the first member it holds that ops do not have.
struct ReadOp {
    ValidatedOp read;
    std::optional<std::string> unknownMember;
};
ReadOp readOp(const Json& json);
// An op read member by member: `reader` given every member, `unknownMember` the first of them
// that ops do not have.
ReadOp readOp(OpReader reader, std::optional<std::string> unknownMember);

struct ValidatedOps {
    std::vector<Op> ops;
    std::vector<OpRefusal> refused;
};
// Every op of a JSON array, also checking that the batch's own ops agree on which case each
// document belongs to (a create op in the batch binds its document). A non-array is refused
// as a whole (one refusal with an empty op id).
ValidatedOps validateOps(const Json& array, const OpReceiver& receiver);
// The same for ops read already (a push's, read from its body as it was parsed).
ValidatedOps validateOps(std::vector<ReadOp> ops, const OpReceiver& receiver);

} // namespace fplan
