// Rendering the recorded camera sessions: pages from mrz_synth (the same documents the optical
// reader is tested on) composited onto a desk through a known homography, frame by frame.
#include "camera_recordings.hpp"

#include <fstream>
#include <random>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "mrz_synth/page.hpp"

namespace borderpost::test {
namespace {

namespace fs = std::filesystem;
using bridge::Light;

// The document alone, cut from the render's glass: every pixel unlike the glass's corner colour.
cv::Rect document_box(const cv::Mat& render) {
  cv::Mat diff, gray, mask;
  cv::absdiff(render, cv::Scalar(render.at<cv::Vec3b>(0, 0)), diff);
  cv::cvtColor(diff, gray, cv::COLOR_BGR2GRAY);
  cv::threshold(gray, mask, 8, 255, cv::THRESH_BINARY);
  return cv::boundingRect(mask);
}

cv::Mat bgr(const cv::Mat& image) {
  if (image.channels() == 3) return image;
  cv::Mat out;
  cv::cvtColor(image, out, cv::COLOR_GRAY2BGR);
  return out;
}

// A dark desk mat with a faint fixed grain, as a camera sees one; dimmer under UV, as the room is.
cv::Mat desk(cv::Size size, Light light) {
  cv::Mat d(size, CV_8UC3, light == Light::Ultraviolet ? cv::Scalar(30, 12, 14) : cv::Scalar(52, 50, 48));
  cv::Mat grain(size, CV_8UC3);
  cv::RNG rng(7);
  rng.fill(grain, cv::RNG::NORMAL, cv::Scalar::all(0), cv::Scalar::all(3));
  cv::add(d, grain, d);
  return d;
}

cv::Mat photograph(const cv::Mat& page, const cv::Mat& homography, cv::Size size, Light light) {
  cv::Mat frame = desk(size, light), warped, mask;
  cv::warpPerspective(page, warped, homography, size, cv::INTER_LINEAR);
  cv::warpPerspective(cv::Mat(page.size(), CV_8UC1, cv::Scalar(255)), mask, homography, size, cv::INTER_LINEAR);
  cv::threshold(mask, mask, 127, 255, cv::THRESH_BINARY);
  warped.copyTo(frame, mask);
  return frame;
}

void write_frame(const fs::path& dir, int& index, const cv::Mat& frame, int corrupt) {
  char name[32];
  std::snprintf(name, sizeof name, "frame_%03d.png", index);
  if (index == corrupt) std::ofstream(dir / name, std::ios::binary) << "\x89PNG\r\n\x1a\n not a picture any more";
  else cv::imwrite((dir / name).string(), frame);
  ++index;
}

}  // namespace

fs::path specimen_face() { return fs::path(BORDERPOST_SOURCE_DIR) / "tests" / "chip" / "data" / "face-utopia-specimen.jpg"; }

Recording record_document_session(const fs::path& dir, const DocumentSession& s) {
  fs::remove_all(dir);
  fs::create_directories(dir);
  mrz::synth::PageSpec spec;
  std::mt19937 rng(11);
  spec.fields = mrz::synth::random_fields(rng, mrz::Format::TD3);
  spec.degradation = mrz::synth::Degradation::Clean;
  spec.dpi = s.dpi;
  spec.seed = 5;
  cv::theRNG().state = 5;
  const auto lights = mrz::synth::render_lights(spec);
  const auto box = document_box(lights.white.image);
  const cv::Mat white = lights.white.image(box).clone();
  const cv::Mat by_light[3] = {white, bgr(lights.infrared)(box).clone(), bgr(lights.ultraviolet)(box).clone()};

  // Laid down a little turned and seen from a little off-centre: a rotation and a perspective.
  Recording r;
  const float w = static_cast<float>(white.cols), h = static_cast<float>(white.rows);
  r.corners = {cv::Point2f{150, 118}, {532, 160}, {498, 404}, {104, 352}};  // in a 640 x 480 frame
  for (auto& corner : r.corners) corner = {corner.x * s.frame.width / 640.0F, corner.y * s.frame.height / 480.0F};
  const std::array<cv::Point2f, 4> page{cv::Point2f{0, 0}, {w, 0}, {w, h}, {0, h}};
  const cv::Mat homography = cv::getPerspectiveTransform(page.data(), r.corners.data());
  r.page_white = white;

  const cv::Mat empty = desk(s.frame, Light::White);
  const cv::Mat placed = photograph(white, homography, s.frame, Light::White);
  int index = 0;
  for (int i = 0; i < s.empty_before; ++i) write_frame(dir, index, empty, s.corrupt_frame);
  for (int i = 0; i < s.still; ++i) write_frame(dir, index, placed, s.corrupt_frame);
  for (Light light : s.lights) {
    const cv::Mat lit = photograph(by_light[static_cast<int>(light)], homography, s.frame, light);
    for (int i = 0; i <= s.settle; ++i) write_frame(dir, index, lit, s.corrupt_frame);
    if (s.end_mid_capture) break;
  }
  if (!s.end_mid_capture) {
    for (int i = 0; i < s.present_after; ++i) write_frame(dir, index, placed, s.corrupt_frame);
    for (int i = 0; i < s.empty_after; ++i) write_frame(dir, index, empty, s.corrupt_frame);
  }
  r.frames = index;
  r.source = (dir / "frame_%03d.png").string();
  return r;
}

Recording record_traveller(const fs::path& dir, bool with_face, int frames) {
  fs::remove_all(dir);
  fs::create_directories(dir);
  // A plain wall, lighter at the top as a ceiling light makes it.
  cv::Mat wall(480, 640, CV_8UC3);
  for (int y = 0; y < wall.rows; ++y) wall.row(y).setTo(cv::Scalar::all(200 - y / 8));
  if (with_face) {
    const cv::Mat face = cv::imread(specimen_face().string());
    if (face.empty()) throw std::runtime_error("cannot read " + specimen_face().string());
    face.copyTo(wall(cv::Rect((wall.cols - face.cols) / 2, 40, face.cols, face.rows)));
  }
  Recording r;
  int index = 0;
  for (int i = 0; i < frames; ++i) write_frame(dir, index, wall, -1);
  r.frames = index;
  r.source = (dir / "frame_%03d.png").string();
  return r;
}

}  // namespace borderpost::test
