// The header inspection that runs before any decoder: format, announced size, truncation.
#include <doctest/doctest.h>

#include <opencv2/imgcodecs.hpp>

#include "encoded_image.hpp"

using mrz::optical::detail::announced_size;
using mrz::optical::detail::ImageFormat;
using mrz::optical::detail::sniff_format;
using mrz::optical::detail::truncation;

namespace {

std::vector<std::uint8_t> encoded(const cv::Mat& image, const std::string& ext) {
  std::vector<std::uint8_t> bytes;
  REQUIRE(cv::imencode(ext, image, bytes));
  return bytes;
}

}  // namespace

TEST_CASE("the announced size of every supported format matches what the encoder wrote") {
  const cv::Mat image(45, 123, CV_8UC3, cv::Scalar(200, 180, 160));
  const std::vector<std::pair<std::string, ImageFormat>> formats = {
      {".jpg", ImageFormat::Jpeg}, {".png", ImageFormat::Png}, {".tif", ImageFormat::Tiff},
      {".bmp", ImageFormat::Bmp},  {".webp", ImageFormat::WebP}};
  for (const auto& entry : formats) {
    const std::string& ext = entry.first;  // a plain name: CAPTURE's lambda cannot capture a binding
    const ImageFormat format = entry.second;
    CAPTURE(ext);
    const auto bytes = encoded(image, ext);
    CHECK(sniff_format(bytes) == format);
    const auto size = announced_size(bytes);
    REQUIRE(size.has_value());
    CHECK(size->width == 123);
    CHECK(size->height == 45);
    CHECK(truncation(bytes).empty());
  }
}

TEST_CASE("lossless WebP and big-endian TIFF sizes are read too") {
  const cv::Mat image(7, 300, CV_8UC1, cv::Scalar(90));
  const auto lossless = [&] {
    std::vector<std::uint8_t> bytes;
    REQUIRE(cv::imencode(".webp", image, bytes, {cv::IMWRITE_WEBP_QUALITY, 101}));
    return bytes;
  }();
  REQUIRE(announced_size(lossless).has_value());
  CHECK(announced_size(lossless)->width == 300);
  CHECK(announced_size(lossless)->height == 7);
  // A hand-made big-endian TIFF: one directory with ImageWidth (LONG) and ImageLength (SHORT).
  const std::vector<std::uint8_t> tiff = {'M', 'M', 0, 42, 0, 0, 0, 8,  // header, directory at 8
                                          0, 2,                          // two entries
                                          1, 0, 0, 4, 0, 0, 0, 1, 0, 0, 0x4E, 0x20,   // 256 LONG 20000
                                          1, 1, 0, 3, 0, 0, 0, 1, 0x4E, 0x20, 0, 0};  // 257 SHORT 20000
  REQUIRE(announced_size(tiff).has_value());
  CHECK(announced_size(tiff)->width == 20000);
  CHECK(announced_size(tiff)->height == 20000);
}

TEST_CASE("a 90-byte BMP announcing 22528 x 30744 pixels is measured from its header (found by fuzzing)") {
  // OpenCV allocated 2 GB for this file before noticing it holds no pixels.
  const std::vector<std::uint8_t> bmp = {
      0x42, 0x4d, 0x89, 0x50, 0x0a, 0x1a, 0x00, 0x44, 0x00, 0x00, 0x20, 0x00, 0x00, 0x00, 0x00, 0x00,
      0x20, 0x1f, 0x00, 0x58, 0x00, 0x00, 0x18, 0x78, 0x00, 0x00, 0x44, 0x00, 0x20, 0x00, 0x00, 0x00};
  const auto size = announced_size(bmp);
  REQUIRE(size.has_value());
  CHECK(size->width == 22528);
  CHECK(size->height == 30744);
}

TEST_CASE("headers cut short or without a size give no size") {
  const cv::Mat image(20, 30, CV_8UC3, cv::Scalar(1, 2, 3));
  for (const std::string ext : {".jpg", ".png", ".tif", ".bmp", ".webp"}) {
    CAPTURE(ext);
    auto bytes = encoded(image, ext);
    bytes.resize(12);
    CHECK_FALSE(announced_size(bytes).has_value());
  }
  // A JPEG whose scan starts before any frame header.
  const std::vector<std::uint8_t> scan_first = {0xFF, 0xD8, 0xFF, 0xDA, 0x00, 0x08, 1, 2, 3, 4, 5, 6, 0xFF, 0xD9};
  CHECK_FALSE(announced_size(scan_first).has_value());
  const std::vector<std::uint8_t> text = {'h', 'e', 'l', 'l', 'o'};
  CHECK(sniff_format(text) == ImageFormat::Unsupported);
  CHECK_FALSE(announced_size(text).has_value());
}
