// SPDX-License-Identifier: EUPL-1.2
#include "docgen/render/pdf_file.h"

#include "base/error.h"
#include "crypto/hash.h"

#include <podofo/podofo.h>

#include <charconv>
#include <cstdio>
#include <string_view>
#include <tuple>
#include <vector>

namespace fplan::docgen {

namespace {

using namespace PoDoFo;

class FileWriter {
    static constexpr std::size_t IdDigits = 32; // hex digits of each /ID string

public:
    explicit FileWriter(PdfMemDocument& doc)
        : m_doc(doc)
        , m_strings(&m_stringBuffer)
    {
    }

    std::string write()
    {
        const char* version = m_doc.GetPdfVersion() == ePdfVersion_1_7 ? "1.7" : nullptr;
        if (!version)
            throw Error(ErrorCode::Internal, "the PDF writer writes PDF 1.7 only");
        // A comment of four bytes above 127 right after the header: the file is binary (PDF/A).
        m_out.append("%PDF-").append(version).append("\n%\xE2\xE3\xCF\xD3\n");

        std::vector<std::size_t> offsets(1, 0); // by object number; 0: not in use (as object 0)
        std::vector<unsigned> generations(1, 0);
        for (PdfObject* object : m_doc.GetObjects()) {
            const PdfReference& ref = object->Reference();
            const std::size_t number = ref.ObjectNumber();
            if (number >= offsets.size()) {
                offsets.resize(number + 1, 0);
                generations.resize(number + 1, 0);
            }
            offsets[number] = m_out.size();
            generations[number] = ref.GenerationNumber();
            writeObject(*object);
        }

        const std::size_t xref = m_out.size();
        m_out.append("xref\n0 ").append(decimal(static_cast<long long>(offsets.size()))).append("\n");
        // Free entries form a list from entry 0, each naming the next free number (0 ends it).
        std::size_t nextFree = 0;
        std::vector<std::size_t> freeNext(offsets.size(), 0);
        for (std::size_t n = offsets.size(); n-- > 0;)
            if (n == 0 || offsets[n] == 0) {
                freeNext[n] = nextFree;
                nextFree = n;
            }
        for (std::size_t n = 0; n < offsets.size(); ++n) {
            char entry[21];
            const bool inUse = n != 0 && offsets[n] != 0;
            std::snprintf(entry, sizeof entry, "%010zu %05u %c \n", inUse ? offsets[n] : freeNext[n],
                inUse ? generations[n] : (n == 0 ? 65535u : 1u), inUse ? 'n' : 'f');
            m_out.append(entry, 20);
        }

        m_out.append("trailer\n<</ID[<");
        const std::size_t firstId = m_out.size();
        m_out.append(IdDigits, '0').append("><");
        const std::size_t secondId = m_out.size();
        m_out.append(IdDigits, '0').append(">]");
        const PdfDictionary& trailer = m_doc.GetTrailer()->GetDictionary();
        for (const char* key : { "Info", "Root" }) {
            const PdfObject* value = trailer.GetKey(key);
            if (!value || !value->IsReference())
                throw Error(ErrorCode::Internal, std::string("the PDF trailer has no /") + key);
            m_out.append("/").append(key).append(" ");
            writeReference(value->GetReference());
        }
        m_out.append("/Size ").append(decimal(static_cast<long long>(offsets.size()))).append(">>\n");
        m_out.append("startxref\n").append(decimal(static_cast<long long>(xref))).append("\n%%EOF\n");
        // The /ID is a digest of the file written with zeros in its place: equal documents get
        // equal bytes. Both IDs are the same, as PDF 32000 allows for a file never updated.
        const auto digest = crypto::digest128(m_out);
        static_assert(IdDigits == 2 * std::tuple_size_v<decltype(digest)>);
        static const char* hex = "0123456789ABCDEF";
        for (const std::size_t at : { firstId, secondId })
            for (std::size_t i = 0; i < digest.size(); ++i) {
                m_out[at + 2 * i] = hex[digest[i] >> 4];
                m_out[at + 2 * i + 1] = hex[digest[i] & 0xF];
            }
        return std::move(m_out);
    }

private:
    static std::string decimal(long long n)
    {
        char buffer[24];
        const auto end = std::to_chars(buffer, buffer + sizeof buffer, n).ptr;
        return std::string(buffer, end);
    }

    void writeObject(PdfObject& object)
    {
        const PdfReference& ref = object.Reference();
        m_out.append(decimal(ref.ObjectNumber())).append(" ").append(decimal(ref.GenerationNumber()));
        m_out.append(" obj\n");
        const PdfMemStream* stream = nullptr;
        if (object.HasStream()) {
            stream = dynamic_cast<const PdfMemStream*>(object.GetStream());
            if (!stream)
                throw Error(ErrorCode::Internal, "a PDF stream is not held in memory");
            object.GetDictionary().AddKey(PdfName::KeyLength, static_cast<pdf_int64>(stream->GetLength()));
        }
        writeValue(object);
        m_out.append("\n");
        if (stream) {
            m_out.append("stream\n");
            m_out.append(stream->Get(), static_cast<std::size_t>(stream->GetLength()));
            m_out.append("\nendstream\n");
        }
        m_out.append("endobj\n");
    }

    void writeReference(const PdfReference& ref)
    {
        m_out.append(decimal(ref.ObjectNumber())).append(" ").append(decimal(ref.GenerationNumber()));
        m_out.append(" R");
    }

    // A name with every byte outside the regular characters as #XX (PDF 32000, 7.3.5).
    void writeName(const std::string& name)
    {
        static const char* hex = "0123456789ABCDEF";
        m_out += '/';
        for (const char c : name) {
            const auto b = static_cast<unsigned char>(c);
            if (b < 33 || b > 126 || std::string_view("#()<>[]{}/%").find(c) != std::string_view::npos) {
                m_out += '#';
                m_out += hex[b >> 4];
                m_out += hex[b & 0xF];
            } else {
                m_out += c;
            }
        }
    }

    // Fixed notation with at most six decimals and no trailing zeros, as PoDoFo's compact form.
    void writeReal(double value)
    {
        char buffer[64];
        const auto result = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed, 6);
        if (result.ec != std::errc())
            throw Error(ErrorCode::Internal, "a PDF number is out of range");
        std::string_view text(buffer, static_cast<std::size_t>(result.ptr - buffer));
        if (text.find('.') != std::string_view::npos) {
            while (text.back() == '0')
                text.remove_suffix(1);
            if (text.back() == '.')
                text.remove_suffix(1);
        }
        if (text == "-0" || text.empty())
            text = "0";
        m_out.append(text);
    }

    // Whether a value written after a name or another value needs a space to stay apart from it.
    static bool delimited(const PdfVariant& value)
    {
        switch (value.GetDataType()) {
        case ePdfDataType_Name:
        case ePdfDataType_Array:
        case ePdfDataType_Dictionary:
        case ePdfDataType_String:
        case ePdfDataType_HexString:
            return true;
        default:
            return false;
        }
    }

    void writeValue(const PdfVariant& value)
    {
        switch (value.GetDataType()) {
        case ePdfDataType_Bool:
            m_out.append(value.GetBool() ? "true" : "false");
            return;
        case ePdfDataType_Number:
            m_out.append(decimal(value.GetNumber()));
            return;
        case ePdfDataType_Real:
            writeReal(value.GetReal());
            return;
        case ePdfDataType_Name:
            writeName(value.GetName().GetName());
            return;
        case ePdfDataType_Reference:
            writeReference(value.GetReference());
            return;
        case ePdfDataType_Null:
            m_out.append("null");
            return;
        case ePdfDataType_Array: {
            m_out += '[';
            bool first = true;
            for (const PdfObject& element : value.GetArray()) {
                if (!first && !delimited(element))
                    m_out += ' ';
                writeValue(element);
                first = false;
            }
            m_out += ']';
            return;
        }
        case ePdfDataType_Dictionary: {
            m_out.append("<<");
            const PdfDictionary& dict = value.GetDictionary();
            const PdfObject* type = dict.GetKey(PdfName::KeyType);
            if (type)
                writeEntry(PdfName::KeyType, *type);
            for (const auto& [key, entry] : dict.GetKeys())
                if (key != PdfName::KeyType)
                    writeEntry(key, *entry);
            m_out.append(">>");
            return;
        }
        default: // strings and raw data: PoDoFo's own escaping and encoding
            writeByPoDoFo(value);
            return;
        }
    }

    void writeEntry(const PdfName& key, const PdfObject& value)
    {
        writeName(key.GetName());
        if (!delimited(value))
            m_out += ' ';
        writeValue(value);
    }

    void writeByPoDoFo(const PdfVariant& value)
    {
        const std::size_t from = static_cast<std::size_t>(m_strings.Tell());
        value.Write(&m_strings, ePdfWriteMode_Compact, nullptr);
        const std::size_t to = static_cast<std::size_t>(m_strings.Tell());
        m_out.append(m_stringBuffer.GetBuffer() + from, to - from);
    }

    PdfMemDocument& m_doc;
    std::string m_out;
    PdfRefCountedBuffer m_stringBuffer;
    PdfOutputDevice m_strings;
};

} // namespace

std::string pdfFileBytes(PdfMemDocument& doc)
{
    return FileWriter(doc).write();
}

} // namespace fplan::docgen
