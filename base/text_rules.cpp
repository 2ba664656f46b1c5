// SPDX-License-Identifier: EUPL-1.2
#include "base/text_rules.h"

#include "base/limits.h"

namespace fplan {

std::string textProblem(std::string_view text, bool multiline)
{
    if (text.size() > limits::StringBytes)
        return "is " + std::to_string(text.size()) + " bytes long; the limit is "
            + std::to_string(limits::StringBytes);
    for (std::size_t i = 0; i < text.size();) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c < 0x80) {
            if (c == '\n' || c == '\r' || c == '\t') {
                if (!multiline && c != '\t')
                    return "a line break is not allowed in a short text field (use a long text field)";
            } else if (c < 0x20 || c == 0x7f) {
                return "contains a control character";
            }
            ++i;
            continue;
        }
        const std::size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
        if (len == 0 || c > 0xF4 || i + len > text.size())
            return "is not valid UTF-8";
        char32_t cp = c & (len == 2 ? 0x1F : len == 3 ? 0x0F : 0x07);
        for (std::size_t k = 1; k < len; ++k) {
            const auto b = static_cast<unsigned char>(text[i + k]);
            if ((b & 0xC0) != 0x80)
                return "is not valid UTF-8";
            cp = (cp << 6) | (b & 0x3F);
        }
        if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10FFFF
            || (cp >= 0xD800 && cp <= 0xDFFF))
            return "is not valid UTF-8";
        if (cp >= 0x80 && cp < 0xA0)
            return "contains a control character";
        if ((cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069))
            return "contains a character that reverses the direction of the text (U+"
                + std::string(cp < 0x2066 ? "202A..202E" : "2066..2069") + ")";
        i += len;
    }
    return {};
}

} // namespace fplan
