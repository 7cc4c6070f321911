// Reading the image sets: truth.json, PassportEye's naming, .mrz files beside pages.
#include "image_sets.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

namespace mrz::optical::sets {
namespace fs = std::filesystem;
namespace {

bool is_image(const fs::path& p) {
  static const std::vector<std::string> kinds = {".jpg", ".jpeg", ".png", ".webp", ".tif", ".tiff", ".bmp"};
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return std::find(kinds.begin(), kinds.end(), ext) != kinds.end();
}

std::vector<fs::path> sorted_images(const fs::path& dir) {
  std::vector<fs::path> paths;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.is_regular_file() && is_image(entry.path())) paths.push_back(entry.path());
  }
  std::sort(paths.begin(), paths.end());
  return paths;
}

}  // namespace

std::vector<std::string> mrz_file(const fs::path& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

std::vector<Image> real_mrz(const fs::path& dir, std::string_view split) {
  std::ifstream in(dir / "truth.json");
  if (!in) throw std::runtime_error("cannot open " + (dir / "truth.json").string());
  std::vector<Image> out;
  for (const auto& entry : nlohmann::json::parse(in)) {
    if (entry.at("split").get<std::string>() != split) continue;
    out.push_back({dir / entry.at("image").get<std::string>(), entry.at("mrz").get<std::vector<std::string>>()});
  }
  return out;
}

std::vector<Image> passporteye(const fs::path& dir, bool documents) {
  std::vector<Image> out;
  for (const auto& path : sorted_images(dir)) {
    const auto name = path.filename().string();
    const bool document = std::isdigit(static_cast<unsigned char>(name[0])) != 0 || name.rfind("passport-", 0) == 0;
    if (document != documents) continue;
    out.push_back({path, documents ? std::nullopt : std::optional<std::vector<std::string>>(std::vector<std::string>{})});
  }
  return out;
}

std::vector<Image> pages_with_truth(const fs::path& dir) {
  std::vector<Image> out;
  for (const auto& path : sorted_images(dir)) {
    auto truth = path;
    truth.replace_extension(".mrz");
    if (fs::exists(truth)) out.push_back({path, mrz_file(truth)});
  }
  return out;
}

std::vector<Image> images(const fs::path& dir) {
  std::vector<Image> out;
  for (const auto& path : sorted_images(dir)) out.push_back({path, std::nullopt});
  return out;
}

}  // namespace mrz::optical::sets
