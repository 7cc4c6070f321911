// From a located block to character cells: an upright crop at a normalised scale, text bands from
// the row profile, and the fixed pitch fitted to the gaps of the column profile.
#include <algorithm>
#include <cmath>

#include <opencv2/imgproc.hpp>

#include "pipeline.hpp"

namespace mrz::optical::detail {
namespace {

constexpr float kGlyphFraction = 0.62F;     // OCR-B glyph width as a fraction of the pitch
constexpr float kBorderWindow = 0.15F;      // half a cell-border window, in pitches (the gap is ~0.38)

float distance(cv::Point2f a, cv::Point2f b) { return std::hypot(a.x - b.x, a.y - b.y); }

// Linear interpolation of a profile at a fractional index; outside counts as empty.
float sample(const std::vector<float>& profile, float x) {
  if (x < 0 || x > static_cast<float>(profile.size() - 1)) return 0.0F;
  const auto i = static_cast<std::size_t>(x);
  const float t = x - static_cast<float>(i);
  const float next = i + 1 < profile.size() ? profile[i + 1] : profile[i];
  return profile[i] * (1 - t) + next * t;
}

std::vector<float> smooth(const std::vector<float>& values, int radius) {
  std::vector<float> out(values.size(), 0.0F);
  for (std::size_t i = 0; i < values.size(); ++i) {
    float sum = 0;
    int n = 0;
    for (int k = -radius; k <= radius; ++k) {
      const auto j = static_cast<long>(i) + k;
      if (j < 0 || j >= static_cast<long>(values.size())) continue;
      sum += values[static_cast<std::size_t>(j)];
      ++n;
    }
    out[i] = sum / static_cast<float>(n);
  }
  return out;
}

// Dark areas at the crop's border (scanner glass, the document's edge, a photo's corner): ink
// components that touch the border and are far bigger than a glyph. Empty when there are none.
cv::Mat border_clutter(const cv::Mat& mask) {
  cv::Mat labels, stats, centroids;
  const int count = cv::connectedComponentsWithStats(mask, labels, stats, centroids, 8, CV_32S);
  const int glyph = static_cast<int>(kCharHeight);
  cv::Mat clutter;
  for (int i = 1; i < count; ++i) {
    const int x = stats.at<int>(i, cv::CC_STAT_LEFT);
    const int y = stats.at<int>(i, cv::CC_STAT_TOP);
    const int w = stats.at<int>(i, cv::CC_STAT_WIDTH);
    const int h = stats.at<int>(i, cv::CC_STAT_HEIGHT);
    const bool touches = x == 0 || y == 0 || x + w == mask.cols || y + h == mask.rows;
    if (touches && (w > 4 * glyph || h > 2 * glyph || stats.at<int>(i, cv::CC_STAT_AREA) > 3 * glyph * glyph)) {
      if (clutter.empty()) clutter = cv::Mat::zeros(mask.size(), CV_8U);
      clutter.setTo(255, labels == i);
    }
  }
  return clutter;
}

cv::Mat otsu_ink(const cv::Mat& blurred) {
  cv::Mat mask;
  cv::threshold(blurred, mask, 0, 255, cv::THRESH_BINARY_INV | cv::THRESH_OTSU);
  return mask;
}

// The crop as if lit evenly. A lamp's fall-off or a curved page leaves one end of a line much
// lighter than the other, and one threshold for the whole crop then loses the light end (often the
// faint fillers, so the line looks short and the pitch comes out wrong). The paper's brightness at
// each place is what a closing leaves once it has wiped out the glyph strokes; dividing by it
// evens the light and keeps the paper's overall grey.
cv::Mat even_lighting(const cv::Mat& crop) {
  const int size = static_cast<int>(0.8 * kCharHeight) | 1;
  cv::Mat paper;
  cv::morphologyEx(crop, paper, cv::MORPH_CLOSE, cv::getStructuringElement(cv::MORPH_RECT, {size, size}));
  cv::blur(paper, paper, {size, size});
  const double level = cv::mean(paper)[0];
  cv::Mat out;
  cv::divide(crop, paper, out, level, CV_8U);
  return out;
}

// The grey level of the paper: the median of the pixels outside `excluded` (most of a crop is paper).
uchar paper_level(const cv::Mat& gray, const cv::Mat& excluded) {
  cv::Mat histogram;
  const int channels[] = {0};
  const int bins[] = {256};
  const float range[] = {0, 256};
  const float* ranges[] = {range};
  cv::Mat keep;
  cv::bitwise_not(excluded, keep);
  cv::calcHist(&gray, 1, channels, keep, histogram, 1, bins, ranges);
  const double half = cv::sum(histogram)[0] / 2.0;
  double seen = 0;
  for (int level = 0; level < 256; ++level) {
    seen += histogram.at<float>(level);
    if (seen >= half && seen > 0) return static_cast<uchar>(level);
  }
  return 255;
}

// Dark pixels of the crop, without the dark areas at its border.
cv::Mat ink_mask(const cv::Mat& crop) {
  cv::Mat blurred;
  cv::GaussianBlur(crop, blurred, {3, 3}, 0);
  cv::Mat mask = otsu_ink(blurred);
  const cv::Mat clutter = border_clutter(mask);
  if (clutter.empty()) return mask;
  // Near-black clutter pulls Otsu's threshold down towards itself, below faint (laser-engraved)
  // glyphs: threshold again with the clutter and its blurred rim painted as paper. The paper's own
  // grey, not white: on dark paper a white patch becomes Otsu's third mode and the threshold lands
  // between it and the paper, turning the whole crop into ink.
  cv::Mat rim;
  cv::dilate(clutter, rim, cv::getStructuringElement(cv::MORPH_RECT, {7, 7}));
  blurred.setTo(paper_level(blurred, rim), rim);
  mask = otsu_ink(blurred);
  if (const cv::Mat more = border_clutter(mask); !more.empty()) mask.setTo(0, more);
  return mask;
}

// The columns from the first to the last with ink; all columns when there is none.
cv::Range ink_columns(const cv::Mat& band_mask) {
  cv::Mat sums;
  cv::reduce(band_mask, sums, 0, cv::REDUCE_SUM, CV_32S);
  int first = 0;
  int last = sums.cols - 1;
  while (first < last && sums.at<int>(first) == 0) ++first;
  while (last > first && sums.at<int>(last) == 0) --last;
  return first < last ? cv::Range(first, last + 1) : cv::Range::all();
}

// Running sum of a profile: element x is the ink of columns [0, x).
std::vector<float> running_sum(const std::vector<float>& profile) {
  std::vector<float> out(profile.size() + 1, 0.0F);
  for (std::size_t i = 0; i < profile.size(); ++i) out[i + 1] = out[i] + profile[i];
  return out;
}

// Ink columns of a band: the column profile.
std::vector<float> column_profile(const cv::Mat& mask, const Line& line) {
  cv::Mat band = mask(cv::Range(line.top, line.bottom), cv::Range::all());
  cv::Mat sums;
  cv::reduce(band, sums, 0, cv::REDUCE_SUM, CV_32F);
  std::vector<float> profile(sums.begin<float>(), sums.end<float>());
  for (auto& v : profile) v /= 255.0F;
  return profile;
}

// The columns the line's glyphs span. Glyphs form a chain of ink runs with gaps narrower than a
// character; the MRZ is the longest such chain. Solid dark areas (the scanner glass beside the
// document) and lone marks a character or more away (the document's edge) are left out.
std::pair<int, int> glyph_extent(const std::vector<float>& profile, float band_height) {
  const int n = static_cast<int>(profile.size());
  const float floor = std::max(1.0F, 0.08F * band_height);
  struct Run {
    int start;
    int end;  // exclusive
  };
  std::vector<Run> runs;
  for (int x = 0; x < n;) {
    if (profile[x] < floor) {
      ++x;
      continue;
    }
    int end = x;
    bool solid = true;
    while (end < n && profile[end] >= floor) {
      solid = solid && profile[end] >= 0.8F * band_height;
      ++end;
    }
    const bool clutter = solid && end - x >= std::max(3, static_cast<int>(0.5F * band_height));
    if (!clutter) runs.push_back(Run{x, end});
    x = end;
  }
  if (runs.empty()) return {0, n - 1};
  const float max_gap = 0.85F * 1.1F * band_height;  // a pitch is about 1.1 band heights
  std::size_t best_first = 0;
  std::size_t best_last = 0;
  int best_span = -1;
  for (std::size_t i = 0; i < runs.size();) {
    std::size_t j = i;
    while (j + 1 < runs.size() && static_cast<float>(runs[j + 1].start - runs[j].end) <= max_gap) ++j;
    const int span = runs[j].end - runs[i].start;
    if (span > best_span) {
      best_span = span;
      best_first = i;
      best_last = j;
    }
    i = j + 1;
  }
  return {runs[best_first].start, runs[best_last].end - 1};
}

}  // namespace

Crop upright_crop(const cv::Mat& gray, const Candidate& candidate, double extra_scale) {
  const auto& c = candidate.corners;
  const float width = distance(c[0], c[1]);
  const float height = distance(c[0], c[3]);
  const cv::Point2f along = (c[1] - c[0]) * (1.0F / std::max(1.0F, width));
  const cv::Point2f across = (c[3] - c[0]) * (1.0F / std::max(1.0F, height));
  // A margin around the block so that no character is cut off.
  const float margin_x = 0.03F * width + 0.4F * height;
  const float margin_y = 0.35F * height;
  const cv::Point2f tl = c[0] - along * margin_x - across * margin_y;
  const cv::Point2f tr = c[1] + along * margin_x - across * margin_y;
  const cv::Point2f bl = c[3] - along * margin_x + across * margin_y;
  // A located block is about 2.9 character heights tall for two lines and 4.8 for three.
  const double char_height = height / (candidate.lines >= 3 ? 4.8 : 2.9);
  const double scale = std::clamp(extra_scale * kCharHeight / std::max(1.0, char_height), 0.2, 4.0);
  const int out_w = std::max(8, static_cast<int>(std::lround((width + 2 * margin_x) * scale)));
  const int out_h = std::max(8, static_cast<int>(std::lround((height + 2 * margin_y) * scale)));
  const cv::Point2f src[3] = {tl, tr, bl};
  const cv::Point2f dst[3] = {{0, 0}, {static_cast<float>(out_w), 0}, {0, static_cast<float>(out_h)}};
  const cv::Mat affine = cv::getAffineTransform(src, dst);
  Crop crop;
  cv::warpAffine(gray, crop.image, affine, {out_w, out_h}, cv::INTER_LINEAR, cv::BORDER_REPLICATE);
  crop.image = even_lighting(crop.image);
  crop.mask = ink_mask(crop.image);
  cv::Matx33d forward = cv::Matx33d::eye();
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 3; ++j) forward(i, j) = affine.at<double>(i, j);
  crop.to_page = forward.inv();
  return crop;
}

namespace {

// The residual tilt of the text in a crop, in degrees: the angle whose projection makes the row
// profile sharpest (text lines, then clean gaps).
double residual_skew(const Crop& crop) {
  const cv::Mat& mask = crop.mask;
  std::vector<cv::Point> ink;
  for (int y = 0; y < mask.rows; y += 2) {
    const auto* row = mask.ptr<uchar>(y);
    for (int x = 0; x < mask.cols; x += 2) {
      if (row[x] != 0) ink.emplace_back(x, y);
    }
  }
  if (ink.size() < 50) return 0.0;
  const int margin = mask.cols / 8 + 1;
  std::vector<int> histogram(static_cast<std::size_t>(mask.rows + 2 * margin));
  double best_sharpness = -1;
  double best_angle = 0;
  for (double angle = -4.0; angle <= 4.0001; angle += 0.2) {
    const double slope = std::tan(angle * CV_PI / 180.0);
    std::fill(histogram.begin(), histogram.end(), 0);
    for (const auto& p : ink) {
      const int y = static_cast<int>(std::lround(p.y - slope * (p.x - mask.cols / 2.0))) + margin;
      if (y >= 0 && y < static_cast<int>(histogram.size())) ++histogram[static_cast<std::size_t>(y)];
    }
    double sharpness = 0;
    for (const int h : histogram) sharpness += static_cast<double>(h) * h;
    if (sharpness > best_sharpness) {
      best_sharpness = sharpness;
      best_angle = angle;
    }
  }
  return best_angle;
}

Candidate rotated_candidate(const Candidate& candidate, const Crop& crop, double degrees) {
  // Work in crop pixels, where the text is nearly horizontal, then map back to the page.
  const cv::Matx33d to_crop = crop.to_page.inv();
  const cv::Point2f centre(static_cast<float>(crop.image.cols) / 2.0F, static_cast<float>(crop.image.rows) / 2.0F);
  const double radians = degrees * CV_PI / 180.0;
  const double c = std::cos(radians);
  const double s = std::sin(radians);
  Candidate out = candidate;
  for (auto& corner : out.corners) {
    const cv::Vec3d in_crop = to_crop * cv::Vec3d(corner.x, corner.y, 1.0);
    const double dx = in_crop[0] / in_crop[2] - centre.x;
    const double dy = in_crop[1] / in_crop[2] - centre.y;
    const cv::Vec3d turned(centre.x + c * dx - s * dy, centre.y + s * dx + c * dy, 1.0);
    const cv::Vec3d on_page = crop.to_page * turned;
    corner = cv::Point2f(static_cast<float>(on_page[0] / on_page[2]), static_cast<float>(on_page[1] / on_page[2]));
  }
  return out;
}

}  // namespace

Crop normalised_crop(const cv::Mat& gray, const Candidate& candidate) {
  Crop crop = upright_crop(gray, candidate);
  // The block's box gives the skew to a degree or two; over a 44-character line that is enough to
  // blur the lines together, so measure what is left and turn the box by it.
  const double skew = residual_skew(crop);
  Candidate turned = candidate;
  if (std::abs(skew) > 0.1) {
    turned = rotated_candidate(candidate, crop, skew);
    crop = upright_crop(gray, turned);
  }
  const auto bands = find_lines(crop);
  if (bands.empty()) return crop;
  std::vector<int> heights;
  for (const auto& b : bands) heights.push_back(b.bottom - b.top);
  std::nth_element(heights.begin(), heights.begin() + static_cast<long>(heights.size() / 2), heights.end());
  // Bands include a little blur either side of the glyphs.
  const double measured = heights[heights.size() / 2] * 0.92;
  if (std::abs(measured / kCharHeight - 1.0) < 0.12) return crop;
  return upright_crop(gray, turned, kCharHeight / std::max(4.0, measured));
}

Crop turned_around(const Crop& crop) {
  Crop out;
  cv::rotate(crop.image, out.image, cv::ROTATE_180);
  cv::rotate(crop.mask, out.mask, cv::ROTATE_180);
  // Pixel (x, y) of the turned crop is pixel (W-1-x, H-1-y) of the original.
  cv::Matx33d flip = cv::Matx33d::eye();
  flip(0, 0) = -1;
  flip(1, 1) = -1;
  flip(0, 2) = crop.image.cols - 1;
  flip(1, 2) = crop.image.rows - 1;
  out.to_page = crop.to_page * flip;
  return out;
}

std::vector<Line> find_lines(const Crop& source) {
  const cv::Mat& crop = source.image;
  const cv::Mat& mask = source.mask;
  cv::Mat sums;
  cv::reduce(mask, sums, 1, cv::REDUCE_SUM, CV_32F);
  std::vector<float> rows(sums.begin<float>(), sums.end<float>());
  rows = smooth(rows, 1);
  const float peak = *std::max_element(rows.begin(), rows.end());
  std::vector<Line> bands;
  if (peak <= 0) return bands;
  const float threshold = 0.25F * peak;
  for (int y = 0; y < static_cast<int>(rows.size());) {
    if (rows[y] < threshold) {
      ++y;
      continue;
    }
    Line band;
    band.top = y;
    while (y < static_cast<int>(rows.size()) && rows[y] >= threshold) ++y;
    band.bottom = y;
    bands.push_back(band);
  }
  // Merge bands split by a thin gap (strokes of a faint line), drop slivers.
  std::vector<Line> merged;
  for (const auto& band : bands) {
    if (!merged.empty() && band.top - merged.back().bottom <= 2) {
      merged.back().bottom = band.bottom;
    } else {
      merged.push_back(band);
    }
  }
  int tallest = 0;
  for (const auto& b : merged) tallest = std::max(tallest, b.bottom - b.top);
  std::vector<Line> out;
  for (auto band : merged) {
    const int h = band.bottom - band.top;
    if (h < std::max(4, tallest / 3)) continue;
    // Grey levels for normalising the glyphs: paper and ink around this line.
    // Only the columns the line's ink spans: dark clutter at the crop's side (left out of the mask)
    // would otherwise pass for the ink level and make faint glyphs fainter still.
    const int pad = h / 4;
    const cv::Range span(std::max(0, band.top - pad), std::min(crop.rows, band.bottom + pad));
    const cv::Mat region = crop(span, ink_columns(mask(span, cv::Range::all())));
    std::vector<uchar> values(region.begin<uchar>(), region.end<uchar>());
    if (values.empty()) continue;
    auto nth = [&](double q) {
      auto it = values.begin() + static_cast<long>(q * static_cast<double>(values.size() - 1));
      std::nth_element(values.begin(), it, values.end());
      return static_cast<float>(*it);
    };
    band.ink = nth(0.03);
    band.paper = nth(0.75);
    if (band.paper - band.ink < 10) continue;
    out.push_back(band);
  }
  return out;
}

namespace {

// Ink summed over [a, b) of a profile's running sum, interpolated; outside counts as empty.
float ink_between(const std::vector<float>& running, float a, float b) {
  // Column x spans [x - 0.5, x + 0.5): its ink enters the running sum at index x + 1.
  auto at = [&](float x) {
    const float last = static_cast<float>(running.size() - 1);
    return sample(running, std::clamp(x + 0.5F, 0.0F, last));
  };
  return at(b) - at(a);
}

// How badly a grid fits a line: ink near the cell borders costs, ink around the cell centres
// (fillers included: every position is printed) pays. Windows, not single columns: the gap between
// glyphs is wide, and single columns let the grid slide within it towards the heavier side of
// lopsided glyphs ('<' is heavier on the right), by a quarter cell over a line of fillers.
float grid_cost(const std::vector<float>& running, const Line& grid) {
  const float w = kBorderWindow * grid.pitch;
  float cost = 0;
  for (int i = 0; i <= grid.characters; ++i) {
    const float border = cell_centre(grid, static_cast<float>(i) - 0.5F);
    cost += ink_between(running, border - w, border + w);
  }
  for (int i = 0; i < grid.characters; ++i) {
    const float middle = cell_centre(grid, static_cast<float>(i));
    cost -= 0.5F * ink_between(running, middle - w, middle + w);
  }
  return cost;
}

// The best first-cell centre for the grid's pitch and bend, searched within `reach` pitches of
// `around`; sets grid.first_centre and returns the cost.
float best_centre(const std::vector<float>& running, Line& grid, float around, float reach) {
  float cost = INFINITY;
  float best = around;
  for (float dc = -reach; dc <= reach + 0.001F; dc += 0.025F) {
    grid.first_centre = around + dc * grid.pitch;
    const float c = grid_cost(running, grid);
    if (c < cost) {
      cost = c;
      best = grid.first_centre;
    }
  }
  grid.first_centre = best;
  return cost;
}

// The bend (and the start and pitch that go with it) that fits the line best; a flat page keeps
// bend 0. Searched after the straight fit, near it, to stay cheap.
float fit_bend(const std::vector<float>& running, Line& line, float straight_cost) {
  const float last = static_cast<float>(line.characters - 1);
  // Up to half a cell off at the line's middle: bend * (last / 2)^2 pitches.
  const float limit = 0.5F / (last * last / 4.0F);
  Line best = line;
  float best_cost = straight_cost;
  for (int step = -8; step <= 8; ++step) {
    if (step == 0) continue;
    for (const float dp : {-0.004F, 0.0F, 0.004F}) {
      Line trial = line;
      trial.bend = limit * static_cast<float>(step) / 8.0F;
      trial.pitch = line.pitch * (1.0F + dp);
      const float cost = best_centre(running, trial, line.first_centre, 0.1F);
      // A bend must earn its place: the straight grid wins ties.
      if (cost < best_cost - 0.02F * std::abs(straight_cost)) {
        best_cost = cost;
        best = trial;
      }
    }
  }
  line = best;
  return best_cost;
}

}  // namespace

bool fit_pitch(const Crop& crop, Line& line, int characters) {
  const cv::Mat& mask = crop.mask;
  auto profile = smooth(column_profile(mask, line), 1);
  const float height = static_cast<float>(line.bottom - line.top);
  const auto [first, last] = glyph_extent(profile, height);
  const float extent = static_cast<float>(last - first);
  const float initial_pitch = extent / (static_cast<float>(characters - 1) + kGlyphFraction);
  // OCR-B's pitch is about 1.15 character heights; refuse extents far from that.
  const float ratio = initial_pitch / height;
  if (ratio < 0.7F || ratio > 1.9F) return false;
  const float initial_centre = static_cast<float>(first) + kGlyphFraction * initial_pitch / 2.0F;
  const auto running = running_sum(profile);

  line.characters = characters;
  line.bend = 0;
  float best_cost = INFINITY;
  Line best = line;
  for (float dp = -0.03F; dp <= 0.0301F; dp += 0.002F) {
    Line trial = line;
    trial.pitch = initial_pitch * (1.0F + dp);
    const float cost = best_centre(running, trial, initial_centre, 0.3F);
    if (cost < best_cost) {
      best_cost = cost;
      best = trial;
    }
  }
  fit_bend(running, best, best_cost);
  line = best;
  return true;
}

void harmonise_pitch(const Crop& crop, std::vector<Line>& lines, int characters) {
  if (lines.size() < 2) return;
  const cv::Mat& mask = crop.mask;
  std::vector<std::vector<float>> profiles;
  for (const auto& line : lines) profiles.push_back(running_sum(smooth(column_profile(mask, line), 1)));
  // One printer, one pitch, one left margin, one page: try each line's grid on all lines, keep the
  // best overall. A line may start a little off the others (residual skew), not by a quarter cell:
  // a line starting with a narrow glyph (I, 1) would otherwise pull its grid towards it.
  float best_total = INFINITY;
  std::vector<Line> best = lines;
  for (const auto& model : lines) {
    std::vector<Line> trial = lines;
    float total = 0;
    for (std::size_t i = 0; i < trial.size(); ++i) {
      trial[i].pitch = model.pitch;
      trial[i].bend = model.bend;
      trial[i].characters = characters;
      total += best_centre(profiles[i], trial[i], model.first_centre, 0.1F);
    }
    if (total < best_total) {
      best_total = total;
      best = trial;
    }
  }
  lines = best;
}

float cell_centre(const Line& line, float index) {
  const float last = static_cast<float>(std::max(1, line.characters) - 1);
  return line.first_centre + line.pitch * (index + line.bend * index * (index - last));
}

std::vector<Line> pick_lines(const std::vector<Line>& bands, int k) {
  if (static_cast<int>(bands.size()) < k) return {};
  double best = INFINITY;
  std::size_t best_start = 0;
  for (std::size_t start = 0; start + static_cast<std::size_t>(k) <= bands.size(); ++start) {
    double mean = 0;
    for (int i = 0; i < k; ++i) mean += bands[start + i].bottom - bands[start + i].top;
    mean /= k;
    double spread = 0;
    for (int i = 0; i < k; ++i) spread += std::abs(bands[start + i].bottom - bands[start + i].top - mean);
    const double score = spread / mean;
    if (score <= best + 1e-9) {
      best = score;
      best_start = start;
    }
  }
  return {bands.begin() + static_cast<long>(best_start), bands.begin() + static_cast<long>(best_start) + k};
}

std::vector<int> two_line_widths(const Crop& crop, const Line& first, const Line& second) {
  const cv::Mat& mask = crop.mask;
  float ratio_sum = 0;
  for (const Line* line : {&first, &second}) {
    const auto profile = column_profile(mask, *line);
    const auto [a, b] = glyph_extent(profile, static_cast<float>(line->bottom - line->top));
    ratio_sum += static_cast<float>(b - a) / static_cast<float>(std::max(1, line->bottom - line->top));
  }
  // A 44-character line is about 50 character heights long, a 36-character one about 41.
  return ratio_sum / 2.0F > 45.5F ? std::vector<int>{44, 36} : std::vector<int>{36, 44};
}

void glyph_features(const cv::Mat& crop, const Line& line, int index, float* out) {
  const float height = static_cast<float>(line.bottom - line.top);
  const float centre_x = cell_centre(line, static_cast<float>(index));
  const float centre_y = (static_cast<float>(line.top) + static_cast<float>(line.bottom)) / 2.0F;
  const cv::Size size(std::max(2, static_cast<int>(std::lround(line.pitch))),
                      std::max(2, static_cast<int>(std::lround(height * 1.3F))));
  cv::Mat patch;
  cv::getRectSubPix(crop, size, {centre_x, centre_y}, patch);
  cv::Mat glyph;
  cv::resize(patch, glyph, {kGlyphWidth, kGlyphHeight}, 0, 0, cv::INTER_AREA);
  const float range = std::max(1.0F, line.paper - line.ink);
  for (int y = 0; y < kGlyphHeight; ++y) {
    const auto* row = glyph.ptr<uchar>(y);
    for (int x = 0; x < kGlyphWidth; ++x) {
      out[y * kGlyphWidth + x] = std::clamp((line.paper - static_cast<float>(row[x])) / range, 0.0F, 1.0F);
    }
  }
}

cv::Mat grid_features(const cv::Mat& crop, const std::vector<Line>& lines, int characters) {
  cv::Mat features(static_cast<int>(lines.size()) * characters, kFeatureLength, CV_32F);
  int row = 0;
  for (const auto& line : lines) {
    for (int i = 0; i < characters; ++i) glyph_features(crop, line, i, features.ptr<float>(row++));
  }
  return features;
}

std::vector<Line> fit_grid(const Crop& crop, const std::vector<Line>& bands, int line_count, int characters) {
  auto lines = pick_lines(bands, line_count);
  if (static_cast<int>(lines.size()) != line_count) return {};
  for (auto& line : lines) {
    if (!fit_pitch(crop, line, characters)) return {};
  }
  harmonise_pitch(crop, lines, characters);
  return lines;
}

std::array<cv::Point2f, 4> text_box(const std::vector<Line>& lines, int characters) {
  const auto& top = lines.front();
  const auto& bottom = lines.back();
  const float left = cell_centre(top, -0.5F);
  const float right = cell_centre(top, static_cast<float>(characters) - 0.5F);
  const float left2 = cell_centre(bottom, -0.5F);
  const float right2 = cell_centre(bottom, static_cast<float>(characters) - 0.5F);
  return {cv::Point2f{left, static_cast<float>(top.top)}, {right, static_cast<float>(top.top)},
          {right2, static_cast<float>(bottom.bottom)}, {left2, static_cast<float>(bottom.bottom)}};
}

}  // namespace mrz::optical::detail
