// SPDX-License-Identifier: EUPL-1.2
#include "xml/safe_xml.h"

#include "base/error.h"
#include "base/limits.h"

#include <libxml/SAX2.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/uri.h>
#include <libxml/xmlIO.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlschemas.h>

#include <climits>
#include <fstream>
#include <mutex>
#include <optional>

namespace fplan::xml {

namespace {

namespace fs = std::filesystem;

[[noreturn]] void fail(const std::string& origin, long line, const std::string& reason)
{
    throw Error(ErrorCode::BadInput, origin + ":" + std::to_string(line < 1 ? 1 : line) + ": " + reason);
}

std::string trimmed(const char* message)
{
    std::string text = message ? message : "";
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' '))
        text.pop_back();
    return text;
}

// What one parse saw; thread-local because libxml2's callbacks run on the parsing thread.
struct ParseState {
    bool doctype = false;
    long doctypeLine = 0;
    std::string error;
    long errorLine = 0;
};
thread_local ParseState* t_parse = nullptr;

// Which folder a schema being loaded may read its imports from; unset means "read nothing".
struct SchemaScope {
    fs::path folder;
    std::size_t maxBytes = 0;
    std::vector<std::string>* errors = nullptr;
};
thread_local SchemaScope* t_schema = nullptr;

void onInternalSubset(void* ctx, const xmlChar*, const xmlChar*, const xmlChar*)
{
    auto* ctxt = static_cast<xmlParserCtxtPtr>(ctx);
    if (t_parse && !t_parse->doctype) {
        t_parse->doctype = true;
        t_parse->doctypeLine = xmlSAX2GetLineNumber(ctxt);
    }
    xmlStopParser(ctxt);
}

void onParseError(void*, xmlErrorPtr error)
{
    if (!t_parse || !error || error->level < XML_ERR_ERROR || !t_parse->error.empty())
        return;
    t_parse->error = trimmed(error->message);
    t_parse->errorLine = error->line;
}

bool isInside(const fs::path& file, const fs::path& folder)
{
    auto f = file.begin();
    for (auto d = folder.begin(); d != folder.end(); ++d, ++f) {
        if (d->empty() && std::next(d) == folder.end())
            break; // a trailing separator
        if (f == file.end() || *f != *d)
            return false;
    }
    return f != file.end();
}

std::optional<std::string> readCapped(const fs::path& path, std::size_t maxBytes, std::string& why)
{
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) {
        why = "not a regular file";
        return std::nullopt;
    }
    const auto size = fs::file_size(path, ec);
    if (ec) {
        why = "cannot read its size";
        return std::nullopt;
    }
    if (size > maxBytes) {
        why = "file is " + std::to_string(size) + " bytes, more than the limit of "
            + std::to_string(maxBytes);
        return std::nullopt;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        why = "cannot open it";
        return std::nullopt;
    }
    std::string bytes(static_cast<std::size_t>(size), '\0');
    in.read(bytes.data(), static_cast<std::streamsize>(size));
    bytes.resize(static_cast<std::size_t>(in.gcount()));
    if (in.peek() != std::char_traits<char>::eof()) {
        why = "file grew while being read";
        return std::nullopt;
    }
    return bytes;
}

// The one loader for the whole process: refuses everything, except a schema's sibling files
// while that schema is being loaded (each one checked by the safe parser first).
xmlParserInputPtr denyingLoader(const char* url, const char*, xmlParserCtxtPtr ctxt)
{
    if (!t_schema || !url || !ctxt)
        return nullptr;
    std::string location = url;
    if (location.rfind("file://", 0) == 0) {
        char* unescaped = xmlURIUnescapeString(location.c_str() + 7, 0, nullptr);
        location = unescaped ? unescaped : "";
        xmlFree(unescaped);
    }
    const auto refuse = [&](const std::string& why) -> xmlParserInputPtr {
        if (t_schema->errors)
            t_schema->errors->push_back(std::string(url) + ":1: " + why);
        return nullptr;
    };
    if (location.empty() || location.find("://") != std::string::npos || location[0] != '/')
        return refuse("refused to load: only files next to the schema may be imported");
    std::error_code ec;
    const fs::path file = fs::weakly_canonical(location, ec);
    if (ec || !isInside(file, t_schema->folder))
        return refuse("refused to load: outside the schema's folder " + t_schema->folder.string());
    std::string why;
    auto bytes = readCapped(file, t_schema->maxBytes, why);
    if (!bytes)
        return refuse(why);
    try {
        // Only to check it: no DOCTYPE, well-formed. libxml2 parses it again from these bytes.
        parseXmlSafely(*bytes, file.string(), t_schema->maxBytes);
    } catch (const Error& e) {
        if (t_schema->errors)
            t_schema->errors->push_back(e.what());
        return nullptr;
    }
    xmlParserInputBufferPtr buffer = xmlParserInputBufferCreateMem(
        bytes->data(), static_cast<int>(bytes->size()), XML_CHAR_ENCODING_NONE);
    if (!buffer)
        return nullptr;
    xmlParserInputPtr input = xmlNewIOInputStream(ctxt, buffer, XML_CHAR_ENCODING_NONE);
    if (!input) {
        xmlFreeParserInputBuffer(buffer);
        return nullptr;
    }
    input->filename = reinterpret_cast<const char*>(xmlStrdup(BAD_CAST file.c_str()));
    return input;
}

void ignoreGenericError(void*, const char*, ...) { }

// Some libxml2 errors (failed encoding conversion) bypass the parser's handler and go to the
// thread's generic handler, which prints to stderr; every problem is reported by exception instead.
class QuietGenericErrors {
public:
    QuietGenericErrors()
        : m_func(xmlGenericError)
        , m_context(xmlGenericErrorContext)
    {
        xmlSetGenericErrorFunc(nullptr, ignoreGenericError);
    }
    ~QuietGenericErrors() { xmlSetGenericErrorFunc(m_context, m_func); }
    QuietGenericErrors(const QuietGenericErrors&) = delete;
    QuietGenericErrors& operator=(const QuietGenericErrors&) = delete;

private:
    xmlGenericErrorFunc m_func;
    void* m_context;
};

template <typename T, void (*F)(T*)> struct Deleter {
    void operator()(T* p) const noexcept { F(p); }
};
using ParserCtxt = std::unique_ptr<xmlParserCtxt, Deleter<xmlParserCtxt, xmlFreeParserCtxt>>;
using SchemaParserCtxt
    = std::unique_ptr<xmlSchemaParserCtxt, Deleter<xmlSchemaParserCtxt, xmlSchemaFreeParserCtxt>>;
using SchemaValidCtxt
    = std::unique_ptr<xmlSchemaValidCtxt, Deleter<xmlSchemaValidCtxt, xmlSchemaFreeValidCtxt>>;

struct CollectedErrors {
    std::vector<std::string>* lines;
    std::string origin; // used when libxml2 names no file, or names `replaced`
    std::string replaced; // the absolute path libxml2 knows the main file by
};

void collectError(void* data, xmlErrorPtr error)
{
    auto* sink = static_cast<CollectedErrors*>(data);
    if (!sink || !error || error->level < XML_ERR_ERROR)
        return;
    std::string file = error->file ? error->file : "";
    if (file.empty() || file == sink->replaced)
        file = sink->origin;
    sink->lines->push_back(
        file + ":" + std::to_string(error->line < 1 ? 1 : error->line) + ": " + trimmed(error->message));
}

// Counts attributes per element and the nesting of elements in one linear pass, before libxml2
// sees the bytes: its duplicate-attribute check is quadratic (60,000 attributes hang it), and
// deep nesting makes every later walk over the tree expensive.
void checkShape(std::string_view bytes, const std::string& origin)
{
    std::size_t depth = 0;
    long line = 1;
    auto skipTo = [&](std::size_t& i, std::string_view end) {
        const auto at = bytes.find(end, i);
        const std::size_t stop = at == std::string_view::npos ? bytes.size() : at + end.size();
        for (; i < stop; ++i)
            if (bytes[i] == '\n')
                ++line;
    };
    for (std::size_t i = 0; i < bytes.size();) {
        const char c = bytes[i];
        if (c == '\n')
            ++line;
        if (c != '<') {
            ++i;
            continue;
        }
        const std::string_view rest = bytes.substr(i);
        if (rest.rfind("<!--", 0) == 0) {
            skipTo(i, "-->");
        } else if (rest.rfind("<![CDATA[", 0) == 0) {
            skipTo(i, "]]>");
        } else if (rest.rfind("<?", 0) == 0) {
            skipTo(i, "?>");
        } else if (rest.rfind("<!", 0) == 0) {
            skipTo(i, ">");
        } else if (rest.rfind("</", 0) == 0) {
            if (depth > 0)
                --depth;
            skipTo(i, ">");
        } else {
            const long tagLine = line;
            std::size_t attributes = 0;
            char quote = 0;
            bool selfClosing = false;
            for (++i; i < bytes.size(); ++i) {
                const char t = bytes[i];
                if (t == '\n')
                    ++line;
                if (quote) {
                    if (t == quote)
                        quote = 0;
                } else if (t == '"' || t == '\'') {
                    quote = t;
                } else if (t == '=') {
                    ++attributes;
                } else if (t == '>') {
                    selfClosing = bytes[i - 1] == '/';
                    ++i;
                    break;
                }
            }
            if (attributes > limits::XmlAttributesPerElement)
                fail(origin, tagLine,
                    "an element with more than " + std::to_string(limits::XmlAttributesPerElement)
                        + " attributes (limit)");
            if (!selfClosing && ++depth > limits::XmlDepth)
                fail(origin, tagLine,
                    "elements nested deeper than " + std::to_string(limits::XmlDepth) + " levels (limit)");
        }
    }
}

} // namespace

void installSafeXmlDefaults()
{
    static std::once_flag once;
    std::call_once(once, [] {
        xmlInitParser();
        xmlSetExternalEntityLoader(denyingLoader);
    });
}

XmlDocument::XmlDocument(_xmlDoc* doc, std::string origin)
    : m_doc(doc)
    , m_origin(std::move(origin))
{
}
XmlDocument::~XmlDocument() = default;
void XmlDocument::Free::operator()(_xmlDoc* doc) const noexcept
{
    xmlFreeDoc(doc);
}

XmlSchema::XmlSchema(_xmlSchema* schema, XmlDocument source, std::string origin)
    : m_source(std::move(source))
    , m_schema(schema)
    , m_origin(std::move(origin))
{
}
XmlSchema::~XmlSchema() = default;
void XmlSchema::Free::operator()(_xmlSchema* schema) const noexcept
{
    xmlSchemaFree(schema);
}

XmlDocument parseXmlSafely(std::string_view bytes, const std::string& origin, std::size_t maxBytes)
{
    installSafeXmlDefaults();
    if (bytes.size() > maxBytes || bytes.size() > static_cast<std::size_t>(INT_MAX))
        fail(origin, 1,
            "document is " + std::to_string(bytes.size()) + " bytes, more than the limit of "
                + std::to_string(maxBytes));
    checkShape(bytes, origin);
    ParserCtxt ctxt(xmlNewParserCtxt());
    if (!ctxt || !ctxt->sax)
        throw Error(ErrorCode::Internal, origin + ": cannot create an XML parser");
    ctxt->sax->internalSubset = onInternalSubset;
    ctxt->sax->serror = onParseError;

    const QuietGenericErrors quiet;
    ParseState state;
    ParseState* const outer = t_parse;
    t_parse = &state;
    XmlDocument doc(xmlCtxtReadMemory(ctxt.get(), bytes.data(), static_cast<int>(bytes.size()),
                        origin.c_str(), nullptr, XML_PARSE_NONET),
        origin);
    t_parse = outer;

    if (state.doctype)
        fail(origin, state.doctypeLine,
            "DOCTYPE declarations are not allowed (no DTDs, no entity declarations)");
    // xmlStopParser leaves wellFormed set, so errNo is checked as well.
    if (!doc || !ctxt->wellFormed || ctxt->errNo == XML_ERR_USER_STOP || !state.error.empty()) {
        if (!state.error.empty())
            fail(origin, state.errorLine, state.error);
        const xmlError* last = &ctxt->lastError;
        fail(origin, last->line, last->message ? trimmed(last->message) : "not well-formed XML");
    }
    if (!xmlDocGetRootElement(doc.get()))
        fail(origin, 1, "no root element");
    return doc;
}

std::string readXmlFileSafely(const std::filesystem::path& path, std::size_t maxBytes)
{
    std::error_code ec;
    if (!fs::exists(path, ec))
        throw Error(ErrorCode::NotFound, path.string() + ": no such file");
    std::string why;
    auto bytes = readCapped(path, maxBytes, why);
    if (!bytes)
        fail(path.string(), 1, why);
    return std::move(*bytes);
}

XmlDocument parseXmlFileSafely(const std::filesystem::path& path, std::size_t maxBytes)
{
    return parseXmlSafely(readXmlFileSafely(path, maxBytes), path.string(), maxBytes);
}

XmlSchema loadSchemaSafely(const std::filesystem::path& path, std::size_t maxBytes)
{
    XmlDocument doc = parseXmlFileSafely(path, maxBytes);
    std::error_code ec;
    const fs::path absolute = fs::weakly_canonical(fs::absolute(path, ec), ec);
    // The schema parser resolves relative schemaLocations against the document's URL.
    xmlFree(const_cast<xmlChar*>(doc.get()->URL));
    doc.get()->URL = xmlStrdup(BAD_CAST absolute.c_str());

    const QuietGenericErrors quiet;
    std::vector<std::string> errors;
    CollectedErrors sink { &errors, path.string(), absolute.string() };
    SchemaScope scope { absolute.parent_path(), maxBytes, &errors };
    SchemaScope* const outer = t_schema;
    t_schema = &scope;
    SchemaParserCtxt pctxt(xmlSchemaNewDocParserCtxt(doc.get()));
    _xmlSchema* schema = nullptr;
    if (pctxt) {
        xmlSchemaSetParserStructuredErrors(pctxt.get(), collectError, &sink);
        schema = xmlSchemaParse(pctxt.get());
    }
    t_schema = outer;
    XmlSchema result(schema, std::move(doc), path.string());
    if (!result || !errors.empty()) {
        std::string message = errors.empty() ? path.string() + ":1: not a usable XML schema" : errors.front();
        if (errors.size() > 1)
            message += " (and " + std::to_string(errors.size() - 1) + " more)";
        throw Error(ErrorCode::BadInput, message);
    }
    return result;
}

std::vector<std::string> validateAgainst(const XmlSchema& schema, const XmlDocument& document)
{
    std::vector<std::string> lines;
    if (!schema || !document)
        throw Error(ErrorCode::Internal, "validateAgainst: empty schema or document");
    SchemaValidCtxt vctxt(xmlSchemaNewValidCtxt(schema.get()));
    if (!vctxt)
        throw Error(ErrorCode::Internal, schema.origin() + ": cannot create a validation context");
    const QuietGenericErrors quiet;
    const char* url = reinterpret_cast<const char*>(document.get()->URL);
    CollectedErrors sink { &lines, document.origin(), url ? url : "" };
    xmlSchemaSetValidStructuredErrors(vctxt.get(), collectError, &sink);
    const int rc = xmlSchemaValidateDoc(vctxt.get(), document.get());
    if (rc > 0 && lines.empty())
        lines.push_back(document.origin() + ":1: does not match " + schema.origin());
    else if (rc < 0)
        lines.push_back(document.origin() + ":1: internal error while validating against " + schema.origin());
    return lines;
}

} // namespace fplan::xml
