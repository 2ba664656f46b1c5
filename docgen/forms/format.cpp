// SPDX-License-Identifier: EUPL-1.2
#include "docgen/forms/format.h"

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>

namespace fplan::docgen {

namespace {

bool digits(std::string_view s, std::size_t from, std::size_t count)
{
    for (std::size_t i = from; i < from + count; ++i)
        if (i >= s.size() || s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

bool isIsoDate(std::string_view s)
{
    return s.size() >= 10 && digits(s, 0, 4) && s[4] == '-' && digits(s, 5, 2) && s[7] == '-'
        && digits(s, 8, 2);
}

} // namespace

std::string formatDate(std::string_view isoDate)
{
    if (!isIsoDate(isoDate) || isoDate.size() != 10)
        return std::string(isoDate);
    std::string out;
    out.append(isoDate.substr(8, 2)).append(".").append(isoDate.substr(5, 2)).append(".");
    out.append(isoDate.substr(0, 4));
    return out;
}

std::string formatDateTime(std::string_view isoDateTime)
{
    if (!isIsoDate(isoDateTime) || isoDateTime.size() < 16 || isoDateTime[10] != 'T'
        || !digits(isoDateTime, 11, 2) || isoDateTime[13] != ':' || !digits(isoDateTime, 14, 2))
        return std::string(isoDateTime);
    return formatDate(isoDateTime.substr(0, 10)) + " kl. " + std::string(isoDateTime.substr(11, 5));
}

std::string formatNumber(double value, int maxDecimals)
{
    if (!std::isfinite(value))
        return "–";
    if (maxDecimals < 0)
        maxDecimals = 0;
    if (maxDecimals > 6)
        maxDecimals = 6;
    const bool negative = value < 0;
    double scale = std::pow(10.0, maxDecimals);
    // Integer arithmetic from here on, so the C locale's decimal point never leaks in.
    const auto scaled = static_cast<std::uint64_t>(std::llround(std::fabs(value) * scale));
    const auto factor = static_cast<std::uint64_t>(scale);
    std::uint64_t whole = scaled / factor;
    std::uint64_t frac = scaled % factor;
    std::string intPart = std::to_string(whole);
    std::string grouped;
    for (std::size_t i = 0; i < intPart.size(); ++i) {
        if (i > 0 && (intPart.size() - i) % 3 == 0)
            grouped += '.';
        grouped += intPart[i];
    }
    std::string fracPart;
    if (maxDecimals > 0 && frac > 0) {
        fracPart = std::to_string(frac);
        fracPart.insert(0, static_cast<std::size_t>(maxDecimals) - fracPart.size(), '0');
        while (!fracPart.empty() && fracPart.back() == '0')
            fracPart.pop_back();
    }
    std::string out = negative && (whole > 0 || frac > 0) ? "-" : "";
    out += grouped;
    if (!fracPart.empty())
        out += "," + fracPart;
    return out;
}

std::string formatBool(bool value)
{
    return value ? "Ja" : "Nej";
}

std::string formatVersion(int version, std::string_view isoDate)
{
    return "Version " + std::to_string(version) + " af " + formatDate(isoDate);
}

std::string todayIso()
{
    std::time_t now = std::time(nullptr);
    if (const char* epoch = std::getenv("SOURCE_DATE_EPOCH"); epoch && *epoch)
        now = static_cast<std::time_t>(std::strtoll(epoch, nullptr, 10));
    std::tm tm {};
    gmtime_r(&now, &tm);
    char buf[48];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
    return buf;
}

} // namespace fplan::docgen
