// SPDX-License-Identifier: EUPL-1.2
#include "docgen/render/pdf_writer.h"

#include "base/error.h"
#include "base/utf8.h"
#include "docgen/render/pdf_file.h"
#include "xml/escape.h"

#include <podofo/podofo.h>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <iterator>
#include <libdeflate.h>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string_view>

namespace fplan::docgen {

namespace {

using namespace PoDoFo;

constexpr const char* IccProfilePath = "/usr/share/color/icc/sRGB.icc";
constexpr const char* Producer = "Familieplan (PoDoFo 0.9.8)";

PdfString utf8String(const std::string& s)
{
    return PdfString(reinterpret_cast<const pdf_utf8*>(s.c_str()));
}

std::int64_t documentTime(const PdfMetadata& meta)
{
    if (meta.time)
        return *meta.time;
    if (const char* epoch = std::getenv("SOURCE_DATE_EPOCH"); epoch && *epoch) {
        char* end = nullptr;
        const long long value = std::strtoll(epoch, &end, 10);
        if (end && *end == '\0' && value >= 0)
            return value;
    }
    return static_cast<std::int64_t>(std::time(nullptr));
}

struct Dates {
    std::string pdf; // D:20260312100000+00'00'
    std::string xmp; // 2026-03-12T10:00:00+00:00
};

Dates formatDates(std::int64_t seconds)
{
    const auto t = static_cast<std::time_t>(seconds);
    std::tm tm {};
    gmtime_r(&t, &tm);
    char pdf[64];
    char xmp[64];
    std::snprintf(pdf, sizeof pdf, "D:%04d%02d%02d%02d%02d%02d+00'00'", tm.tm_year + 1900, tm.tm_mon + 1,
        tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    std::snprintf(xmp, sizeof xmp, "%04d-%02d-%02dT%02d:%02d:%02d+00:00", tm.tm_year + 1900, tm.tm_mon + 1,
        tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    return { pdf, xmp };
}

std::string xmpPacket(const PdfMetadata& meta, const Dates& dates)
{
    std::ostringstream x;
    x << "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
      << "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
      << " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
      << "  <rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n"
      << "   <dc:format>application/pdf</dc:format>\n"
      << "   <dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">" << xml::escapeText(meta.title)
      << "</rdf:li></rdf:Alt></dc:title>\n";
    if (!meta.author.empty())
        x << "   <dc:creator><rdf:Seq><rdf:li>" << xml::escapeText(meta.author)
          << "</rdf:li></rdf:Seq></dc:creator>\n";
    if (!meta.subject.empty())
        x << "   <dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">" << xml::escapeText(meta.subject)
          << "</rdf:li></rdf:Alt></dc:description>\n";
    x << "   <dc:language><rdf:Bag><rdf:li>" << xml::escapeText(meta.language)
      << "</rdf:li></rdf:Bag></dc:language>\n"
      << "  </rdf:Description>\n"
      << "  <rdf:Description rdf:about=\"\" xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\">\n"
      << "   <xmp:CreateDate>" << dates.xmp << "</xmp:CreateDate>\n"
      << "   <xmp:ModifyDate>" << dates.xmp << "</xmp:ModifyDate>\n"
      << "   <xmp:MetadataDate>" << dates.xmp << "</xmp:MetadataDate>\n"
      << "   <xmp:CreatorTool>Familieplan</xmp:CreatorTool>\n"
      << "  </rdf:Description>\n"
      << "  <rdf:Description rdf:about=\"\" xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\">\n"
      << "   <pdf:Producer>" << Producer << "</pdf:Producer>\n";
    if (!meta.keywords.empty())
        x << "   <pdf:Keywords>" << xml::escapeText(meta.keywords) << "</pdf:Keywords>\n";
    x << "  </rdf:Description>\n"
      << "  <rdf:Description rdf:about=\"\" xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\">\n"
      << "   <pdfaid:part>2</pdfaid:part>\n"
      << "   <pdfaid:conformance>A</pdfaid:conformance>\n"
      << "  </rdf:Description>\n"
      << "  <rdf:Description rdf:about=\"\" xmlns:pdfuaid=\"http://www.aiim.org/pdfua/ns/id/\">\n"
      << "   <pdfuaid:part>1</pdfuaid:part>\n"
      << "  </rdf:Description>\n"
      // PDF/A accepts properties outside its own schemas only when the packet describes them.
      << "  <rdf:Description rdf:about=\"\" xmlns:pdfaExtension=\"http://www.aiim.org/pdfa/ns/extension/\"\n"
      << "    xmlns:pdfaSchema=\"http://www.aiim.org/pdfa/ns/schema#\"\n"
      << "    xmlns:pdfaProperty=\"http://www.aiim.org/pdfa/ns/property#\">\n"
      << "   <pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType=\"Resource\">\n"
      << "    <pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>\n"
      << "    <pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>\n"
      << "    <pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>\n"
      << "    <pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType=\"Resource\">\n"
      << "     <pdfaProperty:name>part</pdfaProperty:name>\n"
      << "     <pdfaProperty:valueType>Integer</pdfaProperty:valueType>\n"
      << "     <pdfaProperty:category>internal</pdfaProperty:category>\n"
      << "     <pdfaProperty:description>Indicates, which part of ISO 14289 standard is "
         "followed</pdfaProperty:description>\n"
      << "    </rdf:li></rdf:Seq></pdfaSchema:property>\n"
      << "   </rdf:li></rdf:Bag></pdfaExtension:schemas>\n"
      << "  </rdf:Description>\n"
      << " </rdf:RDF>\n"
      << "</x:xmpmeta>\n";
    // Padding lets a later editor update the packet in place, as the XMP spec recommends.
    for (int i = 0; i < 20; ++i)
        x << std::string(99, ' ') << "\n";
    x << "<?xpacket end=\"w\"?>";
    return x.str();
}

std::string readIccProfile()
{
    std::ifstream in(IccProfilePath, std::ios::binary);
    if (!in)
        throw Error(ErrorCode::NotFound,
            std::string("colour profile ") + IccProfilePath + " is missing: install icc-profiles-free");
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

const std::string& iccProfile()
{
    static const std::string profile = readIccProfile();
    return profile;
}

// PoDoFo compresses every stream it is given at zlib's default level (6). Page content is most
// of a long document's bytes, and at level 6 its compression took about five times as long as
// at level 1 for streams a third smaller (a 40-page plan: 14 ms against 2.7 ms, 65 KB against
// 95 KB): the writer compresses content itself, at level 1.
constexpr int ContentCompression = 1;

// The zlib format that FlateDecode reads, made by libdeflate rather than zlib: at level 1 it
// compressed a 6-page plan's font subsets (84 KB) in a quarter of zlib's time here (0.8 ms
// against 3.1 ms), to slightly fewer bytes. The compressor is kept per thread: making one
// clears its hash tables.
std::string deflated(std::string_view raw)
{
    using Owned = std::unique_ptr<libdeflate_compressor, decltype(&libdeflate_free_compressor)>;
    thread_local const Owned compressor(
        libdeflate_alloc_compressor(ContentCompression), &libdeflate_free_compressor);
    if (!compressor)
        throw Error(ErrorCode::Internal, "libdeflate could not make a compressor");
    std::string out(libdeflate_zlib_compress_bound(compressor.get(), raw.size()), '\0');
    const std::size_t size
        = libdeflate_zlib_compress(compressor.get(), raw.data(), raw.size(), out.data(), out.size());
    if (size == 0)
        throw Error(ErrorCode::Internal, "libdeflate could not compress a PDF stream");
    out.resize(size);
    return out;
}

// Streams PoDoFo makes itself (font subsets, ToUnicode maps) the same way: while the fonts are
// embedded, PoDoFo's default filter is None (it is a static of PdfStream, hence the scope), and
// compressFontStreams compresses what it wrote. Level 6 gained 5 % on the subsets.
class UnfilteredStreams {
public:
    UnfilteredStreams()
        : m_saved(PdfStream::eDefaultFilter)
    {
        PdfStream::eDefaultFilter = ePdfFilter_None;
    }
    ~UnfilteredStreams() { PdfStream::eDefaultFilter = m_saved; }
    UnfilteredStreams(const UnfilteredStreams&) = delete;
    UnfilteredStreams& operator=(const UnfilteredStreams&) = delete;

private:
    EPdfFilter m_saved;
};

// A stream whose bytes are already FlateDecode-compressed (zlib format, as deflated makes them).
void setDeflatedStream(PdfObject* object, std::string_view compressed)
{
    PdfMemoryInputStream in(compressed.data(), static_cast<pdf_long>(compressed.size()));
    object->GetStream()->SetRawData(&in, static_cast<pdf_long>(compressed.size()));
    object->GetDictionary().AddKey(PdfName::KeyFilter, PdfName("FlateDecode"));
}

PdfObject* resolve(PdfVecObjects& objects, PdfObject* obj)
{
    while (obj && obj->IsReference())
        obj = objects.GetObject(obj->GetReference());
    return obj;
}

// Compresses a stream PoDoFo wrote without a filter (see UnfilteredStreams).
void compressStream(PdfObject* object)
{
    if (!object || !object->HasStream() || object->GetDictionary().HasKey(PdfName::KeyFilter))
        return;
    const auto* stream = dynamic_cast<const PdfMemStream*>(object->GetStream());
    if (!stream || stream->GetLength() == 0)
        return;
    setDeflatedStream(
        object, deflated(std::string_view(stream->Get(), static_cast<std::size_t>(stream->GetLength()))));
}

// The streams of an embedded font: its ToUnicode map and the subset's font program.
void compressFontStreams(PdfVecObjects& objects, PdfFont* font)
{
    PdfDictionary& dict = font->GetObject()->GetDictionary();
    compressStream(resolve(objects, dict.GetKey("ToUnicode")));
    PdfObject* descendants = resolve(objects, dict.GetKey("DescendantFonts"));
    if (!descendants || !descendants->IsArray())
        return;
    for (PdfObject& d : descendants->GetArray()) {
        PdfObject* cidFont = resolve(objects, &d);
        PdfObject* descriptor = cidFont && cidFont->IsDictionary()
            ? resolve(objects, cidFont->GetDictionary().GetKey("FontDescriptor"))
            : nullptr;
        if (descriptor && descriptor->IsDictionary())
            compressStream(resolve(objects, descriptor->GetDictionary().GetKey("FontFile2")));
    }
}

// PoDoFo merges nearly equal widths into one /W range, off by up to a unit; PDF/A checkers
// allow less. Rewrite /W with each glyph's own width, as the font program has it.
void rewriteWidths(PdfVecObjects& objects, PdfFont* font)
{
    PdfObject* descendants = resolve(objects, font->GetObject()->GetDictionary().GetKey("DescendantFonts"));
    if (!descendants || !descendants->IsArray() || descendants->GetArray().empty())
        return;
    PdfObject* cidFont = resolve(objects, &descendants->GetArray()[0]);
    if (!cidFont || !cidFont->IsDictionary())
        return;
    PdfObject* w = resolve(objects, cidFont->GetDictionary().GetKey("W"));
    if (!w || !w->IsArray())
        return;
    std::vector<long> glyphs;
    const PdfArray& array = w->GetArray();
    for (std::size_t i = 0; i < array.size();) {
        const PdfObject& first = array[i];
        if (!first.IsNumber())
            return;
        const long start = static_cast<long>(first.GetNumber());
        if (i + 1 < array.size() && array[i + 1].IsArray()) {
            const auto count = static_cast<long>(array[i + 1].GetArray().size());
            for (long g = 0; g < count; ++g)
                glyphs.push_back(start + g);
            i += 2;
        } else if (i + 2 < array.size()) {
            const long end = static_cast<long>(array[i + 1].GetNumber());
            for (long g = start; g <= end; ++g)
                glyphs.push_back(g);
            i += 3;
        } else {
            return;
        }
    }
    const PdfFontMetrics* metrics = font->GetFontMetrics();
    PdfArray exact;
    for (std::size_t i = 0; i < glyphs.size();) {
        // Consecutive glyph ids share one bracket: "first [w1 w2 ...]".
        std::size_t j = i;
        PdfArray widths;
        while (j < glyphs.size() && glyphs[j] == glyphs[i] + static_cast<long>(j - i)) {
            const double width = metrics->GetGlyphWidth(static_cast<int>(glyphs[j]));
            widths.push_back(PdfVariant(std::round(width * 1000.0) / 1000.0));
            ++j;
        }
        exact.push_back(PdfVariant(static_cast<pdf_int64>(glyphs[i])));
        exact.push_back(widths);
        i = j;
    }
    cidFont->GetDictionary().AddKey("W", exact);
}

void addPdfA(PdfMemDocument& doc, const PdfMetadata& meta, const Dates& dates)
{
    PdfVecObjects& objects = doc.GetObjects();
    PdfDictionary& catalog = doc.GetCatalog()->GetDictionary();

    const std::string xmp = xmpPacket(meta, dates);
    PdfObject* metadata = objects.CreateObject("Metadata");
    metadata->GetDictionary().AddKey("Subtype", PdfName("XML"));
    // Empty filter list: PDF/A wants the XMP packet readable without decompression.
    metadata->GetStream()->Set(xmp.data(), static_cast<pdf_long>(xmp.size()), TVecFilters());
    catalog.AddKey("Metadata", metadata->Reference());

    static const std::string icc = deflated(iccProfile()); // the same in every PDF
    PdfObject* profile = objects.CreateObject();
    profile->GetDictionary().AddKey("N", static_cast<pdf_int64>(3));
    setDeflatedStream(profile, icc);
    PdfDictionary intent;
    intent.AddKey("Type", PdfName("OutputIntent"));
    intent.AddKey("S", PdfName("GTS_PDFA1"));
    intent.AddKey("OutputConditionIdentifier", PdfString("sRGB IEC61966-2.1"));
    intent.AddKey("RegistryName", PdfString("http://www.color.org"));
    intent.AddKey("Info", PdfString("sRGB IEC61966-2.1"));
    intent.AddKey("DestOutputProfile", profile->Reference());
    PdfArray intents;
    intents.push_back(intent);
    catalog.AddKey("OutputIntents", intents);
    catalog.AddKey("Lang", PdfString(meta.language)); // a language tag is ASCII
    PdfDictionary viewer;
    viewer.AddKey("DisplayDocTitle", PdfVariant(true));
    catalog.AddKey("ViewerPreferences", viewer);
}

void setInfo(PdfMemDocument& doc, const PdfMetadata& meta, const Dates& dates)
{
    PdfInfo* info = doc.GetInfo();
    info->SetTitle(utf8String(meta.title));
    if (!meta.author.empty())
        info->SetAuthor(utf8String(meta.author));
    if (!meta.subject.empty())
        info->SetSubject(utf8String(meta.subject));
    if (!meta.keywords.empty())
        info->SetKeywords(utf8String(meta.keywords));
    info->SetCreator(PdfString("Familieplan"));
    info->SetProducer(PdfString(Producer));
    PdfDictionary& dict = info->GetObject()->GetDictionary();
    dict.AddKey("CreationDate", PdfString(dates.pdf));
    dict.AddKey("ModDate", PdfString(dates.pdf));
}

// Writes page content operators directly: PdfPainter formats every number through iostreams,
// which was most of the cost of a long plan. Graphics state is only written when it changes.
class ContentWriter {
public:
    void text(const std::string& fontName, double size, double x, double y, const Color& color,
        const char* glyphs, std::size_t length)
    {
        if (!m_inText) {
            m_out += "BT\n";
            m_inText = true;
        }
        fill(color);
        if (fontName != m_font || size != m_size) {
            m_out += '/';
            m_out += fontName;
            m_out += ' ';
            number(size);
            m_out += "Tf\n";
            m_font = fontName;
            m_size = size;
        }
        m_out += "1 0 0 1 ";
        number(x);
        number(y);
        m_out += "Tm <";
        static const char* hex = "0123456789ABCDEF";
        for (std::size_t i = 0; i < length; ++i) {
            const auto b = static_cast<unsigned char>(glyphs[i]);
            m_out += hex[b >> 4];
            m_out += hex[b & 0xF];
        }
        m_out += "> Tj\n";
    }

    void line(double x1, double y1, double x2, double y2, double width, const Color& color)
    {
        endText();
        if (width != m_lineWidth) {
            number(width);
            m_out += "w\n";
            m_lineWidth = width;
        }
        if (!m_strokeSet || !(color == m_stroke)) {
            rgb(color);
            m_out += "RG\n";
            m_stroke = color;
            m_strokeSet = true;
        }
        number(x1);
        number(y1);
        m_out += "m ";
        number(x2);
        number(y2);
        m_out += "l S\n";
    }

    void rect(double x, double y, double w, double h, const Color& color)
    {
        endText();
        fill(color);
        number(x);
        number(y);
        number(w);
        number(h);
        m_out += "re f\n";
    }

    // Marked content: a structure element's part (`/P <</MCID 3>> BDC`), an artifact, or a
    // hyphen the layout added (a Span whose ActualText is U+00AD, so the text layer reads the
    // word whole). Marked content and text objects nest, so text objects end first.
    void beginElement(const char* tag, int mcid)
    {
        endText();
        m_out += '/';
        m_out += tag;
        m_out += " <</MCID ";
        m_out += std::to_string(mcid);
        m_out += ">> BDC\n";
    }

    void beginArtifact()
    {
        endText();
        m_out += "/Artifact BMC\n";
    }

    // Not nested inside the word's own marked content (readers stop collecting an element's
    // text at a nested EMC): its own sequence of the same element.
    void beginAddedHyphen(int mcid)
    {
        endText();
        m_out += "/Span <</MCID ";
        m_out += std::to_string(mcid);
        m_out += " /ActualText <FEFF00AD>>> BDC\n";
    }

    void end()
    {
        endText();
        m_out += "EMC\n";
    }

    const std::string& finish()
    {
        endText();
        return m_out;
    }

private:
    void endText()
    {
        if (m_inText) {
            m_out += "ET\n";
            m_inText = false;
        }
    }

    void fill(const Color& color)
    {
        if (m_fillSet && color == m_fill)
            return;
        rgb(color);
        m_out += "rg\n";
        m_fill = color;
        m_fillSet = true;
    }

    void rgb(const Color& c)
    {
        number(c.r);
        number(c.g);
        number(c.b);
    }

    // Three decimals at most, trailing zeros dropped, never an exponent: "12.5 ".
    void number(double value)
    {
        char buf[32];
        auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::fixed, 3);
        if (ec != std::errc())
            end = buf + std::snprintf(buf, sizeof buf, "0");
        char* p = end;
        while (p > buf && p[-1] == '0')
            --p;
        if (p > buf && p[-1] == '.')
            --p;
        if (p == buf || (p - buf == 1 && buf[0] == '-')
            || std::string_view(buf, static_cast<std::size_t>(p - buf)) == "-0")
            m_out += '0';
        else
            m_out.append(buf, static_cast<std::size_t>(p - buf));
        m_out += ' ';
    }

    std::string m_out;
    bool m_inText = false;
    std::string m_font;
    double m_size = 0;
    Color m_fill;
    bool m_fillSet = false;
    Color m_stroke;
    bool m_strokeSet = false;
    double m_lineWidth = -1;
};

class FontTable {
public:
    FontTable(PdfMemDocument& doc, FontMetrics& fonts)
        : m_doc(doc)
        , m_fonts(fonts)
    {
    }

    PdfFont* get(int face)
    {
        if (auto it = m_byFace.find(face); it != m_byFace.end())
            return it->second;
        const FaceInfo& info = m_fonts.face(face);
        // Identity-H with a ToUnicode map: any BMP letter, and text that extracts as written.
        PdfFont* font = m_doc.CreateFontSubset(info.family.c_str(), info.bold, false, false,
            new PdfIdentityEncoding(0, 0xffff, true), info.path.c_str());
        if (!font)
            throw Error(ErrorCode::Internal, "PoDoFo could not load the font " + info.path);
        m_byFace[face] = font;
        return font;
    }

    std::vector<PdfFont*> all() const
    {
        std::vector<PdfFont*> out;
        for (const auto& [face, font] : m_byFace)
            out.push_back(font);
        return out;
    }

private:
    PdfMemDocument& m_doc;
    FontMetrics& m_fonts;
    std::map<int, PdfFont*> m_byFace;
};

struct MarkedRef {
    std::size_t page;
    int mcid;
};

// The structure tree (PDF/UA, PDF/A-2a): one StructElem per layout element, their marked
// content by page and MCID, the parent tree that maps each page's MCIDs back to elements.
void addStructure(PdfMemDocument& doc, const LayoutResult& layout, const std::vector<PdfReference>& pages,
    const std::vector<std::vector<MarkedRef>>& content, const std::vector<std::vector<int>>& pageMcids)
{
    PdfVecObjects& objects = doc.GetObjects();
    PdfDictionary& catalog = doc.GetCatalog()->GetDictionary();
    PdfObject* root = objects.CreateObject("StructTreeRoot");
    const auto& elements = layout.structure;
    std::vector<PdfObject*> objs(elements.size());
    for (std::size_t i = 0; i < elements.size(); ++i)
        objs[i] = objects.CreateObject(); // /Type /StructElem is optional: most of the file's objects
    std::vector<std::vector<std::size_t>> children(elements.size());
    std::vector<std::size_t> top;
    for (std::size_t i = 0; i < elements.size(); ++i) {
        if (elements[i].parent >= 0)
            children[static_cast<std::size_t>(elements[i].parent)].push_back(i);
        else
            top.push_back(i);
    }
    for (std::size_t i = 0; i < elements.size(); ++i) {
        PdfDictionary& d = objs[i]->GetDictionary();
        d.AddKey("S", PdfName(toString(elements[i].tag)));
        d.AddKey("P",
            elements[i].parent >= 0 ? objs[static_cast<std::size_t>(elements[i].parent)]->Reference()
                                    : root->Reference());
        PdfArray kids;
        for (std::size_t c : children[i])
            kids.push_back(objs[c]->Reference());
        // Marked content on the element's own page (/Pg) is a plain MCID; a marked-content
        // reference dictionary only for the part of an element on another page (a split cell).
        // One dictionary per MCID was a tenth of a long document's writing time.
        if (!content[i].empty())
            d.AddKey("Pg", pages[content[i].front().page]);
        for (const MarkedRef& m : content[i]) {
            if (m.page == content[i].front().page) {
                kids.push_back(PdfVariant(static_cast<pdf_int64>(m.mcid)));
                continue;
            }
            PdfDictionary mcr;
            mcr.AddKey("Type", PdfName("MCR"));
            mcr.AddKey("Pg", pages[m.page]);
            mcr.AddKey("MCID", static_cast<pdf_int64>(m.mcid));
            kids.push_back(mcr);
        }
        // Most elements are one marked-content sequence: /K is then the MCID itself.
        if (kids.size() == 1 && kids.front().IsNumber())
            d.AddKey("K", kids.front());
        else
            d.AddKey("K", kids);
        if (elements[i].tag == StructTag::TH) {
            PdfDictionary attributes;
            attributes.AddKey("O", PdfName("Table"));
            attributes.AddKey("Scope", PdfName("Column"));
            d.AddKey("A", attributes);
        }
    }
    PdfArray rootKids;
    for (std::size_t i : top)
        rootKids.push_back(objs[i]->Reference());
    root->GetDictionary().AddKey("K", rootKids);
    PdfArray nums;
    for (std::size_t p = 0; p < pages.size(); ++p) {
        PdfArray refs;
        for (int e : pageMcids[p])
            refs.push_back(objs[static_cast<std::size_t>(e)]->Reference());
        PdfObject* list = objects.CreateObject(refs);
        nums.push_back(PdfVariant(static_cast<pdf_int64>(p)));
        nums.push_back(list->Reference());
        PdfObject* pageObj = objects.GetObject(pages[p]);
        pageObj->GetDictionary().AddKey("StructParents", static_cast<pdf_int64>(p));
        pageObj->GetDictionary().AddKey("Tabs", PdfName("S"));
    }
    PdfDictionary parentTree;
    parentTree.AddKey("Nums", nums);
    PdfObject* parentTreeObj = objects.CreateObject(parentTree);
    root->GetDictionary().AddKey("ParentTree", parentTreeObj->Reference());
    root->GetDictionary().AddKey("ParentTreeNextKey", static_cast<pdf_int64>(pages.size()));
    catalog.AddKey("StructTreeRoot", root->Reference());
    PdfDictionary markInfo;
    markInfo.AddKey("Marked", PdfVariant(true));
    catalog.AddKey("MarkInfo", markInfo);
}

// Bookmarks: sections at the top level, subsections under the section before them.
void addOutlines(PdfMemDocument& doc, const LayoutResult& layout, const std::vector<PdfReference>& pages)
{
    if (layout.bookmarks.empty())
        return;
    PdfVecObjects& objects = doc.GetObjects();
    PdfObject* outlines = objects.CreateObject("Outlines");
    struct Node {
        PdfObject* obj;
        std::vector<PdfObject*> kids;
    };
    std::vector<Node> sections;
    for (const Bookmark& b : layout.bookmarks) {
        PdfObject* item = objects.CreateObject();
        PdfDictionary& d = item->GetDictionary();
        d.AddKey("Title", utf8String(b.title));
        PdfArray dest;
        dest.push_back(pages[b.page]);
        dest.push_back(PdfName("XYZ"));
        dest.push_back(PdfVariant(layout.geometry.marginLeft));
        dest.push_back(PdfVariant(layout.geometry.height - b.y + 4));
        dest.push_back(PdfVariant(0.0));
        d.AddKey("Dest", dest);
        if (b.level >= 2 && !sections.empty())
            sections.back().kids.push_back(item);
        else
            sections.push_back(Node { item, {} });
    }
    auto link = [](PdfObject* parent, const std::vector<PdfObject*>& items) {
        for (std::size_t i = 0; i < items.size(); ++i) {
            PdfDictionary& d = items[i]->GetDictionary();
            d.AddKey("Parent", parent->Reference());
            if (i > 0)
                d.AddKey("Prev", items[i - 1]->Reference());
            if (i + 1 < items.size())
                d.AddKey("Next", items[i + 1]->Reference());
        }
        if (items.empty())
            return;
        parent->GetDictionary().AddKey("First", items.front()->Reference());
        parent->GetDictionary().AddKey("Last", items.back()->Reference());
    };
    std::vector<PdfObject*> topItems;
    std::size_t total = 0;
    for (auto& s : sections) {
        topItems.push_back(s.obj);
        link(s.obj, s.kids);
        if (!s.kids.empty()) // negative: closed, so the list opens as a table of contents
            s.obj->GetDictionary().AddKey("Count", -static_cast<pdf_int64>(s.kids.size()));
        total += 1;
    }
    link(outlines, topItems);
    outlines->GetDictionary().AddKey("Count", static_cast<pdf_int64>(total));
    PdfDictionary& catalog = doc.GetCatalog()->GetDictionary();
    catalog.AddKey("Outlines", outlines->Reference());
    catalog.AddKey("PageMode", PdfName("UseOutlines"));
}

std::string writeWithPoDoFo(const LayoutResult& layout, FontMetrics& fonts, const PdfMetadata& meta,
    std::vector<std::string>* warnings)
{
    const Dates dates = formatDates(documentTime(meta));
    PdfMemDocument doc;
    doc.SetPdfVersion(ePdfVersion_1_7);
    FontTable table(doc, fonts);
    const double height = layout.geometry.height;
    std::vector<PdfReference> pdfPages; // PoDoFo may drop its PdfPage objects; references stay
    std::vector<std::vector<MarkedRef>> marked(layout.structure.size());
    std::vector<std::vector<int>> pageMcids;
    for (const Page& page : layout.pages) {
        PdfPage* pdfPage = doc.CreatePage(PdfRect(0, 0, layout.geometry.width, height));
        pdfPages.push_back(pdfPage->GetObject()->Reference());
        pageMcids.emplace_back();
        ContentWriter content;
        std::set<PdfFont*> pageFonts;
        constexpr int None = -2; // no marked content open; -1 = an artifact is open
        int open = None;
        auto newMcid = [&](int elem) {
            const int mcid = static_cast<int>(pageMcids.back().size());
            pageMcids.back().push_back(elem);
            marked[static_cast<std::size_t>(elem)].push_back(MarkedRef { pdfPages.size() - 1, mcid });
            return mcid;
        };
        auto mark = [&](int elem) {
            if (elem == open)
                return;
            if (open != None)
                content.end();
            open = elem;
            if (elem < 0)
                content.beginArtifact();
            else
                content.beginElement(
                    toString(layout.structure[static_cast<std::size_t>(elem)].tag), newMcid(elem));
        };
        for (const DisplayItem& item : page.items) {
            if (const auto* text = std::get_if<TextItem>(&item)) {
                const bool addedHyphen = text->hyphen && text->element >= 0;
                if (addedHyphen) {
                    if (open != None)
                        content.end();
                    open = None;
                    content.beginAddedHyphen(newMcid(text->element));
                } else {
                    mark(text->element);
                }
                PdfFont* font = table.get(text->face);
                pageFonts.insert(font);
                const PdfString string = utf8String(text->text);
                // What PdfPainter::DrawText does: note the glyphs for the subset, write glyph ids.
                if (font->IsSubsetting())
                    font->AddUsedSubsettingGlyphs(string, string.GetCharacterLength());
                const PdfRefCountedBuffer encoded = font->GetEncoding()->ConvertToEncoding(string, font);
                // Glyph 0 is .notdef, an empty box on paper: say so rather than print it silently.
                for (std::size_t i = 0; warnings && i + 1 < encoded.GetSize(); i += 2)
                    if (encoded.GetBuffer()[i] == 0 && encoded.GetBuffer()[i + 1] == 0) {
                        warnings->push_back("the font " + fonts.face(text->face).family
                            + " has no glyph for a letter in \"" + text->text + "\"");
                        break;
                    }
                content.text(font->GetIdentifier().GetName(), text->size, text->x, height - text->y,
                    text->color, encoded.GetBuffer(), encoded.GetSize());
                if (addedHyphen)
                    content.end();
            } else if (const auto* line = std::get_if<LineItem>(&item)) {
                mark(-1); // rules and fills are decoration
                content.line(
                    line->x1, height - line->y1, line->x2, height - line->y2, line->width, line->color);
            } else if (const auto* rect = std::get_if<RectItem>(&item)) {
                mark(-1);
                content.rect(rect->x, height - rect->y - rect->h, rect->w, rect->h, rect->fill);
            }
        }
        for (PdfFont* font : pageFonts)
            pdfPage->AddResource(font->GetIdentifier(), font->GetObject()->Reference(), PdfName("Font"));
        if (open != None)
            content.end();
        const std::string& ops = content.finish();
        setDeflatedStream(pdfPage->GetContentsForAppending(), deflated(ops));
    }
    {
        const UnfilteredStreams unfiltered;
        doc.EmbedSubsetFonts();
    }
    for (PdfFont* font : table.all()) {
        compressFontStreams(doc.GetObjects(), font);
        rewriteWidths(doc.GetObjects(), font);
    }
    setInfo(doc, meta, dates);
    addPdfA(doc, meta, dates);
    addStructure(doc, layout, pdfPages, marked, pageMcids);
    addOutlines(doc, layout, pdfPages);

    return pdfFileBytes(doc);
}

} // namespace

std::string writePdf(const LayoutResult& layout, FontMetrics& fonts, const PdfMetadata& metadata,
    std::vector<std::string>* warnings)
{
    try {
        return writeWithPoDoFo(layout, fonts, metadata, warnings);
    } catch (const PdfError& e) {
        throw Error(
            ErrorCode::Internal, std::string("PDF writing failed: ") + PdfError::ErrorMessage(e.GetError()));
    }
}

RenderedPdf renderPdf(const RenderDocument& doc, FontMetrics& fonts)
{
    LayoutResult layout = layoutDocument(doc, fonts);
    PdfMetadata meta;
    meta.title = doc.title.documentTitle;
    if (!doc.title.family.empty())
        meta.title += (meta.title.empty() ? "" : " – ") + doc.title.family;
    meta.author = doc.author.empty() ? doc.title.municipality : doc.author;
    meta.subject = doc.subject.empty() ? doc.title.versionText : doc.subject;
    RenderedPdf out;
    out.warnings = std::move(layout.warnings);
    out.bytes = writePdf(layout, fonts, meta, &out.warnings);
    out.pageCount = layout.pages.size();
    return out;
}

} // namespace fplan::docgen
