#include "page_reading.hpp"

#include <chrono>

#include <opencv2/imgcodecs.hpp>
#include <spdlog/spdlog.h>

#include "mrz_optical/zones.hpp"

namespace borderpost::station {
namespace {

// The portrait zone the MRZ's position implies, for the inspector to compare with the traveller.
std::vector<unsigned char> portrait_of(const cv::Mat& page, const mrz::optical::ReadResult& read) {
  using mrz::optical::ReadStatus;
  std::vector<unsigned char> jpeg;
  if (read.status == ReadStatus::NotFound || read.status == ReadStatus::Unusable) return jpeg;
  const auto zone = mrz::optical::portrait_zone(read.quad, read.mrz.document.format);
  if (!zone) return jpeg;
  const auto cut = mrz::optical::cut_zone(page, *zone, 240);
  if (!cut.empty()) cv::imencode(".jpg", cut, jpeg, {cv::IMWRITE_JPEG_QUALITY, 85});
  return jpeg;
}

// The page's optical security features, from the IR and UV images beside the white one.
SecurityFacts examine_security(const security::PageExaminer& examiner, int dpi, const cv::Mat& white,
                               const std::vector<bridge::PageImage>& captured, const std::vector<bridge::Light>& lamps_failed,
                               const mrz::optical::ReadResult& read) {
  security::PageImages images;
  images.white = white;
  images.dpi = dpi;
  for (bridge::Light light : lamps_failed) {
    if (light == bridge::Light::Infrared) images.infrared_lamp_failed = true;
    if (light == bridge::Light::Ultraviolet) images.ultraviolet_lamp_failed = true;
  }
  for (const auto& image : captured) {
    if (image.light == bridge::Light::White) continue;
    auto decoded = mrz::optical::decode_page(image.encoded);
    const bool infrared = image.light == bridge::Light::Infrared;
    (infrared ? images.infrared : images.ultraviolet) = decoded.image;
    (infrared ? images.infrared_unusable : images.ultraviolet_unusable) = decoded.image.empty();
  }
  const auto started = std::chrono::steady_clock::now();
  SecurityFacts facts;
  try {
    facts = examiner.examine(images, read);
  } catch (const std::exception& e) {
    // The checks then say the features were not measured; the rest of the inspection goes on.
    spdlog::error("examining the page's security features failed: {}", e.what());
    facts = unmeasured_page(NotMeasured::image_unusable);
  }
  spdlog::info("security features examined in {} ms",
               std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count());
  return facts;
}

}  // namespace

PageReading read_page(const mrz::optical::Reader& reader, const security::PageExaminer& examiner, int dpi,
                      const std::vector<unsigned char>& white, const std::vector<bridge::PageImage>& captured,
                      const std::vector<bridge::Light>& lamps_failed, const mrz::optical::ReadOptions& options) {
  PageReading out;
  auto page = mrz::optical::decode_page(white);
  if (page.image.empty()) {
    out.read.status = mrz::optical::ReadStatus::Unusable;
    out.read.message = std::move(page.problem);
    return out;
  }
  out.read = reader.read(page.image, options);
  out.portrait = portrait_of(page.image, out.read);
  out.security = examine_security(examiner, dpi, page.image, captured, lamps_failed, out.read);
  return out;
}

}  // namespace borderpost::station
