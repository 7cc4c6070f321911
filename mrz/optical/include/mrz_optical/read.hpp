// The optical MRZ reader: a page image in, a validated MRZ out. One call, mrz::optical::read().
#pragma once

#include <array>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "mrz/repair.hpp"

namespace mrz::optical {

struct ReadOptions {
  std::vector<Format> expected;            // layouts to consider; empty = all five
  std::optional<cv::Rect2f> region_hint;   // where the MRZ usually is, as fractions of the page
  double time_budget_ms = 0;               // 0 = no limit; past it the reader stops trying alternatives
  ParseOptions parse;
  int max_changes_per_check = 1;           // see RepairOptions
  float unsure_cost = RepairOptions{}.unsure_cost;  // see RepairOptions
};

enum class ReadStatus {
  Valid,        // an MRZ was read, every check passes and every character is vouched for
  NeedsReview,  // every check passes, but a field was hard to read and no check digit confirms it
                // (mrz.uncertain_fields): the inspector compares those fields with the page
  Invalid,      // an MRZ was read but a check fails (shown with its problems)
  NotFound,   // no MRZ on the image
  Unusable,   // the input is not a usable image (empty, too large, undecodable)
};

std::string_view to_string(ReadStatus status);

// What a repaired reading amounts to: Invalid when a check fails, NeedsReview when every check
// passes but a field is uncertain, else Valid.
ReadStatus status_of(const Repaired& mrz);

struct ReadResult {
  ReadStatus status = ReadStatus::NotFound;
  std::string message;                         // why, for NotFound and Unusable
  Repaired mrz;                                // lines, repairs, confidences and the parsed document
  std::array<cv::Point2f, 4> quad{};           // MRZ corners in page pixels (text's TL, TR, BR, BL)
  int orientation = 0;                         // clockwise rotation of the page content: 0, 90, 180, 270
  double mean_character_confidence = 0;        // 0..1, from the classifier
  CellCandidates cells;                        // what the classifier saw, per cell
  double elapsed_ms = 0;
};

// Holds the OCR-B classifier; load once, read many pages (thread-safe for concurrent reads).
class Reader {
 public:
  // Loads the model from `model_path`, or from the default location (BORDERPOST_OCRB_MODEL in the
  // environment, else the file the build trained). Throws std::runtime_error if it cannot.
  explicit Reader(const std::string& model_path = {});
  ~Reader();
  Reader(Reader&&) noexcept;
  Reader& operator=(Reader&&) noexcept;

  ReadResult read(const cv::Mat& image, const ReadOptions& options = {}) const;
  // Decodes an image file with limits on its size; a broken file gives ReadStatus::Unusable.
  ReadResult read_file(const std::string& path, const ReadOptions& options = {}) const;
  // The same for an encoded image in memory (PNG, JPEG, TIFF, BMP, ...).
  ReadResult read_encoded(const std::vector<unsigned char>& bytes, const ReadOptions& options = {}) const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

// An encoded page image decoded with the reader's limits (format, completeness, pixel count):
// the image, or empty with the reason.
struct DecodedPage {
  cv::Mat image;
  std::string problem;
};
DecodedPage decode_page(const std::vector<unsigned char>& bytes);

// A process-wide reader with the default model.
const Reader& default_reader();

// The front door of the design: read(image, options) with the default reader.
inline ReadResult read(const cv::Mat& image, const ReadOptions& options = {}) {
  return default_reader().read(image, options);
}

// Images larger than this are refused as unusable: a 300-dpi A4 page is ~8.7 megapixels, a 600-dpi
// ID-1 card ~3.7, a phone camera frame 12-24; the cap keeps a decoded float image under ~400 MB.
inline constexpr long long kMaxPixels = 25'000'000;

std::string default_model_path();

}  // namespace mrz::optical
