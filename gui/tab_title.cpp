// SPDX-License-Identifier: EUPL-1.2
#include "gui/tab_title.h"

#include <vector>

namespace fplan::gui {

std::string shortTabTitle(const std::string& title, std::size_t maxLetters)
{
    // Byte offsets where each letter starts (UTF-8 continuation bytes are 10xxxxxx).
    std::vector<std::size_t> starts;
    for (std::size_t i = 0; i < title.size(); ++i)
        if ((static_cast<unsigned char>(title[i]) & 0xC0) != 0x80)
            starts.push_back(i);
    if (starts.size() <= maxLetters || maxLetters < 2)
        return title;
    // Room for the ellipsis; back up to a space when one is in the second half.
    std::size_t keep = maxLetters - 1;
    for (std::size_t k = keep; k >= maxLetters / 2; --k)
        if (title[starts[k]] == ' ') {
            keep = k;
            break;
        }
    std::string out = title.substr(0, starts[keep]);
    while (!out.empty() && (out.back() == ' ' || out.back() == '-'))
        out.pop_back();
    if (out.size() >= 3 && out.compare(out.size() - 3, 3, "\xE2\x80\x93") == 0) // a dangling en dash
        out.erase(out.size() - 3);
    while (!out.empty() && out.back() == ' ')
        out.pop_back();
    return out + "\xE2\x80\xA6";
}

} // namespace fplan::gui
