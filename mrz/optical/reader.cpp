// mrz::optical::read(): locate, try each orientation and layout, classify every cell, keep the
// reading the classifier is most sure of, then repair it with the text engine.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "classifier.hpp"
#include "encoded_image.hpp"
#include "mrz_optical/read.hpp"
#include "pipeline.hpp"

#ifndef BORDERPOST_OCRB_MODEL
#define BORDERPOST_OCRB_MODEL ""
#endif

namespace mrz::optical {

std::string_view to_string(ReadStatus status) {
  switch (status) {
    case ReadStatus::Valid: return "valid";
    case ReadStatus::NeedsReview: return "needs_review";
    case ReadStatus::Invalid: return "invalid";
    case ReadStatus::NotFound: return "not_found";
    case ReadStatus::Unusable: return "unusable";
  }
  return "unusable";
}

// Valid only when nothing is left for a person to check: a passing MRZ with an uncertain field
// must not pass for a confirmed one.
ReadStatus status_of(const Repaired& mrz) {
  if (!mrz.document.valid()) return ReadStatus::Invalid;
  return mrz.uncertain_fields.empty() ? ReadStatus::Valid : ReadStatus::NeedsReview;
}

std::string default_model_path() {
  if (const char* env = std::getenv("BORDERPOST_OCRB_MODEL"); env != nullptr && *env != '\0') return env;
  return BORDERPOST_OCRB_MODEL;
}

namespace {

using Clock = std::chrono::steady_clock;

std::string oversize_message(std::int64_t width, std::int64_t height) {
  std::string message = "the image has ";
  message.append(std::to_string(width)).append("x").append(std::to_string(height));
  message.append(" pixels, more than a document page can have (limit ");
  message.append(std::to_string(kMaxPixels / 1'000'000)).append(" megapixels)");
  return message;
}

constexpr int kCandidatesTried = 6;
constexpr int kAlternatives = 4;          // candidates kept per cell
constexpr float kMinProbability = 1e-4F;  // floor for costs
// A glyph this far from every prototype (a cell cut through two characters at a warped line's
// end, a smudge) is no clean OCR-B character, however sure the SVM is of it: its candidates'
// probabilities are discounted so that the repair treats the cell as one it was unsure of. Not for
// fillers: cells at a line's end often look a little odd, and '<' is too simple a shape to be
// another character's misread.
constexpr float kStrangeGlyph = 12.0F;
constexpr float kStrangeDiscount = 0.8F;
// Hypotheses of one candidate the network reads: the most typical, and a runner-up only when its
// glyphs are nearly as typical (a symmetric MRZ such as all zeros and fillers reads alike both ways up).
constexpr std::size_t kHypothesesRead = 3;
constexpr double kTypicalityMargin = 1.6;

double elapsed_ms(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// One way of reading a candidate: orientation, layout, and what the classifier said.
struct Hypothesis {
  int characters = 0;
  bool upside_down = false;
  detail::Crop crop;
  std::vector<detail::Line> lines;
  cv::Mat features;                // one row per cell
  std::vector<float> strangeness;  // per cell, from the prototypes
  CellCandidates cells;
  Repaired repaired;
  double mean_log_probability = -INFINITY;
  double mean_best_probability = 0;
  double mean_strangeness = INFINITY;
  double score = -INFINITY;  // what hypotheses are ranked by: sure and typical glyphs
  bool quarter_turn = false;
};

bool allowed(const ReadOptions& options, int characters, int line_count) {
  if (options.expected.empty()) return true;
  for (const auto f : options.expected) {
    if (line_count == 3 && f == Format::TD1) return true;
    if (line_count == 2 && characters == 44 && (f == Format::TD3 || f == Format::MRVA)) return true;
    if (line_count == 2 && characters == 36 && (f == Format::TD2 || f == Format::MRVB)) return true;
  }
  return false;
}

// Beyond check digits: a real MRZ has known state codes and a document code that fits its layout.
// The parser already judges both; any problem it found with such a field costs the reading.
double plausibility(const Document& doc) {
  double score = 0;
  for (const char* field : {"issuing_state", "nationality", "document_code"}) {
    const bool clean = std::none_of(doc.problems.begin(), doc.problems.end(),
                                    [&](const Problem& p) { return p.field == field; });
    if (clean) score += 0.5;
  }
  return score;
}

}  // namespace

struct Reader::Impl {
  explicit Impl(const std::string& path) : classifier(path) {}
  detail::Classifier classifier;

  // Cuts the cells of a hypothesis and measures how typical its glyphs are: cheap, no network.
  void measure(Hypothesis& h) const {
    h.features = detail::grid_features(h.crop.image, h.lines, h.characters);
    h.strangeness = classifier.strangeness(h.features);
    // Glyphs far from every prototype are not OCR-B characters: misaligned cells or other text.
    double strange_sum = 0;
    for (const float s : h.strangeness) strange_sum += std::min(s, 20.0F);
    h.mean_strangeness = strange_sum / h.features.rows;
  }

  // The network's reading of a measured hypothesis: cells, confidence figures, repair and score.
  void classify(Hypothesis& h, const ReadOptions& options) const {
    const int count = h.features.rows;
    const cv::Mat p = classifier.probabilities(h.features);
    h.cells.assign(h.lines.size(), {});
    double log_sum = 0;
    double best_sum = 0;
    int row = 0;
    for (std::size_t l = 0; l < h.lines.size(); ++l) {
      for (int i = 0; i < h.characters; ++i, ++row) {
        const float* probs = p.ptr<float>(row);
        std::vector<int> order(detail::kClassCount);
        for (int c = 0; c < detail::kClassCount; ++c) order[c] = c;
        std::partial_sort(order.begin(), order.begin() + kAlternatives, order.end(),
                          [&](int a, int b) { return probs[a] > probs[b]; });
        std::vector<mrz::Candidate> cell;
        const bool strange = h.strangeness[static_cast<std::size_t>(row)] > kStrangeGlyph &&
                             detail::kClasses[order[0]] != '<';
        const float trust = strange ? kStrangeDiscount : 1.0F;
        for (int k = 0; k < kAlternatives; ++k) {
          const float prob = std::max(trust * probs[order[k]], kMinProbability);
          cell.push_back(mrz::Candidate{detail::kClasses[order[k]], -std::log(prob)});
        }
        log_sum += std::log(std::max(probs[order[0]], kMinProbability));
        best_sum += probs[order[0]];
        h.cells[l].push_back(std::move(cell));
      }
    }
    h.mean_log_probability = log_sum / count;
    h.mean_best_probability = best_sum / count;
    h.score = h.mean_log_probability - 0.5 * h.mean_strangeness;
    // The text engine is the strongest judge of a layout guess: a wrong grid or layout reads as
    // glyph soup whose check digits fail. Confidence breaks the ties.
    h.repaired = repair(h.cells, RepairOptions{options.parse, options.max_changes_per_check, options.unsure_cost});
    const auto& checks = h.repaired.document.checks;
    const double passed = checks.empty() ? 0.0
                                         : static_cast<double>(std::count_if(checks.begin(), checks.end(),
                                                                             [](const CheckDigit& c) { return c.ok; })) /
                                               static_cast<double>(checks.size());
    h.score += 3.0 * passed + (h.repaired.document.valid() ? 1.0 : 0.0) + plausibility(h.repaired.document);
    if (std::getenv("BORDERPOST_DEBUG_READ")) {
      std::fprintf(stderr, "hypothesis lines=%zu chars=%d upside_down=%d logp=%.3f best=%.3f strange=%.2f score=%.3f\n",
                   h.lines.size(), h.characters, h.upside_down ? 1 : 0, h.mean_log_probability, h.mean_best_probability,
                   h.mean_strangeness, h.score);
    }
  }

  // Every layout the bands of one crop allow, measured.
  void gather(const detail::Crop& crop, const detail::Candidate& candidate, bool upside_down,
              const ReadOptions& options, std::vector<Hypothesis>& out) const {
    const auto bands = detail::find_lines(crop);
    std::vector<std::pair<int, int>> layouts;  // (lines, characters)
    if (bands.size() >= 3) layouts.emplace_back(3, 30);
    if (bands.size() >= 2) {
      const auto two = detail::pick_lines(bands, 2);
      for (const int width : detail::two_line_widths(crop, two[0], two[1])) layouts.emplace_back(2, width);
    }
    for (const auto& [line_count, characters] : layouts) {
      if (!allowed(options, characters, line_count)) continue;
      Hypothesis h;
      h.upside_down = upside_down;
      h.quarter_turn = candidate.quarter_turn;
      h.crop = crop;
      h.characters = characters;
      h.lines = detail::fit_grid(crop, bands, line_count, characters);
      if (h.lines.empty()) continue;
      measure(h);
      out.push_back(std::move(h));
    }
  }

  // The hypotheses of one candidate, both ways up: the network reads only the most typical ones
  // (a wrong orientation or layout cuts glyphs no prototype resembles), the best replaces `best`.
  void read_candidate(const cv::Mat& gray, const detail::Candidate& candidate, const ReadOptions& options,
                      Hypothesis& best) const {
    const auto upright = detail::normalised_crop(gray, candidate);
    std::vector<Hypothesis> hypotheses;
    gather(upright, candidate, false, options, hypotheses);
    gather(detail::turned_around(upright), candidate, true, options, hypotheses);
    std::sort(hypotheses.begin(), hypotheses.end(),
              [](const Hypothesis& a, const Hypothesis& b) { return a.mean_strangeness < b.mean_strangeness; });
    for (std::size_t i = 0; i < hypotheses.size() && i < kHypothesesRead; ++i) {
      auto& h = hypotheses[i];
      if (i > 0 && h.mean_strangeness > kTypicalityMargin * hypotheses[0].mean_strangeness + 0.5) break;
      classify(h, options);
      if (h.score > best.score) best = std::move(h);
    }
  }
};

Reader::Reader(const std::string& model_path)
    : impl_(std::make_unique<Impl>(model_path.empty() ? default_model_path() : model_path)) {}
Reader::~Reader() = default;
Reader::Reader(Reader&&) noexcept = default;
Reader& Reader::operator=(Reader&&) noexcept = default;

ReadResult Reader::read(const cv::Mat& image, const ReadOptions& options) const {
  const auto start = Clock::now();
  ReadResult result;
  auto finish = [&](ReadStatus status, std::string message) {
    result.status = status;
    result.message = std::move(message);
    result.elapsed_ms = elapsed_ms(start);
    return result;
  };
  if (image.empty() || image.cols < 16 || image.rows < 16) return finish(ReadStatus::Unusable, "the image is empty");
  if (static_cast<long long>(image.cols) * image.rows > kMaxPixels) {
    return finish(ReadStatus::Unusable, oversize_message(image.cols, image.rows));
  }
  cv::Mat gray;
  if (image.channels() == 3) {
    cv::cvtColor(image, gray, cv::COLOR_BGR2GRAY);
  } else if (image.channels() == 4) {
    cv::cvtColor(image, gray, cv::COLOR_BGRA2GRAY);
  } else if (image.channels() == 1) {
    gray = image;
  } else {
    return finish(ReadStatus::Unusable, "the image has " + std::to_string(image.channels()) + " channels");
  }
  if (gray.depth() != CV_8U) {
    double lo = 0;
    double hi = 0;
    cv::minMaxLoc(gray, &lo, &hi);
    gray.convertTo(gray, CV_8U, hi > lo ? 255.0 / (hi - lo) : 1.0, hi > lo ? -lo * 255.0 / (hi - lo) : 0.0);
  }

  // The MRZ is looked for with its text at the size the filters expect for a document that fills
  // the image; when that finds nothing valid or confidently read, again at twice the size, for a
  // document that fills little of a phone photo or a small image of a whole booklet. (A document
  // printed with a wrong check digit reads confidently and invalid: a larger search would find it again.)
  const double long_side = std::max(gray.cols, gray.rows);
  const double sides[] = {std::min(detail::kWorkingSide, long_side),
                          (long_side > 1.4 * detail::kWorkingSide ? 2.0 : 1.7) * detail::kWorkingSide};
  Hypothesis best;
  for (const double side : sides) {
    if (best.repaired.document.valid() || best.mean_best_probability > 0.9) break;
    if (options.time_budget_ms > 0 && elapsed_ms(start) > options.time_budget_ms) break;
    const auto candidates = detail::locate(gray, options.region_hint ? &*options.region_hint : nullptr, side);
    int tried = 0;
    for (const auto& candidate : candidates) {
      if (tried++ >= kCandidatesTried) break;
      impl_->read_candidate(gray, candidate, options, best);
      // A valid, confident reading needs no further candidates; nor does an exhausted time budget.
      if (best.repaired.document.valid() && best.mean_best_probability > 0.9) break;
      if (options.time_budget_ms > 0 && elapsed_ms(start) > options.time_budget_ms) break;
    }
  }
  if (best.cells.empty() || best.mean_best_probability < 0.35 || best.mean_strangeness > 25.0) {
    return finish(ReadStatus::NotFound, "no machine-readable zone found on the image");
  }

  result.cells = best.cells;
  result.mrz = std::move(best.repaired);
  result.mean_character_confidence = best.mean_best_probability;
  const auto box = detail::text_box(best.lines, best.characters);
  for (int i = 0; i < 4; ++i) {
    const cv::Vec3d p = best.crop.to_page * cv::Vec3d(box[i].x, box[i].y, 1.0);
    result.quad[i] = cv::Point2f(static_cast<float>(p[0] / p[2]), static_cast<float>(p[1] / p[2]));
  }
  // Orientation: how far the page content is turned clockwise.
  result.orientation = best.quarter_turn ? (best.upside_down ? 270 : 90) : (best.upside_down ? 180 : 0);
  return finish(status_of(result.mrz), {});
}

ReadResult Reader::read_encoded(const std::vector<unsigned char>& bytes, const ReadOptions& options) const {
  auto decoded = decode_page(bytes);
  if (decoded.image.empty()) {
    ReadResult result;
    result.status = ReadStatus::Unusable;
    result.message = std::move(decoded.problem);
    return result;
  }
  return read(decoded.image, options);
}

DecodedPage decode_page(const std::vector<unsigned char>& bytes) {
  DecodedPage page;
  if (bytes.empty()) {
    page.problem = "the image data is empty";
    return page;
  }
  const std::span<const std::uint8_t> encoded(bytes.data(), bytes.size());
  if (detail::sniff_format(encoded) == detail::ImageFormat::Unsupported) {
    page.problem = "not a supported image (PNG, JPEG, TIFF, BMP or WebP)";
    return page;
  }
  if (auto why = detail::truncation(encoded); !why.empty()) {
    page.problem = std::move(why);
    return page;
  }
  // Refused from the header, before the decoder allocates the bitmap it announces.
  const auto size = detail::announced_size(encoded);
  if (!size || size->width <= 0 || size->height <= 0) {
    page.problem = "the image header is damaged (no readable pixel size)";
    return page;
  }
  if (size->width > kMaxPixels || size->height > kMaxPixels || size->width * size->height > kMaxPixels) {
    page.problem = oversize_message(size->width, size->height);
    return page;
  }
  try {
    page.image = cv::imdecode(bytes, cv::IMREAD_COLOR);
  } catch (const cv::Exception& e) {
    page.problem = std::string("the image cannot be decoded: ") + e.what();
    return page;
  }
  if (page.image.empty()) page.problem = "the image data is corrupt and cannot be decoded";
  return page;
}

ReadResult Reader::read_file(const std::string& path, const ReadOptions& options) const {
  ReadResult result;
  result.status = ReadStatus::Unusable;
  std::ifstream file(path, std::ios::binary | std::ios::ate);
  if (!file) {
    result.message = "cannot open " + path;
    return result;
  }
  const auto size = static_cast<long long>(file.tellg());
  if (size <= 0) {
    result.message = path + " is empty";
    return result;
  }
  if (size > 200LL * 1024 * 1024) {
    result.message = path + " is larger than 200 MB";
    return result;
  }
  std::vector<unsigned char> bytes(static_cast<std::size_t>(size));
  file.seekg(0);
  file.read(reinterpret_cast<char*>(bytes.data()), size);
  result = read_encoded(bytes, options);
  if (result.status == ReadStatus::Unusable) result.message = path + ": " + result.message;
  return result;
}

const Reader& default_reader() {
  static const Reader reader;
  return reader;
}

}  // namespace mrz::optical
