// The traveller camera on recorded frames: the specimen traveller's face cut to a 35:45 portrait,
// an empty wall answered "no face", a missing camera answered "unavailable", all as values.
#include <doctest/doctest.h>

#include <opencv2/imgcodecs.hpp>

#include "camera_recordings.hpp"
#include "firmware_bridge/traveller_camera.hpp"
#include "temp_dir.hpp"
#include "test_profile.hpp"

namespace {

using namespace borderpost::bridge;
using borderpost::test::record_traveller;
using borderpost::test::TempDir;
using borderpost::test::test_profile;
using Outcome = TravellerPhoto::Outcome;

DeviceProfile traveller_profile(const std::string& source) {
  auto p = test_profile("test-traveller-camera", "recorded traveller camera", DeviceClass::TravellerCamera, Driver::UvcCamera,
                        "test-traveller-camera.toml");
  p.camera.source = source;
  p.camera.settle_frames = 1;
  return p;
}

}  // namespace

TEST_CASE("the traveller in front of the camera is photographed: the largest face, cut to a 35:45 portrait, as JPEG") {
  const TempDir dir("traveller-face");
  const auto recording = record_traveller(dir.path, true);
  TravellerCamera camera(traveller_profile(recording.source));
  const auto photo = camera.take_photo();
  CAPTURE(photo.message);
  REQUIRE(photo.outcome == Outcome::Taken);
  REQUIRE(photo.jpeg.size() > 2);
  CHECK(photo.jpeg[0] == 0xFF);
  CHECK(photo.jpeg[1] == 0xD8);
  const cv::Mat portrait = cv::imdecode(photo.jpeg, cv::IMREAD_COLOR);
  CHECK(portrait.cols == 420);
  CHECK(portrait.rows == 540);  // 420 x 45 / 35
  // A second photo from the same camera (the recording plays on, then opens again at its end).
  for (int i = 0; i < 3; ++i) CHECK(camera.take_photo().outcome == Outcome::Taken);
}

TEST_CASE("an empty wall is answered \"no face found\", a camera that is not there \"camera unavailable\"") {
  const TempDir dir("traveller-wall");
  const auto recording = record_traveller(dir.path, false);
  TravellerCamera camera(traveller_profile(recording.source));
  const auto photo = camera.take_photo();
  CHECK(photo.outcome == Outcome::NoFace);
  CHECK(photo.jpeg.empty());
  CHECK(photo.message == "no face found in the traveller camera's picture");
  TravellerCamera absent(traveller_profile("/dev/video-borderpost-none"));
  const auto none = absent.take_photo();
  CHECK(none.outcome == Outcome::CameraUnavailable);
  CHECK(none.message.find("/dev/video-borderpost-none gave no picture") != std::string::npos);
  CHECK(to_string(none.outcome) == "camera-unavailable");
}

TEST_CASE("the portrait box keeps 35:45 and stays inside the frame, even for a face at the frame's edge") {
  const auto centred = portrait_box({270, 150, 100, 100}, {640, 480}, 0.6);
  CHECK(centred.width == 220);
  CHECK(centred.height == 282);
  CHECK(centred.x + centred.width / 2 == doctest::Approx(320).epsilon(0.01));
  const auto edge = portrait_box({0, 0, 100, 100}, {640, 480}, 0.6);
  CHECK(edge.x == 0);
  CHECK(edge.y == 0);
  const auto huge = portrait_box({100, 50, 400, 400}, {640, 480}, 0.6);
  CHECK(huge.height <= 480);
  CHECK(huge.x >= 0);
  CHECK(huge.x + huge.width <= 640);
  CHECK(static_cast<double>(huge.width) / huge.height == doctest::Approx(35.0 / 45.0).epsilon(0.01));
}

TEST_CASE("a traveller camera whose face detector cannot be loaded is refused with the path") {
  auto profile = traveller_profile("0");
  profile.face.cascade = "/nonexistent/cascade.xml";
  CHECK_THROWS_WITH_AS(TravellerCamera{profile}, doctest::Contains("/nonexistent/cascade.xml cannot be loaded"), ProfileError);
}
