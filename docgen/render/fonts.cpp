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

// Where Debian's packages put the main faces (fonts-dejavu-core, fonts-noto-core). Opening a
// known file directly spares every render the parsing of fontconfig's whole configuration,
// which cost more than the layout of a short plan; the file must still say it is the family
// and weight asked for, and fontconfig is asked when it does not or is not there.
struct KnownFace {
    const char* family;
    bool bold;
    const char* path;
};
constexpr KnownFace KnownFaces[] = {
    { "DejaVu Sans", false, "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf" },
    { "DejaVu Sans", true, "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf" },
    { "Noto Sans", false, "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf" },
    { "Noto Sans", true, "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf" },
};

// A table over the BMP filled on demand in blocks of 256 code points: a document touches a few
// blocks, and a whole table per face and style was most of the fonts' start-up.
template <typename T, T Empty> class LazyBmpTable {
public:
    T& operator[](char32_t cp)
    {
        auto& block = m_blocks[cp >> 8];
        if (!block) {
            block = std::make_unique<std::array<T, 256>>();
            block->fill(Empty);
        }
        return (*block)[cp & 0xFF];
    }

private:
    std::array<std::unique_ptr<std::array<T, 256>>, Bmp / 256> m_blocks;
};

} // namespace

struct SystemFonts::Impl {
    struct Face {
        FaceInfo info;
        FacePtr ft;
        double unitsPerEm = 1000;
        std::unique_ptr<LazyBmpTable<float, -1.0f>> advances; // -1 = not yet measured
    };
    // One family in the fallback chain, opened when first needed.
    struct ChainEntry {
        const char* family;
        int face = Unknown; // Unknown: not looked for yet; -1: not installed
    };

    LibraryPtr library;
    ConfigPtr config; // initialised on first use: most documents never need it
    bool configTried = false;
    std::vector<Face> faces;
    std::map<std::string, int> faceByPath;
    std::array<std::vector<ChainEntry>, 2> chain; // main families per style, in fallback order
    std::array<LazyBmpTable<std::int16_t, Unknown>, 2> byCp; // per style: code point -> face or -1

    FcConfig* fontconfig()
    {
        if (!configTried) {
            configTried = true;
            config.reset(FcInitLoadConfigAndFonts());
        }
        return config.get();
    }

    int add(FacePtr ft, const std::string& path, const std::string& family, bool bold)
    {
        if (FT_Select_Charmap(ft.get(), FT_ENCODING_UNICODE) != 0)
            return -1;
        Face f;
        f.unitsPerEm = ft->units_per_EM ? ft->units_per_EM : 1000;
        f.ft = std::move(ft);
        f.info = FaceInfo { path, family, bold };
        f.advances = std::make_unique<LazyBmpTable<float, -1.0f>>();
        faces.push_back(std::move(f));
        const int index = static_cast<int>(faces.size() - 1);
        faceByPath[path] = index;
        return index;
    }

    FacePtr open(const std::string& path)
    {
        FT_Face raw = nullptr;
        if (FT_New_Face(library.get(), path.c_str(), 0, &raw) != 0)
            return nullptr;
        return FacePtr(raw);
    }

    int load(const std::string& path, const std::string& family, bool bold)
    {
        if (auto it = faceByPath.find(path); it != faceByPath.end())
            return it->second;
        FacePtr ft = open(path);
        return ft ? add(std::move(ft), path, family, bold) : -1;
    }

    // The file where Debian installs the family, if it is there and is what it claims to be.
    int findKnown(const std::string& family, bool bold)
    {
        for (const KnownFace& known : KnownFaces) {
            if (family != known.family || bold != known.bold)
                continue;
            if (auto it = faceByPath.find(known.path); it != faceByPath.end())
                return it->second;
            FacePtr ft = open(known.path);
            if (!ft || !ft->family_name || family != ft->family_name
                || ((ft->style_flags & FT_STYLE_FLAG_BOLD) != 0) != bold
                || (ft->style_flags & FT_STYLE_FLAG_ITALIC) != 0)
                return -1;
            return add(std::move(ft), known.path, family, bold);
        }
        return -1;
    }

    // The installed file for a family and weight, or -1 if fontconfig only offers a substitute.
    int find(const std::string& family, bool bold)
    {
        if (const int known = findKnown(family, bold); known >= 0)
            return known;
        FcConfig* fc = fontconfig();
        if (!fc)
            return -1;
        PatternPtr pattern(FcPatternCreate());
        FcPatternAddString(pattern.get(), FC_FAMILY, reinterpret_cast<const FcChar8*>(family.c_str()));
        FcPatternAddInteger(pattern.get(), FC_WEIGHT, bold ? FC_WEIGHT_BOLD : FC_WEIGHT_REGULAR);
        FcPatternAddInteger(pattern.get(), FC_SLANT, FC_SLANT_ROMAN);
        FcConfigSubstitute(fc, pattern.get(), FcMatchPattern);
        FcDefaultSubstitute(pattern.get());
        FcResult result = FcResultNoMatch;
        PatternPtr match(FcFontMatch(fc, pattern.get(), &result));
        if (!match)
            return -1;
        const std::string path = patternString(match.get(), FC_FILE);
        if (patternString(match.get(), FC_FAMILY) != family || !isTrueTypeFile(path))
            return -1;
        return load(path, family, patternWeight(match.get()) >= FC_WEIGHT_BOLD);
    }

    // The chain's face for an entry, looked for the first time it is needed.
    int chainFace(std::size_t style, std::size_t entry)
    {
        ChainEntry& e = chain[style][entry];
        if (e.face == Unknown)
            e.face = find(e.family, style == 1);
        return e.face;
    }

    // Any installed TrueType font with the letter, preferring the style's weight.
    int findForCodePoint(bool bold, char32_t cp)
    {
        FcConfig* fc = fontconfig();
        if (!fc)
            return -1;
        std::unique_ptr<FcCharSet, FcCharSetDeleter> charset(FcCharSetCreate());
        FcCharSetAddChar(charset.get(), cp);
        PatternPtr pattern(FcPatternCreate());
        FcPatternAddCharSet(pattern.get(), FC_CHARSET, charset.get());
        FcPatternAddString(pattern.get(), FC_FAMILY, reinterpret_cast<const FcChar8*>("Noto Sans"));
        FcPatternAddInteger(pattern.get(), FC_WEIGHT, bold ? FC_WEIGHT_BOLD : FC_WEIGHT_REGULAR);
        FcPatternAddInteger(pattern.get(), FC_SLANT, FC_SLANT_ROMAN);
        FcConfigSubstitute(fc, pattern.get(), FcMatchPattern);
        FcDefaultSubstitute(pattern.get());
        FcResult result = FcResultNoMatch;
        FontSetPtr sorted(FcFontSort(fc, pattern.get(), FcFalse, nullptr, &result));
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
    for (std::size_t style = 0; style < 2; ++style)
        for (const char* family : { "DejaVu Sans", "Noto Sans" })
            m_impl->chain[style].push_back(Impl::ChainEntry { family });
    // The regular face is needed by every document: look for the chain's first installed one
    // now, so that a machine without fonts fails at once.
    bool any = false;
    for (std::size_t entry = 0; entry < m_impl->chain[0].size() && !any; ++entry)
        any = m_impl->chainFace(0, entry) >= 0;
    if (!any) {
        if (!m_impl->fontconfig())
            throw Error(ErrorCode::Internal, "fontconfig could not be initialised");
        throw Error(
            ErrorCode::NotFound, "no PDF font installed: install fonts-dejavu-core or fonts-noto-core");
    }
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
    bool anyMain = false;
    for (std::size_t entry = 0; entry < m_impl->chain[s].size() && found < 0; ++entry) {
        const int index = m_impl->chainFace(s, entry);
        anyMain = anyMain || index >= 0;
        if (index >= 0 && m_impl->has(index, cp))
            found = index;
    }
    // No bold face installed at all: the regular chain draws bold text too.
    if (found < 0 && !anyMain && s == 1)
        found = faceFor(FontStyle::Regular, cp);
    else if (found < 0 && cp >= 0x20)
        found = m_impl->findForCodePoint(s == 1, cp);
    slot = static_cast<std::int16_t>(found);
    return found;
}

double SystemFonts::advance(int faceIndex, char32_t cp)
{
    auto& f = m_impl->faces.at(static_cast<std::size_t>(faceIndex));
    float* cached = cp < Bmp ? &(*f.advances)[cp] : nullptr;
    if (cached && *cached >= 0)
        return *cached;
    FT_Fixed adv = 0;
    const FT_UInt gid = FT_Get_Char_Index(f.ft.get(), cp);
    FT_Get_Advance(f.ft.get(), gid, FT_LOAD_NO_SCALE, &adv);
    const double value = static_cast<double>(adv) * 1000.0 / f.unitsPerEm;
    if (cached)
        *cached = static_cast<float>(value);
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
