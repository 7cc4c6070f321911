// The simulated full-page reader behaves like a real one: placed, captured after a delay, removed;
// unplugging mid-scan abandons the capture.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "firmware_bridge/profile.hpp"
#include "firmware_bridge/simulated_page_reader.hpp"
#include "recorder.hpp"
#include "temp_dir.hpp"
#include "test_profile.hpp"

namespace {

namespace fs = std::filesystem;
using namespace borderpost::bridge;
using Kind = DeviceEvent::Kind;

using Recorder = borderpost::test::EventRecorder;
using borderpost::test::TempDir;
using borderpost::test::test_profile;

struct Samples {
  const TempDir dir{"samples"};
  Samples() {
    fs::create_directories(dir.path / "01-first");
    std::ofstream(dir.path / "01-first" / "white.png") << "white-bytes";
    std::ofstream(dir.path / "01-first" / "ir.png") << "ir-bytes";
    fs::create_directories(dir.path / "02-second");
    std::ofstream(dir.path / "02-second" / "white.jpg") << "jpeg";
    fs::create_directories(dir.path / "not-a-sample");
  }
};

DeviceProfile profile(int delay_ms) {
  auto p = test_profile("simulated-page-reader", "test reader", DeviceClass::PageReader, Driver::Simulated);
  p.lights = {Light::White, Light::Infrared, Light::Ultraviolet};
  p.capture_delay_ms = delay_ms;
  return p;
}

}  // namespace

TEST_CASE("a placed sample is captured after the profile's delay with the images it has, then removed") {
  Samples samples;
  SimulatedPageReader reader(profile(50), samples.dir.path.string());
  CHECK(reader.samples() == std::vector<std::string>{"01-first", "02-second"});
  Recorder recorder;
  reader.start(recorder.listener());
  const auto before = std::chrono::steady_clock::now();
  reader.place("01-first");
  REQUIRE(recorder.wait_for(Kind::Captured));
  CHECK(std::chrono::steady_clock::now() - before >= std::chrono::milliseconds(50));
  {
    std::lock_guard lock(recorder.mutex);
    const auto& capture = recorder.events.back().capture;
    CHECK(capture.sample == "01-first");
    REQUIRE(capture.images.size() == 2);  // no UV image in this sample
    CHECK(std::string(capture.images[0].encoded.begin(), capture.images[0].encoded.end()) == "white-bytes");
    CHECK(capture.images[1].light == Light::Infrared);
  }
  CHECK(recorder.count(Kind::DocumentPlaced) == 1);
  CHECK_THROWS_AS(reader.place("02-second"), std::logic_error);  // one document at a time
  reader.remove();
  REQUIRE(recorder.wait_for(Kind::DocumentRemoved));
  reader.place("02-second");
  CHECK(recorder.wait_for(Kind::Captured, 2));
  reader.stop();
}

TEST_CASE("unplugging the reader mid-scan abandons the capture and reports the disconnection") {
  Samples samples;
  SimulatedPageReader reader(profile(300), samples.dir.path.string());
  Recorder recorder;
  reader.start(recorder.listener());
  reader.place("01-first");
  REQUIRE(recorder.wait_for(Kind::DocumentPlaced));
  reader.unplug();
  REQUIRE(recorder.wait_for(Kind::Disconnected));
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  CHECK(recorder.count(Kind::Captured) == 0);
  CHECK_FALSE(reader.connected());
  CHECK_THROWS_AS(reader.place("01-first"), std::logic_error);
  reader.plug();
  REQUIRE(recorder.wait_for(Kind::Connected, 2));
  reader.place("01-first");
  CHECK(recorder.wait_for(Kind::Captured));
}

TEST_CASE("an unknown sample is refused") {
  Samples samples;
  SimulatedPageReader reader(profile(0), samples.dir.path.string());
  CHECK_THROWS_AS(reader.place("99-nothing"), std::invalid_argument);
  CHECK_THROWS_AS(reader.place("not-a-sample"), std::invalid_argument);
}

TEST_CASE("the shipped simulated profile loads, and a profile with a mistake is refused with its line") {
  const auto p = load_profile(BORDERPOST_SOURCE_DIR "/hw-profiles/simulated-page-reader.toml");
  CHECK(p.driver == Driver::Simulated);
  CHECK(p.lights.size() == 3);
  const TempDir scratch("profile");
  const auto bad = scratch.path / "bad.toml";
  std::ofstream(bad) << "id = \"x\"\nmodel = \"y\"\nclass = \"page-reader\"\ndriver = \"simulated\"\nlights = [\"white\", \"xray\"]\n";
  CHECK_THROWS_WITH_AS(load_profile(bad.string()), doctest::Contains(":5: lights"), ProfileError);
  std::ofstream(bad) << "id = \"x\"\nmodel = \"y\"\nclass = \"page-reader\"\ndriver = \"simulated\"\nspeed = 3\n";
  CHECK_THROWS_WITH_AS(load_profile(bad.string()), doctest::Contains("speed is not a profile key"), ProfileError);
  std::ofstream(bad) << "id = \"x\"\nmodel = \"y\"\nclass = \"page-reader\"\ndriver = \"twain\"\n";
  CHECK_THROWS_WITH_AS(load_profile(bad.string()), doctest::Contains(":4: driver must be"), ProfileError);
}

TEST_CASE("the shipped camera and simulated-process profiles load with their tables") {
  const auto document = load_profile(BORDERPOST_SOURCE_DIR "/hw-profiles/generic-uvc-document-camera.toml");
  CHECK(document.driver == Driver::UvcCamera);
  CHECK(document.camera.source == "/dev/video0");
  CHECK(document.camera.page_width_mm == 125);
  const auto traveller = load_profile(BORDERPOST_SOURCE_DIR "/hw-profiles/generic-uvc-traveller-camera.toml");
  CHECK(traveller.device_class == DeviceClass::TravellerCamera);
  CHECK(traveller.face.cascade == "/usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml");
  CHECK_THROWS_WITH_AS(open_page_reader(traveller, {}), doctest::Contains("does not describe a page reader"), ProfileError);
  const auto process = load_profile(BORDERPOST_SOURCE_DIR "/hw-profiles/simulated-page-reader-process.toml");
  CHECK(process.driver == Driver::SimulatedProcess);
  CHECK(process.socket == "/tmp/borderpost-simreader.sock");
}

TEST_CASE("a camera profile with a mistake in its [camera] table is refused with the line and the key") {
  const TempDir scratch("camera-profile");
  const auto bad = scratch.path / "bad.toml";
  const std::string head = "id = \"x\"\nmodel = \"y\"\nclass = \"page-reader\"\ndriver = \"uvc-camera\"\n";
  std::ofstream(bad) << head;
  CHECK_THROWS_WITH_AS(load_profile(bad.string()), doctest::Contains("needs a [camera] table"), ProfileError);
  std::ofstream(bad) << head << "[camera]\nsource = \"/dev/video0\"\nstill_frames = 0\n";
  CHECK_THROWS_WITH_AS(load_profile(bad.string()), doctest::Contains(":7: camera.still_frames must be an integer from 1 to 100"), ProfileError);
  std::ofstream(bad) << head << "[camera]\nsource = \"/dev/video0\"\nzoom = 2\n";
  CHECK_THROWS_WITH_AS(load_profile(bad.string()), doctest::Contains(":7: camera.zoom is not a profile key"), ProfileError);
  std::ofstream(bad) << head << "[camera]\nsource = 2\nencoding = \"gif\"\n";
  CHECK_THROWS_WITH_AS(load_profile(bad.string()), doctest::Contains("camera.encoding must be \"png\" or \"jpeg\""), ProfileError);
  std::ofstream(bad) << head << "[camera]\nsource = \"frames/f_%03d.png\"\n";
  CHECK(load_profile(bad.string()).camera.source == (bad.parent_path() / "frames/f_%03d.png").string());
  std::ofstream(bad) << "id = \"x\"\nmodel = \"y\"\nclass = \"page-reader\"\ndriver = \"simulated-process\"\n";
  CHECK_THROWS_WITH_AS(load_profile(bad.string()), doctest::Contains("socket is required"), ProfileError);
  std::ofstream(bad) << "id = \"x\"\nmodel = \"y\"\nclass = \"traveller-camera\"\ndriver = \"uvc-camera\"\n[camera]\nsource = 0\n[face]\nmargin = -1\n";
  CHECK_THROWS_WITH_AS(load_profile(bad.string()), doctest::Contains(":8: face.margin must be a number from 0 to 3"), ProfileError);
}

TEST_CASE("a key a profile lacks is named with the file alone, a bad value with its line, and only the USB tables suggest hex") {
  const TempDir scratch("profile-messages");
  const auto bad = scratch.path / "bad.toml";
  const auto file = bad.string();
  auto error = [&](const std::string& text) {
    std::ofstream(bad) << text;
    try {
      load_profile(file);
    } catch (const ProfileError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  const std::string page = "id = \"x\"\nmodel = \"y\"\nclass = \"page-reader\"\ndriver = \"simulated\"\n";
  CHECK(error("model = \"y\"\nclass = \"page-reader\"\ndriver = \"simulated\"\n") == file + ": id is required");
  CHECK(error(page + "dpi = 50\n") == file + ":5: dpi must be an integer from 100 to 1200");
  const std::string camera = "id = \"x\"\nmodel = \"y\"\nclass = \"document-camera\"\ndriver = \"uvc-camera\"\n[camera]\n";
  CHECK(error(camera + "width = 10\n") == file + ": camera.source is required");
  CHECK(error(camera + "source = 64\n") == file + ":6: camera.source must be a device index from 0 to 63, or a path");
  CHECK(error(camera + "source = 0\npresence_threshold = 1\n") == file + ":7: camera.presence_threshold must be a number from 0.01 to 0.95");
  CHECK(error(page + "[camera]\nsource = 0\n") == file + ":5: camera belongs to the uvc-camera driver only");
  const std::string mrz = "id = \"x\"\nmodel = \"y\"\nclass = \"mrz-reader\"\ndriver = \"usb-mrz-reader\"\n";
  CHECK(error(mrz + "[usb]\nvendor_id = 1\nproduct_id = 2\nread_size = 4\n") ==
        file + ":8: usb.read_size must be an integer from 8 to 16384 (write hex as 0x1a2b)");
  CHECK(error(mrz + "[usb]\nvendor_id = 1\nproduct_id = 2\n") == file + ": class \"mrz-reader\" needs a [framing] table");
}
