// SPDX-License-Identifier: EUPL-1.2
#include "docgen/render/pdf_writer.h"

#include "base/error.h"
#include "base/utf8.h"

#include <podofo/podofo.h>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <iterator>
#include <map>
#include <openssl/evp.h>
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

std::string xmlEscape(const std::string& s)
{
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        default:
            // XML 1.0 has no place for C0 controls other than tab and newlines.
            if (static_cast<unsigned char>(c) >= 0x20 || c == '\t' || c == '\n' || c == '\r')
                out += c;
        }
    }
    return out;
}

std::string xmpPacket(const PdfMetadata& meta, const Dates& dates)
{
    std::ostringstream x;
    x << "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
      << "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
      << " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
      << "  <rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n"
      << "   <dc:format>application/pdf</dc:format>\n"
      << "   <dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">" << xmlEscape(meta.title)
      << "</rdf:li></rdf:Alt></dc:title>\n";
    if (!meta.author.empty())
        x << "   <dc:creator><rdf:Seq><rdf:li>" << xmlEscape(meta.author)
          << "</rdf:li></rdf:Seq></dc:creator>\n";
    if (!meta.subject.empty())
        x << "   <dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">" << xmlEscape(meta.subject)
          << "</rdf:li></rdf:Alt></dc:description>\n";
    x << "   <dc:language><rdf:Bag><rdf:li>" << xmlEscape(meta.language)
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
        x << "   <pdf:Keywords>" << xmlEscape(meta.keywords) << "</pdf:Keywords>\n";
    x << "  </rdf:Description>\n"
      << "  <rdf:Description rdf:about=\"\" xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\">\n"
      << "   <pdfaid:part>2</pdfaid:part>\n"
      << "   <pdfaid:conformance>B</pdfaid:conformance>\n"
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

PdfObject* resolve(PdfVecObjects& objects, PdfObject* obj)
{
    while (obj && obj->IsReference())
        obj = objects.GetObject(obj->GetReference());
    return obj;
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

    const std::string& icc = iccProfile();
    PdfObject* profile = objects.CreateObject();
    profile->GetDictionary().AddKey("N", static_cast<pdf_int64>(3));
    profile->GetStream()->Set(icc.data(), static_cast<pdf_long>(icc.size()));
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

std::string sha256Hex(const std::string& bytes, std::size_t hexChars)
{
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr) != 1)
        throw Error(ErrorCode::Internal, "SHA-256 failed while making the PDF's /ID");
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned int i = 0; out.size() < hexChars; i = (i + 1) % length) {
        out += hex[digest[i] >> 4];
        out += hex[digest[i] & 0xF];
    }
    out.resize(hexChars);
    return out;
}

// PoDoFo derives /ID from the clock; replace it with a hash of the file, same length, so the
// cross-reference offsets stay right and equal documents get equal bytes.
void setContentId(std::string& pdf)
{
    const auto trailer = pdf.rfind("trailer");
    const auto idKey = pdf.find("/ID", trailer == std::string::npos ? 0 : trailer);
    if (idKey == std::string::npos)
        return;
    std::vector<std::pair<std::size_t, std::size_t>> spans; // hex strings inside [ ... ]
    std::size_t pos = pdf.find('[', idKey);
    const std::size_t end = pos == std::string::npos ? pos : pdf.find(']', pos);
    if (end == std::string::npos)
        return;
    while (true) {
        const auto open = pdf.find('<', pos);
        if (open == std::string::npos || open > end)
            break;
        const auto close = pdf.find('>', open);
        if (close == std::string::npos || close > end)
            break;
        spans.emplace_back(open + 1, close - open - 1);
        pos = close + 1;
    }
    for (const auto& [from, length] : spans)
        std::fill(pdf.begin() + static_cast<std::ptrdiff_t>(from),
            pdf.begin() + static_cast<std::ptrdiff_t>(from + length), '0');
    for (const auto& [from, length] : spans) {
        const std::string id = sha256Hex(pdf, length);
        pdf.replace(from, length, id);
    }
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

std::string writeWithPoDoFo(const LayoutResult& layout, FontMetrics& fonts, const PdfMetadata& meta,
    std::vector<std::string>* warnings)
{
    const Dates dates = formatDates(documentTime(meta));
    PdfMemDocument doc;
    doc.SetPdfVersion(ePdfVersion_1_7);
    FontTable table(doc, fonts);
    const double height = layout.geometry.height;
    for (const Page& page : layout.pages) {
        PdfPage* pdfPage = doc.CreatePage(PdfRect(0, 0, layout.geometry.width, height));
        ContentWriter content;
        std::set<PdfFont*> pageFonts;
        for (const DisplayItem& item : page.items) {
            if (const auto* text = std::get_if<TextItem>(&item)) {
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
            } else if (const auto* line = std::get_if<LineItem>(&item)) {
                content.line(
                    line->x1, height - line->y1, line->x2, height - line->y2, line->width, line->color);
            } else if (const auto* rect = std::get_if<RectItem>(&item)) {
                content.rect(rect->x, height - rect->y - rect->h, rect->w, rect->h, rect->fill);
            }
        }
        for (PdfFont* font : pageFonts)
            pdfPage->AddResource(font->GetIdentifier(), font->GetObject()->Reference(), PdfName("Font"));
        const std::string& ops = content.finish();
        pdfPage->GetContentsForAppending()->GetStream()->Set(ops.data(), static_cast<pdf_long>(ops.size()));
    }
    doc.EmbedSubsetFonts();
    for (PdfFont* font : table.all())
        rewriteWidths(doc.GetObjects(), font);
    setInfo(doc, meta, dates);
    addPdfA(doc, meta, dates);

    PdfRefCountedBuffer buffer;
    PdfOutputDevice device(&buffer);
    doc.Write(&device);
    std::string bytes(buffer.GetBuffer(), device.GetLength());
    setContentId(bytes);
    return bytes;
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
