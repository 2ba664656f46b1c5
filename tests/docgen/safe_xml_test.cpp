// SPDX-License-Identifier: EUPL-1.2
#include "base/error.h"
#include "tests/support/test_support.h"
#include "xml/escape.h"
#include "xml/safe_xml.h"

#include <gtest/gtest.h>
#include <libxml/tree.h>

#include <chrono>
#include <fstream>

using namespace fplan;
using namespace fplan::xml;
using fplan::test::TempDir;

namespace {

bool contains(const std::string& text, const std::string& part)
{
    return text.find(part) != std::string::npos;
}

std::string rootText(const XmlDocument& doc)
{
    xmlChar* text = xmlNodeGetContent(xmlDocGetRootElement(doc.get()));
    std::string result = text ? reinterpret_cast<const char*>(text) : "";
    xmlFree(text);
    return result;
}

} // namespace

TEST(SafeXml, ParsesPlainDocumentWithUtf8)
{
    const auto doc = parseXmlSafely(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<a>Łukasz Şahin, Ελένη, Дмитрий &amp; Søs</a>",
        "plain.xml");
    ASSERT_TRUE(doc);
    EXPECT_EQ("plain.xml", doc.origin());
    EXPECT_EQ("Łukasz Şahin, Ελένη, Дмитрий & Søs", rootText(doc));
}

TEST(SafeXml, RefusesExternalEntityFileRead)
{
    const std::string xxe = "<?xml version=\"1.0\"?>\n"
                            "<!DOCTYPE a [\n  <!ENTITY xxe SYSTEM \"file:///etc/passwd\">\n]>\n"
                            "<a>&xxe;</a>\n";
    const auto message = test::expectError(
        ErrorCode::BadInput, "xxe.xml:2: DOCTYPE", [&] { parseXmlSafely(xxe, "xxe.xml"); });
    EXPECT_FALSE(contains(message, "root:")) << message;
}

TEST(SafeXml, RefusesExternalDtd)
{
    const std::string text = "<?xml version=\"1.0\"?>\n<!DOCTYPE a SYSTEM \"file:///etc/passwd\">\n<a/>";
    test::expectError(ErrorCode::BadInput, "dtd.xml:2: DOCTYPE", [&] { parseXmlSafely(text, "dtd.xml"); });
}

TEST(SafeXml, RefusesPlainDoctype)
{
    test::expectError(
        ErrorCode::BadInput, "d.xml:1: DOCTYPE", [] { parseXmlSafely("<!DOCTYPE a><a/>", "d.xml"); });
}

TEST(SafeXml, RefusesBillionLaughsQuickly)
{
    std::string text = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n";
    for (int i = 1; i <= 9; ++i) {
        text += " <!ENTITY lol" + std::to_string(i) + " \"";
        for (int j = 0; j < 10; ++j)
            text += "&lol" + (i == 1 ? std::string() : std::to_string(i - 1)) + ";";
        text += "\">\n";
    }
    text += "]>\n<lolz>&lol9;</lolz>\n";
    const auto start = std::chrono::steady_clock::now();
    test::expectError(ErrorCode::BadInput, "lol.xml:2: DOCTYPE", [&] { parseXmlSafely(text, "lol.xml"); });
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
}

TEST(SafeXml, RefusesQuadraticBlowup)
{
    std::string text = "<!DOCTYPE kaboom [<!ENTITY a \"" + std::string(50000, 'a') + "\">]>\n<kaboom>";
    for (int i = 0; i < 50000; ++i)
        text += "&a;";
    text += "</kaboom>";
    const auto start = std::chrono::steady_clock::now();
    test::expectError(
        ErrorCode::BadInput, "q.xml:1: DOCTYPE", [&] { parseXmlSafely(text, "q.xml", 1 << 20); });
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
}

// 60,000 attributes on one element used to hang libxml2's duplicate check for over a minute.
TEST(SafeXml, RefusesTooManyAttributesBeforeParsing)
{
    std::string text = "<root>\n<field";
    for (int i = 0; i < 60000; ++i)
        text += " a" + std::to_string(i) + "=\"x\"";
    text += "/></root>";
    test::expectError(ErrorCode::BadInput, "many.xml:2: an element with more than 64 attributes (limit)",
        [&] { parseXmlSafely(text, "many.xml", 1 << 22); });
    // Equals signs in values, comments and text are not attributes.
    std::string fine
        = "<root a=\"x=y=z\"><!-- " + std::string(200, '=') + " -->" + std::string(200, '=') + "</root>";
    EXPECT_NO_THROW(parseXmlSafely(fine, "fine.xml"));
}

TEST(SafeXml, RefusesDeepNesting)
{
    std::string text;
    for (int i = 0; i < 65; ++i)
        text += "<a>";
    for (int i = 0; i < 65; ++i)
        text += "</a>";
    test::expectError(
        ErrorCode::BadInput, "deeper than 64 levels (limit)", [&] { parseXmlSafely(text, "deep.xml"); });
    EXPECT_NO_THROW(parseXmlSafely(text.substr(3, text.size() - 7), "ok.xml"));
}

TEST(SafeXml, UndeclaredEntityWithoutDoctypeIsAnError)
{
    test::expectError(ErrorCode::BadInput, "e.xml:2: ", [] { parseXmlSafely("<a>\n&xxe;</a>", "e.xml"); });
}

TEST(SafeXml, MalformedNamesLine)
{
    test::expectError(
        ErrorCode::BadInput, "bad.xml:3: ", [] { parseXmlSafely("<a>\n<b>\n</a>", "bad.xml"); });
    test::expectError(ErrorCode::BadInput, "empty.xml:1: ", [] { parseXmlSafely("", "empty.xml"); });
    test::expectError(
        ErrorCode::BadInput, "enc.xml:1: ", [] { parseXmlSafely("<a>\xff\xfe</a>", "enc.xml"); });
}

TEST(SafeXml, BadEncodingIsReportedByExceptionOnly)
{
    std::string text = "<?xml version=\"1.0\" encoding=\"EUC-JP\"?><a>";
    text += '\x8e';
    text += '\x01';
    text.append(3, '\0');
    testing::internal::CaptureStderr();
    test::expectError(ErrorCode::BadInput, "enc.xml:1: ", [&] { parseXmlSafely(text, "enc.xml"); });
    const std::string printed = testing::internal::GetCapturedStderr();
    EXPECT_EQ("", printed) << "libxml2 printed to stderr";
}

TEST(SafeXml, RefusesOversizedBytes)
{
    const std::string text = "<a>" + std::string(2000, 'x') + "</a>";
    test::expectError(ErrorCode::BadInput, "big.xml:1: ", [&] { parseXmlSafely(text, "big.xml", 1000); });
}

TEST(SafeXml, RefusesFiftyMegabyteFileWithinASecond)
{
    TempDir dir;
    const auto path = dir / "huge.xml";
    {
        std::ofstream out(path, std::ios::binary);
        out << "<a>";
        const std::string chunk(1 << 20, 'x');
        for (int i = 0; i < 50; ++i)
            out << chunk;
        out << "</a>";
    }
    const auto start = std::chrono::steady_clock::now();
    test::expectError(ErrorCode::BadInput, path.string() + ":1: file is ", [&] { parseXmlFileSafely(path); });
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
}

TEST(SafeXml, MissingFileIsNotFound)
{
    TempDir dir;
    test::expectError(ErrorCode::NotFound, "nope.xml", [&] { parseXmlFileSafely(dir / "nope.xml"); });
}

namespace {

const char* const MainSchema = R"(<?xml version="1.0"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:t="urn:t" targetNamespace="urn:t" elementFormDefault="qualified">
  <xs:include schemaLocation="types.xsd"/>
  <xs:element name="root">
    <xs:complexType><xs:sequence><xs:element name="n" type="t:Small" maxOccurs="unbounded"/></xs:sequence></xs:complexType>
  </xs:element>
</xs:schema>
)";

const char* const TypesSchema = R"(<?xml version="1.0"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:t">
  <xs:simpleType name="Small"><xs:restriction base="xs:integer"><xs:maxInclusive value="9"/></xs:restriction></xs:simpleType>
</xs:schema>
)";

} // namespace

TEST(SafeXmlSchema, IncludesSiblingAndValidatesWithLines)
{
    TempDir dir;
    fplan::test::writeFile(dir / "main.xsd", MainSchema);
    fplan::test::writeFile(dir / "types.xsd", TypesSchema);
    const auto schema = loadSchemaSafely(dir / "main.xsd");
    ASSERT_TRUE(schema);

    const auto good = parseXmlSafely("<root xmlns=\"urn:t\"><n>3</n></root>", "good.xml");
    EXPECT_TRUE(validateAgainst(schema, good).empty());

    const auto bad = parseXmlSafely("<root xmlns=\"urn:t\">\n<n>3</n>\n<n>12</n>\n</root>", "bad.xml");
    const auto problems = validateAgainst(schema, bad);
    ASSERT_FALSE(problems.empty());
    EXPECT_TRUE(contains(problems.front(), "bad.xml:3: ")) << problems.front();
    EXPECT_TRUE(contains(problems.front(), "12")) << problems.front();
}

TEST(SafeXmlSchema, RefusesImportOutsideItsFolder)
{
    TempDir dir;
    std::filesystem::create_directory(dir / "schemas");
    fplan::test::writeFile(dir / "types.xsd", TypesSchema);
    std::string main = MainSchema;
    main.replace(main.find("types.xsd"), 9, "../types.xsd");
    fplan::test::writeFile(dir / "schemas" / "main.xsd", main);
    test::expectError(ErrorCode::BadInput, "outside the schema's folder",
        [&] { loadSchemaSafely(dir / "schemas" / "main.xsd"); });
}

TEST(SafeXmlSchema, RefusesNetworkAndAbsoluteImports)
{
    TempDir dir;
    for (const std::string location :
        { "http://example.invalid/types.xsd", "/etc/passwd", "file:///etc/passwd" }) {
        std::string main = MainSchema;
        main.replace(main.find("types.xsd"), 9, location);
        fplan::test::writeFile(dir / "main.xsd", main);
        const auto message
            = test::expectError(ErrorCode::BadInput, "", [&] { loadSchemaSafely(dir / "main.xsd"); });
        EXPECT_FALSE(contains(message, "root:x")) << message;
    }
}

TEST(SafeXmlSchema, RefusesHostileSibling)
{
    TempDir dir;
    fplan::test::writeFile(dir / "main.xsd", MainSchema);
    fplan::test::writeFile(dir / "types.xsd",
        "<?xml version=\"1.0\"?>\n<!DOCTYPE xs:schema [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n"
            + std::string(TypesSchema).substr(22));
    test::expectError(
        ErrorCode::BadInput, "types.xsd:2: DOCTYPE", [&] { loadSchemaSafely(dir / "main.xsd"); });
}

TEST(SafeXmlSchema, BrokenSchemaNamesFileAndLine)
{
    TempDir dir;
    fplan::test::writeFile(dir / "s.xsd",
        "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\">\n"
        "<xs:element name=\"a\" type=\"xs:nosuchtype\"/>\n</xs:schema>");
    test::expectError(
        ErrorCode::BadInput, (dir / "s.xsd").string() + ":2: ", [&] { loadSchemaSafely(dir / "s.xsd"); });
}

// Text escaped by hand reads back as itself from character data and from an attribute, and a
// control character XML cannot carry is dropped rather than making the document unreadable.
TEST(XmlEscape, EscapedTextReadsBackAsWritten)
{
    const std::string text = "Kommune <evil> & \"Nørgaard\" 'x' ]]> -- Ł\ttab\nline";
    const std::string escaped = escapeText(text + "\x01\x1F");
    EXPECT_EQ(std::string::npos, escaped.find('<'));
    EXPECT_EQ(std::string::npos, escaped.find('"'));
    const auto doc = parseXmlSafely("<r a=\"" + escaped + "\">" + escaped + "</r>", "escape.xml");
    EXPECT_EQ(text, rootText(doc));
    xmlChar* attribute = xmlGetProp(xmlDocGetRootElement(doc.get()), BAD_CAST "a");
    ASSERT_NE(nullptr, attribute);
    // An attribute value's tab and line feed are normalised to spaces by every XML reader.
    EXPECT_EQ("Kommune <evil> & \"Nørgaard\" 'x' ]]> -- Ł tab line",
        std::string(reinterpret_cast<char*>(attribute)));
    xmlFree(attribute);
}
