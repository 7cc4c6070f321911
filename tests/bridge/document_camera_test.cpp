// The document camera driver through cv::VideoCapture on recorded frame sequences: placement,
// one straightened page per light with the lamps switched in order, removal, a camera lost
// mid-capture, and frames that are not pictures.
#include <doctest/doctest.h>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "camera_recordings.hpp"
#include "firmware_bridge/camera_page_reader.hpp"
#include "firmware_bridge/page_finder.hpp"
#include "recorder.hpp"
#include "temp_dir.hpp"
#include "test_profile.hpp"

namespace {

namespace fs = std::filesystem;
using namespace borderpost::bridge;
using namespace borderpost::test;
using Kind = DeviceEvent::Kind;

DeviceProfile camera_profile(const std::string& source, const DocumentSession& session) {
  auto p = test_profile("test-document-camera", "recorded document camera", DeviceClass::PageReader, Driver::UvcCamera,
                        "test-document-camera.toml");
  p.lights = session.lights;
  p.dpi = 100;
  p.reconnect_ms = 5000;  // stop() cuts the wait short; a test that wants the camera back asks for less
  p.camera.source = source;
  p.camera.still_frames = session.still;
  p.camera.settle_frames = session.settle;
  p.camera.page_width_mm = 125;
  p.camera.page_height_mm = 88;
  p.camera.presence_threshold = 0.1;
  return p;
}

// Remembers every lamp the driver asked for; refuses the one named, like a lamp that has failed.
struct RecordingLamps : LampSwitch {
  std::shared_ptr<std::vector<Light>> asked = std::make_shared<std::vector<Light>>();
  std::optional<Light> broken;
  void select(Light light) override {
    asked->push_back(light);
    if (broken && *broken == light) throw DeviceError("lamp does not answer");
  }
};

double mean_difference(const cv::Mat& a, const cv::Mat& b) {
  cv::Mat ga, gb, diff;
  cv::cvtColor(a, ga, cv::COLOR_BGR2GRAY);
  cv::cvtColor(b, gb, cv::COLOR_BGR2GRAY);
  cv::resize(gb, gb, ga.size(), 0, 0, cv::INTER_AREA);
  cv::absdiff(ga, gb, diff);
  return cv::mean(diff)[0];
}

struct Run {
  TempDir dir;
  Recording recording;
  EventRecorder events;
  std::shared_ptr<std::vector<Light>> lamps_asked;
  std::unique_ptr<CameraPageReader> reader;
  // `profile_lights`: what the profile lists, when it is not what the recording shows.
  Run(const std::string& name, const DocumentSession& session, bool with_lamps = true, std::optional<Light> broken = {},
      int reconnect_ms = 5000, std::vector<Light> profile_lights = {})
      : dir("camera-" + name), recording(record_document_session(dir.path, session)) {
    std::unique_ptr<LampSwitch> lamps;
    if (with_lamps) {
      auto fake = std::make_unique<RecordingLamps>();
      fake->broken = broken;
      lamps_asked = fake->asked;
      lamps = std::move(fake);
    }
    auto profile = camera_profile(recording.source, session);
    profile.reconnect_ms = reconnect_ms;
    if (!profile_lights.empty()) profile.lights = std::move(profile_lights);
    reader = std::make_unique<CameraPageReader>(profile, std::move(lamps));
    reader->start(events.listener());
  }
  ~Run() { reader->stop(); }
  // The recording played to its end (then the camera is gone): the page placed, captured once and
  // removed. The capture's event.
  std::optional<DeviceEvent> played_through() {
    REQUIRE(events.wait_for(Kind::Disconnected));
    reader->stop();
    CHECK(events.kinds_until(Kind::Disconnected) ==
          std::vector<Kind>{Kind::Connected, Kind::DocumentPlaced, Kind::Captured, Kind::DocumentRemoved, Kind::Disconnected});
    auto captured = events.first(Kind::Captured);
    REQUIRE(captured);
    return captured;
  }
};

}  // namespace

TEST_CASE("a page laid on the desk is placed, captured once per light in the profile's order with the lamp switched before each, then removed") {
  DocumentSession session;
  Run run("session", session);
  const auto captured = run.played_through();
  REQUIRE(captured->capture.images.size() == 3);
  CHECK(captured->capture.images[0].light == Light::White);
  CHECK(captured->capture.images[1].light == Light::Infrared);
  CHECK(captured->capture.images[2].light == Light::Ultraviolet);
  CHECK(captured->capture.device == "test-document-camera");
  // White to watch the desk, then one switch before each light's frame, then back to white.
  CHECK(*run.lamps_asked == std::vector<Light>{Light::White, Light::White, Light::Infrared, Light::Ultraviolet, Light::White});
  // Each light's page is that light's picture: the UV page is darker than the white one.
  const cv::Mat white = cv::imdecode(captured->capture.images[0].encoded, cv::IMREAD_COLOR);
  const cv::Mat uv = cv::imdecode(captured->capture.images[2].encoded, cv::IMREAD_COLOR);
  REQUIRE_FALSE(white.empty());
  REQUIRE_FALSE(uv.empty());
  CHECK(cv::mean(uv)[0] + cv::mean(uv)[1] + cv::mean(uv)[2] < cv::mean(white)[0] + cv::mean(white)[1] + cv::mean(white)[2]);
}

TEST_CASE("the page's corners are found within 2 px of where it lay, and the corrected page is upright with the page's proportions") {
  DocumentSession session;
  const TempDir dir("camera-geometry");
  const auto recording = record_document_session(dir.path, session);
  char name[32];
  std::snprintf(name, sizeof name, "frame_%03d.png", session.empty_before);
  const cv::Mat frame = cv::imread(dir.file(name));
  const auto quad = find_page(frame, 0.1);
  REQUIRE(quad);
  const cv::Size size = page_size_px(125, 88, 100);
  CHECK(size == cv::Size(492, 346));
  const auto corners = upright_corners(*quad, size);
  for (std::size_t i = 0; i < 4; ++i) {
    CAPTURE(i);
    CHECK(std::hypot(corners[i].x - recording.corners[i].x, corners[i].y - recording.corners[i].y) < 2.0);
  }
  // The delivered page: the page's size at the profile's dpi, and the printed page (not upside down).
  Run run("upright", session);
  REQUIRE(run.events.wait_for(Kind::Captured));
  const auto captured = run.events.first(Kind::Captured);
  REQUIRE(captured);
  const cv::Mat page = cv::imdecode(captured->capture.images[0].encoded, cv::IMREAD_COLOR);
  REQUIRE(page.size() == size);
  cv::Mat turned;
  cv::rotate(recording.page_white, turned, cv::ROTATE_180);
  const double same = mean_difference(page, recording.page_white), upside_down = mean_difference(page, turned);
  CAPTURE(same);
  CAPTURE(upside_down);
  CHECK(same < 12.0);
  CHECK(upside_down > 2 * same);
}

TEST_CASE("an HD camera's frames are watched at reduced size, and the page is cut from the full frame") {
  DocumentSession session;
  session.frame = {1600, 1200};
  session.dpi = 200;
  session.lights = {Light::White};
  Run run("hd", session);
  const auto captured = run.played_through();
  const cv::Mat page = cv::imdecode(captured->capture.images.at(0).encoded, cv::IMREAD_COLOR);
  REQUIRE(page.size() == page_size_px(125, 88, 100));
  CHECK(mean_difference(page, run.recording.page_white) < 12.0);
}

TEST_CASE("an empty desk, a uniform frame and a page cut by the frame's edge are not pages") {
  cv::Mat desk(480, 640, CV_8UC3, cv::Scalar(50, 50, 50));
  CHECK_FALSE(find_page(desk, 0.1));
  cv::Mat grain(desk.size(), CV_8UC3);
  cv::randn(grain, cv::Scalar::all(50), cv::Scalar::all(10));
  CHECK_FALSE(find_page(grain, 0.1));
  cv::Mat cut = desk.clone();
  cv::rectangle(cut, cv::Rect(300, 100, 400, 250), cv::Scalar(230, 230, 230), cv::FILLED);  // runs off the right edge
  CHECK_FALSE(find_page(cut, 0.1));
  cv::Mat small = desk.clone();
  cv::rectangle(small, cv::Rect(300, 100, 60, 40), cv::Scalar(230, 230, 230), cv::FILLED);  // a card too small to be the page
  CHECK_FALSE(find_page(small, 0.1));
  CHECK_FALSE(find_page(cv::Mat(), 0.1));
}

TEST_CASE("a recording that stops mid-capture abandons the capture, reports the camera disconnected, and the camera is found again") {
  DocumentSession session;
  session.end_mid_capture = true;
  Run run("mid-capture", session, true, {}, 50);
  REQUIRE(run.events.wait_for(Kind::Disconnected));
  REQUIRE(run.events.wait_for(Kind::Connected, 2));  // it keeps trying: the recording opens again
  run.reader->stop();
  CHECK(run.events.kinds_until(Kind::Disconnected) == std::vector<Kind>{Kind::Connected, Kind::DocumentPlaced, Kind::Disconnected});
  const auto lost = run.events.first(Kind::Disconnected);
  REQUIRE(lost);
  CHECK(lost->message.find("capture in progress was abandoned") != std::string::npos);
  CHECK(run.events.count(Kind::Captured) == 0);
}

TEST_CASE("a corrupt frame in the stream does not crash the driver") {
  DocumentSession session;
  session.corrupt_frame = session.empty_before + session.still + 1;  // during the capture
  Run run("corrupt", session);
  REQUIRE(run.events.wait_for(Kind::Disconnected));
  run.reader->stop();
  // Whatever the backend makes of the file (a skipped frame or the end of the recording), the
  // driver goes on: either the capture completes or the camera is reported lost.
  const auto kinds = run.events.kinds_until(Kind::Disconnected);
  REQUIRE(kinds.size() >= 3);
  CHECK(kinds[0] == Kind::Connected);
  CHECK(kinds[1] == Kind::DocumentPlaced);
  CHECK(kinds.back() == Kind::Disconnected);
}

TEST_CASE("without a lamp switch only the white page is delivered, whatever lights the profile lists") {
  DocumentSession session;
  session.lights = {Light::White};
  Run run("no-lamps", session, false);
  CHECK(run.reader->lights() == std::vector<Light>{Light::White});
  REQUIRE(run.events.wait_for(Kind::Captured));
  const auto captured = run.events.first(Kind::Captured);
  REQUIRE(captured);
  REQUIRE(captured->capture.images.size() == 1);
  CHECK(captured->capture.images[0].light == Light::White);
}

TEST_CASE("a lamp that refuses to switch costs its light only: the other pages are captured and the capture says why") {
  DocumentSession session;
  session.lights = {Light::White, Light::Ultraviolet};  // the camera shows no infrared picture: its lamp stays off
  Run run("broken-lamp", session, true, Light::Infrared, 5000, {Light::White, Light::Infrared, Light::Ultraviolet});
  const auto captured = run.played_through();
  REQUIRE(captured->capture.images.size() == 2);
  CHECK(captured->capture.images[0].light == Light::White);
  CHECK(captured->capture.images[1].light == Light::Ultraviolet);
  CHECK(captured->capture.problems == std::vector<std::string>{"the ir lamp could not be switched on: lamp does not answer"});
}

TEST_CASE("with every lamp refusing, the white page is still taken in the desk's light") {
  DocumentSession session;
  session.lights = {Light::White};
  Run run("lamps-gone", session, true, Light::White, 5000, {Light::White});
  REQUIRE(run.events.wait_for(Kind::Captured));
  const auto captured = run.events.first(Kind::Captured);
  REQUIRE(captured);
  REQUIRE(captured->capture.images.size() == 1);
  CHECK(captured->capture.images[0].light == Light::White);
  CHECK(captured->capture.problems.size() == 1);
}

TEST_CASE("a camera that cannot be opened is reported disconnected once, not a crash") {
  DocumentSession session;
  auto profile = camera_profile("/dev/video-borderpost-none", session);
  CameraPageReader reader(profile, nullptr);
  EventRecorder events;
  reader.start(events.listener());
  REQUIRE(events.wait_for(Kind::Disconnected));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  reader.stop();
  CHECK(events.count(Kind::Disconnected) == 1);
  CHECK_FALSE(reader.connected());
  CHECK(events.snapshot().front().message.find("/dev/video-borderpost-none cannot be opened") != std::string::npos);
}
