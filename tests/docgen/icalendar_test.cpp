// SPDX-License-Identifier: EUPL-1.2
#include "base/error.h"
#include "docgen/forms/icalendar.h"
#include "tests/docgen/ics_reader.h"
#include "tests/support/test_support.h"

#include <gtest/gtest.h>

using namespace fplan;
using namespace fplan::docgen;
using namespace fplan::test;

namespace {

const TemplateRegistry& registry()
{
    static const TemplateRegistry r(sourceDir() / "templates");
    return r;
}

Case teamCase()
{
    Case c;
    c.title = "Familien Nørgaard-Şahin";
    const auto member = [](const char* id, const char* name, const char* email) {
        TeamMember m;
        m.id = id;
        m.name = name;
        m.email = email;
        return m;
    };
    c.team = { member("t1", "Jens Ravn, Børn og Familie", "jr@kommune.dk"),
        member("t2", "Åse \"Åse\" Øberg", "ao@skole.dk"), member("t3", "Ольга Петрова", ""),
        member("t4", "Mette Skov", "ms@jobcenter.dk") };
    c.coordinator = "t1";
    return c;
}

Json invitation()
{
    return Json::parse(readFile(dataFile("values/invitation.json")));
}

} // namespace

// Every field of the invitation written, read back by a strict reader and compared.
TEST(ICalendar, InvitationReadsBackFieldByField)
{
    const Template tmpl = registry().load("invitation");
    Json values = invitation();
    values["deltagere.deltager"].push_back({ { "@id", "x" }, { "fagperson", "t3" } }); // no e-mail
    values["deltagere.deltager"].push_back({ { "@id", "y" }, { "fagperson", "t2" } }); // twice
    std::vector<std::string> warnings;
    CalendarEvent event = calendarEvent(tmpl, values, teamCase(), &warnings);
    event.uid = "0f3c-doc@familieplan";
    event.sequence = 2;
    event.stamp = "20260412T081500Z";
    const std::string text = writeICalendar(event);
    const auto props = readIcs(text);

    EXPECT_EQ("2.0", icsOne(props, "VCALENDAR", "VERSION").value);
    EXPECT_EQ("-//Familieplan//fplan//DA", icsOne(props, "VCALENDAR", "PRODID").value);
    EXPECT_EQ("REQUEST", icsOne(props, "VCALENDAR", "METHOD").value);
    EXPECT_EQ("0f3c-doc@familieplan", icsOne(props, "VEVENT", "UID").value);
    EXPECT_EQ("2", icsOne(props, "VEVENT", "SEQUENCE").value);
    EXPECT_EQ("20260412T081500Z", icsOne(props, "VEVENT", "DTSTAMP").value);
    const auto start = icsOne(props, "VEVENT", "DTSTART");
    EXPECT_EQ("20260507T140000", start.value);
    EXPECT_EQ("Europe/Copenhagen", start.params.at("TZID"));
    const auto end = icsOne(props, "VEVENT", "DTEND");
    EXPECT_EQ("20260507T153000", end.value);
    EXPECT_EQ("Europe/Copenhagen", end.params.at("TZID"));
    EXPECT_EQ("Opfølgningsmøde – Familien Nørgaard-Şahin", icsText(icsOne(props, "VEVENT", "SUMMARY").value));
    EXPECT_EQ(values.at("moedet.sted"), icsText(icsOne(props, "VEVENT", "LOCATION").value));
    EXPECT_EQ(values.at("moedet.formaal"), icsText(icsOne(props, "VEVENT", "DESCRIPTION").value));
    const auto organizer = icsOne(props, "VEVENT", "ORGANIZER");
    EXPECT_EQ("mailto:jr@kommune.dk", organizer.value);
    EXPECT_EQ("Jens Ravn, Børn og Familie", organizer.params.at("CN")); // quoted: it has a comma
    const auto attendees = icsAll(props, "VEVENT", "ATTENDEE");
    ASSERT_EQ(3u, attendees.size()) << text;
    EXPECT_EQ("mailto:jr@kommune.dk", attendees[0].value);
    EXPECT_EQ("mailto:ao@skole.dk", attendees[1].value);
    EXPECT_EQ("Åse 'Åse' Øberg", attendees[1].params.at("CN")); // no double quote in a parameter
    EXPECT_EQ("mailto:ms@jobcenter.dk", attendees[2].value);
    for (const auto& a : attendees) {
        EXPECT_EQ("REQ-PARTICIPANT", a.params.at("ROLE"));
        EXPECT_EQ("TRUE", a.params.at("RSVP"));
    }
    ASSERT_EQ(1u, warnings.size());
    EXPECT_NE(std::string::npos, warnings[0].find("Ольга Петрова has no e-mail address")) << warnings[0];

    // The zone the times are in, with Denmark's summer-time rules.
    EXPECT_EQ("Europe/Copenhagen", icsOne(props, "VTIMEZONE", "TZID").value);
    EXPECT_EQ("+0200", icsOne(props, "DAYLIGHT", "TZOFFSETTO").value);
    EXPECT_EQ("FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", icsOne(props, "DAYLIGHT", "RRULE").value);
    EXPECT_EQ("+0100", icsOne(props, "STANDARD", "TZOFFSETTO").value);
    EXPECT_EQ("FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU", icsOne(props, "STANDARD", "RRULE").value);
}

TEST(ICalendar, LongLinesFoldAt75OctetsWithoutSplittingALetter)
{
    for (const std::string unit : { "ø", "a", "€", "😀", "aø" }) {
        std::string value;
        while (value.size() < 400)
            value += unit;
        const std::string folded = foldContentLine("DESCRIPTION:" + value);
        // The strict reader checks 75 octets, CRLF and whole letters on every physical line.
        const auto props = readIcs("BEGIN:VEVENT\r\n" + folded + "END:VEVENT\r\n");
        ASSERT_EQ(1u, props.size());
        EXPECT_EQ(value, props[0].value) << unit;
    }
    // Exactly 75 octets stay on one line; 76 fold.
    EXPECT_EQ(std::string(75, 'x') + "\r\n", foldContentLine(std::string(75, 'x')));
    EXPECT_EQ(std::string(75, 'x') + "\r\n x\r\n", foldContentLine(std::string(76, 'x')));
}

TEST(ICalendar, TextIsEscapedAndReadsBack)
{
    const std::string hostile = "a;b,c\\d\ne\r\nf\rg\x01h";
    EXPECT_EQ("a\\;b\\,c\\\\d\\ne\\nf\\ng h", escapeCalendarText(hostile));
    EXPECT_EQ("a;b,c\\d\ne\nf\ng h", icsText(escapeCalendarText(hostile)));
}

TEST(ICalendar, NoMeetingWithoutStartEndAndOrganiserAddress)
{
    const Template tmpl = registry().load("invitation");
    Json values = invitation();
    values.erase("moedet.slut");
    expectError(
        ErrorCode::BadInput, "moedet.slut: is empty", [&] { calendarEvent(tmpl, values, teamCase()); });
    values["moedet.slut"] = "2026-05-07T13:00";
    expectError(ErrorCode::BadInput, "moedet.slut: the meeting ends (2026-05-07T13:00) before it begins",
        [&] { calendarEvent(tmpl, values, teamCase()); });
    values["moedet.slut"] = "2026-05-07T15:00";
    values["moedet.tovholder"] = "t3";
    expectError(ErrorCode::BadInput, "moedet.tovholder: Ольга Петрова has no e-mail address",
        [&] { calendarEvent(tmpl, values, teamCase()); });
    // A template without calendar fields is no meeting.
    EXPECT_TRUE(describesMeeting(tmpl));
    EXPECT_FALSE(describesMeeting(registry().load("familieplan")));
    expectError(ErrorCode::BadInput, "template 'familieplan' has no calendar start and end fields",
        [&] { calendarEvent(registry().load("familieplan"), values, teamCase()); });
}

TEST(ICalendar, ReaderRefusesWhatTheWriterMustNotDo)
{
    // The reader is strict; these prove it can fail, so its passes above mean something.
    EXPECT_THROW(readIcs("BEGIN:VEVENT\nEND:VEVENT\n"), std::runtime_error);
    EXPECT_THROW(readIcs("BEGIN:VEVENT\r\nSUMMARY:" + std::string(70, 'x') + "\r\nEND:VEVENT\r\n"),
        std::runtime_error);
    EXPECT_THROW(readIcs("BEGIN:VEVENT\r\nSUMMARY:\xC3\r\n \xB8\r\nEND:VEVENT\r\n"), std::runtime_error);
    EXPECT_THROW(readIcs("BEGIN:VEVENT\r\nSUMMARY:x\r\n"), std::runtime_error);
    EXPECT_THROW(icsText("a,b"), std::runtime_error);
    EXPECT_THROW(icsText("a\\x"), std::runtime_error);
}
