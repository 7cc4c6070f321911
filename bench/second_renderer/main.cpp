// cairo_mrz_pages: document pages for measuring the optical MRZ reader, drawn by a renderer that
// shares no code with the one the reader is trained on (mrz/synth). See README.md.
//
//   cairo_mrz_pages --out DIR --pages N --seed S [--severity clean|moderate|severe|mixed]
//                   [--mix C,M,S] [--crop none|document|mrz]
//
// Writes DIR/NNN-LAYOUT-SEVERITY.png|jpg and DIR/NNN-LAYOUT-SEVERITY.mrz (the true lines).
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <opencv2/imgproc.hpp>

#include "cairo_page.hpp"
#include "degrade.hpp"
#include "fields.hpp"
#include "rng.hpp"

namespace {

using render2::Severity;

constexpr mrz::Format kLayouts[] = {mrz::Format::TD3, mrz::Format::TD1, mrz::Format::TD2, mrz::Format::MRVA,
                                    mrz::Format::MRVB};

struct PagePlan {
  mrz::Format format;
  Severity severity;
};

// Page counts per severity from weights, by largest remainder (exact when the weights add up to
// the number of pages, as in --mix 20,25,15 for 60 pages).
std::vector<int> split(int pages, const std::vector<double>& weights) {
  double total = 0;
  for (double w : weights) total += w;
  std::vector<int> counts(weights.size());
  std::vector<std::pair<double, std::size_t>> remainders;
  int given = 0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    const double exact = pages * weights[i] / total;
    counts[i] = static_cast<int>(exact);
    given += counts[i];
    remainders.emplace_back(exact - counts[i], i);
  }
  std::stable_sort(remainders.begin(), remainders.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  for (std::size_t k = 0; given < pages; ++k, ++given) ++counts[remainders[k % remainders.size()].second];
  return counts;
}

std::vector<PagePlan> plan(int pages, const std::string& severity, const std::vector<double>& mix, std::uint64_t seed) {
  std::vector<PagePlan> out;
  const auto by_name = [](const std::string& name) {
    return name == "clean" ? Severity::Clean : name == "moderate" ? Severity::Moderate : Severity::Severe;
  };
  if (severity != "mixed") {
    for (int i = 0; i < pages; ++i) out.push_back({kLayouts[i % 5], by_name(severity)});
    return out;
  }
  // Each severity cycles through the five layouts; then the pages are shuffled.
  const auto counts = split(pages, mix);
  const Severity order[] = {Severity::Clean, Severity::Moderate, Severity::Severe};
  for (std::size_t s = 0; s < 3; ++s) {
    for (int i = 0; i < counts[s]; ++i) out.push_back({kLayouts[(i + static_cast<int>(s)) % 5], order[s]});
  }
  render2::Rng rng(seed ^ 0x5EEDF00DULL);
  for (std::size_t i = out.size(); i > 1; --i) {
    std::swap(out[i - 1], out[static_cast<std::size_t>(rng.between(0, static_cast<int>(i) - 1))]);
  }
  return out;
}

cv::Rect crop_box(const std::array<cv::Point2f, 4>& corners, const cv::Size& size, double margin) {
  float x0 = corners[0].x, x1 = corners[0].x, y0 = corners[0].y, y1 = corners[0].y;
  for (const auto& c : corners) {
    x0 = std::min(x0, c.x);
    x1 = std::max(x1, c.x);
    y0 = std::min(y0, c.y);
    y1 = std::max(y1, c.y);
  }
  const cv::Rect box(cv::Point(static_cast<int>(x0 - margin), static_cast<int>(y0 - margin)),
                     cv::Point(static_cast<int>(x1 + margin + 1), static_cast<int>(y1 + margin + 1)));
  return box & cv::Rect(cv::Point(0, 0), size);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Document pages with an OCR-B MRZ drawn by Cairo, for measuring the optical MRZ reader (never for training)"};
  std::string out_dir;
  int pages = 0;
  std::uint64_t seed = 0;
  std::string severity = "mixed";
  std::string mix_text = "1,1,1";
  std::string crop = "none";
  bool quiet = false;
  app.add_option("--out", out_dir, "Directory for the pages (created)")->required();
  app.add_option("--pages", pages, "How many pages")->required()->check(CLI::Range(1, 100000));
  app.add_option("--seed", seed, "Seed: the same seed gives the same pages")->required();
  app.add_option("--severity", severity, "clean, moderate, severe or mixed")
      ->check(CLI::IsMember({"clean", "moderate", "severe", "mixed"}));
  app.add_option("--mix", mix_text, "With --severity mixed: weights of clean,moderate,severe (e.g. 20,25,15)");
  app.add_option("--crop", crop,
                 "none: the whole scanner bed; document: the document and a few millimetres around it; "
                 "mrz: the bottom of the document (MRZ and some visual zone) and a few millimetres around it")
      ->check(CLI::IsMember({"none", "document", "mrz"}));
  app.add_flag("--quiet", quiet, "Do not list the pages");
  CLI11_PARSE(app, argc, argv);

  std::vector<double> mix;
  {
    std::stringstream in(mix_text);
    std::string part;
    while (std::getline(in, part, ',')) mix.push_back(std::stod(part));
    if (mix.size() != 3 || std::any_of(mix.begin(), mix.end(), [](double w) { return w < 0; }) ||
        mix[0] + mix[1] + mix[2] <= 0) {
      std::cerr << "--mix takes three non-negative weights: clean,moderate,severe\n";
      return 2;
    }
  }

  try {
    std::filesystem::create_directories(out_dir);
    const render2::Fonts fonts;
    const auto pages_plan = plan(pages, severity, mix, seed);
    const int digits = std::max(3, static_cast<int>(std::to_string(pages - 1).size()));
    std::uintmax_t total_bytes = 0;
    for (int i = 0; i < pages; ++i) {
      const PagePlan& p = pages_plan[static_cast<std::size_t>(i)];
      render2::Rng rng(render2::page_seed(seed, i));
      const auto doc = render2::random_document(p.format, rng);
      const auto rendered = render2::render_page(doc, p.severity, fonts, rng);
      auto degraded = render2::degrade(rendered, p.severity, rng);
      if (crop != "none") {
        const double margin = rng.uniform(2.0, 5.0) * render2::kPxPerMm;
        auto region = degraded.document_corners;
        if (crop == "mrz") {
          // The bottom of the document: the MRZ and 10-16 mm of the visual zone above it.
          const float w = rendered.document_size.width, h = rendered.document_size.height;
          const std::array<cv::Point2f, 4> rect = {cv::Point2f(0, 0), cv::Point2f(w, 0), cv::Point2f(w, h), cv::Point2f(0, h)};
          const cv::Mat to_image = cv::getPerspectiveTransform(rect.data(), degraded.document_corners.data());
          const float top = std::max(0.0f, rendered.mrz_top - static_cast<float>(rng.uniform(10, 16) * render2::kPxPerMm));
          std::vector<cv::Point2f> band = {{0, top}, {w, top}, {w, h}, {0, h}};
          cv::perspectiveTransform(band, band, to_image);
          std::copy(band.begin(), band.end(), region.begin());
        }
        degraded.image = degraded.image(crop_box(region, degraded.image.size(), margin)).clone();
      }
      const auto bytes = render2::encode(degraded);

      std::string number = std::to_string(i);
      number.insert(0, static_cast<std::size_t>(digits) - number.size(), '0');
      const std::string stem = number + "-" + std::string(mrz::to_string(p.format)) + "-" +
                               std::string(render2::to_string(p.severity));
      const auto base = std::filesystem::path(out_dir) / stem;
      const auto image_path = base.string() + (degraded.jpeg_quality > 0 ? ".jpg" : ".png");
      std::ofstream(image_path, std::ios::binary)
          .write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
      std::ofstream text(base.string() + ".mrz");
      for (const auto& line : doc.mrz_lines) text << line << '\n';
      if (!text) throw std::runtime_error("cannot write " + base.string() + ".mrz");
      total_bytes += bytes.size();
      if (!quiet) {
        std::printf("%s %dx%d %zu bytes | %s | %s\n", stem.c_str(), degraded.image.cols, degraded.image.rows,
                    bytes.size(), rendered.style.c_str(), degraded.steps.c_str());
      }
    }
    if (!quiet) std::printf("%d pages, %ju bytes of images in %s\n", pages, total_bytes, out_dir.c_str());
  } catch (const std::exception& e) {
    std::cerr << "cairo_mrz_pages: " << e.what() << '\n';
    return 1;
  }
  return 0;
}
