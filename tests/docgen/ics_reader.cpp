// SPDX-License-Identifier: EUPL-1.2
#include "tests/docgen/ics_reader.h"

namespace fplan::test {

namespace {

[[noreturn]] void fail(std::size_t line, const std::string& what)
{
    throw std::runtime_error("ics line " + std::to_string(line) + ": " + what);
}

bool validUtf8(const std::string& s)
{
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        const std::size_t n = c < 0x80 ? 1
            : (c & 0xE0) == 0xC0       ? 2
            : (c & 0xF0) == 0xE0       ? 3
            : (c & 0xF8) == 0xF0       ? 4
                                       : 0;
        if (n == 0 || i + n > s.size())
            return false;
        for (std::size_t k = 1; k < n; ++k)
            if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80)
                return false;
        i += n;
    }
    return true;
}

bool nameChar(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
}

} // namespace

std::vector<IcsProperty> readIcs(const std::string& text)
{
    if (text.size() < 2 || text.substr(text.size() - 2) != "\r\n")
        fail(0, "the file does not end with CRLF");
    // Physical lines: CRLF only, at most 75 octets, each valid UTF-8 by itself.
    std::vector<std::pair<std::size_t, std::string>> logical;
    std::size_t lineNo = 0;
    for (std::size_t pos = 0; pos < text.size();) {
        const std::size_t end = text.find("\r\n", pos);
        std::string line = text.substr(pos, end - pos);
        ++lineNo;
        if (line.find('\n') != std::string::npos || line.find('\r') != std::string::npos)
            fail(lineNo, "a bare CR or LF");
        if (line.size() > 75)
            fail(lineNo, "longer than 75 octets (" + std::to_string(line.size()) + ")");
        if (!validUtf8(line))
            fail(lineNo, "not valid UTF-8 by itself (folded inside a character?)");
        if (line.empty())
            fail(lineNo, "an empty line");
        if (line[0] == ' ' || line[0] == '\t') {
            if (logical.empty())
                fail(lineNo, "a continuation line first");
            logical.back().second += line.substr(1);
        } else {
            logical.emplace_back(lineNo, std::move(line));
        }
        pos = end + 2;
    }
    std::vector<IcsProperty> props;
    std::vector<std::string> open;
    for (const auto& [no, line] : logical) {
        IcsProperty p;
        std::size_t i = 0;
        while (i < line.size() && nameChar(line[i]))
            p.name += line[i++];
        if (p.name.empty())
            fail(no, "no property name");
        while (i < line.size() && line[i] == ';') {
            ++i;
            std::string param;
            while (i < line.size() && nameChar(line[i]))
                param += line[i++];
            if (param.empty() || i >= line.size() || line[i] != '=')
                fail(no, "a parameter without name=value");
            ++i;
            std::string value;
            if (i < line.size() && line[i] == '"') {
                const std::size_t close = line.find('"', i + 1);
                if (close == std::string::npos)
                    fail(no, "an unclosed quoted parameter value");
                value = line.substr(i + 1, close - i - 1);
                i = close + 1;
            } else {
                while (i < line.size() && line[i] != ';' && line[i] != ':') {
                    if (line[i] == ',' || line[i] == '"')
                        fail(no, "an unquoted parameter value with , or \"");
                    value += line[i++];
                }
            }
            if (!p.params.emplace(param, value).second)
                fail(no, "parameter " + param + " twice");
        }
        if (i >= line.size() || line[i] != ':')
            fail(no, "no ':' after the name and parameters");
        p.value = line.substr(i + 1);
        for (char c : p.value)
            if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7f)
                fail(no, "a control character in a value");
        if (p.name == "BEGIN") {
            open.push_back(p.value);
            continue;
        }
        if (p.name == "END") {
            if (open.empty() || open.back() != p.value)
                fail(no, "END:" + p.value + " does not close " + (open.empty() ? "anything" : open.back()));
            open.pop_back();
            continue;
        }
        if (open.empty())
            fail(no, p.name + " outside any component");
        p.component = open.back();
        props.push_back(std::move(p));
    }
    if (!open.empty())
        fail(lineNo, "BEGIN:" + open.back() + " is never closed");
    return props;
}

std::string icsText(const std::string& value)
{
    std::string out;
    for (std::size_t i = 0; i < value.size(); ++i) {
        const char c = value[i];
        if (c == ';' || c == ',')
            throw std::runtime_error("an unescaped '" + std::string(1, c) + "' in a TEXT value");
        if (c != '\\') {
            out += c;
            continue;
        }
        if (++i >= value.size())
            throw std::runtime_error("a TEXT value ends in a backslash");
        const char e = value[i];
        if (e == '\\' || e == ';' || e == ',')
            out += e;
        else if (e == 'n' || e == 'N')
            out += '\n';
        else
            throw std::runtime_error(std::string("unknown escape \\") + e);
    }
    return out;
}

std::vector<IcsProperty> icsAll(
    const std::vector<IcsProperty>& props, const std::string& component, const std::string& name)
{
    std::vector<IcsProperty> out;
    for (const auto& p : props)
        if (p.component == component && p.name == name)
            out.push_back(p);
    return out;
}

IcsProperty icsOne(
    const std::vector<IcsProperty>& props, const std::string& component, const std::string& name)
{
    const auto all = icsAll(props, component, name);
    if (all.size() != 1)
        throw std::runtime_error(
            component + " has " + std::to_string(all.size()) + " " + name + " properties, not one");
    return all.front();
}

} // namespace fplan::test
