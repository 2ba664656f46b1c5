// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include <string>
#include <vector>

namespace fplan {

// The settings a store keeps (fplan config set KEY VALUE; the desktop's settings dialog).
const std::vector<std::string>& knownSettings();

// Checks one setting when it is set, so a wrong value fails at once rather than at the next send:
// unknown keys (with a "did you mean"), a CVR number that is not 8 digits, a transport other than
// folder or sf1601, a folder or file that is not an absolute path, an endpoint that is not https,
// a timeout that is not a number of milliseconds. Throws Error(BadInput) naming key and value.
void checkSetting(const std::string& key, const std::string& value);

} // namespace fplan
