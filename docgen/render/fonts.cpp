// SPDX-License-Identifier: EUPL-1.2
#include "docgen/render/fonts.h"

#include "base/error.h"

#include <fontconfig/fontconfig.h>

#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_ADVANCES_H

#include <array>
#include <map>
#include <unordered_map>

namespace fplan::docgen {

namespace {

struct FcPatternDeleter {
    void operator()(FcPattern* p) const { FcPatternDestroy(p); }
};
using PatternPtr = std::unique_ptr<FcPattern, FcPatternDeleter>;

struct FcFontSetDeleter {
    void operator()(FcFontSet* s) const { FcFontSetDestroy(s); }
};
using FontSetPtr = std::unique_ptr<FcFontSet, FcFontSetDeleter>;

struct FcCharSetDeleter {
    void operator()(FcCharSet* s) const { FcCharSetDestroy(s); }
};

struct FtFaceDeleter {
    void operator()(FT_Face f) const { FT_Done_Face(f); }
};
using FacePtr = std::unique_ptr<std::remove_pointer_t<FT_Face>, FtFaceDeleter>;

struct FtLibraryDeleter {
    void operator()(FT_Library l) const { FT_Done_FreeType(l); }
};
using LibraryPtr = std::unique_ptr<std::remove_pointer_t<FT_Library>, FtLibraryDeleter>;

struct FcConfigDeleter {
    void operator()(FcConfig* c) const { FcConfigDestroy(c); }
};
using ConfigPtr = std::unique_ptr<FcConfig, FcConfigDeleter>;

bool isTrueTypeFile(const std::string& path)
{
    const auto dot = path.rfind('.');
    if (dot == std::string::npos)
        return false;
    std::string ext = path.substr(dot + 1);
    for (auto& c : ext)
        c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    return ext == "ttf";
}

std::string patternString(FcPattern* p, const char* object)
{
    FcChar8* value = nullptr;
    if (FcPatternGetString(p, object, 0, &value) != FcResultMatch || !value)
        return {};
    return reinterpret_cast<const char*>(value);
}

int patternWeight(FcPattern* p)
{
    int weight = FC_WEIGHT_REGULAR;
    FcPatternGetInteger(p, FC_WEIGHT, 0, &weight);
    return weight;
}

constexpr std::size_t Bmp = 0x10000;
constexpr std::int16_t Unknown = -2;

} // namespace

struct SystemFonts::Impl {
    struct Face {
        FaceInfo info;
        FacePtr ft;
        double unitsPerEm = 1000;
        std::vector<float> advances; // per BMP code point, -1 = not yet measured
    };

    LibraryPtr library;
    ConfigPtr config;
    std::vector<Face> faces;
    std::map<std::string, int> faceByPath;
    std::array<std::vector<int>, 2> chain; // main faces per style, in fallback order
    std::array<std::vector<std::int16_t>, 2> byCp; // per style: BMP code point -> face or -1

    int load(const std::string& path, const std::string& family, bool bold)
    {
        if (auto it = faceByPath.find(path); it != faceByPath.end())
            return it->second;
        FT_Face raw = nullptr;
        if (FT_New_Face(library.get(), path.c_str(), 0, &raw) != 0)
            return -1;
        Face f;
        f.ft.reset(raw);
        if (FT_Select_Charmap(raw, FT_ENCODING_UNICODE) != 0)
            return -1;
        f.info = FaceInfo { path, family, bold };
        f.unitsPerEm = raw->units_per_EM ? raw->units_per_EM : 1000;
        f.advances.assign(Bmp, -1.0f);
        faces.push_back(std::move(f));
        const int index = static_cast<int>(faces.size() - 1);
        faceByPath[path] = index;
        return index;
    }

    // The installed file for a family and weight, or -1 if fontconfig only offers a substitute.
    int find(const std::string& family, bool bold)
    {
        PatternPtr pattern(FcPatternCreate());
        FcPatternAddString(pattern.get(), FC_FAMILY, reinterpret_cast<const FcChar8*>(family.c_str()));
        FcPatternAddInteger(pattern.get(), FC_WEIGHT, bold ? FC_WEIGHT_BOLD : FC_WEIGHT_REGULAR);
        FcPatternAddInteger(pattern.get(), FC_SLANT, FC_SLANT_ROMAN);
        FcConfigSubstitute(config.get(), pattern.get(), FcMatchPattern);
        FcDefaultSubstitute(pattern.get());
        FcResult result = FcResultNoMatch;
        PatternPtr match(FcFontMatch(config.get(), pattern.get(), &result));
        if (!match)
            return -1;
        const std::string path = patternString(match.get(), FC_FILE);
        if (patternString(match.get(), FC_FAMILY) != family || !isTrueTypeFile(path))
            return -1;
        return load(path, family, patternWeight(match.get()) >= FC_WEIGHT_BOLD);
    }

    // Any installed TrueType font with the letter, preferring the style's weight.
    int findForCodePoint(bool bold, char32_t cp)
    {
        std::unique_ptr<FcCharSet, FcCharSetDeleter> charset(FcCharSetCreate());
        FcCharSetAddChar(charset.get(), cp);
        PatternPtr pattern(FcPatternCreate());
        FcPatternAddCharSet(pattern.get(), FC_CHARSET, charset.get());
        FcPatternAddString(pattern.get(), FC_FAMILY, reinterpret_cast<const FcChar8*>("Noto Sans"));
        FcPatternAddInteger(pattern.get(), FC_WEIGHT, bold ? FC_WEIGHT_BOLD : FC_WEIGHT_REGULAR);
        FcPatternAddInteger(pattern.get(), FC_SLANT, FC_SLANT_ROMAN);
        FcConfigSubstitute(config.get(), pattern.get(), FcMatchPattern);
        FcDefaultSubstitute(pattern.get());
        FcResult result = FcResultNoMatch;
        FontSetPtr sorted(FcFontSort(config.get(), pattern.get(), FcFalse, nullptr, &result));
        if (!sorted)
            return -1;
        for (int i = 0; i < sorted->nfont; ++i) {
            FcPattern* candidate = sorted->fonts[i];
            FcCharSet* cs = nullptr;
            if (FcPatternGetCharSet(candidate, FC_CHARSET, 0, &cs) != FcResultMatch
                || !FcCharSetHasChar(cs, cp))
                continue;
            const std::string path = patternString(candidate, FC_FILE);
            if (!isTrueTypeFile(path))
                continue;
            const int index
                = load(path, patternString(candidate, FC_FAMILY), patternWeight(candidate) >= FC_WEIGHT_BOLD);
            if (index >= 0 && FT_Get_Char_Index(faces[static_cast<std::size_t>(index)].ft.get(), cp) != 0)
                return index;
        }
        return -1;
    }

    bool has(int face, char32_t cp) const
    {
        return FT_Get_Char_Index(faces[static_cast<std::size_t>(face)].ft.get(), cp) != 0;
    }
};

SystemFonts::SystemFonts()
    : m_impl(std::make_unique<Impl>())
{
    FT_Library lib = nullptr;
    if (FT_Init_FreeType(&lib) != 0)
        throw Error(ErrorCode::Internal, "FreeType could not be initialised");
    m_impl->library.reset(lib);
    m_impl->config.reset(FcInitLoadConfigAndFonts());
    if (!m_impl->config)
        throw Error(ErrorCode::Internal, "fontconfig could not be initialised");
    for (int style = 0; style < 2; ++style) {
        for (const char* family : { "DejaVu Sans", "Noto Sans" }) {
            const int index = m_impl->find(family, style == 1);
            if (index >= 0)
                m_impl->chain[static_cast<std::size_t>(style)].push_back(index);
        }
        m_impl->byCp[static_cast<std::size_t>(style)].assign(Bmp, Unknown);
    }
    if (m_impl->chain[0].empty())
        throw Error(
            ErrorCode::NotFound, "no PDF font installed: install fonts-dejavu-core or fonts-noto-core");
    if (m_impl->chain[1].empty())
        m_impl->chain[1] = m_impl->chain[0];
}

SystemFonts::~SystemFonts() = default;

int SystemFonts::faceFor(FontStyle style, char32_t cp)
{
    // PoDoFo 0.9.8 handles only the BMP; letters beyond it count as missing.
    if (cp >= Bmp)
        return -1;
    const auto s = static_cast<std::size_t>(style == FontStyle::Bold ? 1 : 0);
    auto& slot = m_impl->byCp[s][cp];
    if (slot != Unknown)
        return slot;
    int found = -1;
    for (int index : m_impl->chain[s])
        if (m_impl->has(index, cp)) {
            found = index;
            break;
        }
    if (found < 0 && cp >= 0x20)
        found = m_impl->findForCodePoint(s == 1, cp);
    slot = static_cast<std::int16_t>(found);
    return found;
}

double SystemFonts::advance(int faceIndex, char32_t cp)
{
    auto& f = m_impl->faces.at(static_cast<std::size_t>(faceIndex));
    if (cp < Bmp && f.advances[cp] >= 0)
        return f.advances[cp];
    FT_Fixed adv = 0;
    const FT_UInt gid = FT_Get_Char_Index(f.ft.get(), cp);
    FT_Get_Advance(f.ft.get(), gid, FT_LOAD_NO_SCALE, &adv);
    const double value = static_cast<double>(adv) * 1000.0 / f.unitsPerEm;
    if (cp < Bmp)
        f.advances[cp] = static_cast<float>(value);
    return value;
}

const FaceInfo& SystemFonts::face(int index) const
{
    return m_impl->faces.at(static_cast<std::size_t>(index)).info;
}

std::size_t SystemFonts::faceCount() const
{
    return m_impl->faces.size();
}

} // namespace fplan::docgen
