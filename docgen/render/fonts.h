// SPDX-License-Identifier: EUPL-1.2
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace fplan::docgen {

enum class FontStyle { Regular, Bold };

struct FaceInfo {
    std::string path; // a TrueType file (PoDoFo subsets only TrueType)
    std::string family; // "DejaVu Sans"
    bool bold = false;
};

// What the layout needs to know about fonts; advances are in 1/1000 em. Implementations are
// not thread-safe (they cache lazily): use one per thread.
class FontMetrics {
public:
    virtual ~FontMetrics() = default;
    // The face that draws `cp` in `style`: the main face, else the first fallback that has the
    // letter; -1 when no installed font has it.
    virtual int faceFor(FontStyle style, char32_t cp) = 0;
    virtual double advance(int face, char32_t cp) = 0;
    virtual const FaceInfo& face(int index) const = 0;
    virtual std::size_t faceCount() const = 0;
};

// The installed fonts, found with fontconfig: DejaVu Sans, then Noto Sans, then any installed
// TrueType font that has the letter.
class SystemFonts final : public FontMetrics {
public:
    SystemFonts();
    ~SystemFonts() override;
    SystemFonts(const SystemFonts&) = delete;
    SystemFonts& operator=(const SystemFonts&) = delete;

    int faceFor(FontStyle style, char32_t cp) override;
    double advance(int face, char32_t cp) override;
    const FaceInfo& face(int index) const override;
    std::size_t faceCount() const override;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace fplan::docgen
