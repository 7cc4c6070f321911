// Measures the page's optical security features (see page_examiner.hpp).
#include "security/page_examiner.hpp"

#include <algorithm>
#include <cmath>
#include <memory>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "firmware_bridge/face_finder.hpp"
#include "firmware_bridge/gray_image.hpp"
#include "mrz_optical/zones.hpp"
#include "page_frame.hpp"
#include "print_geometry.hpp"
#include "security/internal/viz_text.hpp"

namespace borderpost::station::security {
namespace {

using bridge::gray_of;
using mrz::optical::ReadStatus;

template <typename Facts>
Facts unmeasured(NotMeasured why) {
  Facts facts;
  facts.missing = why;
  return facts;
}

// The value below which `share` of the pixels (where `mask` is set) lie.
double percentile(const cv::Mat& gray, const cv::Mat& mask, double share) {
  const int channels[] = {0};
  const int bins[] = {256};
  const float range[] = {0, 256};
  const float* ranges[] = {range};
  cv::Mat histogram;
  cv::calcHist(&gray, 1, channels, mask, histogram, 1, bins, ranges);
  const double total = cv::sum(histogram)[0];
  if (total <= 0) return 0;
  double seen = 0;
  for (int i = 0; i < 256; ++i) {
    seen += histogram.at<float>(i);
    if (seen >= share * total) return i;
  }
  return 255;
}

// Print contrast signal of the MRZ under infrared: (paper - ink) / paper, the paper the bright
// tenth of the zone, the ink its darkest twentieth (the cores of the strokes).
IrMrzFacts infrared_mrz(const PageImages& images, const PageFrame& white_frame, const mrz::optical::ReadResult& white_read,
                        const mrz::optical::Reader& reader) {
  IrMrzFacts facts;
  if (images.infrared_unusable) return unmeasured<IrMrzFacts>(NotMeasured::image_unusable);
  if (images.infrared.empty())
    return unmeasured<IrMrzFacts>(images.infrared_lamp_failed ? NotMeasured::lamp_failed : NotMeasured::no_light);
  facts.missing = NotMeasured::none;
  const cv::Mat ir = gray_of(images.infrared);
  const PageFrame frame = white_frame.scaled(images.white.size(), ir.size());
  const double px_per_mm = std::hypot(frame.along.x, frame.along.y);
  cv::Mat inside;
  const cv::Mat zone = cut(ir, frame, -0.5, -0.5, frame.mrz_width_mm + 0.5, frame.mrz_height_mm + 0.5, px_per_mm, &inside);
  if (zone.empty()) return unmeasured<IrMrzFacts>(NotMeasured::no_mrz_position);
  {
    const double paper = percentile(zone, inside, 0.90);
    const double ink = percentile(zone, inside, 0.05);
    facts.contrast = paper > 0 ? std::clamp((paper - ink) / paper, 0.0, 1.0) : 0.0;
  }
  mrz::optical::ReadOptions options;
  options.expected = {white_read.mrz.document.format};
  const auto ir_read = reader.read(ir, options);
  facts.read = ir_read.status != ReadStatus::NotFound && ir_read.status != ReadStatus::Unusable;
  facts.same_as_white = facts.read && ir_read.mrz.document.lines == white_read.mrz.document.lines;
  facts.both_certain = ir_read.status == ReadStatus::Valid && white_read.status == ReadStatus::Valid;
  return facts;
}

// Brightness under UV (the brightest channel, 0..1), median over the data page above the MRZ and
// over the MRZ zone: fibres and the fluorescent emblem are too few to move a median.
UvFacts ultraviolet(const PageImages& images, const PageFrame& white_frame, const PageLayout& layout) {
  if (images.ultraviolet_unusable) return unmeasured<UvFacts>(NotMeasured::image_unusable);
  if (images.ultraviolet.empty())
    return unmeasured<UvFacts>(images.ultraviolet_lamp_failed ? NotMeasured::lamp_failed : NotMeasured::no_light);
  UvFacts facts;
  facts.missing = NotMeasured::none;
  cv::Mat brightest = images.ultraviolet;
  if (brightest.channels() > 1) {
    std::vector<cv::Mat> channels;
    cv::split(images.ultraviolet, channels);
    brightest = channels[0];
    for (std::size_t i = 1; i < std::min<std::size_t>(3, channels.size()); ++i) cv::max(brightest, channels[i], brightest);
  }
  const PageFrame frame = white_frame.scaled(images.white.size(), brightest.size());
  const double px_per_mm = std::min(4.0, static_cast<double>(std::hypot(frame.along.x, frame.along.y)));
  const double mrz_bottom = frame.mrz_height_mm;
  const double page_top = mrz_bottom + layout.mrz_bottom_mm - layout.height_mm;
  const double left = -layout.mrz_left_mm;
  cv::Mat inside;
  const cv::Mat page = cut(brightest, frame, left + 3, page_top + 3, left + layout.width_mm - 3, -3, px_per_mm, &inside);
  if (!page.empty()) facts.page_brightness = percentile(page, inside, 0.5) / 255.0;
  const cv::Mat zone = cut(brightest, frame, -0.5, -1, frame.mrz_width_mm + 0.5, mrz_bottom + 1, px_per_mm, &inside);
  if (!zone.empty()) facts.mrz_zone_brightness = percentile(zone, inside, 0.5) / 255.0;
  return facts;
}

PortraitFacts portrait(const PageImages& images, const mrz::optical::ReadResult& white_read, const std::string& model) {
  const auto zone = mrz::optical::portrait_zone(white_read.quad, white_read.mrz.document.format);
  if (!zone) return unmeasured<PortraitFacts>(NotMeasured::other_side);
  PortraitFacts facts;
  facts.missing = NotMeasured::none;
  const cv::Mat cut_out = mrz::optical::cut_zone(images.white, *zone, 320);
  if (cut_out.empty()) return unmeasured<PortraitFacts>(NotMeasured::no_mrz_position);
  // Smoothed first: sensor noise and print screens break up the light-dark pattern the detector
  // looks for.
  cv::Mat gray;
  cv::GaussianBlur(gray_of(cut_out), gray, {5, 5}, 0);
  // One detector per thread, loaded once for each model asked for.
  thread_local std::unique_ptr<bridge::FaceFinder> finder;
  if (!finder || finder->model() != model) finder = std::make_unique<bridge::FaceFinder>(model);
  if (!finder->loaded()) return unmeasured<PortraitFacts>(NotMeasured::no_face_model);
  const int smallest = gray.cols / 5;
  auto faces = finder->find(gray, smallest, 4);
  if (faces.empty()) {
    // A dark or faded photo: once more with its contrast stretched locally.
    cv::Mat stretched;
    cv::createCLAHE(2.0, {4, 4})->apply(gray, stretched);
    faces = finder->find(stretched, smallest, 4);
  }
  facts.faces = static_cast<int>(faces.size());
  facts.face_share = static_cast<double>(bridge::largest_face(faces).area()) / static_cast<double>(gray.total());
  return facts;
}

// The visual zone: the data page above the MRZ, right of the portrait.
VizFacts visual_zone(const PageImages& images, const PageFrame& frame, const PageLayout& layout,
                     const mrz::optical::ReadResult& white_read, const std::string& tessdata) {
  const auto& document = white_read.mrz.document;
  if (document.format == mrz::Format::TD1) return unmeasured<VizFacts>(NotMeasured::other_side);
  const double left = -layout.mrz_left_mm;
  const double x0 = layout.characters == 44 ? 33.0 : 31.0;  // right of the portrait (Zone V)
  const double x1 = left + layout.width_mm - 1;
  const double y1 = -1.5;
  const double y0 = frame.mrz_height_mm + layout.mrz_bottom_mm - layout.height_mm + 1;
  const cv::Mat zone = cut(gray_of(images.white), frame, x0, y0, x1, y1, 300 / 25.4);
  if (zone.empty()) return unmeasured<VizFacts>(NotMeasured::no_mrz_position);
  // Print is dark, the guilloche behind it light: the text alone, in black on white, reads best.
  cv::Mat ink;
  cv::threshold(zone, ink, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
  const auto text = recognise_text(ink, tessdata);
  if (!text) return unmeasured<VizFacts>(NotMeasured::no_ocr);
  auto facts = compare_viz_text(*text, document);
  if (!facts.disagree.empty()) {
    // Before calling the page altered, read it once more at another scale: OCR's slips differ
    // between scales, a forger's changes do not.
    cv::Mat larger;
    cv::resize(zone, larger, {}, 1.5, 1.5, cv::INTER_CUBIC);
    cv::threshold(larger, larger, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
    if (const auto again = recognise_text(larger, tessdata)) {
      const int first_reading = facts.characters_read;
      facts = compare_viz_text(*text + "\n" + *again, document);
      facts.characters_read = first_reading;
    }
  }
  return facts;
}

}  // namespace

PageExaminer::PageExaminer(const mrz::optical::Reader& reader, ExaminerOptions options)
    : reader_(reader), options_(std::move(options)) {
  if (options_.face_model.empty()) options_.face_model = bridge::kDefaultFaceModel;
}

PageExaminer::~PageExaminer() = default;

SecurityFacts PageExaminer::examine(const PageImages& images, const mrz::optical::ReadResult& white_read) const {
  const bool located = !images.white.empty() && white_read.status != ReadStatus::NotFound &&
                       white_read.status != ReadStatus::Unusable && white_read.mrz.document.usable();
  if (!located) return unmeasured_page(images.white.empty() ? NotMeasured::no_page_images : NotMeasured::no_mrz_position);
  SecurityFacts facts;
  const PageLayout layout = layout_of(white_read.mrz.document.format);
  const PageFrame frame = frame_of(white_read.quad, layout);
  facts.ir_mrz = infrared_mrz(images, frame, white_read, reader_);
  facts.uv = ultraviolet(images, frame, layout);
  facts.portrait = portrait(images, white_read, options_.face_model);
  facts.viz = visual_zone(images, frame, layout, white_read, options_.tessdata);
  facts.print = measure_print(gray_of(images.white), white_read.quad, frame, layout, images.dpi);
  return facts;
}

}  // namespace borderpost::station::security
