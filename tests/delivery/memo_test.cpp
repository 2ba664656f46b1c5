// SPDX-License-Identifier: EUPL-1.2
#include "base/error.h"
#include "delivery/memo.h"
#include "tests/delivery/delivery_fixtures.h"
#include "tests/support/test_support.h"

#include <gtest/gtest.h>

#include <regex>
#include <source_location>

using namespace fplan;
using namespace fplan::delivery;

namespace {

MemoInput validInput()
{
    MemoInput in;
    in.docId = "doc-1";
    in.version = 2;
    in.versionId = "fin-2";
    in.senderCvr = "29189803";
    in.senderName = "Aarhus Kommune";
    in.recipientCpr = "010190-1234";
    in.label = "Familieplan – version 2";
    in.notification = "Du har fået jeres familieplan fra kommunen.";
    in.journalNumber = "27.24.00-G01-1-26";
    in.kle = "27.24.00";
    in.fileName = "Familieplan version 2.pdf";
    in.pdf = test::minimalPdf();
    in.created = std::chrono::system_clock::from_time_t(1795000000);
    return in;
}

// Why building the message is refused (a test failure when it is built or fails otherwise).
std::string refusal(const MemoInput& in, std::source_location where = std::source_location::current())
{
    return test::expectError(
        ErrorCode::BadInput, "", [&] { buildMemoMessage(in); }, where);
}

} // namespace

TEST(MemoMessage, BuildsAMessageThatValidatesAgainstTheMeMo12Schema)
{
    const auto message = buildMemoMessage(validInput());
    EXPECT_EQ("0101901234", message.recipient);
    const auto problems = MemoSchema::installed().validate(message.xml, "message.xml");
    EXPECT_TRUE(problems.empty()) << problems.front();
    // What a reader of the message sees, in schema order.
    const auto& xml = message.xml;
    EXPECT_NE(std::string::npos, xml.find("memoVersion=\"1.2\""));
    EXPECT_NE(std::string::npos, xml.find("<memo:messageType>DIGITALPOST</memo:messageType>"));
    EXPECT_NE(std::string::npos, xml.find("<memo:messageUUID>" + message.uuid + "</memo:messageUUID>"));
    EXPECT_NE(std::string::npos, xml.find("<memo:label>Familieplan – version 2</memo:label>"));
    EXPECT_NE(std::string::npos, xml.find("<memo:senderID>29189803</memo:senderID>"));
    EXPECT_NE(std::string::npos, xml.find("<memo:recipientID>0101901234</memo:recipientID>"));
    EXPECT_NE(std::string::npos, xml.find("<memo:caseID>27.24.00-G01-1-26</memo:caseID>"));
    EXPECT_NE(std::string::npos, xml.find("<kle:subjectKey>27.24.00</kle:subjectKey>"));
    EXPECT_NE(std::string::npos, xml.find("<kle:activityFacet>G01</kle:activityFacet>"));
    EXPECT_NE(std::string::npos, xml.find("<memo:createdDateTime>2026-11-18T"));
    EXPECT_NE(std::string::npos, xml.find("<memo:encodingFormat>application/pdf</memo:encodingFormat>"));
    EXPECT_NE(std::string::npos, xml.find("<memo:language>da</memo:language>"));
    EXPECT_NE(std::string::npos, xml.find("<memo:content>JVBERi0"));
    EXPECT_LT(xml.find("<memo:Sender>"), xml.find("<memo:Recipient>"));
    EXPECT_LT(xml.find("<memo:Recipient>"), xml.find("<memo:ContentData>"));
    EXPECT_EQ(message.uuid, findMessageUuid(xml));
}

TEST(MemoMessage, MinimalMessageWithoutOptionalPartsValidates)
{
    auto in = validInput();
    in.notification.clear();
    in.journalNumber.clear();
    in.kle.clear();
    const auto message = buildMemoMessage(in);
    EXPECT_EQ(std::string::npos, message.xml.find("ContentData"));
    EXPECT_TRUE(MemoSchema::installed().validate(message.xml, "m.xml").empty());
}

TEST(MemoMessage, TextIsEscapedNotInjected)
{
    auto in = validInput();
    in.senderName = "Kommune <evil> & \"co\"";
    in.label = "Plan </memo:label><memo:x>";
    const auto message = buildMemoMessage(in);
    EXPECT_TRUE(MemoSchema::installed().validate(message.xml, "m.xml").empty());
    EXPECT_NE(std::string::npos, message.xml.find("Kommune &lt;evil&gt; &amp;"));
}

TEST(MemoMessage, UuidIsFixedPerVersionAndRecipientAndIsAVersion4Form)
{
    const auto a = memoMessageUuid("doc-1", "fin-2", "0101901234");
    EXPECT_EQ(a, memoMessageUuid("doc-1", "fin-2", "010190-1234"));
    EXPECT_NE(a, memoMessageUuid("doc-1", "fin-2b", "0101901234")); // a concurrent version of one number
    EXPECT_NE(a, memoMessageUuid("doc-1", "fin-2", "0202885678"));
    EXPECT_NE(a, memoMessageUuid("doc-2", "fin-2", "0101901234"));
    EXPECT_TRUE(std::regex_match(
        a, std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")))
        << a;
    EXPECT_EQ(buildMemoMessage(validInput()).uuid, buildMemoMessage(validInput()).uuid);
}

TEST(MemoMessage, RefusesAMissingSender)
{
    auto in = validInput();
    in.senderCvr.clear();
    EXPECT_NE(std::string::npos, refusal(in).find("municipality.cvr"));
    in = validInput();
    in.senderName.clear();
    EXPECT_NE(std::string::npos, refusal(in).find("no sender"));
    in = validInput();
    in.senderCvr = "2918980";
    EXPECT_NE(std::string::npos, refusal(in).find("not a CVR number"));
}

TEST(MemoMessage, RefusesAnInvalidCpr)
{
    auto in = validInput();
    for (const char* bad : { "3102901234", "01019012", "abcdefghij", "", "0101901234x" }) {
        in.recipientCpr = bad;
        EXPECT_NE(std::string::npos, refusal(in).find("CPR")) << bad;
    }
}

TEST(MemoMessage, RefusesBadFileNames)
{
    auto in = validInput();
    for (const char* bad : { "plan<1>.pdf", "a:b.pdf", "a\"b.pdf", "a/b.pdf", "a\\b.pdf", "a|b.pdf", "a?.pdf",
             "a*.pdf", "tab\there.pdf", "nbsp\xC2\xA0here.pdf", "thin\xE2\x80\x89space.pdf",
             "zero\xE2\x80\x8Bwidth.pdf", "", "plan.docx", "bad\xFFutf8.pdf" }) {
        in.fileName = bad;
        EXPECT_NE(std::string::npos, refusal(in).find("file name")) << bad;
    }
}

TEST(MemoMessage, CleanFileNameFollowsTheRules)
{
    EXPECT_EQ("Familieplan - version 2.pdf", cleanFileName("Familieplan / version 2"));
    EXPECT_EQ("a-b-c.pdf", cleanFileName("a:b*c.pdf"));
    EXPECT_EQ("Søs plan.pdf", cleanFileName("Søs\xC2\xA0\tplan"));
    EXPECT_EQ("dokument.pdf", cleanFileName("\x01\x02"));
    for (const char* name : { "Familieplan / version 2", "x<y>z|?", "nbsp\xC2\xA0 \xE3\x80\x80x", "\x7F" })
        EXPECT_FALSE(fileNameProblem(cleanFileName(name))) << name;
    EXPECT_FALSE(fileNameProblem(cleanFileName(std::string(400, 'a'))));
}

TEST(MemoMessage, RefusesADocumentOverTheDigitalPostLimit)
{
    auto in = validInput();
    in.pdf = test::minimalPdf();
    in.pdf.resize(MaxDocumentBytes + 1, ' ');
    EXPECT_NE(std::string::npos, refusal(in).find("99.5 MB"));
}

TEST(MemoMessage, RefusesWhatIsNotAPdfAndOverlongNotifications)
{
    auto in = validInput();
    in.pdf = "hello";
    EXPECT_NE(std::string::npos, refusal(in).find("not a PDF"));
    in = validInput();
    in.notification = std::string(151, 'x');
    EXPECT_NE(std::string::npos, refusal(in).find("150"));
    in.notification.clear();
    for (int i = 0; i < 150; ++i)
        in.notification += "ø"; // 150 characters, 300 bytes: allowed
    EXPECT_NO_THROW(buildMemoMessage(in));
}

TEST(MemoSchema, ReportsEachProblemWithItsLine)
{
    auto xml = buildMemoMessage(validInput()).xml;
    const auto pos = xml.find("<memo:messageType>DIGITALPOST");
    xml.replace(pos, std::string("<memo:messageType>DIGITALPOST").size(), "<memo:messageType>LETTER");
    const auto problems = MemoSchema::installed().validate(xml, "bad.xml");
    ASSERT_FALSE(problems.empty());
    EXPECT_EQ(0u, problems.front().rfind("bad.xml:4:", 0)) << problems.front();
}

TEST(MemoSchema, RefusesADoctypeInAMessageToValidate)
{
    const std::string xml
        = "<?xml version=\"1.0\"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>\n"
          "<memo:Message xmlns:memo=\"https://DigitalPost.dk/MeMo-1\">&e;</memo:Message>";
    const auto problems = MemoSchema::installed().validate(xml, "evil.xml");
    ASSERT_FALSE(problems.empty());
    EXPECT_NE(std::string::npos, problems.front().find("DOCTYPE"));
}

TEST(MemoSchema, ValidatesAMessageWithADocumentBiggerThanTheParsersTextLimit)
{
    auto in = validInput();
    in.pdf = test::minimalPdf();
    in.pdf.resize(20 * 1024 * 1024, '\n'); // 27 MB of base64: over libxml2's 10 MB text node limit
    const auto message = buildMemoMessage(in);
    const auto problems = MemoSchema::installed().validate(message.xml, "big.xml");
    EXPECT_TRUE(problems.empty()) << problems.front();

    auto broken = message.xml;
    broken[broken.find("<memo:content>") + 5000] = '%';
    const auto refused = MemoSchema::installed().validate(broken, "broken.xml");
    ASSERT_EQ(1u, refused.size());
    EXPECT_NE(std::string::npos, refused.front().find("broken.xml:")) << refused.front();
    EXPECT_NE(std::string::npos, refused.front().find("not base64")) << refused.front();
}

TEST(MemoMessage, RefusesTextThatNoMeMoFieldCanHold)
{
    auto in = validInput();
    in.senderName = std::string(257, 'K');
    EXPECT_NE(std::string::npos, refusal(in).find("municipality.name is longer than 256"));
    in = validInput();
    in.label = "Plan \x01";
    EXPECT_NE(std::string::npos, refusal(in).find("control character"));
    in = validInput();
    in.journalNumber = "27.24\xC3";
    EXPECT_NE(std::string::npos, refusal(in).find("not valid UTF-8"));
}
