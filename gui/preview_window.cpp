// SPDX-License-Identifier: EUPL-1.2
#include "gui/preview_window.h"

#include "gui/accessibility.h"
#include "gui/wx_util.h"

#include <wx/dcbuffer.h>
#include <wx/gdicmn.h>
#include <wx/graphics.h>
#include <wx/scrolwin.h>
#include <wx/sizer.h>

#include <algorithm>
#include <cmath>
#include <variant>

namespace fplan::gui {

namespace {

constexpr int Gap = 16; // pixels between pages and around them

wxColour toColour(const docgen::Color& c)
{
    return wxColour(static_cast<unsigned char>(std::lround(c.r * 255)),
        static_cast<unsigned char>(std::lround(c.g * 255)),
        static_cast<unsigned char>(std::lround(c.b * 255)));
}

class PageCanvas : public wxScrolledWindow {
public:
    PageCanvas(wxWindow* parent, Preview preview)
        : wxScrolledWindow(parent, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxVSCROLL)
        , m_preview(std::move(preview))
    {
        SetBackgroundStyle(wxBG_STYLE_PAINT);
        SetScrollRate(0, 20);
        Bind(wxEVT_SIZE, [this](wxSizeEvent& e) {
            updateVirtualSize();
            Refresh();
            e.Skip();
        });
        Bind(wxEVT_PAINT, [this](wxPaintEvent&) { paint(); });
    }

private:
    double scale() const
    {
        const int width = std::max(GetClientSize().x - 2 * Gap, 100);
        return width / m_preview.layout.geometry.width;
    }
    int pageHeight() const { return static_cast<int>(m_preview.layout.geometry.height * scale()); }

    void updateVirtualSize()
    {
        const int pages = static_cast<int>(m_preview.layout.pages.size());
        SetVirtualSize(GetClientSize().x, Gap + pages * (pageHeight() + Gap));
    }

    void paint()
    {
        wxAutoBufferedPaintDC dc(this);
        DoPrepareDC(dc);
        dc.SetBackground(wxBrush(wxColour(0x80, 0x80, 0x80)));
        dc.Clear();
        std::unique_ptr<wxGraphicsContext> gc(wxGraphicsContext::Create(dc));
        if (!gc)
            return;
        const double s = scale();
        const int h = pageHeight();
        int top = 0;
        int viewTop = 0;
        GetViewStart(nullptr, &viewTop);
        int unit = 0;
        GetScrollPixelsPerUnit(nullptr, &unit);
        viewTop *= unit;
        const int viewBottom = viewTop + GetClientSize().y;
        for (std::size_t p = 0; p < m_preview.layout.pages.size(); ++p) {
            top = Gap + static_cast<int>(p) * (h + Gap);
            if (top + h < viewTop || top > viewBottom)
                continue; // only the pages in view are drawn
            gc->SetPen(*wxTRANSPARENT_PEN);
            gc->SetBrush(*wxWHITE_BRUSH);
            gc->DrawRectangle(Gap, top, m_preview.layout.geometry.width * s, h);
            gc->PushState();
            gc->Translate(Gap, top);
            gc->Scale(s, s);
            for (const auto& item : m_preview.layout.pages[p].items)
                draw(*gc, item);
            gc->PopState();
        }
    }

    void draw(wxGraphicsContext& gc, const docgen::DisplayItem& item)
    {
        if (const auto* text = std::get_if<docgen::TextItem>(&item)) {
            const auto& face
                = text->face >= 0 && static_cast<std::size_t>(text->face) < m_preview.faces.size()
                ? m_preview.faces[static_cast<std::size_t>(text->face)]
                : PreviewFace { "DejaVu Sans", false };
            gc.SetFont(gc.CreateFont(text->size, toWx(face.family),
                face.bold ? wxFONTFLAG_BOLD : wxFONTFLAG_DEFAULT, toColour(text->color)));
            double width = 0, height = 0, descent = 0, leading = 0;
            const wxString label = toWx(text->text);
            gc.GetTextExtent(label, &width, &height, &descent, &leading);
            gc.DrawText(label, text->x, text->y - (height - descent)); // y is the baseline
        } else if (const auto* line = std::get_if<docgen::LineItem>(&item)) {
            gc.SetPen(wxPen(toColour(line->color), 1));
            gc.StrokeLine(line->x1, line->y1, line->x2, line->y2);
        } else if (const auto* rect = std::get_if<docgen::RectItem>(&item)) {
            gc.SetPen(*wxTRANSPARENT_PEN);
            gc.SetBrush(wxBrush(toColour(rect->fill)));
            gc.DrawRectangle(rect->x, rect->y, rect->w, rect->h);
        }
    }

    Preview m_preview;
};

} // namespace

PreviewWindow::PreviewWindow(wxWindow* parent, const wxString& title, Preview preview)
    : wxFrame(parent, wxID_ANY, title, wxDefaultPosition,
        wxSize(parent->FromDIP(760), std::min(parent->FromDIP(900), wxGetClientDisplayRect().height - 40)),
        wxDEFAULT_FRAME_STYLE | wxFRAME_FLOAT_ON_PARENT)
{
    auto* canvas = new PageCanvas(this, std::move(preview));
    setAccessibleName(canvas, _("Forhåndsvisning"));
    auto* sizer = new wxBoxSizer(wxVERTICAL);
    sizer->Add(canvas, 1, wxEXPAND);
    SetSizer(sizer);
    closeOnEscape(this);
}

} // namespace fplan::gui
