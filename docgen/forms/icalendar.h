// SPDX-License-Identifier: EUPL-1.2
#pragma once

// A document as a calendar entry (RFC 5545): the invitation's meeting for the team's calendars.
// The template says which field is what (the `calendar` attribute); nothing here knows field ids.

#include "core/case.h"
#include "core/op.h"
#include "docgen/forms/template.h"

#include <optional>
#include <string>
#include <vector>

namespace fplan::docgen {

// Meeting times are local time in Denmark; the file carries the zone's rules (VTIMEZONE).
inline constexpr const char* CalendarTimeZone = "Europe/Copenhagen";

struct CalendarPerson {
    std::string name;
    std::string email;
};

struct CalendarEvent {
    std::string uid; // stable over versions, so a calendar replaces the entry it already has
    int sequence = 0; // the version number: a later version updates the entry
    std::string stamp; // when the file was made, UTC: YYYYMMDDTHHMMSSZ
    std::string start; // local time, as a datetime value: YYYY-MM-DDTHH:MM
    std::string end;
    std::string summary;
    std::string location;
    std::string description;
    CalendarPerson organizer;
    std::vector<CalendarPerson> attendees;
};

// Whether a document of this template describes a meeting, one that can be a calendar entry:
// its template has the start and the end fields (calendar="start" and calendar="end"). The one
// rule for "is a meeting"; calendarEvent refuses a template without it.
bool describesMeeting(const Template& tmpl);

// The event a document's values describe, through the template's calendar roles: team members
// as names and e-mail addresses, a choice as its label. Error(BadInput) naming the field when
// the template has no start or end, a value is missing, the end is not after the start, or the
// organiser has no e-mail address. Attendees without one are left out and named in `warnings`.
CalendarEvent calendarEvent(
    const Template& tmpl, const Json& values, const Case& kase, std::vector<std::string>* warnings = nullptr);

// The VCALENDAR text: CRLF line ends, lines folded at 75 octets (never inside a UTF-8
// sequence), TEXT values escaped, DTSTART/DTEND with TZID and the zone's VTIMEZONE.
std::string writeICalendar(const CalendarEvent& event);

// RFC 5545 3.1: a content line longer than 75 octets continues on lines that begin with a space.
std::string foldContentLine(const std::string& line);
// RFC 5545 3.3.11: backslash, semicolon, comma and line breaks escaped in a TEXT value.
std::string escapeCalendarText(const std::string& text);

} // namespace fplan::docgen
