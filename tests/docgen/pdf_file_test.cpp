// SPDX-License-Identifier: EUPL-1.2
#include "core/op.h"
#include "crypto/hash.h"
#include "docgen/render/pdf_file.h"
#include "tests/support/test_support.h"

#include <gtest/gtest.h>
#include <podofo/podofo.h>

#include <cctype>
#include <cstdio>

using namespace PoDoFo;
using fplan::Json;
using fplan::test::run;
using fplan::test::TempDir;

namespace {

// Every object of a PDF file as qpdf reads it (JSON, streams decoded), and the trailer without
// its /ID (PoDoFo's writer derives it from the clock, ours from the file).
Json objectsOf(const TempDir& dir, const std::string& name, const std::string& bytes)
{
    const auto file = dir / name;
    fplan::test::writeFile(file, bytes);
    const auto check = run({ "qpdf", "--check", file.string() });
    EXPECT_EQ(0, check.exitCode) << name << ": " << check.out << check.err;
    const auto shown = run({ "qpdf", "--json", "--json-stream-data=inline", "--decode-level=generalized",
        "--json-key=qpdf", file.string() });
    EXPECT_EQ(0, shown.exitCode) << name << ": " << shown.err;
    Json objects = Json::parse(shown.out).at("qpdf").at(1);
    objects.at("trailer").at("value").erase("/ID");
    return objects;
}

// A document with every kind of value PoDoFo keeps, a stream, and a deleted object, so the
// cross-reference table has a free entry in the middle.
// Returns the number of the deleted object.
unsigned fill(PdfMemDocument& doc)
{
    doc.SetPdfVersion(ePdfVersion_1_7);
    doc.CreatePage(PdfPage::CreateStandardPageSize(ePdfPageSize_A4));
    PdfVecObjects& objects = doc.GetObjects();
    const PdfReference gone = objects.CreateObject()->Reference();
    PdfObject* values = objects.CreateObject("Test");
    PdfDictionary& d = values->GetDictionary();
    d.AddKey("Name", PdfName("A b#c/(d)%"));
    PdfArray reals;
    for (const double r : { 1.5, -0.0000001, 12.0, 0.125, -3.25, 1234567.0 })
        reals.push_back(PdfVariant(r));
    d.AddKey("Reals", reals);
    d.AddKey("Int", static_cast<pdf_int64>(-42));
    d.AddKey("Big", static_cast<pdf_int64>(1) << 40);
    d.AddKey("Yes", PdfVariant(true));
    d.AddKey("No", PdfVariant(false));
    d.AddKey("Nothing", PdfVariant());
    d.AddKey("Text", PdfString("(a) \\ b\nc"));
    d.AddKey("Unicode", PdfString(reinterpret_cast<const pdf_utf8*>("Mette Nørgaard – § 85")));
    d.AddKey("Hex", PdfString("\x01\xff", 2, true));
    PdfArray mixed;
    mixed.push_back(PdfName("A"));
    mixed.push_back(PdfVariant(static_cast<pdf_int64>(1)));
    mixed.push_back(values->Reference());
    mixed.push_back(PdfVariant(static_cast<pdf_int64>(2)));
    mixed.push_back(PdfString("s"));
    PdfDictionary inner;
    inner.AddKey("K", PdfName("V"));
    mixed.push_back(inner);
    mixed.push_back(PdfArray());
    d.AddKey("Mixed", mixed);
    PdfObject* stream = objects.CreateObject();
    const std::string content = "BT /F1 12 Tf (Hej) Tj ET";
    stream->GetStream()->Set(content.data(), static_cast<pdf_long>(content.size()), TVecFilters());
    d.AddKey("Stream", stream->Reference());
    doc.GetCatalog()->GetDictionary().AddKey("Test", values->Reference());
    delete objects.RemoveObject(gone);
    return gone.ObjectNumber();
}

} // namespace

// The file writer against PoDoFo's own: qpdf finds the two files sound and reads the same
// objects from both, object by object.
TEST(PdfFile, QpdfReadsTheSameObjectsAsFromPoDoFosOwnWriter)
{
    const TempDir dir;
    PdfMemDocument ours;
    const unsigned deleted = fill(ours);
    const std::string bytes = fplan::docgen::pdfFileBytes(ours);
    PdfMemDocument theirs;
    fill(theirs);
    PdfRefCountedBuffer buffer;
    PdfOutputDevice device(&buffer);
    theirs.Write(&device);

    const Json mine = objectsOf(dir, "ours.pdf", bytes);
    const Json reference = objectsOf(dir, "podofo.pdf", std::string(buffer.GetBuffer(), device.GetLength()));
    EXPECT_EQ(reference, mine) << Json::diff(reference, mine).dump(1);
    std::string catalog;
    for (const auto& [key, object] : mine.items())
        if (object.contains("value") && object["value"].is_object()
            && object["value"].value("/Type", "") == "/Catalog")
            catalog = key;
    ASSERT_FALSE(catalog.empty()) << mine.dump(1);
    const std::string testRef = mine.at(catalog).at("value").at("/Test");
    const Json& test = mine.at("obj:" + testRef).at("value");
    EXPECT_EQ("/A b#c/(d)%", test.at("/Name")) << test.dump(1);
    EXPECT_EQ(Json::parse("[1.5, 0, 12, 0.125, -3.25, 1234567]"), test.at("/Reals")) << test.dump(1);

    EXPECT_EQ(0u, bytes.rfind("%PDF-1.7\n%\xE2\xE3\xCF\xD3\n", 0));
    // The free list: entry 0 names the deleted object, whose entry ends the list.
    const auto xref = bytes.find("\nxref\n0 ");
    ASSERT_NE(std::string::npos, xref);
    const auto entries = bytes.find('\n', xref + 7) + 1;
    char head[21];
    std::snprintf(head, sizeof head, "%010u 65535 f \n", deleted);
    EXPECT_EQ(head, bytes.substr(entries, 20));
    EXPECT_EQ("0000000000 00001 f \n", bytes.substr(entries + 20 * deleted, 20));
    EXPECT_EQ(bytes.size() - 6, bytes.rfind("%%EOF\n"));

    // Both /ID strings are the BLAKE2b-128 digest of the file written with zeros in their place.
    const auto idAt = bytes.find("/ID[<");
    ASSERT_NE(std::string::npos, idAt);
    const std::string first = bytes.substr(idAt + 5, 32);
    EXPECT_EQ("><" + first + ">]", bytes.substr(idAt + 37, 36));
    std::string zeroed = bytes;
    zeroed.replace(idAt + 5, 32, std::string(32, '0')).replace(idAt + 39, 32, std::string(32, '0'));
    const auto digest = fplan::crypto::digest128(zeroed);
    std::string expected = fplan::crypto::toHex(digest.data(), digest.size());
    for (char& c : expected)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    EXPECT_EQ(expected, first);
}
