// The USB parts of device profiles: the shipped examples load, every mistake is refused with its
// file and line, and devices are matched to profiles by ids and interface class.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "firmware_bridge/profile.hpp"
#include "firmware_bridge/usb_devices.hpp"

namespace {

namespace fs = std::filesystem;
using namespace borderpost::bridge;

const std::string kHeader = "id = \"x\"\nmodel = \"y\"\nclass = \"mrz-reader\"\ndriver = \"usb-mrz-reader\"\n";  // lines 1-4

// Loads `text` as a profile file and returns the error's text ("" when it loaded).
std::string error_of(const std::string& text) {
  const auto file = fs::temp_directory_path() / ("bp-usb-profile-" + std::to_string(::getpid()) + ".toml");
  std::ofstream(file) << text;
  std::string what;
  try {
    load_profile(file.string());
  } catch (const ProfileError& e) {
    what = e.what();
  }
  fs::remove(file);
  return what;
}

UsbDescription cdc_reader() { return {{1, 5, "1-2"}, 0x1209, 0x0001, {{0, 0x02}, {1, 0x0a}}}; }

}  // namespace

TEST_CASE("the shipped MRZ reader and camera profiles load with their USB ids, framing and lamp commands") {
  const auto cdc = load_profile(BORDERPOST_SOURCE_DIR "/hw-profiles/generic-mrz-reader-cdc.toml");
  REQUIRE(cdc.usb);
  CHECK(cdc.usb->vendor_id == 0x1209);
  CHECK(cdc.usb->interface_class == 0x0a);
  REQUIRE(cdc.framing);
  CHECK(cdc.framing->end == std::vector<std::uint8_t>{0x0d, 0x0a});
  CHECK(cdc.lights.empty());  // text only
  const auto bulk = load_profile(BORDERPOST_SOURCE_DIR "/hw-profiles/bulk-mrz-reader-stx.toml");
  CHECK(bulk.framing->checksum == Framing::Checksum::Xor);
  CHECK(bulk.framing->arm_command == std::vector<std::uint8_t>{0x1b, 0x41, 0x0d});
  CHECK(bulk.usb->endpoint_in == 0x81);
  const auto camera = load_profile(BORDERPOST_SOURCE_DIR "/hw-profiles/document-camera-hid-lamps.toml");
  REQUIRE(camera.lamps);
  CHECK(camera.lamps->method == LampControl::Method::HidOutputReport);
  CHECK(camera.lamps->report_id == 2);
  CHECK(camera.lamps->lights.at(Light::Ultraviolet).data == std::vector<std::uint8_t>{0x04, 0xff});
  const auto all = load_profiles(BORDERPOST_SOURCE_DIR "/hw-profiles");
  CHECK(all.size() >= 4);
}

TEST_CASE("profile mistakes in the USB tables are refused with the file's line and the reason") {
  const std::string usb = "[usb]\nvendor_id = 0x1209\nproduct_id = 0x0001\n";  // lines 5-7
  const std::string framing = "[framing]\nend = [0x03]\n";
  CHECK(error_of(kHeader + usb + framing).empty());
  CHECK(error_of(kHeader + usb + "speed = 9\n" + framing).find(":8: usb.speed is not a profile key") != std::string::npos);
  CHECK(error_of(kHeader + "[usb]\nvendor_id = \"0x1209\"\nproduct_id = 1\n" + framing)
            .find(":6: usb.vendor_id must be an integer from 0 to 65535 (write hex as 0x1a2b)") != std::string::npos);
  CHECK(error_of(kHeader + "[usb]\nvendor_id = 70000\nproduct_id = 1\n" + framing).find(":6: usb.vendor_id") != std::string::npos);
  CHECK(error_of(kHeader + "[usb]\nvendor_id = 1\n" + framing).find("[usb] needs vendor_id and product_id") != std::string::npos);
  CHECK(error_of(kHeader + usb + "[framing]\nend = []\n").find(":9: framing.end is required") != std::string::npos);
  CHECK(error_of(kHeader + usb + "[framing]\nend = [0x03]\nchecksum = \"crc\"\n").find(":10: framing.checksum must be") != std::string::npos);
  CHECK(error_of(kHeader + usb + "[framing]\nend = [0x103]\n").find(":9: framing.end must hold integers from 0 to 255") != std::string::npos);
  CHECK(error_of(kHeader + usb).find("needs a [framing] table") != std::string::npos);
  CHECK(error_of(kHeader + framing).find("needs a [usb] table") != std::string::npos);
  CHECK(error_of("id = \"x\"\nmodel = \"y\"\nclass = \"mrz-reader\"\ndriver = \"simulated\"\n" + usb + framing)
            .find(":4: driver must be \"usb-mrz-reader\"") != std::string::npos);
  CHECK(error_of("id = \"x\"\nmodel = \"y\"\nclass = \"scanner\"\ndriver = \"d\"\n").find(":3: class must be") != std::string::npos);
  CHECK(error_of("id = \"x\"\nmodel = \"y\"\nclass = \"page-reader\"\ndriver = \"twain\"\n").find(":4: driver must be") != std::string::npos);
  for (const auto driver : {Driver::Simulated, Driver::SimulatedProcess, Driver::UvcCamera, Driver::UsbMrzReader})
    CHECK_FALSE(to_string(driver).empty());
  CHECK(to_string(Driver::UsbMrzReader) == "usb-mrz-reader");
  CHECK(to_string(DeviceClass::TravellerCamera) == "traveller-camera");
}

TEST_CASE("lamp tables are checked against the method and the profile's lights") {
  const std::string camera = "id = \"c\"\nmodel = \"m\"\nclass = \"document-camera\"\ndriver = \"uvc-camera\"\nlights = [\"white\", \"ir\"]\n"
                             "camera = { source = \"0\" }\n[usb]\nvendor_id = 1\nproduct_id = 2\n";  // lines 1-9
  CHECK(error_of(camera + "[lamps]\nmethod = \"hid-output-report\"\nwhite = { report = [1] }\nir = { report = [2] }\n").empty());
  CHECK(error_of(camera + "[lamps]\nmethod = \"hid-output-report\"\nwhite = { report = [1] }\n").find("lamps.ir is missing") != std::string::npos);
  CHECK(error_of(camera + "[lamps]\nmethod = \"hid-output-report\"\nwhite = { report = [1] }\nir = { report = [2] }\nuv = { report = [4] }\n")
            .find(":14: lamps.uv is for a light the profile's `lights` does not list") != std::string::npos);
  CHECK(error_of(camera + "[lamps]\nmethod = \"vendor-control\"\nwhite = { value = 1 }\nir = { value = 2 }\n")
            .find("lamps.request (bRequest) is required") != std::string::npos);
  CHECK(error_of(camera + "[lamps]\nmethod = \"vendor-control\"\nrequest = 1\nrequest_type = 0xc0\nwhite = { value = 1 }\nir = { value = 2 }\n")
            .find(":13: lamps.request_type must be a host-to-device request") != std::string::npos);
  CHECK(error_of(camera + "[lamps]\nmethod = \"vendor-control\"\nrequest = 1\nreport_id = 1\nwhite = { value = 1 }\nir = { value = 2 }\n")
            .find(":13: lamps.report_id applies to method \"hid-output-report\" only") != std::string::npos);
  CHECK(error_of(camera + "[lamps]\nmethod = \"vendor-control\"\nrequest = 1\nwhite = { value = 1, report = [1] }\nir = { value = 2 }\n")
            .find(":13: lamps.white.report is not a profile key") != std::string::npos);
  CHECK(error_of(camera + "[lamps]\nmethod = \"infrared-remote\"\n").find(":11: lamps.method must be") != std::string::npos);
  CHECK(error_of(kHeader + "[usb]\nvendor_id = 1\nproduct_id = 2\n[framing]\nend = [3]\n[lamps]\nmethod = \"hid-output-report\"\n")
            .find(":10: [lamps] applies to class \"document-camera\" only") != std::string::npos);
}

TEST_CASE("a device matches a profile by vendor and product id, and by interface class when the profile names one") {
  UsbProfile ids_only{0x1209, 0x0001, {}, {}, {}, {}, 64, 250};
  CHECK(matches(ids_only, cdc_reader()));
  auto other_product = cdc_reader();
  other_product.product_id = 0x0002;
  CHECK_FALSE(matches(ids_only, other_product));
  auto with_class = ids_only;
  with_class.interface_class = 0x0a;
  CHECK(matches(with_class, cdc_reader()));
  auto without_data_interface = cdc_reader();
  without_data_interface.interfaces = {{0, 0x02}};  // the same ids, a variant without the CDC data function
  CHECK_FALSE(matches(with_class, without_data_interface));
  with_class.interface = 0;  // class 0x0a, but on interface 0
  CHECK_FALSE(matches(with_class, cdc_reader()));

  DeviceProfile first, second, page;
  first.id = "first";
  first.usb = ids_only;
  second.id = "second";
  second.usb = ids_only;
  CHECK(match_profile({page, first, second}, cdc_reader())->id == "first");  // the first matching file wins
  CHECK(match_profile({page, first}, other_product) == nullptr);
}

TEST_CASE("a device whose interfaces are not known yet is waited for only when a profile with its ids names an interface class") {
  UsbProfile ids_only{0x1209, 0x0001, {}, {}, {}, {}, 64, 250};
  auto with_class = ids_only;
  with_class.interface_class = 0x0a;
  DeviceProfile by_ids, by_class;
  by_ids.usb = ids_only;
  by_class.usb = with_class;
  auto just_plugged = cdc_reader();
  just_plugged.interfaces.clear();
  just_plugged.interfaces_known = false;  // the kernel has not configured it yet
  CHECK_FALSE(matches(with_class, just_plugged));
  CHECK(awaits_configuration({by_class}, just_plugged));
  CHECK_FALSE(awaits_configuration({by_class}, cdc_reader()));  // configured: its interfaces decide
  CHECK_FALSE(awaits_configuration({by_ids}, just_plugged));    // the ids alone match it already
  just_plugged.product_id = 0x0002;
  CHECK_FALSE(awaits_configuration({by_class}, just_plugged));  // not a device any profile names
}
