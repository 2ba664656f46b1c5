// SPDX-License-Identifier: EUPL-1.2
#include "core/cpr.h"

#include <cstdio>

namespace fplan {

namespace {

bool isLeap(int year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int daysIn(int month, int year)
{
    static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    return month == 2 && isLeap(year) ? 29 : days[month - 1];
}

// The CPR office's table: the seventh digit and the two-digit year give the century.
int centuryFor(int seventh, int yy)
{
    switch (seventh) {
    case 0:
    case 1:
    case 2:
    case 3:
        return 1900;
    case 4:
    case 9:
        return yy <= 36 ? 2000 : 1900;
    default: // 5-8
        return yy <= 57 ? 2000 : 1800;
    }
}

} // namespace

std::optional<std::string> normaliseCpr(std::string_view cpr)
{
    std::string digits;
    for (std::size_t i = 0; i < cpr.size(); ++i) {
        const char c = cpr[i];
        if (c >= '0' && c <= '9')
            digits += c;
        else if (!(c == '-' && i == 6 && cpr.size() == 11))
            return std::nullopt;
    }
    if (digits.size() != 10)
        return std::nullopt;
    return digits;
}

CprCheck checkCpr(std::string_view cpr)
{
    CprCheck result;
    const auto digits = normaliseCpr(cpr);
    if (!digits) {
        result.problem = CprProblem::Shape;
        result.reason = "a CPR number has 10 digits (DDMMÅÅ-XXXX)";
        return result;
    }
    auto d = [&](std::size_t i) { return (*digits)[i] - '0'; };
    const int day = d(0) * 10 + d(1);
    const int month = d(2) * 10 + d(3);
    const int yy = d(4) * 10 + d(5);
    const int year = centuryFor(d(6), yy) + yy;
    char date[24];
    std::snprintf(date, sizeof date, "%02d.%02d.%04d", day, month, year);
    result.date = date;
    if (month < 1 || month > 12 || day < 1 || day > daysIn(month, year)) {
        result.problem = CprProblem::NoSuchDate;
        result.reason = std::string(cpr) + " is not a real date (" + date + ")";
        return result;
    }
    static const int weights[] = { 4, 3, 2, 7, 6, 5, 4, 3, 2, 1 };
    int sum = 0;
    for (std::size_t i = 0; i < 10; ++i)
        sum += weights[i] * d(i);
    result.modulus11 = sum % 11 == 0;
    result.valid = true;
    char iso[24];
    std::snprintf(iso, sizeof iso, "%04d-%02d-%02d", year, month, day);
    result.birthDate = iso;
    return result;
}

} // namespace fplan
