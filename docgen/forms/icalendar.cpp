// SPDX-License-Identifier: EUPL-1.2
#include "docgen/forms/icalendar.h"

#include "base/error.h"

#include <algorithm>

namespace fplan::docgen {

namespace {

constexpr std::size_t MaxLineOctets = 75;

const Field* fieldWithRole(const Template& tmpl, CalendarRole role, const Field** table = nullptr)
{
    for (const Field* f : tmpl.fields()) {
        if (f->calendar == role)
            return f;
        for (const auto& c : f->columns)
            if (c.calendar == role) {
                if (table)
                    *table = f;
                return &c;
            }
    }
    return nullptr;
}

std::string stringValue(const Json& values, const std::string& path)
{
    return values.contains(path) && values.at(path).is_string() ? values.at(path).get<std::string>() : "";
}

// A datetime value (YYYY-MM-DDTHH:MM) as an iCalendar local DATE-TIME (YYYYMMDDTHHMM00).
std::string localDateTime(const std::string& value)
{
    std::string out;
    for (char c : value)
        if (c != '-' && c != ':')
            out += c;
    return out + "00";
}

// The text a field shows: a choice's label, else the value itself.
std::string displayText(const Field& f, const std::string& value)
{
    if (const Choice* choice = f.choice(value))
        return choice->label;
    return value;
}

// A parameter value (CN=...): quoted when it holds ':', ';' or ','; a double quote cannot occur
// in one at all (RFC 5545 3.2), nor can control characters.
std::string paramValue(const std::string& text)
{
    std::string out;
    bool quote = false;
    for (char c : text) {
        if (c == '"')
            c = '\'';
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
            c = ' ';
        quote = quote || c == ':' || c == ';' || c == ',';
        out += c;
    }
    return quote ? "\"" + out + "\"" : out;
}

std::string person(const char* property, const CalendarPerson& p, const char* params)
{
    return std::string(property) + ";CN=" + paramValue(p.name) + params + ":mailto:" + p.email;
}

} // namespace

std::string escapeCalendarText(const std::string& text)
{
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '\\' || c == ';' || c == ',') {
            out += '\\';
            out += c;
        } else if (c == '\r') {
            out += "\\n";
            if (i + 1 < text.size() && text[i + 1] == '\n')
                ++i;
        } else if (c == '\n') {
            out += "\\n";
        } else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
            out += ' ';
        } else {
            out += c;
        }
    }
    return out;
}

std::string foldContentLine(const std::string& line)
{
    std::string out;
    std::size_t pos = 0;
    std::size_t room = MaxLineOctets; // the first line has 75 octets, a continuation 74 after its space
    while (line.size() - pos > room) {
        std::size_t cut = pos + room;
        // Never split a UTF-8 sequence: back up to the first byte of the character.
        while (cut > pos && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80)
            --cut;
        out.append(line, pos, cut - pos);
        out += "\r\n ";
        pos = cut;
        room = MaxLineOctets - 1;
    }
    out.append(line, pos, std::string::npos);
    return out + "\r\n";
}

bool describesMeeting(const Template& tmpl)
{
    return fieldWithRole(tmpl, CalendarRole::Start) && fieldWithRole(tmpl, CalendarRole::End);
}

CalendarEvent calendarEvent(
    const Template& tmpl, const Json& values, const Case& kase, std::vector<std::string>* warnings)
{
    if (!describesMeeting(tmpl))
        throw Error(ErrorCode::BadInput,
            "template '" + tmpl.id
                + "' has no calendar start and end fields; it does not describe a meeting");
    CalendarEvent event;
    const auto needed = [&](CalendarRole role) -> const Field& {
        const Field* f = fieldWithRole(tmpl, role);
        if (!f)
            throw Error(ErrorCode::BadInput,
                "template '" + tmpl.id + "' has no field with calendar=\"" + toString(role)
                    + "\"; it cannot be a calendar entry");
        if (stringValue(values, f->path).empty())
            throw Error(
                ErrorCode::BadInput, f->path + ": is empty; the calendar entry needs it (" + f->label + ")");
        return *f;
    };
    const Field& start = needed(CalendarRole::Start);
    const Field& end = needed(CalendarRole::End);
    event.start = stringValue(values, start.path);
    event.end = stringValue(values, end.path);
    // Both are YYYY-MM-DDTHH:MM (checked when filled), so text order is time order.
    if (event.end <= event.start)
        throw Error(ErrorCode::BadInput,
            end.path + ": the meeting ends (" + event.end + ") before it begins (" + event.start + ")");
    const Field& organizer = needed(CalendarRole::Organizer);
    const TeamMember* member = kase.teamMember(stringValue(values, organizer.path));
    if (!member)
        throw Error(ErrorCode::BadInput, organizer.path + ": no such team member in the case");
    if (member->email.empty())
        throw Error(ErrorCode::BadInput,
            organizer.path + ": " + member->name
                + " has no e-mail address; the calendar entry's organiser needs one");
    event.organizer = { member->name, member->email };
    for (const auto role : { CalendarRole::Summary, CalendarRole::Location, CalendarRole::Description }) {
        const Field* f = fieldWithRole(tmpl, role);
        const std::string text = f ? displayText(*f, stringValue(values, f->path)) : "";
        (role == CalendarRole::Summary           ? event.summary
                : role == CalendarRole::Location ? event.location
                                                 : event.description)
            = text;
    }
    if (event.summary.empty())
        event.summary = tmpl.title;
    if (!kase.title.empty())
        event.summary += " – " + kase.title;
    const Field* table = nullptr;
    if (const Field* column = fieldWithRole(tmpl, CalendarRole::Attendee, &table);
        column && table && values.contains(table->path) && values.at(table->path).is_array()) {
        for (const auto& row : values.at(table->path)) {
            if (!row.is_object() || !row.contains(column->id) || !row.at(column->id).is_string())
                continue;
            const TeamMember* m = kase.teamMember(row.at(column->id).get<std::string>());
            if (!m)
                continue;
            const bool known = std::any_of(event.attendees.begin(), event.attendees.end(),
                [&](const CalendarPerson& p) { return p.email == m->email; });
            if (m->email.empty()) {
                if (warnings)
                    warnings->push_back(
                        m->name + " has no e-mail address and is left out of the calendar entry");
            } else if (!known) {
                event.attendees.push_back({ m->name, m->email });
            }
        }
    }
    return event;
}

std::string writeICalendar(const CalendarEvent& e)
{
    std::string out;
    const auto line = [&](const std::string& l) { out += foldContentLine(l); };
    line("BEGIN:VCALENDAR");
    line("VERSION:2.0");
    line("PRODID:-//Familieplan//fplan//DA");
    line("CALSCALE:GREGORIAN");
    line("METHOD:REQUEST");
    // The Danish rules since 1996: summer time from the last Sunday of March at 02:00 to the
    // last Sunday of October at 03:00.
    line("BEGIN:VTIMEZONE");
    line(std::string("TZID:") + CalendarTimeZone);
    line("BEGIN:DAYLIGHT");
    line("TZOFFSETFROM:+0100");
    line("TZOFFSETTO:+0200");
    line("TZNAME:CEST");
    line("DTSTART:19960331T020000");
    line("RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU");
    line("END:DAYLIGHT");
    line("BEGIN:STANDARD");
    line("TZOFFSETFROM:+0200");
    line("TZOFFSETTO:+0100");
    line("TZNAME:CET");
    line("DTSTART:19961027T030000");
    line("RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU");
    line("END:STANDARD");
    line("END:VTIMEZONE");
    line("BEGIN:VEVENT");
    line("UID:" + e.uid);
    line("SEQUENCE:" + std::to_string(e.sequence));
    line("DTSTAMP:" + e.stamp);
    line(std::string("DTSTART;TZID=") + CalendarTimeZone + ":" + localDateTime(e.start));
    line(std::string("DTEND;TZID=") + CalendarTimeZone + ":" + localDateTime(e.end));
    line("SUMMARY:" + escapeCalendarText(e.summary));
    if (!e.location.empty())
        line("LOCATION:" + escapeCalendarText(e.location));
    if (!e.description.empty())
        line("DESCRIPTION:" + escapeCalendarText(e.description));
    line(person("ORGANIZER", e.organizer, ""));
    for (const auto& a : e.attendees)
        line(person("ATTENDEE", a, ";ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE"));
    line("STATUS:CONFIRMED");
    line("END:VEVENT");
    line("END:VCALENDAR");
    return out;
}

} // namespace fplan::docgen
