// SPDX-License-Identifier: EUPL-1.2
#include "delivery/memo.h"

#include "base/error.h"
#include "base/paths.h"
#include "base/utf8.h"
#include "core/cpr.h"
#include "xml/safe_xml.h"

#include <libxml/tree.h>
#include <libxml/xmlmemory.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <ctime>
#include <mutex>
#include <openssl/evp.h>

namespace fplan::delivery {

namespace fs = std::filesystem;

namespace {

constexpr const char* MemoNs = "https://DigitalPost.dk/MeMo-1";
constexpr const char* KleNs = "http://kle-online.dk/";
constexpr const char* CaseSystem = "Familieplan";

[[noreturn]] void refuse(const std::string& why)
{
    throw Error(ErrorCode::BadInput, "cannot make a Digital Post message: " + why);
}

// Decodes UTF-8; nullopt on a malformed sequence (text for Digital Post is refused, not repaired).
std::optional<std::vector<char32_t>> codePoints(std::string_view s)
{
    std::vector<char32_t> out;
    for (std::size_t pos = 0; pos < s.size();) {
        const std::size_t start = pos;
        const char32_t cp = utf8::next(s, pos);
        // next() stands U+FFFD in for malformed bytes; only an encoded U+FFFD is real text.
        if (cp == utf8::Replacement && s.substr(start, 3) != "\xEF\xBF\xBD")
            return std::nullopt;
        out.push_back(cp);
    }
    return out;
}

bool isControl(char32_t cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F);
}

bool isSpecialSpace(char32_t cp)
{
    return cp == 0x00A0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200B) || cp == 0x2028 || cp == 0x2029
        || cp == 0x202F || cp == 0x205F || cp == 0x3000 || cp == 0xFEFF;
}

bool isForbidden(char32_t cp)
{
    switch (cp) {
    case '<':
    case '>':
    case ':':
    case '"':
    case '/':
    case '\\':
    case '|':
    case '?':
    case '*':
        return true;
    default:
        return false;
    }
}

std::string hexCodePoint(char32_t cp)
{
    static const char* digits = "0123456789ABCDEF";
    std::string s = "U+";
    for (int shift = 12; shift >= 0; shift -= 4)
        s += digits[(cp >> shift) & 0xF];
    return s;
}

bool endsWithPdf(std::string_view name)
{
    if (name.size() < 4)
        return false;
    std::string tail(name.substr(name.size() - 4));
    for (auto& c : tail)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return tail == ".pdf";
}

std::string base64(std::string_view bytes)
{
    static const char* table = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 2 < bytes.size(); i += 3) {
        const std::uint32_t n = (static_cast<unsigned char>(bytes[i]) << 16)
            | (static_cast<unsigned char>(bytes[i + 1]) << 8) | static_cast<unsigned char>(bytes[i + 2]);
        out += table[(n >> 18) & 63];
        out += table[(n >> 12) & 63];
        out += table[(n >> 6) & 63];
        out += table[n & 63];
    }
    if (i < bytes.size()) {
        std::uint32_t n = static_cast<unsigned char>(bytes[i]) << 16;
        if (i + 1 < bytes.size())
            n |= static_cast<unsigned char>(bytes[i + 1]) << 8;
        out += table[(n >> 18) & 63];
        out += table[(n >> 12) & 63];
        out += i + 1 < bytes.size() ? table[(n >> 6) & 63] : '=';
        out += '=';
    }
    return out;
}

std::string utcTimestamp(std::chrono::system_clock::time_point t)
{
    const std::time_t seconds = std::chrono::system_clock::to_time_t(t);
    std::tm tm {};
    gmtime_r(&seconds, &tm);
    std::array<char, 32> buf {};
    std::strftime(buf.data(), buf.size(), "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf.data();
}

bool allDigits(std::string_view s, std::size_t count)
{
    if (s.size() != count)
        return false;
    for (char c : s)
        if (c < '0' || c > '9')
            return false;
    return true;
}

// libxml2 refuses text nodes over 10 MB unless told XML_PARSE_HUGE, which the safe parser never
// sets; so a big message's base64 is checked here and replaced by a token before parsing.
constexpr std::size_t LargeTextBytes = 8 * 1024 * 1024;

bool isBase64Char(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
}

bool isXmlSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// `text` is xs:base64Binary as MeMo uses it: groups of four, '=' padding only at the end.
bool isBase64(std::string_view text)
{
    std::size_t count = 0, padding = 0;
    for (char c : text) {
        if (isXmlSpace(c))
            continue;
        if (c == '=') {
            ++padding;
        } else if (!isBase64Char(c) || padding > 0) {
            return false;
        }
        ++count;
    }
    return count % 4 == 0 && padding <= 2;
}

// The same document with every long <...:content> text replaced by "AAAA" plus its newlines,
// so that line numbers stay true. A content that is not base64 is reported instead.
std::string withSmallFileContents(
    std::string_view xml, const std::string& origin, std::vector<std::string>& problems)
{
    std::string out;
    out.reserve(1024 * 1024);
    std::size_t copied = 0;
    for (std::size_t pos = xml.find("content>"); pos != std::string_view::npos;
         pos = xml.find("content>", pos + 1)) {
        const std::size_t open = xml.rfind('<', pos);
        if (open == std::string_view::npos || open < copied)
            continue;
        const auto name = xml.substr(open + 1, pos - open - 1);
        if (!(name.empty()
                || (name.back() == ':' && name.find_first_of(" /<>=\"'") == std::string_view::npos)))
            continue; // </...content>, an attribute, or another element
        const std::size_t start = pos + std::string_view("content>").size();
        const std::size_t end = xml.find('<', start);
        if (end == std::string_view::npos)
            break;
        const auto text = xml.substr(start, end - start);
        if (text.size() < 1024 * 1024)
            continue;
        if (!isBase64(text)) {
            const auto line
                = 1 + std::count(xml.begin(), xml.begin() + static_cast<std::ptrdiff_t>(start), '\n');
            problems.push_back(origin + ":" + std::to_string(line) + ": the file content is not base64");
            return {};
        }
        out.append(xml.substr(copied, start - copied));
        out += "AAAA";
        out.append(static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')), '\n');
        copied = end;
    }
    out.append(xml.substr(copied));
    return out;
}

struct XmlFree {
    void operator()(xmlChar* p) const noexcept { xmlFree(p); }
};

const xmlChar* X(const char* s)
{
    return reinterpret_cast<const xmlChar*>(s);
}

// Adds <ns:name>text</ns:name>; xmlNewTextChild escapes the text.
xmlNodePtr child(xmlNodePtr parent, xmlNsPtr ns, const char* name, const std::string& text = {})
{
    xmlNodePtr node = text.empty() ? xmlNewChild(parent, ns, X(name), nullptr)
                                   : xmlNewTextChild(parent, ns, X(name), X(text.c_str()));
    if (!node)
        throw Error(ErrorCode::Internal, "out of memory while building a MeMo message");
    return node;
}

} // namespace

struct MemoSchema::Impl {
    xml::XmlSchema schema;
};

MemoSchema::MemoSchema(std::unique_ptr<Impl> impl)
    : m_impl(std::move(impl))
{
}
MemoSchema::MemoSchema(MemoSchema&&) noexcept = default;
MemoSchema::~MemoSchema() = default;

MemoSchema MemoSchema::load(const fs::path& entryXsd)
{
    auto impl = std::make_unique<Impl>();
    impl->schema = xml::loadSchemaSafely(entryXsd);
    return MemoSchema(std::move(impl));
}

const MemoSchema& MemoSchema::installed()
{
    // Compiling the nine XSD files takes a moment; once per process is enough.
    static std::once_flag once;
    static std::unique_ptr<MemoSchema> schema;
    std::call_once(
        once, [] { schema = std::make_unique<MemoSchema>(load(memoSchemaFolder() / "memo-1.2.xsd")); });
    return *schema;
}

std::vector<std::string> MemoSchema::validate(std::string_view xml, const std::string& origin) const
{
    const std::size_t cap = MaxMessageBytes;
    std::vector<std::string> problems;
    std::string shrunk;
    if (xml.size() > LargeTextBytes && xml.size() <= cap) {
        shrunk = withSmallFileContents(xml, origin, problems);
        if (!problems.empty())
            return problems;
        xml = shrunk;
    }
    try {
        const auto doc = xml::parseXmlSafely(xml, origin, cap);
        problems = xml::validateAgainst(m_impl->schema, doc);
    } catch (const Error& e) {
        problems.push_back(e.what());
    }
    return problems;
}

fs::path memoSchemaFolder()
{
    return findDataFolder(MemoSchemaFolder);
}

std::string memoMessageUuid(const std::string& docId, const std::string& versionId, const std::string& cpr)
{
    // Name-based like UUIDv5, but stamped as version 4: MeMo's memoUuidType admits only v4.
    // Keyed on the version's id, not its number: two concurrent "version 2"s are two messages.
    const std::string name
        = "familieplan/memo/" + docId + "/" + versionId + "/" + normaliseCpr(cpr).value_or(cpr);
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest {};
    unsigned int length = 0;
    if (!EVP_Digest(name.data(), name.size(), digest.data(), &length, EVP_sha256(), nullptr))
        throw Error(ErrorCode::Crypto, "SHA-256 failed while making a message UUID");
    digest[6] = static_cast<unsigned char>((digest[6] & 0x0F) | 0x40);
    digest[8] = static_cast<unsigned char>((digest[8] & 0x3F) | 0x80);
    static const char* hex = "0123456789abcdef";
    std::string uuid;
    for (int i = 0; i < 16; ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            uuid += '-';
        uuid += hex[digest[static_cast<std::size_t>(i)] >> 4];
        uuid += hex[digest[static_cast<std::size_t>(i)] & 0xF];
    }
    return uuid;
}

std::optional<std::string> fileNameProblem(std::string_view name)
{
    if (name.empty())
        return "the file name is empty";
    const auto cps = codePoints(name);
    if (!cps)
        return "the file name is not valid UTF-8";
    if (cps->size() > 256)
        return "the file name is longer than 256 characters";
    for (char32_t cp : *cps) {
        if (isForbidden(cp))
            return std::string("the file name contains '") + static_cast<char>(cp)
                + "' (not allowed: < > : \" / \\ | ? *)";
        if (isControl(cp))
            return "the file name contains a control character (" + hexCodePoint(cp) + ")";
        if (isSpecialSpace(cp))
            return "the file name contains a special space (" + hexCodePoint(cp) + "); use a plain space";
    }
    if (cps->front() == ' ' || cps->back() == ' ')
        return "the file name starts or ends with a space";
    if (!endsWithPdf(name))
        return "the file name does not end in .pdf";
    return std::nullopt;
}

std::string cleanFileName(std::string_view name)
{
    std::string out;
    const auto cps = codePoints(name);
    if (cps) {
        for (char32_t cp : *cps) {
            if (isControl(cp))
                continue;
            if (isForbidden(cp))
                cp = '-';
            else if (isSpecialSpace(cp))
                cp = ' ';
            if (cp == ' ' && (out.empty() || out.back() == ' '))
                continue;
            utf8::append(out, cp);
        }
    } else {
        for (char c : name) // not UTF-8: keep the plain ASCII letters
            if (static_cast<unsigned char>(c) >= 0x20 && static_cast<unsigned char>(c) < 0x7F
                && !isForbidden(static_cast<unsigned char>(c)))
                out += c;
    }
    while (!out.empty() && out.back() == ' ')
        out.pop_back();
    if (!endsWithPdf(out))
        out += ".pdf";
    if (out == ".pdf")
        out = "dokument.pdf";
    // 256 characters at most, keeping the extension; cut on a character boundary.
    if (auto all = codePoints(out); all && all->size() > 256) {
        std::string cut;
        for (std::size_t i = 0; i < 252; ++i)
            utf8::append(cut, (*all)[i]);
        while (!cut.empty() && cut.back() == ' ')
            cut.pop_back();
        out = cut + ".pdf";
    }
    return out;
}

MemoMessage buildMemoMessage(const MemoInput& in, const MemoSchema& schema)
{
    if (in.senderCvr.empty() || in.senderName.empty())
        refuse("no sender: set municipality.cvr and municipality.name (fplan config set)");
    if (!allDigits(in.senderCvr, 8))
        refuse("municipality.cvr '" + in.senderCvr + "' is not a CVR number (8 digits)");
    const auto cpr = checkCpr(in.recipientCpr);
    const auto normalised = normaliseCpr(in.recipientCpr);
    if (!cpr.valid || !normalised)
        refuse("the recipient's CPR number '" + in.recipientCpr + "' is invalid"
            + (cpr.reason.empty() ? std::string() : ": " + cpr.reason));
    if (auto problem = fileNameProblem(in.fileName))
        refuse(*problem + " ('" + in.fileName + "')");
    if (in.pdf.size() > MaxDocumentBytes)
        refuse("the document is " + std::to_string(in.pdf.size())
            + " bytes; Digital Post accepts at most 99.5 MB from a public sender");
    if (in.pdf.rfind("%PDF-", 0) != 0)
        refuse("the document is not a PDF");
    if (in.label.empty())
        refuse("the message has no title");
    const auto notification = codePoints(in.notification);
    if (!notification)
        refuse("the notification is not valid UTF-8");
    if (notification->size() > MaxNotificationChars)
        refuse("the notification is " + std::to_string(notification->size())
            + " characters; Digital Post shows at most 150");
    if (in.docId.empty() || in.version < 1 || in.versionId.empty())
        refuse("no finalised document version to send");
    // MeMo's text fields hold at most 256 characters, and XML only well-formed UTF-8 without
    // control characters.
    const std::pair<const char*, const std::string*> texts[] = { { "the title", &in.label },
        { "municipality.name", &in.senderName }, { "the journal number", &in.journalNumber },
        { "the KLE number", &in.kle }, { "the notification", &in.notification } };
    for (const auto& [what, text] : texts) {
        const auto cps = codePoints(*text);
        if (!cps)
            refuse(std::string(what) + " is not valid UTF-8");
        if (cps->size() > 256)
            refuse(std::string(what) + " is longer than 256 characters");
        for (char32_t cp : *cps)
            if (isControl(cp) && cp != '\n' && cp != '\t' && cp != '\r')
                refuse(std::string(what) + " contains a control character (" + hexCodePoint(cp) + ")");
    }

    MemoMessage message;
    message.uuid = memoMessageUuid(in.docId, in.versionId, *normalised);
    message.recipient = *normalised;
    message.versionId = in.versionId;

    xml::installSafeXmlDefaults();
    xmlDocPtr raw = xmlNewDoc(X("1.0"));
    if (!raw)
        throw Error(ErrorCode::Internal, "out of memory while building a MeMo message");
    xml::XmlDocument doc(raw, "MeMo message " + message.uuid);
    xmlNodePtr root = xmlNewDocNode(raw, nullptr, X("Message"), nullptr);
    xmlDocSetRootElement(raw, root);
    xmlNsPtr memo = xmlNewNs(root, X(MemoNs), X("memo"));
    xmlNsPtr kle = xmlNewNs(root, X(KleNs), X("kle"));
    xmlSetNs(root, memo);
    xmlNewProp(root, X("memoVersion"), X("1.2"));

    // Element order follows data/memo-xsd/Version1.2/MeMo_core.xsd (xs:sequence everywhere).
    xmlNodePtr header = child(root, memo, "MessageHeader");
    child(header, memo, "messageType", "DIGITALPOST");
    child(header, memo, "messageUUID", message.uuid);
    child(header, memo, "label", in.label);
    if (!in.notification.empty())
        child(header, memo, "notification", in.notification);
    xmlNodePtr sender = child(header, memo, "Sender");
    child(sender, memo, "senderID", in.senderCvr);
    child(sender, memo, "idType", "CVR");
    child(sender, memo, "label", in.senderName);
    xmlNodePtr recipient = child(header, memo, "Recipient");
    child(recipient, memo, "recipientID", *normalised);
    child(recipient, memo, "idType", "CPR");
    if (!in.journalNumber.empty() || !in.kle.empty()) {
        xmlNodePtr content = child(header, memo, "ContentData");
        if (!in.journalNumber.empty()) {
            xmlNodePtr caseId = child(content, memo, "CaseID");
            child(caseId, memo, "caseID", in.journalNumber);
            child(caseId, memo, "caseSystem", CaseSystem);
        }
        if (!in.kle.empty()) {
            xmlNodePtr kleData = child(content, kle, "KLEdata");
            child(kleData, kle, "subjectKey", in.kle);
            child(kleData, kle, "version", "KLE");
            // The journal number "27.24.00-G01-1-26" carries the handling facet after the KLE number.
            const std::string prefix = in.kle + "-";
            if (in.journalNumber.rfind(prefix, 0) == 0) {
                const auto rest = in.journalNumber.substr(prefix.size());
                const auto facet = rest.substr(0, rest.find('-'));
                if (!facet.empty())
                    child(kleData, kle, "activityFacet", facet);
            }
            child(kleData, kle, "label", in.kle);
        }
    }
    xmlNodePtr body = child(root, memo, "MessageBody");
    child(body, memo, "createdDateTime", utcTimestamp(in.created));
    xmlNodePtr main = child(body, memo, "MainDocument");
    child(main, memo, "label", in.label);
    xmlNodePtr file = child(main, memo, "File");
    child(file, memo, "encodingFormat", "application/pdf");
    child(file, memo, "filename", in.fileName);
    child(file, memo, "language", "da");
    child(file, memo, "content", base64(in.pdf));

    // Validated as the tree it is, so the size of the PDF never meets a parser limit.
    const auto problems = xml::validateAgainst(schema.impl().schema, doc);
    if (!problems.empty())
        throw Error(ErrorCode::Internal,
            "the MeMo message for " + *normalised + " does not validate: " + problems.front());

    xmlChar* bytes = nullptr;
    int size = 0;
    xmlDocDumpFormatMemoryEnc(raw, &bytes, &size, "UTF-8", 1);
    std::unique_ptr<xmlChar, XmlFree> owned(bytes);
    if (!bytes || size <= 0)
        throw Error(ErrorCode::Internal, "cannot write the MeMo message");
    message.xml.assign(reinterpret_cast<const char*>(bytes), static_cast<std::size_t>(size));
    return message;
}

std::string findMessageUuid(std::string_view xml)
{
    // Works on the text, so it also serves the SF1601 wrapper and the test receiver.
    const auto tag = xml.find("messageUUID>");
    if (tag == std::string_view::npos)
        return {};
    const auto start = tag + std::string_view("messageUUID>").size();
    const auto end = xml.find('<', start);
    if (end == std::string_view::npos || end - start != 36)
        return {};
    return std::string(xml.substr(start, 36));
}

} // namespace fplan::delivery
