// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include <string>
#include <string_view>

namespace fplan::xml {

// Text for XML (or HTML) character data and attribute values written by hand: & < > " and '
// become entity references, and the C0 control characters XML 1.0 cannot carry (all but tab,
// line feed and carriage return) are dropped. Other bytes pass unchanged (UTF-8 stays UTF-8).
// Documents built with libxml2's tree API are escaped by libxml2 and need not call this.
std::string escapeText(std::string_view text);

} // namespace fplan::xml
