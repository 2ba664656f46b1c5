// SPDX-License-Identifier: EUPL-1.2
// Times PDF rendering of a realistic familieplan in-process, and writes its bundle and values
// (for timing whole `fplan render` processes) and the same text as HTML (for LibreOffice and
// Chromium) so that bench/render.sh can compare whole processes on both sides.
#include "core/bundle.h"
#include "docgen/forms/template.h"
#include "docgen/render/document_renderer.h"
#include "docgen/render/fonts.h"
#include "docgen/render/layout.h"
#include "docgen/render/pdf_writer.h"
#include "tests/docgen/realistic_values.h"
#include "xml/escape.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

namespace {

using namespace fplan::docgen;

// Text as HTML character data; a line break in a value is a <br>.
std::string esc(const std::string& s)
{
    std::string out;
    for (const char c : fplan::xml::escapeText(s))
        out += c == '\n' ? std::string("<br>") : std::string(1, c);
    return out;
}

// The same content as the PDF, styled the way a hand-made HTML export would be.
std::string toHtml(const RenderDocument& doc)
{
    std::string h = "<!DOCTYPE html><html lang=\"da\"><head><meta charset=\"utf-8\"><title>"
        + esc(doc.title.documentTitle)
        + "</title><style>@page{size:A4;margin:25mm 20mm 24mm 22mm}body{font-family:'DejaVu Sans',sans-serif;"
          "font-size:10pt}table{border-collapse:collapse;width:100%;font-size:9pt}th{background:#e6ebf2}"
          "th,td{border:0.5pt solid #b3b8c2;padding:3pt 4pt;vertical-align:top;text-align:left}"
          "thead{display:table-header-group}h1{font-size:13.5pt;color:#1c4578}h2{font-size:11pt}"
          "dt{font-weight:bold}</style></head><body>";
    h += "<p>" + esc(doc.title.municipality) + "</p><h1 style=\"font-size:22pt\">"
        + esc(doc.title.documentTitle) + "</h1><p>" + esc(doc.title.family)
        + "</p><p>Dato: " + esc(doc.title.date) + " · " + esc(doc.title.versionText) + "</p>";
    for (const auto& block : doc.blocks) {
        if (const auto* hd = std::get_if<Heading>(&block)) {
            h += hd->level <= 1 ? "<h1>" + esc(hd->text) + "</h1>" : "<h2>" + esc(hd->text) + "</h2>";
        } else if (const auto* f = std::get_if<FieldList>(&block)) {
            h += "<dl>";
            for (const auto& field : f->fields)
                if (!field.value.empty())
                    h += "<dt>" + esc(field.label) + "</dt><dd>" + esc(field.value) + "</dd>";
            h += "</dl>";
        } else if (const auto* p = std::get_if<Paragraph>(&block)) {
            h += "<p>" + esc(p->text) + "</p>";
        } else if (const auto* b = std::get_if<BulletList>(&block)) {
            h += "<ul>";
            for (const auto& item : b->items)
                h += "<li>" + esc(item) + "</li>";
            h += "</ul>";
        } else if (const auto* t = std::get_if<Table>(&block)) {
            h += "<table><thead><tr>";
            for (const auto& c : t->columns)
                h += "<th>" + esc(c.header) + "</th>";
            h += "</tr></thead><tbody>";
            for (const auto& row : t->rows) {
                h += "<tr>";
                for (const auto& cell : row)
                    h += "<td>" + esc(cell) + "</td>";
                h += "</tr>";
            }
            h += "</tbody></table>";
        }
    }
    return h + "</body></html>\n";
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

struct Sample {
    const char* name;
    int rows; // per table of the familieplan template
};

// Rows per table that give a 6-page and a 40-page plan (30 rows is the most the goals table takes) with
// realistic content.
constexpr Sample Samples[] = { { "familieplan-6", 3 }, { "familieplan-40", 30 } };

struct Plan {
    fplan::Json values;
    RenderDocument doc;
};

Plan makePlan(const Template& tmpl, const fplan::Case& kase, int rows)
{
    Plan p;
    p.values = fplan::test::realisticValues(tmpl, kase, rows);
    RenderContext context;
    context.date = "2026-03-12";
    context.version = 2;
    p.doc = buildRenderDocument(tmpl, p.values, kase, context);
    return p;
}

} // namespace

int main(int argc, char** argv)
{
    std::vector<std::string> args(argv + 1, argv + argc);
    std::string writeDir;
    int iterations = 30;
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--write" && i + 1 < args.size())
            writeDir = args[++i];
        else if (args[i] == "--iterations" && i + 1 < args.size())
            iterations = std::max(1, std::atoi(args[++i].c_str()));
        else {
            std::cerr << "usage: bench_render [--write DIR] [--iterations N]\n";
            return 2;
        }
    }
    const TemplateRegistry registry(FPLAN_BENCH_TEMPLATES);
    const Template tmpl = registry.load("familieplan");
    const fplan::Case kase = fplan::test::realisticCase();
    SystemFonts fonts;
    if (!writeDir.empty()) {
        const std::filesystem::path dir(writeDir);
        std::filesystem::create_directories(dir);
        fplan::Bundle bundle;
        bundle.kase = kase;
        std::ofstream(dir / "bundle.json", std::ios::binary) << fplan::bundleToJson(bundle).dump(1);
        for (const auto& c : Samples) {
            const Plan plan = makePlan(tmpl, kase, c.rows);
            const auto pdf = renderPdf(plan.doc, fonts);
            std::ofstream(dir / (std::string(c.name) + ".pdf"), std::ios::binary) << pdf.bytes;
            std::ofstream(dir / (std::string(c.name) + ".json"), std::ios::binary) << plan.values.dump(1);
            std::ofstream(dir / (std::string(c.name) + ".html"), std::ios::binary) << toHtml(plan.doc);
            std::cout << c.name << ": " << pdf.pageCount << " pages\n";
        }
        return 0;
    }
    for (const auto& c : Samples) {
        const auto doc = makePlan(tmpl, kase, c.rows).doc;
        std::size_t pages = renderPdf(doc, fonts).pageCount; // warm-up: font caches, profile
        std::vector<double> times;
        for (int i = 0; i < iterations; ++i) {
            const auto start = std::chrono::steady_clock::now();
            const auto pdf = renderPdf(doc, fonts);
            const auto end = std::chrono::steady_clock::now();
            pages = pdf.pageCount;
            times.push_back(std::chrono::duration<double, std::milli>(end - start).count());
        }
        std::vector<double> layoutTimes;
        for (int i = 0; i < iterations; ++i) {
            const auto start = std::chrono::steady_clock::now();
            const auto layout = layoutDocument(doc, fonts);
            const auto end = std::chrono::steady_clock::now();
            layoutTimes.push_back(std::chrono::duration<double, std::milli>(end - start).count());
        }
        const double ms = median(times);
        std::printf("%s pages=%zu median_ms=%.2f ms_per_page=%.3f iterations=%d layout_ms=%.2f\n", c.name,
            pages, ms, ms / static_cast<double>(pages), iterations, median(layoutTimes));
    }
    return 0;
}
