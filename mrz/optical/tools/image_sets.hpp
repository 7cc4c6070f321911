// Document images with their true MRZ, as the trainer, the benchmarks and the blackbox tests read
// them: the shared real-mrz set (truth.json, fixed train/eval split), PassportEye's test images,
// and folders of pages each beside a .mrz file with its lines.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mrz::optical::sets {

struct Image {
  std::filesystem::path path;
  std::optional<std::vector<std::string>> truth;  // no value: unknown; empty: the image holds no MRZ
};

// The images of one split ("train" or "eval") of real-mrz, in truth.json's order. Throws
// std::runtime_error when truth.json cannot be read.
std::vector<Image> real_mrz(const std::filesystem::path& dir, std::string_view split);

// PassportEye's documents (names start with its score, or "passport-"; truth unknown) or its
// other images (pacman, tesseract-test: no MRZ), sorted by name.
std::vector<Image> passporteye(const std::filesystem::path& dir, bool documents);

// The images of a folder that have a .mrz file beside them, with its lines; sorted by name.
std::vector<Image> pages_with_truth(const std::filesystem::path& dir);

// Every image of a folder, truth unknown; sorted by name.
std::vector<Image> images(const std::filesystem::path& dir);

// The non-empty lines of a .mrz file.
std::vector<std::string> mrz_file(const std::filesystem::path& path);

}  // namespace mrz::optical::sets
