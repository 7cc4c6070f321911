// The USB devices at a real station: the borderpost-station process drives umockdev's fictitious
// devices through libusb exactly as it would real ones (this binary runs under umockdev-wrapper;
// the station it starts inherits the testbed). An MRZ line reader's text becomes an inspection and
// a movement marked as the reader's; a document camera's lamps are switched byte for byte as its
// profile says, and the page comes in under each light.
#include <doctest/doctest.h>

#include <chrono>
#include <optional>
#include <thread>

#include "camera_recordings.hpp"
#include "station_support.hpp"
#include "usb_testbed.hpp"

using namespace borderpost::test;
using namespace borderpost::test::usb;
using nlohmann::json;

namespace {

const std::string kProfiles = BORDERPOST_SOURCE_DIR "/hw-profiles/";

// The check `id` of an inspection's verdict, which must be there.
const json& required_check(const json& inspection, const std::string& id) {
  const json* found = nullptr;
  for (const auto& c : inspection["verdict"]["checks"]) {
    if (c["id"] == id) {
      found = &c;
      break;
    }
  }
  REQUIRE_MESSAGE(found, id);
  return *found;
}

// What the station process wrote, standard output and errors.
std::string station_log(const StationPost& post) { return post.process->output() + post.process->errors(); }

// Starts the post with the USB MRZ line reader (CDC) as its page reader; the inspector's client.
StationClient start_with_mrz_reader(StationPost& post) {
  post.page_reader = kProfiles + "generic-mrz-reader-cdc.toml";
  post.start();
  return post.client();
}

// A station whose page reader is the fictitious lamp camera (tests/data/usb/lamp-camera.umockdev)
// with the video of a recorded document session: the HID lamp commands of
// hw-profiles/document-camera-hid-lamps.toml. Its USB side answers from `lamp_script`. Starts
// the post and returns the recorded document's inspection once it is settled, which must have
// been inspected.
json inspect_at_lamp_camera(StationPost& post, Testbed& bed, const std::string& lamp_script) {
  DocumentSession session;
  session.frame = {1600, 1200};
  session.dpi = 200;
  session.still = 3;
  const auto recording = record_document_session(post.dir / "camera", session);
  const auto profile = post.dir / "lamp-camera.toml";
  std::ofstream(profile) << "id = \"lamp-camera\"\nmodel = \"Recorded document camera with HID lamps\"\n"
                            "class = \"document-camera\"\ndriver = \"uvc-camera\"\nlights = [\"white\", \"ir\", \"uv\"]\n"
                            "dpi = 200\nreconnect_ms = 60000\n"
                            "[camera]\nsource = \""
                         << recording.source
                         << "\"\nsettle_frames = 1\nstill_frames = 3\npage_width_mm = 125\npage_height_mm = 88\n"
                            "presence_threshold = 0.10\nencoding = \"png\"\n"
                            "[usb]\nvendor_id = 0x1209\nproduct_id = 0x0003\ninterface_class = 0x0e\ntimeout_ms = 500\n"
                            "[lamps]\nmethod = \"hid-output-report\"\ninterface = 1\nreport_id = 2\n"
                            "white = { report = [0x01, 0xff] }\nir = { report = [0x02, 0xff] }\nuv = { report = [0x04, 0xff] }\n";
  bed.plug(kCamera, lamp_script);
  post.page_reader = profile.string();
  post.start();
  auto inspection = post.client().wait_for_inspection(0, 60000);
  INFO(inspection.dump());
  REQUIRE(inspection["state"] == "inspected");
  return inspection;
}

}  // namespace

TEST_CASE("an MRZ line reader plugged in at the post: its text is inspected and recorded as the reader's, with no page to examine") {
  Testbed bed;
  StationPost post("usb-mrz-reader");
  auto desk = start_with_mrz_reader(post);
  CHECK(desk.get("/api/status").body["reader"]["connected"] == false);
  // The reader arrives and sends the ICAO specimen's TD3 MRZ in two USB packets, then its cable is pulled.
  bed.plug(kCdcReader, "cdc-td3.ioctl");
  const auto inspection = desk.wait_for_inspection(0, 15000);
  INFO(inspection.dump());
  REQUIRE(inspection["state"] == "inspected");
  CHECK(inspection["source"] == "text-reader");
  CHECK(inspection["document"]["document_number"] == "L898902C3");
  CHECK(inspection["images"].empty());
  CHECK(required_check(inspection, "mrz.valid")["status"] == "pass");
  CHECK(required_check(inspection, "mrz.legible")["reason_phrase"]["key"] == "reason.mrz.legible.text_reader");
  for (const char* id : {"security.ir_mrz", "security.uv_dull", "security.photo_present", "security.viz_matches_mrz", "security.mrz_print"}) {
    const auto& c = required_check(inspection, id);
    CHECK(c["status"] == "not-run");
    CHECK(c["reason"] == "The MRZ reader sends the MRZ as text: there are no page images to examine.");
  }
  CHECK(reader_connected(desk, false));  // the script ends with the reader unplugged mid-read

  const auto decided = desk.post("/api/inspection/decision", {{"decision", "refer"}, {"inspection", inspection["id"]}});
  INFO(decided.body.dump());
  REQUIRE(decided.status == 201);
  const auto movement = desk.get("/api/movements/" + decided.body["uuid"].get<std::string>());
  REQUIRE(movement.status == 200);
  CHECK(movement.body["source"] == "text-reader");
  CHECK(movement.body["document"]["number"] == "L898902C3");
}

TEST_CASE("an MRZ line reader's text that is no MRZ asks for the document again, and the next swipe is read") {
  Testbed bed;
  StationPost post("usb-not-mrz");
  auto desk = start_with_mrz_reader(post);
  EventFeed events(post.port, desk.cookie());
  bed.plug(kCdcReader, "cdc-not-mrz-then-td3.ioctl");
  std::optional<json> refused, read;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  while ((!refused || !read) && std::chrono::steady_clock::now() < deadline) {
    const auto event = events.next(std::chrono::seconds(1));
    if (!event || !(*event)["inspection"].is_object()) continue;
    const auto& inspection = (*event)["inspection"];
    if (inspection["state"] == "no-mrz") refused = inspection;
    if (inspection["state"] == "inspected") read = inspection;
  }
  REQUIRE(refused);
  CHECK((*refused)["message_phrase"]["key"] == "desk.message.reader_text_not_mrz");
  CHECK((*refused)["message"].get<std::string>().find("Swipe the document again") != std::string::npos);
  REQUIRE(read);
  CHECK((*read)["id"].get<int>() > (*refused)["id"].get<int>());  // a new inspection, not the refused one
  CHECK((*read)["document"]["document_number"] == "L898902C3");
  CHECK((*read)["source"] == "text-reader");
}

TEST_CASE("a document camera with USB lamps: each light's lamp is switched as the profile says, and the page comes in under each") {
  Testbed bed;
  StationPost post("usb-lamp-camera");
  // Five commands, and the replay refuses any other byte: white to watch the desk, white, infrared
  // and ultraviolet for the capture, white again.
  const auto inspection = inspect_at_lamp_camera(post, bed, "camera-station.ioctl");
  INFO(inspection.dump());
  CHECK(inspection["source"] == "optical");
  CHECK(inspection["images"] == json::array({"white", "ir", "uv"}));
  for (const char* id : {"security.ir_mrz", "security.uv_dull"})
    CHECK_MESSAGE(required_check(inspection, id)["status"] != "not-run", id);  // measured: the IR and UV pages were there
  // A lamp that had not switched would have left its page out (and said so in the log).
  CHECK(station_log(post).find("lamp could not be switched") == std::string::npos);
}

TEST_CASE("a lamp that does not switch costs its light's image, and its check blames the lamp, not the document") {
  Testbed bed;
  StationPost post("usb-lamp-stalls");
  // The ultraviolet command stalls; white afterwards goes through a handle opened afresh.
  const auto inspection = inspect_at_lamp_camera(post, bed, "camera-station-uv-stalls.ioctl");
  INFO(inspection.dump());
  CHECK(inspection["images"] == json::array({"white", "ir"}));
  CHECK(required_check(inspection, "security.ir_mrz")["status"] != "not-run");
  const auto& uv = required_check(inspection, "security.uv_dull");
  CHECK(uv["status"] == "not-run");
  CHECK(uv["reason_phrase"]["key"] == "reason.security.lamp_failed");
  CHECK(uv["reason"].get<std::string>().find("ultraviolet lamp could not be switched on") != std::string::npos);
  CHECK(station_log(post).find("the uv lamp could not be switched on") != std::string::npos);
  // (That the next command goes through a fresh handle is the bridge's lamp-switch test.)
}
