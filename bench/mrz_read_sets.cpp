// The optical reader on image sets it was not built from: the real documents of ../shared/data
// (real-mrz with its hand-checked truth and fixed train/eval split, PassportEye's test images) and
// folders of pages from another renderer (each image beside a .mrz file with its true lines).
// One line per set: how the reads came out, exact reads where the truth is known, silent wrong
// reads (valid but not the truth), and the time per image on one core.
//   bench_mrz_sets [--real-mrz DIR] [--passporteye DIR] [--folder NAME=DIR ...] [--images NAME=DIR ...] [--model PATH]
//                  [--failures] [--json FILE]
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

#include "mrz_optical/read.hpp"
#include "read_report.hpp"

namespace {

namespace fs = std::filesystem;

struct Image {
  fs::path path;
  std::optional<std::vector<std::string>> truth;
};

struct Set {
  std::string name;
  std::vector<Image> images;
};

struct Tally {
  int images = 0;
  int with_truth = 0;
  std::map<mrz::optical::ReadStatus, int> status;
  int exact = 0;
  int silent_wrong = 0;
  std::vector<double> ms;
};

bool is_image(const fs::path& p) {
  static const std::vector<std::string> kinds = {".jpg", ".jpeg", ".png", ".webp", ".tif", ".tiff", ".bmp"};
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return std::find(kinds.begin(), kinds.end(), ext) != kinds.end();
}

std::vector<std::string> read_lines(const fs::path& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

std::vector<fs::path> sorted_images(const fs::path& dir) {
  std::vector<fs::path> paths;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.is_regular_file() && is_image(entry.path())) paths.push_back(entry.path());
  }
  std::sort(paths.begin(), paths.end());
  return paths;
}

// real-mrz: truth.json lists {image, mrz, split}; one set per split.
std::vector<Set> real_mrz_sets(const fs::path& dir) {
  std::ifstream in(dir / "truth.json");
  if (!in) throw std::runtime_error("cannot open " + (dir / "truth.json").string());
  const auto truth = nlohmann::json::parse(in);
  std::map<std::string, Set> by_split;
  for (const auto& entry : truth) {
    const std::string split = entry.at("split");
    auto& set = by_split[split];
    set.name = "real-mrz " + split;
    set.images.push_back({dir / entry.at("image").get<std::string>(), entry.at("mrz").get<std::vector<std::string>>()});
  }
  std::vector<Set> sets;
  for (auto& [split, set] : by_split) sets.push_back(std::move(set));
  return sets;
}

// PassportEye's test images: documents (their names start with PassportEye's score, or
// "passport-") and images with no MRZ at all (pacman, tesseract-test), where not_found is right.
std::vector<Set> passporteye_sets(const fs::path& dir) {
  Set documents{"passporteye documents", {}};
  Set others{"passporteye no MRZ", {}};
  for (const auto& path : sorted_images(dir)) {
    const auto name = path.filename().string();
    const bool document = std::isdigit(static_cast<unsigned char>(name[0])) != 0 || name.rfind("passport-", 0) == 0;
    // No MRZ: the truth is no lines, and reading any is wrong.
    if (document) documents.images.push_back({path, std::nullopt});
    else others.images.push_back({path, std::vector<std::string>{}});
  }
  return {documents, others};
}

// NAME=DIR; with_truth: each image has a .mrz file beside it (images without one are skipped).
Set folder_set(const std::string& spec, bool with_truth) {
  const auto eq = spec.find('=');
  Set set;
  set.name = eq == std::string::npos ? fs::path(spec).filename().string() : spec.substr(0, eq);
  const fs::path dir = eq == std::string::npos ? spec : spec.substr(eq + 1);
  for (const auto& path : sorted_images(dir)) {
    Image image{path, std::nullopt};
    if (with_truth) {
      auto truth_path = path;
      truth_path.replace_extension(".mrz");
      if (!fs::exists(truth_path)) continue;
      image.truth = read_lines(truth_path);
    }
    set.images.push_back(std::move(image));
  }
  return set;
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
  try {
    for (int i = 1; i < argc; ++i) {
      const std::string flag = argv[i];
      if (flag == "--failures") {
        failures = true;
      } else if (i + 1 < argc && flag == "--real-mrz") {
        for (auto& s : real_mrz_sets(argv[++i])) sets.push_back(std::move(s));
      } else if (i + 1 < argc && flag == "--passporteye") {
        for (auto& s : passporteye_sets(argv[++i])) sets.push_back(std::move(s));
      } else if (i + 1 < argc && flag == "--folder") {
        sets.push_back(folder_set(argv[++i], true));
      } else if (i + 1 < argc && flag == "--images") {
        sets.push_back(folder_set(argv[++i], false));
      } else if (i + 1 < argc && flag == "--model") {
        model = argv[++i];
      } else if (i + 1 < argc && flag == "--json") {
        json_path = argv[++i];
      } else {
        std::cerr << "usage: bench_mrz_sets [--real-mrz DIR] [--passporteye DIR] [--folder NAME=DIR] [--images NAME=DIR] [--model PATH]"
                     " [--failures] [--json FILE]\n";
        return 2;
      }
    }
  } catch (const std::exception& e) {
    std::cerr << "bench_mrz_sets: " << e.what() << "\n";
    return 2;
  }
  const mrz::optical::Reader reader(model);
  mrz::optical::ReadOptions options;
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
                        {"ms", result.elapsed_ms}});
      if (++done % 20 == 0) std::cerr << "bench_mrz_sets: " << set.name << " " << done << "/" << set.images.size() << "\r";
    }
    tallies.emplace_back(set.name, std::move(t));
  }
  std::printf("| set | images | valid | needs_review | invalid | not_found | exact | silent wrong | median ms | p95 ms |\n");
  std::printf("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
  for (const auto& [name, t] : tallies) {
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
