// Accuracy and speed of the optical MRZ reader on generated pages it was not trained on: whole-MRZ
// exact reads, wrong-but-valid reads (status valid, a character wrong), reads flagged for review
// and character accuracy per layout, degradation and
// orientation, and the time per page (median, p95) on one core.
//   bench_mrz_read [--pages N] [--seed S] [--model PATH] [--failures] [--dump DIR] [--tesseract]
// --failures lists every page not read exactly or flagged for review (truth, reading, the cells
// read wrong or unsure with their candidates); --dump DIR also writes those
// pages as DIR/page-N.png for a closer look with `borderpost mrz read`.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include <fstream>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <tesseract/baseapi.h>

#include "mrz_optical/read.hpp"
#include "mrz_synth/page.hpp"
#include "read_report.hpp"

namespace {

struct Tally {
  int pages = 0;
  int exact = 0;
  int wrong_but_valid = 0;
  int review = 0;  // every check passes but a field is flagged for a person to compare (right or wrong)
  int not_found = 0;
  long characters = 0;
  long characters_right = 0;

  void add(const Tally& t) {
    pages += t.pages;
    exact += t.exact;
    wrong_but_valid += t.wrong_but_valid;
    review += t.review;
    not_found += t.not_found;
    characters += t.characters;
    characters_right += t.characters_right;
  }
};

void print_row(const std::string& name, const Tally& t) {
  std::printf("| %-22s | %5d | %7.2f%% | %6.2f%% | %6.2f%% | %5d | %8.3f%% |\n", name.c_str(), t.pages,
              t.pages ? 100.0 * t.exact / t.pages : 0.0, t.pages ? 100.0 * t.wrong_but_valid / t.pages : 0.0,
              t.pages ? 100.0 * t.review / t.pages : 0.0, t.not_found, t.characters ? 100.0 * static_cast<double>(t.characters_right) / static_cast<double>(t.characters) : 0.0);
}

// Stock Tesseract on the MRZ, given the true MRZ corners (a perfect crop), for comparison.
struct TesseractRun {
  bool exact = false;
  double ms = 0;
};

TesseractRun tesseract_on(tesseract::TessBaseAPI& api, const mrz::synth::Page& page) {
  cv::Mat gray;
  cv::cvtColor(page.image, gray, cv::COLOR_BGR2GRAY);
  const auto& q = page.mrz_quad;
  const float width = static_cast<float>(cv::norm(q[1] - q[0]));
  const float height = static_cast<float>(cv::norm(q[3] - q[0]));
  const cv::Point2f along = (q[1] - q[0]) / width;
  const cv::Point2f across = (q[3] - q[0]) / height;
  const float m = 0.3F * height;
  const cv::Point2f src[3] = {q[0] - along * m - across * m, q[1] + along * m - across * m, q[3] - along * m + across * m};
  const cv::Size size(static_cast<int>(width + 2 * m), static_cast<int>(height + 2 * m));
  const cv::Point2f dst[3] = {{0, 0}, {static_cast<float>(size.width), 0}, {0, static_cast<float>(size.height)}};
  cv::Mat crop;
  cv::warpAffine(gray, crop, cv::getAffineTransform(src, dst), size, cv::INTER_LINEAR, cv::BORDER_REPLICATE);
  const auto start = std::chrono::steady_clock::now();
  api.SetImage(crop.data, crop.cols, crop.rows, 1, static_cast<int>(crop.step));
  char* text = api.GetUTF8Text();
  TesseractRun run;
  run.ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  std::vector<std::string> lines;
  std::string current;
  for (const char* c = text; c != nullptr && *c != '\0'; ++c) {
    if (*c == '\n') {
      if (!current.empty()) lines.push_back(current);
      current.clear();
    } else if (*c != ' ') {
      current.push_back(*c);
    }
  }
  if (!current.empty()) lines.push_back(current);
  delete[] text;
  run.exact = lines == page.mrz_lines;
  return run;
}

}  // namespace

int main(int argc, char** argv) {
  int pages = 400;
  std::uint32_t seed = 7;  // the classifier trains on seeds from 1000003 on
  std::string model;
  bool show_failures = false;
  bool with_tesseract = false;
  std::string dump_dir;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (flag == "--failures") {
      show_failures = true;
    } else if (flag == "--tesseract") {
      with_tesseract = true;
    } else if (i + 1 < argc && flag == "--pages") {
      pages = std::stoi(argv[++i]);
    } else if (i + 1 < argc && flag == "--seed") {
      seed = static_cast<std::uint32_t>(std::stoul(argv[++i]));
    } else if (i + 1 < argc && flag == "--model") {
      model = argv[++i];
    } else if (i + 1 < argc && flag == "--dump") {
      dump_dir = argv[++i];
      show_failures = true;
    } else {
      std::cerr << "usage: bench_mrz_read [--pages N] [--seed S] [--model PATH] [--failures] [--dump DIR] [--tesseract]\n";
      return 2;
    }
  }
  const long rss_before = bench::memory_kb("VmRSS");
  const mrz::optical::Reader reader(model);
  const long rss_loaded = bench::memory_kb("VmRSS");
  tesseract::TessBaseAPI tess;
  if (with_tesseract) {
    if (tess.Init(nullptr, "eng", tesseract::OEM_LSTM_ONLY) != 0) {
      std::cerr << "bench_mrz_read: cannot start Tesseract (tesseract-ocr-eng)\n";
      return 1;
    }
    tess.SetPageSegMode(tesseract::PSM_SINGLE_BLOCK);
    tess.SetVariable("tessedit_char_whitelist", "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<");
  }
  std::vector<double> tesseract_times;
  int tesseract_exact = 0;
  const mrz::Format formats[] = {mrz::Format::TD3, mrz::Format::TD1, mrz::Format::TD2, mrz::Format::MRVA, mrz::Format::MRVB};
  std::map<std::string, Tally> by_format, by_degradation, by_rotation;
  std::vector<double> times;
  std::mt19937 rng(seed);
  mrz::optical::ReadOptions options;
  options.parse.as_of = std::chrono::year_month_day{std::chrono::year{2026}, std::chrono::month{11}, std::chrono::day{23}};
  for (int i = 0; i < pages; ++i) {
    mrz::synth::PageSpec spec;
    spec.fields = mrz::synth::random_fields(rng, formats[i % 5]);
    spec.degradation = static_cast<mrz::synth::Degradation>((i / 5) % 4);
    spec.ink = static_cast<mrz::synth::InkStyle>(rng() % 3);
    spec.rotation = static_cast<int>((i / 20) % 4) * 90;
    spec.seed = seed * 7919U + static_cast<std::uint32_t>(i);
    const auto page = mrz::synth::render_page(spec);
    const auto result = reader.read(page.image, options);
    times.push_back(result.elapsed_ms);
    if (with_tesseract) {
      const auto run = tesseract_on(tess, page);
      tesseract_times.push_back(run.ms);
      tesseract_exact += run.exact ? 1 : 0;
    }

    Tally t;
    t.pages = 1;
    const auto& lines = result.mrz.lines;
    const bool found = result.status == mrz::optical::ReadStatus::Valid ||
                       result.status == mrz::optical::ReadStatus::NeedsReview ||
                       result.status == mrz::optical::ReadStatus::Invalid;
    t.not_found = found ? 0 : 1;
    t.exact = found && lines == page.mrz_lines ? 1 : 0;
    t.wrong_but_valid = result.status == mrz::optical::ReadStatus::Valid && lines != page.mrz_lines ? 1 : 0;
    t.review = result.status == mrz::optical::ReadStatus::NeedsReview ? 1 : 0;
    for (std::size_t l = 0; l < page.mrz_lines.size(); ++l) {
      for (std::size_t c = 0; c < page.mrz_lines[l].size(); ++c) {
        ++t.characters;
        if (found && l < lines.size() && c < lines[l].size() && lines[l][c] == page.mrz_lines[l][c]) ++t.characters_right;
      }
    }
    by_format[std::string(mrz::to_string(spec.fields.format))].add(t);
    by_degradation[std::string(mrz::synth::to_string(spec.degradation))].add(t);
    by_rotation[std::to_string(spec.rotation) + " degrees"].add(t);
    if (show_failures && (!t.exact || t.review)) {
      std::cerr << "page " << i << " " << mrz::to_string(spec.fields.format) << " " << mrz::synth::to_string(spec.degradation)
                << " rot " << spec.rotation << " ink " << mrz::synth::to_string(spec.ink) << " -> "
                << mrz::optical::to_string(result.status) << " orientation " << result.orientation << " conf "
                << result.mean_character_confidence << "\n";
      for (std::size_t l = 0; l < page.mrz_lines.size(); ++l) {
        std::cerr << "  truth " << page.mrz_lines[l] << "\n  read  " << (l < lines.size() ? lines[l] : "") << "\n";
      }
      // What the classifier said about each wrongly read cell: its candidates with probabilities.
      for (std::size_t l = 0; l < page.mrz_lines.size() && l < lines.size() && l < result.cells.size(); ++l) {
        for (std::size_t c = 0; c < page.mrz_lines[l].size() && c < lines[l].size() && c < result.cells[l].size(); ++c) {
          const bool unsure = !result.cells[l][c].empty() && std::exp(-result.cells[l][c].front().cost) < 0.85;
          if (lines[l][c] == page.mrz_lines[l][c] && !unsure) continue;
          std::cerr << "  cell " << l + 1 << ":" << c + 1 << " " << page.mrz_lines[l][c] << "->" << lines[l][c];
          bench::print_candidates(std::cerr, result.cells[l][c]);
        }
      }
      bench::print_uncertain(std::cerr, result.mrz.uncertain_fields, "  ");
      if (!dump_dir.empty()) cv::imwrite(dump_dir + "/page-" + std::to_string(i) + ".png", page.image);
    }
  }
  std::printf("| %-22s | %5s | %8s | %7s | %7s | %5s | %9s |\n", "pages", "n", "exact", "wrong+v", "review", "miss",
              "chars");
  std::printf("|---|---:|---:|---:|---:|---:|---:|\n");
  Tally all;
  for (const auto& [name, t] : by_format) {
    print_row(name, t);
    all.add(t);
  }
  for (const auto& [name, t] : by_degradation) print_row(name, t);
  for (const auto& [name, t] : by_rotation) print_row(name, t);
  print_row("all", all);
  std::printf("time per page: median %.1f ms, p95 %.1f ms, max %.1f ms (one core)\n", bench::percentile(times, 0.5),
              bench::percentile(times, 0.95), bench::percentile(times, 1.0));
  std::printf("memory: resident set %.1f MB after loading the model (+%.1f MB for the model)\n", rss_loaded / 1024.0,
              (rss_loaded - rss_before) / 1024.0);
  if (with_tesseract) {
    std::printf("stock Tesseract (eng LSTM, one thread) on a perfect MRZ crop of the same pages: %d/%d exact, "
                "median %.1f ms per crop; reader/Tesseract median time ratio %.2f\n",
                tesseract_exact, pages, bench::percentile(tesseract_times, 0.5),
                bench::percentile(times, 0.5) / std::max(1e-9, bench::percentile(tesseract_times, 0.5)));
  }
  return 0;
}
