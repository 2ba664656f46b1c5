// SPDX-License-Identifier: EUPL-1.2
#include "gui/date_input.h"

#include "docgen/forms/format.h"
#include "gui/i18n.h"

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

namespace {

struct DayMonthYear {
    int day = 0, month = 0, year = 0;
};

// Day, month and a four-digit year, one or two digits for day and month, one kind of separator;
// not checked against the calendar.
std::optional<DayMonthYear> splitDateText(std::string_view text)
{
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
    if (part != 2 || lengths[0] < 1 || lengths[0] > 2 || lengths[1] < 1 || lengths[1] > 2 || lengths[2] != 4)
        return std::nullopt;
    return DayMonthYear { parts[0], parts[1], parts[2] };
}

} // namespace

std::optional<std::string> parseDateText(std::string_view text)
{
    text = trimmed(text);
    if (isIsoDate(text))
        return std::string(text);
    const auto d = splitDateText(text);
    if (!d || !realDay(d->year, d->month, d->day))
        return std::nullopt;
    return std::to_string(d->year) + "-" + twoDigits(d->month) + "-" + twoDigits(d->day);
}

std::optional<std::string> parseTimeText(std::string_view time)
{
    time = trimmed(time);
    if (time.substr(0, 3) == "kl.")
        time = trimmed(time.substr(3));
    // "9:05", "09:05" and "09.05" (Danish writing) all read as 09:05.
    if (time.size() < 4 || time.size() > 5)
        return std::nullopt;
    const std::size_t colon = time.size() - 3;
    if ((time[colon] != ':' && time[colon] != '.') || !digitsAt(time, 0, colon)
        || !digitsAt(time, colon + 1, 2))
        return std::nullopt;
    const int hour = numberAt(time, 0, colon);
    const int minute = numberAt(time, colon + 1, 2);
    if (hour > 23 || minute > 59)
        return std::nullopt;
    return twoDigits(hour) + ":" + twoDigits(minute);
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
    const auto time = parseTimeText(text.substr(space + 1));
    if (!date || !time)
        return std::nullopt;
    return *date + "T" + *time;
}

std::string dateTextProblem(std::string_view text, bool withTime)
{
    text = trimmed(text);
    std::string_view date = text;
    std::string_view time;
    if (withTime) {
        if (const auto split = text.find_first_of(" T"); split != std::string_view::npos) {
            date = text.substr(0, split);
            time = trimmed(text.substr(split + 1));
        }
    }
    const auto d = splitDateText(date);
    const bool iso = date.size() == 10 && date[4] == '-' && date[7] == '-' && digitsAt(date, 0, 4)
        && digitsAt(date, 5, 2) && digitsAt(date, 8, 2);
    if ((d && !realDay(d->year, d->month, d->day)) || (iso && !isIsoDate(date)))
        return format(tr("Datoen {0} findes ikke."), { std::string(date) });
    if (!parseDateText(date))
        return withTime ? tr("Skriv dato og tid som DD.MM.ÅÅÅÅ TT:MM.") : tr("Skriv datoen som DD.MM.ÅÅÅÅ.");
    if (!withTime)
        return {};
    if (time.empty())
        return tr("Skriv også klokkeslættet (TT:MM).");
    if (!parseTimeText(time))
        return format(tr("»{0}« er ikke et klokkeslæt; skriv det som TT:MM."), { std::string(time) });
    return {};
}

Json dateTimeValueFromText(std::string_view date, std::string_view time)
{
    date = trimmed(date);
    time = trimmed(time);
    if (date.empty() && time.empty())
        return Json();
    const auto day = parseDateText(date);
    const auto clock = parseTimeText(time);
    if (day && clock)
        return *day + "T" + *clock;
    return std::string(date) + " " + std::string(time);
}

std::pair<std::string, std::string> dateTimeTexts(const Json& value)
{
    if (!value.is_string())
        return { dateText(value, false), {} };
    const auto& s = value.get_ref<const std::string&>();
    if (isIsoDateTime(s))
        return { dateText(Json(s.substr(0, 10)), false), s.substr(11, 5) };
    // Kept as typed: the date box's text, then the time box's.
    const auto space = s.find(' ');
    if (space == std::string::npos)
        return { s, {} };
    return { s.substr(0, space), s.substr(space + 1) };
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
