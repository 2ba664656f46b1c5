// SPDX-License-Identifier: EUPL-1.2
#pragma once

// A deliberately strict iCalendar (RFC 5545) reader for the tests: it refuses what a lenient
// calendar program would quietly accept (bare LF, an unfolded 76-octet line, a line split
// inside a UTF-8 sequence, an unknown escape, unbalanced BEGIN/END), so a test that reads a
// file back with it checks the writer's form as well as its content.

#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace fplan::test {

struct IcsProperty {
    std::string name;
    std::map<std::string, std::string> params; // quotes removed
    std::string value; // as written (TEXT still escaped); see icsText()
    std::string component; // the innermost BEGIN it is inside: VEVENT, STANDARD, ...
};

// Throws std::runtime_error naming the line and what is wrong.
std::vector<IcsProperty> readIcs(const std::string& text);

// A TEXT value unescaped: \\ \; \, \n \N; any other backslash is an error.
std::string icsText(const std::string& value);

// The properties named `name` inside `component`.
std::vector<IcsProperty> icsAll(
    const std::vector<IcsProperty>& props, const std::string& component, const std::string& name);
// Exactly one of them, else an error.
IcsProperty icsOne(
    const std::vector<IcsProperty>& props, const std::string& component, const std::string& name);

} // namespace fplan::test
