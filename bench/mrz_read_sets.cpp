// The optical reader on image sets it was not built from: the real documents of ../shared/data
// (real-mrz with its hand-checked truth and fixed train/eval split, PassportEye's test images) and
// folders of pages from another renderer (each image beside a .mrz file with its true lines).
// One line per set: how the reads came out, exact reads where the truth is known, silent wrong
// reads (valid but not the truth), and the time per image on one core.
//   bench_mrz_sets [--real-mrz DIR] [--passporteye DIR] [--folder NAME=DIR ...] [--images NAME=DIR ...] [--model PATH]
//                  [--failures] [--json FILE] [--unsure-cost C]
#include <algorithm>
#include <cmath>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "image_sets.hpp"
#include "mrz_optical/read.hpp"
#include "read_report.hpp"

namespace {

namespace fs = std::filesystem;
namespace image_sets = mrz::optical::sets;

struct Set {
  std::string name;
  std::vector<image_sets::Image> images;
};

struct Tally {
  int images = 0;
  int with_truth = 0;
  std::map<mrz::optical::ReadStatus, int> status;
  int exact = 0;
  int silent_wrong = 0;
  std::vector<double> ms;
};

// NAME=DIR, or DIR named by its last component.
std::pair<std::string, fs::path> named_folder(const std::string& spec) {
  const auto eq = spec.find('=');
  if (eq == std::string::npos) return {fs::path(spec).filename().string(), spec};
  return {spec.substr(0, eq), spec.substr(eq + 1)};
}

std::string percent(int n, int of) {
  if (of == 0) return "-";
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%d (%.0f%%)", n, 100.0 * n / of);
  return buffer;
}

}  // namespace

int main(int argc, char** argv) {
  using mrz::optical::ReadStatus;
  std::vector<Set> sets;
  std::string model;
  std::string json_path;
  bool failures = false;
  std::optional<float> unsure_cost;  // the repair's doubt threshold (-ln p), to study its trade-off
  try {
    for (int i = 1; i < argc; ++i) {
      const std::string flag = argv[i];
      if (flag == "--failures") {
        failures = true;
      } else if (i + 1 < argc && flag == "--real-mrz") {
        const fs::path dir = argv[++i];
        for (const char* split : {"eval", "train"}) sets.push_back({std::string("real-mrz ") + split, image_sets::real_mrz(dir, split)});
      } else if (i + 1 < argc && flag == "--passporteye") {
        const fs::path dir = argv[++i];
        sets.push_back({"passporteye documents", image_sets::passporteye(dir, true)});
        // No MRZ: the truth is no lines, and reading any is wrong.
        sets.push_back({"passporteye no MRZ", image_sets::passporteye(dir, false)});
      } else if (i + 1 < argc && flag == "--folder") {
        const auto [name, dir] = named_folder(argv[++i]);
        sets.push_back({name, image_sets::pages_with_truth(dir)});
      } else if (i + 1 < argc && flag == "--images") {
        const auto [name, dir] = named_folder(argv[++i]);
        sets.push_back({name, image_sets::images(dir)});
      } else if (i + 1 < argc && flag == "--model") {
        model = argv[++i];
      } else if (i + 1 < argc && flag == "--unsure-cost") {
        unsure_cost = std::stof(argv[++i]);
      } else if (i + 1 < argc && flag == "--json") {
        json_path = argv[++i];
      } else {
        std::cerr << "usage: bench_mrz_sets [--real-mrz DIR] [--passporteye DIR] [--folder NAME=DIR] [--images NAME=DIR] [--model PATH]"
                     " [--failures] [--json FILE] [--unsure-cost C]\n";
        return 2;
      }
    }
  } catch (const std::exception& e) {
    std::cerr << "bench_mrz_sets: " << e.what() << "\n";
    return 2;
  }
  const mrz::optical::Reader reader(model);
  mrz::optical::ReadOptions options;
  if (unsure_cost) options.unsure_cost = *unsure_cost;
  options.parse.as_of = std::chrono::year_month_day{std::chrono::year{2026}, std::chrono::month{12}, std::chrono::day{1}};
  nlohmann::json report = nlohmann::json::array();
  std::vector<std::pair<std::string, Tally>> tallies;
  for (const auto& set : sets) {
    Tally t;
    int done = 0;
    for (const auto& image : set.images) {
      const auto result = reader.read_file(image.path.string(), options);
      ++t.images;
      ++t.status[result.status];
      t.ms.push_back(result.elapsed_ms);
      bool exact = false;
      if (image.truth) {
        ++t.with_truth;
        exact = result.mrz.lines == *image.truth;
        t.exact += exact ? 1 : 0;
        if (!exact && result.status == ReadStatus::Valid) ++t.silent_wrong;
      }
      if (failures && (!exact || result.status != ReadStatus::Valid)) {
        std::cerr << set.name << " | " << image.path.filename().string() << " | " << to_string(result.status)
                  << (image.truth ? (exact ? " | exact" : " | WRONG") : "") << " | " << result.message << "\n";
        for (std::size_t l = 0; l < std::max(result.mrz.lines.size(), image.truth ? image.truth->size() : 0); ++l) {
          if (image.truth && l < image.truth->size()) std::cerr << "    truth " << (*image.truth)[l] << "\n";
          if (l < result.mrz.lines.size()) std::cerr << "    read  " << result.mrz.lines[l] << "\n";
        }
        // What the repair changed, and what the classifier had said of those cells.
        for (const auto& change : result.mrz.changes) {
          std::cerr << "    changed " << change.field << " " << change.line << ":" << change.position << " " << change.from
                    << "->" << change.to;
          const auto l = static_cast<std::size_t>(change.line - 1);
          const auto c = static_cast<std::size_t>(change.position - 1);
          bench::print_candidates(std::cerr, l < result.cells.size() && c < result.cells[l].size() ? result.cells[l][c]
                                                                                                 : std::vector<mrz::Candidate>{});
        }
        bench::print_uncertain(std::cerr, result.mrz.uncertain_fields, "    ");
      }
      report.push_back({{"set", set.name},
                        {"image", image.path.filename().string()},
                        {"status", to_string(result.status)},
                        {"exact", image.truth ? nlohmann::json(exact) : nlohmann::json()},
                        {"lines", result.mrz.lines},
                        {"truth", image.truth ? nlohmann::json(*image.truth) : nlohmann::json()},
                        {"uncertain", result.mrz.uncertain_fields},
                        {"costs", bench::chosen_costs(result.mrz.lines, result.cells)},
                        {"ms", result.elapsed_ms}});
      if (++done % 20 == 0) std::cerr << "bench_mrz_sets: " << set.name << " " << done << "/" << set.images.size() << "\r";
    }
    tallies.emplace_back(set.name, std::move(t));
  }
  std::printf("| set | images | valid | needs_review | invalid | not_found | exact | silent wrong | median ms | p95 ms |\n");
  std::printf("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
  for (const auto& entry_name : tallies) {  // named, not bound: clang 14 lambdas cannot capture bindings
    const auto& name = entry_name.first;
    const auto& t = entry_name.second;
    auto count = [&](ReadStatus s) {
      const auto it = t.status.find(s);
      return it == t.status.end() ? 0 : it->second;
    };
    const int not_found = count(ReadStatus::NotFound) + count(ReadStatus::Unusable);
    std::printf("| %s | %d | %s | %s | %s | %s | %s | %s | %.0f | %.0f |\n", name.c_str(), t.images,
                percent(count(ReadStatus::Valid), t.images).c_str(), percent(count(ReadStatus::NeedsReview), t.images).c_str(),
                percent(count(ReadStatus::Invalid), t.images).c_str(), percent(not_found, t.images).c_str(),
                t.with_truth ? percent(t.exact, t.with_truth).c_str() : "-",
                t.with_truth ? std::to_string(t.silent_wrong).c_str() : "-", bench::percentile(t.ms, 0.5), bench::percentile(t.ms, 0.95));
  }
  std::printf("peak resident memory: %.1f MB\n", static_cast<double>(bench::memory_kb("VmHWM")) / 1024.0);
  if (!json_path.empty()) std::ofstream(json_path) << report.dump(1) << "\n";
  return 0;
}
