// The traveller camera at a real station: a decision takes the traveller's photo (from a recorded
// camera sequence) and keeps it with the movement, where the supervisor sees it; a camera that
// sees no face, or is not there, never holds a decision up, and the audit trail says why.
#include <doctest/doctest.h>

#include <opencv2/imgcodecs.hpp>

#include "camera_recordings.hpp"
#include "station_support.hpp"

using namespace borderpost::test;
using nlohmann::json;

namespace {

// A traveller camera profile playing `source`, written into the post's folder.
std::string traveller_camera(const StationPost& post, const std::string& source) {
  const auto path = post.dir / "traveller-camera.toml";
  std::ofstream(path) << "id = \"recorded-traveller-camera\"\nmodel = \"Recorded traveller camera\"\n"
                         "class = \"traveller-camera\"\ndriver = \"uvc-camera\"\n[camera]\nsource = \""
                      << source << "\"\nsettle_frames = 1\n";
  return "traveller_camera = \"" + path.string() + "\"\n";
}

}  // namespace

TEST_CASE("a decision keeps the traveller's photo with the movement, beside the page images, for the supervisor") {
  StationPost post("traveller-photo");
  const auto recording = record_traveller(post.dir / "camera", true);
  post.devices_config = traveller_camera(post, recording.source);
  auto desk = post.start_with_passport();
  CHECK(desk.get("/api/status").body["camera"]["configured"] == true);
  REQUIRE(desk.post("/api/simulator/place", {{"sample", "01-passport"}}).status == 202);
  const auto placed = desk.wait_for_inspection(0);
  REQUIRE(placed["state"] == "inspected");
  const auto decided = desk.post("/api/inspection/decision", {{"decision", "refer"}, {"inspection", placed["id"]}});
  INFO(decided.body.dump());
  REQUIRE(decided.status == 201);
  REQUIRE(decided.body["images"].contains("traveller"));
  REQUIRE(decided.body["images"].contains("white"));
  const fs::path photo = post.dir / "data" / decided.body["images"]["traveller"].get<std::string>();
  const fs::path page = post.dir / "data" / decided.body["images"]["white"].get<std::string>();
  CHECK(photo.parent_path() == page.parent_path());  // beside the page captures
  const cv::Mat portrait = cv::imread(photo.string());
  CHECK(portrait.cols == 420);
  CHECK(portrait.rows == 540);

  // The supervisor opens the movement: the photo is one of its images, and looking at it is audited.
  auto office = post.client(kSupervisor);
  const auto uuid = decided.body["uuid"].get<std::string>();
  const auto movement = office.get("/api/movements/" + uuid);
  CHECK(movement.body["images"].contains("traveller"));
  const auto image = office.get("/api/movements/" + uuid + "/images/traveller");
  REQUIRE(image.status == 200);
  CHECK(image.text.substr(0, 2) == "\xFF\xD8");
  const auto viewed = office.get("/api/audit?action=movement.image-viewed");
  REQUIRE(viewed.body["count"] == 1);
  CHECK(viewed.body["entries"][0]["detail"] == "traveller");
  CHECK(office.get("/api/audit?action=movement.traveller-photo-missing").body["count"] == 0);
}

TEST_CASE("no face in front of the camera, or no camera at all: the movement is recorded without a photo, and the audit says why") {
  StationPost post("traveller-no-face");
  const auto recording = record_traveller(post.dir / "camera", false);
  post.devices_config = traveller_camera(post, recording.source);
  post.start();
  auto desk = post.client();
  REQUIRE(desk.post("/api/inspection/manual", {{"mrz", typed_td3(1)}}).status == 200);
  const auto decided = desk.post("/api/inspection/decision", {{"decision", "admit"}});
  INFO(decided.body.dump());
  REQUIRE(decided.status == 201);
  CHECK_FALSE(decided.body["images"].contains("traveller"));
  auto office = post.client(kSupervisor);
  const auto missing = office.get("/api/audit?action=movement.traveller-photo-missing");
  REQUIRE(missing.body["count"] == 1);
  CHECK(missing.body["entries"][0]["subject"] == decided.body["uuid"]);
  CHECK(missing.body["entries"][0]["detail"] == "no-face: no face found in the traveller camera's picture");
  // The log says why too, and names no one.
  CHECK(post.process->errors().find("without the traveller's photo: no face found") != std::string::npos);
  CHECK(post.process->errors().find("RAMIREZ") == std::string::npos);

}

TEST_CASE("a traveller camera that is not plugged in: decisions are recorded without a photo, and the status shows it missing") {
  StationPost post("traveller-no-camera");
  post.devices_config = traveller_camera(post, "/dev/video-borderpost-none");
  post.start();
  auto desk = post.client();
  CHECK(desk.get("/api/status").body["camera"]["connected"] == true);  // not known to be missing until a photo is tried
  REQUIRE(desk.post("/api/inspection/manual", {{"mrz", typed_td3(2)}}).status == 200);
  const auto decided = desk.post("/api/inspection/decision", {{"decision", "admit"}});
  REQUIRE(decided.status == 201);
  CHECK_FALSE(decided.body["images"].contains("traveller"));
  auto office = post.client(kSupervisor);
  const auto unavailable = office.get("/api/audit?action=movement.traveller-photo-missing");
  REQUIRE(unavailable.body["count"] == 1);
  CHECK(unavailable.body["entries"][0]["detail"] ==
        "camera-unavailable: the traveller camera /dev/video-borderpost-none gave no picture");
  CHECK(desk.get("/api/status").body["camera"]["connected"] == false);
}
