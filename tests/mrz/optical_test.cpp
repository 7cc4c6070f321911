// The optical reader on generated pages and on inputs that are not pages at all.
#include <doctest/doctest.h>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <zlib.h>

#include "mrz_optical/read.hpp"
#include "mrz_synth/page.hpp"
#include "test_support.hpp"

using namespace mrz;
using optical::ReadStatus;

namespace {

const optical::Reader& reader() {
  static const optical::Reader instance;
  return instance;
}

optical::ReadOptions options() {
  optical::ReadOptions o;
  o.parse.as_of = mrz::test::kAsOf;
  return o;
}

synth::Page page(Format format, int rotation, std::uint32_t seed,
                 synth::Degradation degradation = synth::Degradation::Clean) {
  std::mt19937 rng(seed);
  synth::PageSpec spec;
  spec.fields = synth::random_fields(rng, format);
  spec.rotation = rotation;
  spec.seed = seed;
  spec.degradation = degradation;
  return synth::render_page(spec);
}

std::vector<unsigned char> encode(const cv::Mat& image, const std::string& ext) {
  std::vector<unsigned char> bytes;
  cv::imencode(ext, image, bytes);
  return bytes;
}

void put_be32(std::vector<unsigned char>& out, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<unsigned char>(v >> shift));
}

// A well-formed PNG whose header claims width x height, with a tiny (wrong) body.
std::vector<unsigned char> png_claiming(std::uint32_t width, std::uint32_t height) {
  std::vector<unsigned char> png = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
  auto chunk = [&](const char* type, const std::vector<unsigned char>& data) {
    put_be32(png, static_cast<std::uint32_t>(data.size()));
    std::vector<unsigned char> body(type, type + 4);
    body.insert(body.end(), data.begin(), data.end());
    png.insert(png.end(), body.begin(), body.end());
    put_be32(png, static_cast<std::uint32_t>(crc32(0, body.data(), static_cast<uInt>(body.size()))));
  };
  std::vector<unsigned char> header;
  put_be32(header, width);
  put_be32(header, height);
  header.insert(header.end(), {8, 0, 0, 0, 0});  // 8-bit greyscale
  chunk("IHDR", header);
  chunk("IDAT", {0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01});
  chunk("IEND", {});
  return png;
}

}  // namespace

TEST_CASE("clean pages of every layout in every orientation are read exactly, with their orientation") {
  int exact = 0;
  int total = 0;
  for (const auto format : {Format::TD3, Format::TD1, Format::TD2, Format::MRVA, Format::MRVB}) {
    for (const int rotation : {0, 90, 180, 270}) {
      const auto p = page(format, rotation, 100U + static_cast<std::uint32_t>(rotation) + static_cast<std::uint32_t>(format) * 7U);
      const auto r = reader().read(p.image, options());
      ++total;
      if (r.mrz.lines == p.mrz_lines) ++exact;
      CHECK_MESSAGE(r.status == ReadStatus::Valid, to_string(format), " at ", rotation);
      CHECK_MESSAGE(r.orientation == rotation, to_string(format), " at ", rotation);
      CHECK(r.mrz.document.format == format);
    }
  }
  CHECK(exact >= total - 1);
}

TEST_CASE("the MRZ quadrilateral is reported in page coordinates") {
  const auto p = page(Format::TD3, 90, 7, synth::Degradation::Mild);
  const auto r = reader().read(p.image, options());
  REQUIRE(r.status == ReadStatus::Valid);
  const double pitch = cv::norm(p.mrz_quad[1] - p.mrz_quad[0]) / 44.0;
  for (int i = 0; i < 4; ++i) CHECK_MESSAGE(cv::norm(r.quad[i] - p.mrz_quad[i]) < 1.0 * pitch, "corner ", i);
}

TEST_CASE("every read character is reported with its runner-up candidates and scores") {
  const auto p = page(Format::TD1, 0, 11);
  const auto r = reader().read(p.image, options());
  REQUIRE(r.cells.size() == 3);
  for (const auto& line : r.cells) {
    REQUIRE(line.size() == 30);
    for (const auto& cell : line) {
      REQUIRE(cell.size() >= 2);
      CHECK(cell[0].cost <= cell[1].cost);
    }
  }
  CHECK(r.mean_character_confidence > 0.8);
}

TEST_CASE("expected layouts limit what the reader considers") {
  const auto p = page(Format::TD3, 0, 21);
  optical::ReadOptions only_cards = options();
  only_cards.expected = {Format::TD1};
  const auto r = reader().read(p.image, only_cards);
  CHECK(r.status != ReadStatus::Valid);
  CHECK(r.mrz.document.format != Format::TD3);
}

TEST_CASE("a page without an MRZ is reported as not found") {
  cv::Mat blank(1200, 1600, CV_8UC3, cv::Scalar(235, 235, 235));
  cv::putText(blank, "NOT A TRAVEL DOCUMENT", {100, 300}, cv::FONT_HERSHEY_SIMPLEX, 2.0, cv::Scalar(20, 20, 20), 3);
  const auto r = reader().read(blank, options());
  CHECK(r.status == ReadStatus::NotFound);
  CHECK_FALSE(r.message.empty());
}

TEST_CASE("random noise is never read as a valid MRZ") {
  cv::Mat noise(900, 1300, CV_8UC1);
  cv::randu(noise, 0, 255);
  CHECK(reader().read(noise, options()).status != ReadStatus::Valid);
}

TEST_CASE("unusable images are refused with a reason, never a crash") {
  CHECK(reader().read(cv::Mat(), options()).status == ReadStatus::Unusable);
  CHECK(reader().read(cv::Mat(8, 8, CV_8UC1, cv::Scalar(0)), options()).status == ReadStatus::Unusable);
  const auto empty = reader().read_encoded({}, options());
  CHECK(empty.status == ReadStatus::Unusable);
  CHECK(empty.message == "the image data is empty");
  const std::string text = "this is not an image";
  CHECK(reader().read_encoded({text.begin(), text.end()}, options()).status == ReadStatus::Unusable);
}

TEST_CASE("image formats scanners do not deliver (OpenEXR here) are refused unread") {
  // An OpenEXR header with a huge opaque attribute made OpenEXR allocate 1.1 GB (found by fuzzing).
  std::vector<unsigned char> exr = {0x76, 0x2F, 0x31, 0x01, 0x02, 0x00, 0x00, 0x00};
  exr.resize(64, 0x42);
  const auto r = reader().read_encoded(exr, options());
  CHECK(r.status == ReadStatus::Unusable);
  CHECK(r.message.find("not a supported image") != std::string::npos);
  // A PNG-like start with the DICOM signature at byte 128 reached GDCM, which aborted (fuzzing).
  std::vector<unsigned char> dicom = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
  dicom.resize(128, 0x25);
  dicom.insert(dicom.end(), {'D', 'I', 'C', 'M', 0x63, 0x60, 0x82});
  CHECK(reader().read_encoded(dicom, options()).status == ReadStatus::Unusable);
}

TEST_CASE("a truncated JPEG or PNG is refused as truncated") {
  const auto p = page(Format::TD3, 0, 31);
  for (const std::string ext : {".jpg", ".png"}) {
    auto bytes = encode(p.image, ext);
    bytes.resize(bytes.size() / 2);
    const auto r = reader().read_encoded(bytes, options());
    CHECK(r.status == ReadStatus::Unusable);
    CHECK_MESSAGE(r.message.find("truncated") != std::string::npos, r.message);
  }
}

TEST_CASE("a 20000 x 20000 image is refused from its header, without decoding it") {
  const auto r = reader().read_encoded(png_claiming(20000, 20000), options());
  CHECK(r.status == ReadStatus::Unusable);
  CHECK_MESSAGE(r.message.find("20000x20000 pixels") != std::string::npos, r.message);
  // The largest size a PNG header can announce overflowed the pixel count (found by fuzzing).
  const auto largest = reader().read_encoded(png_claiming(0xFFFFFFFF, 0xFFFFFFFF), options());
  CHECK(largest.status == ReadStatus::Unusable);
  CHECK_MESSAGE(largest.message.find("4294967295x4294967295 pixels") != std::string::npos, largest.message);
}

TEST_CASE("greyscale, 16-bit and 4-channel images are read like colour ones") {
  const auto p = page(Format::TD2, 0, 41);
  cv::Mat gray;
  cv::cvtColor(p.image, gray, cv::COLOR_BGR2GRAY);
  CHECK(reader().read(gray, options()).mrz.lines == p.mrz_lines);
  cv::Mat wide;
  gray.convertTo(wide, CV_16U, 257.0);
  CHECK(reader().read(wide, options()).mrz.lines == p.mrz_lines);
  cv::Mat bgra;
  cv::cvtColor(p.image, bgra, cv::COLOR_BGR2BGRA);
  CHECK(reader().read(bgra, options()).mrz.lines == p.mrz_lines);
}

TEST_CASE("a missing model file is a clear error") {
  CHECK_THROWS_WITH_AS(optical::Reader("/nonexistent/model.yml.gz"), doctest::Contains("cannot load the OCR-B model"),
                       std::runtime_error);
}

TEST_CASE("a page lit unevenly, one end of the MRZ far lighter than the other, is read exactly") {
  const auto p = page(Format::TD2, 0, 31);
  cv::Mat gray;
  cv::cvtColor(p.image, gray, cv::COLOR_BGR2GRAY);
  // A lamp's fall-off across the page: dark on the left, washed out on the right.
  cv::Mat lit(gray.size(), CV_8U);
  for (int y = 0; y < gray.rows; ++y) {
    for (int x = 0; x < gray.cols; ++x) {
      const double gain = 0.55 + 0.9 * x / gray.cols;
      lit.at<uchar>(y, x) = cv::saturate_cast<uchar>(gray.at<uchar>(y, x) * gain + 40.0 * x / gray.cols);
    }
  }
  const auto r = reader().read(lit, options());
  CHECK(r.mrz.lines == p.mrz_lines);
  CHECK(r.status == ReadStatus::Valid);
}

TEST_CASE("a reading is valid only when every check passes and no field is uncertain") {
  Repaired reading;
  reading.lines = {"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10"};
  reading.document = parse(reading.lines, ParseOptions{mrz::test::kAsOf});
  REQUIRE(reading.document.valid());
  CHECK(optical::status_of(reading) == ReadStatus::Valid);
  reading.uncertain_fields = {"name"};
  CHECK(optical::status_of(reading) == ReadStatus::NeedsReview);
  CHECK(optical::to_string(ReadStatus::NeedsReview) == "needs_review");
  reading.lines[1][9] = '7';  // the document number's check digit no longer fits
  reading.document = parse(reading.lines, ParseOptions{mrz::test::kAsOf});
  CHECK(optical::status_of(reading) == ReadStatus::Invalid);
}

TEST_CASE("an MRZ line broken in two (a run of fillers too faint to see) is still found") {
  const auto p = page(Format::TD3, 0, 41);
  cv::Mat image = p.image.clone();
  // Paint cells 17 and 18 of the first line over with the paper's colour, as if they had faded;
  // the two pieces left are each too short to pass for an MRZ line with the second line.
  const auto& q = p.mrz_quad;
  const cv::Point2f along = (q[1] - q[0]) * (1.0F / 44.0F);
  const cv::Point2f down = (q[3] - q[0]) * 0.42F;
  const cv::Point2f start = q[0] + along * 16.0F;
  const cv::Point2f end = q[0] + along * 18.0F;
  const cv::Point2f lift = (q[3] - q[0]) * -0.08F;
  const std::vector<cv::Point> gap = {start + lift, end + lift, end + down, start + down};
  const cv::Vec3b paper = image.at<cv::Vec3b>(cv::Point(start + lift * 2.0F));
  cv::fillConvexPoly(image, gap, cv::Scalar(paper[0], paper[1], paper[2]));
  const auto r = reader().read(image, options());
  REQUIRE(r.status != ReadStatus::NotFound);
  CHECK(r.mrz.lines[1] == p.mrz_lines[1]);
  const double pitch = cv::norm(q[1] - q[0]) / 44.0;
  for (int i = 0; i < 4; ++i) CHECK_MESSAGE(cv::norm(r.quad[i] - q[i]) < 1.0 * pitch, "corner ", i);
}

namespace {

// A JPEG whose EXIF orientation tag (TIFF tag 0x0112) is `orientation`: an APP1 segment with a
// one-entry IFD, put right after the start-of-image marker.
std::vector<unsigned char> with_exif_orientation(std::vector<unsigned char> jpeg, int orientation) {
  const std::vector<unsigned char> app1 = {
      0xFF, 0xE1, 0x00, 0x22,                          // APP1, 34 bytes
      'E', 'x', 'i', 'f', 0x00, 0x00,                  // Exif header
      'I', 'I', 0x2A, 0x00, 0x08, 0x00, 0x00, 0x00,    // little-endian TIFF, first IFD at 8
      0x01, 0x00,                                      // one entry
      0x12, 0x01, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00,  // Orientation, SHORT, count 1
      static_cast<unsigned char>(orientation), 0x00, 0x00, 0x00,
      0x00, 0x00, 0x00, 0x00};                         // no next IFD
  jpeg.insert(jpeg.begin() + 2, app1.begin(), app1.end());
  return jpeg;
}

// The pixels a camera stores for an upright page when it tags the file with `orientation`
// (the tag says how to turn the stored pixels to show them upright).
cv::Mat stored_for(const cv::Mat& upright, int orientation) {
  cv::Mat out;
  switch (orientation) {
    case 2: cv::flip(upright, out, 1); break;
    case 3: cv::rotate(upright, out, cv::ROTATE_180); break;
    case 4: cv::flip(upright, out, 0); break;
    case 5: cv::transpose(upright, out); break;
    case 6: cv::rotate(upright, out, cv::ROTATE_90_COUNTERCLOCKWISE); break;
    case 7: cv::transpose(upright, out); cv::rotate(out, out, cv::ROTATE_180); break;
    case 8: cv::rotate(upright, out, cv::ROTATE_90_CLOCKWISE); break;
    default: out = upright.clone();
  }
  return out;
}

}  // namespace

TEST_CASE("a phone photo is read in each of the eight EXIF orientations, mirrored ones included") {
  const auto p = page(Format::TD3, 0, 8080);
  for (int orientation = 1; orientation <= 8; ++orientation) {
    CAPTURE(orientation);
    const auto bytes = with_exif_orientation(encode(stored_for(p.image, orientation), ".jpg"), orientation);
    const auto result = reader().read_encoded(bytes, options());
    CHECK(result.mrz.lines == p.mrz_lines);
  }
}
