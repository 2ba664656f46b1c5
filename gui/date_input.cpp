// SPDX-License-Identifier: EUPL-1.2
#include "gui/date_input.h"

#include "docgen/forms/format.h"

#include <cctype>
#include <ctime>

namespace fplan::gui {

namespace {

bool digitsAt(std::string_view s, std::size_t from, std::size_t count)
{
    for (std::size_t i = from; i < from + count; ++i)
        if (i >= s.size() || !std::isdigit(static_cast<unsigned char>(s[i])))
            return false;
    return true;
}

int numberAt(std::string_view s, std::size_t from, std::size_t count)
{
    int n = 0;
    for (std::size_t i = from; i < from + count; ++i)
        n = n * 10 + (s[i] - '0');
    return n;
}

bool realDay(int y, int m, int d)
{
    static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (y < 1 || m < 1 || m > 12 || d < 1)
        return false;
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return d <= days[m - 1] + (m == 2 && leap ? 1 : 0);
}

std::string_view trimmed(std::string_view s)
{
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())))
        s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
        s.remove_suffix(1);
    return s;
}

std::string twoDigits(int n)
{
    return std::string(1, static_cast<char>('0' + n / 10)) + static_cast<char>('0' + n % 10);
}

} // namespace

bool isIsoDate(std::string_view s)
{
    return s.size() == 10 && s[4] == '-' && s[7] == '-' && digitsAt(s, 0, 4) && digitsAt(s, 5, 2)
        && digitsAt(s, 8, 2) && realDay(numberAt(s, 0, 4), numberAt(s, 5, 2), numberAt(s, 8, 2));
}

bool isIsoDateTime(std::string_view s)
{
    return s.size() == 16 && isIsoDate(s.substr(0, 10)) && s[10] == 'T' && digitsAt(s, 11, 2) && s[13] == ':'
        && digitsAt(s, 14, 2) && numberAt(s, 11, 2) < 24 && numberAt(s, 14, 2) < 60;
}

std::optional<std::string> parseDateText(std::string_view text)
{
    text = trimmed(text);
    if (isIsoDate(text))
        return std::string(text);
    // Day, month and a four-digit year, one or two digits for day and month, one kind of separator.
    int parts[3] = { 0, 0, 0 };
    std::size_t lengths[3] = { 0, 0, 0 };
    char separator = 0;
    std::size_t part = 0;
    for (const char c : text) {
        if (std::isdigit(static_cast<unsigned char>(c))) {
            parts[part] = parts[part] * 10 + (c - '0');
            if (++lengths[part] > 4)
                return std::nullopt;
        } else if ((c == '.' || c == '-' || c == '/') && part < 2 && (separator == 0 || separator == c)) {
            separator = c;
            ++part;
        } else {
            return std::nullopt;
        }
    }
    if (part != 2 || lengths[0] < 1 || lengths[0] > 2 || lengths[1] < 1 || lengths[1] > 2 || lengths[2] != 4
        || !realDay(parts[2], parts[1], parts[0]))
        return std::nullopt;
    return std::to_string(parts[2]) + "-" + twoDigits(parts[1]) + "-" + twoDigits(parts[0]);
}

std::optional<std::string> parseDateTimeText(std::string_view text)
{
    text = trimmed(text);
    if (isIsoDateTime(text))
        return std::string(text);
    const auto space = text.find(' ');
    if (space == std::string_view::npos)
        return std::nullopt;
    const auto date = parseDateText(text.substr(0, space));
    std::string_view time = trimmed(text.substr(space + 1));
    if (time.substr(0, 3) == "kl.")
        time = trimmed(time.substr(3));
    // "9:05", "09:05" and "09.05" (Danish writing) all read as 09:05.
    if (!date || time.size() < 4 || time.size() > 5)
        return std::nullopt;
    const std::size_t colon = time.size() - 3;
    if ((time[colon] != ':' && time[colon] != '.') || !digitsAt(time, 0, colon)
        || !digitsAt(time, colon + 1, 2))
        return std::nullopt;
    const int hour = numberAt(time, 0, colon);
    const int minute = numberAt(time, colon + 1, 2);
    if (hour > 23 || minute > 59)
        return std::nullopt;
    return *date + "T" + twoDigits(hour) + ":" + twoDigits(minute);
}

Json dateValueFromText(std::string_view text, bool withTime)
{
    if (trimmed(text).empty())
        return Json();
    if (const auto iso = withTime ? parseDateTimeText(text) : parseDateText(text))
        return *iso;
    return std::string(trimmed(text));
}

std::string dateText(const Json& value, bool withTime)
{
    if (!value.is_string())
        return value.is_null() ? std::string() : value.dump();
    const auto& s = value.get_ref<const std::string&>();
    if (withTime)
        return isIsoDateTime(s) ? docgen::formatDate(s.substr(0, 10)) + " " + s.substr(11, 5) : s;
    return isIsoDate(s) ? docgen::formatDate(s) : s;
}

std::string hlcText(std::uint64_t hlc)
{
    // The clock's upper 48 bits are milliseconds since 1970 (core/op.h).
    const auto seconds = static_cast<std::time_t>((hlc >> 16) / 1000);
    std::tm tm {};
    localtime_r(&seconds, &tm);
    char iso[32];
    std::strftime(iso, sizeof iso, "%Y-%m-%dT%H:%M", &tm);
    return docgen::formatDateTime(iso);
}

} // namespace fplan::gui
