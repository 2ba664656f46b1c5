// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

// libxml2's types stay out of this header; users that need the tree include libxml2 themselves.
struct _xmlDoc;
struct _xmlSchema;

namespace fplan::xml {

// Enough for any template or schema; callers reading bigger documents pass their own cap.
inline constexpr std::size_t DefaultMaxXmlBytes = 4 * 1024 * 1024;

// A parsed XML document in RAII; `origin` (the file name) prefixes every message about it.
class XmlDocument {
public:
    XmlDocument() = default;
    XmlDocument(_xmlDoc* doc, std::string origin);
    XmlDocument(XmlDocument&&) noexcept = default;
    XmlDocument& operator=(XmlDocument&&) noexcept = default;
    ~XmlDocument();

    _xmlDoc* get() const { return m_doc.get(); }
    const std::string& origin() const { return m_origin; }
    explicit operator bool() const { return m_doc != nullptr; }

private:
    struct Free {
        void operator()(_xmlDoc* doc) const noexcept;
    };
    std::unique_ptr<_xmlDoc, Free> m_doc;
    std::string m_origin;
};

// A compiled XSD in RAII.
class XmlSchema {
public:
    XmlSchema() = default;
    XmlSchema(_xmlSchema* schema, XmlDocument source, std::string origin);
    XmlSchema(XmlSchema&&) noexcept = default;
    XmlSchema& operator=(XmlSchema&&) noexcept = default;
    ~XmlSchema();

    _xmlSchema* get() const { return m_schema.get(); }
    const std::string& origin() const { return m_origin; }
    explicit operator bool() const { return m_schema != nullptr; }

private:
    struct Free {
        void operator()(_xmlSchema* schema) const noexcept;
    };
    XmlDocument m_source; // the schema's own tree, which the compiled schema may point into
    std::unique_ptr<_xmlSchema, Free> m_schema; // declared after its tree: freed first
    std::string m_origin;
};

// Parses XML that did not come from the build itself: no DOCTYPE (so no entities, no external
// DTD), no external entity of any kind, no network, at most `maxBytes`. Any problem throws
// Error(BadInput, "ORIGIN:LINE: reason").
XmlDocument parseXmlSafely(
    std::string_view bytes, const std::string& origin, std::size_t maxBytes = DefaultMaxXmlBytes);
// The same for a file; the size is checked before a byte is read. A missing file is NotFound.
XmlDocument parseXmlFileSafely(const std::filesystem::path& path, std::size_t maxBytes = DefaultMaxXmlBytes);
// The bytes parseXmlFileSafely would parse, read by the same rules, for a caller that keeps them
// (a template keeps and hashes its exact text): no second read of the file.
std::string readXmlFileSafely(const std::filesystem::path& path, std::size_t maxBytes = DefaultMaxXmlBytes);

// Loads an XSD with the safe parser. xs:import / xs:include / xs:redefine are served only from
// the schema's own folder (and below it), each parsed by the same rules; nothing else is read.
XmlSchema loadSchemaSafely(const std::filesystem::path& path, std::size_t maxBytes = DefaultMaxXmlBytes);

// Every validation problem as "ORIGIN:LINE: message"; empty when the document is valid.
std::vector<std::string> validateAgainst(const XmlSchema& schema, const XmlDocument& document);

// Installs the deny-all external entity loader; every function above calls it, and a program
// that uses libxml2 elsewhere may call it at start-up. Safe to call repeatedly and from threads.
void installSafeXmlDefaults();

} // namespace fplan::xml
