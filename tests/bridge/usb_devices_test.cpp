// The USB drivers against replayed traffic: umockdev provides fictitious devices (sysfs and
// /dev/bus/usb, tests/data/usb/*.umockdev) and answers usbdevfs ioctls from scripts
// (tests/data/usb/*.ioctl), so the real libusb code paths run byte for byte without hardware.
// This binary must run under umockdev-wrapper (CTest does that).
#include <doctest/doctest.h>

#include <condition_variable>
#include <mutex>

#include "firmware_bridge/hotplug_mrz_reader.hpp"
#include "firmware_bridge/usb_lamp_switch.hpp"
#include "firmware_bridge/usb_monitor.hpp"
#include "firmware_bridge/usb_mrz_reader.hpp"
#include "recorder.hpp"
#include "usb_testbed.hpp"

namespace {

using namespace borderpost::bridge;
using namespace borderpost::test::usb;
using Kind = DeviceEvent::Kind;

const std::string kProfiles = BORDERPOST_SOURCE_DIR "/hw-profiles/";
const std::vector<std::string> kTd3{"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10"};
const std::vector<std::string> kTd1{"I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6", "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"};

using Recorder = borderpost::test::EventRecorder;

struct ChangeRecorder {
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<UsbDeviceChange> changes;
  UsbMonitor::Listener listener() {
    return [this](const UsbDeviceChange& c) {
      std::lock_guard lock(mutex);
      changes.push_back(c);
      changed.notify_all();
    };
  }
  bool wait_for(std::size_t count, int ms = 5000) {
    std::unique_lock lock(mutex);
    return changed.wait_for(lock, std::chrono::milliseconds(ms), [&] { return changes.size() >= count; });
  }
  std::size_t count() {
    std::lock_guard lock(mutex);
    return changes.size();
  }
};

DeviceProfile profile(const std::string& path) { return load_profile(path); }

// Switches the lamp camera's lamps as `profile_file` says, its USB side answering from `script`: the
// replay refuses any byte the script does not expect, so each switch that goes through was exact.
void switch_infrared_ultraviolet_white(const std::string& script, const std::string& profile_file) {
  Testbed bed;
  bed.plug(kCamera, script);
  auto lamps = open_usb_lamp_switch(profile(profile_file));
  CHECK_NOTHROW(lamps->select(Light::Infrared));
  CHECK_NOTHROW(lamps->select(Light::Ultraviolet));
  CHECK_NOTHROW(lamps->select(Light::White));
}

// Reads with the driver until it reports the device gone, and returns what it reported.
std::vector<Kind> read_until_unplugged(const std::string& profile_file, const MockDevice& device, const std::string& script, Recorder& recorder) {
  Testbed bed;
  bed.plug(device, script);
  UsbMrzReader reader(profile(kProfiles + profile_file), std::nullopt);
  reader.start(recorder.listener());
  REQUIRE(recorder.wait_for(Kind::Disconnected));
  reader.stop();
  CHECK_FALSE(reader.running());
  CHECK_FALSE(reader.connected());
  return recorder.kinds();
}

}  // namespace

TEST_CASE("the monitor reports the devices present at start that a profile matches, and ignores the rest") {
  Testbed bed;
  bed.plug(kCdcReader);
  bed.plug(kCamera);
  bed.plug(kUnknown);
  UsbMonitor monitor(load_profiles(kProfiles), {});
  ChangeRecorder recorder;
  monitor.start(recorder.listener());
  REQUIRE(recorder.wait_for(2));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // nothing more comes
  monitor.stop();
  REQUIRE(recorder.changes.size() == 2);
  std::vector<std::string> ids;
  for (const auto& c : recorder.changes) {
    CHECK(c.kind == UsbDeviceChange::Kind::Arrived);
    ids.push_back(c.profile.id);
  }
  std::sort(ids.begin(), ids.end());
  CHECK(ids == std::vector<std::string>{"document-camera-hid-lamps", "generic-mrz-reader-cdc"});
  const auto& cdc = recorder.changes[0].profile.id == "generic-mrz-reader-cdc" ? recorder.changes[0] : recorder.changes[1];
  CHECK(cdc.device.location.bus == 1);
  CHECK(cdc.device.location.address == 5);
  CHECK(cdc.device.interfaces.size() == 2);
}

TEST_CASE("a profile that names an interface class the device lacks does not match it") {
  Testbed bed;
  bed.plug(kBulkReader);  // 1209:0002 with a vendor-specific (0xff) interface
  auto wants_cdc = profile(kProfiles + "bulk-mrz-reader-stx.toml");
  wants_cdc.usb->interface_class = 0x0a;
  UsbMonitor monitor({wants_cdc}, {});
  ChangeRecorder recorder;
  monitor.start(recorder.listener());
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  monitor.stop();
  CHECK(recorder.changes.empty());
  CHECK(monitor.present().empty());
}

TEST_CASE("hot-plug: a reader plugged in later is reported as arrived, and as left when unplugged") {
  Testbed bed;
  UsbMonitor monitor(load_profiles(kProfiles), {});
  CHECK(monitor.uses_hotplug());  // libusb's udev monitor works under umockdev
  ChangeRecorder recorder;
  monitor.start(recorder.listener());
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  CHECK(recorder.changes.empty());
  bed.plug(kBulkReader);
  REQUIRE(recorder.wait_for(1));
  CHECK(recorder.changes[0].kind == UsbDeviceChange::Kind::Arrived);
  CHECK(recorder.changes[0].profile.id == "bulk-mrz-reader-stx");
  CHECK(monitor.present().size() == 1);
  bed.unplug(kBulkReader);
  REQUIRE(recorder.wait_for(2));
  CHECK(recorder.changes[1].kind == UsbDeviceChange::Kind::Left);
  CHECK(recorder.changes[1].profile.id == "bulk-mrz-reader-stx");
  CHECK(monitor.present().empty());
  monitor.stop();
}

TEST_CASE("hot-plug: a reader not yet configured when it arrives is matched by its interface class once the kernel has configured it") {
  Testbed bed;
  UsbMonitor monitor({profile(kProfiles + "generic-mrz-reader-cdc.toml")}, {});  // wants interface class 0x0a
  REQUIRE(monitor.uses_hotplug());
  ChangeRecorder recorder;
  monitor.start(recorder.listener());
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  bed.plug(kCdcReaderUnconfigured);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  CHECK(recorder.count() == 0);  // no interfaces yet: nothing to match on
  bed.configure(kCdcReaderUnconfigured);
  REQUIRE(recorder.wait_for(1));
  monitor.stop();
  CHECK(recorder.changes[0].kind == UsbDeviceChange::Kind::Arrived);
  CHECK(recorder.changes[0].profile.id == "generic-mrz-reader-cdc");
  CHECK(recorder.changes[0].device.location.address == 9);
  CHECK(recorder.changes[0].device.interfaces.size() == 2);
}

TEST_CASE("without hot-plug the monitor finds arrivals and departures by listing the bus again") {
  Testbed bed;
  UsbMonitor monitor(load_profiles(kProfiles), {std::chrono::milliseconds(100), true});
  CHECK_FALSE(monitor.uses_hotplug());
  ChangeRecorder recorder;
  monitor.start(recorder.listener());
  bed.plug(kCdcReader);
  REQUIRE(recorder.wait_for(1));
  CHECK(recorder.changes[0].kind == UsbDeviceChange::Kind::Arrived);
  bed.unplug(kCdcReader);
  REQUIRE(recorder.wait_for(2));
  CHECK(recorder.changes[1].kind == UsbDeviceChange::Kind::Left);
  monitor.stop();
}

TEST_CASE("a CDC reader's TD3 MRZ, sent in two USB packets, is one capture of two lines with no images") {
  Recorder recorder;
  const auto kinds = read_until_unplugged("generic-mrz-reader-cdc.toml", kCdcReader, "cdc-td3.ioctl", recorder);
  CHECK(kinds == std::vector<Kind>{Kind::Connected, Kind::Captured, Kind::Disconnected});
  const auto captured = recorder.of(Kind::Captured);
  REQUIRE(captured.size() == 1);
  CHECK(captured[0].capture.mrz_lines == kTd3);
  CHECK(captured[0].capture.images.empty());
  CHECK(captured[0].capture.device == "generic-mrz-reader-cdc");
  CHECK(recorder.of(Kind::Disconnected)[0].message == "the MRZ reader was unplugged");
}

TEST_CASE("a bulk reader is armed with its command, then its STX/ETX TD1 frame with a check byte is three lines") {
  Recorder recorder;
  // The script's first transfer is the arm command: a different command would not be answered.
  const auto kinds = read_until_unplugged("bulk-mrz-reader-stx.toml", kBulkReader, "bulk-td1.ioctl", recorder);
  CHECK(kinds == std::vector<Kind>{Kind::Connected, Kind::Captured, Kind::Disconnected});
  CHECK(recorder.of(Kind::Captured).at(0).capture.mrz_lines == kTd1);
}

TEST_CASE("bad check byte, noise, an overlong frame and foreign characters each give Failed, and the reader stays in step") {
  Recorder recorder;
  const auto kinds = read_until_unplugged("bulk-mrz-reader-stx.toml", kBulkReader, "bulk-malformed.ioctl", recorder);
  CHECK(kinds == std::vector<Kind>{Kind::Connected, Kind::Failed, Kind::Failed, Kind::Captured, Kind::Failed, Kind::Failed,
                                   Kind::Captured, Kind::Disconnected});
  const auto failed = recorder.of(Kind::Failed);
  REQUIRE(failed.size() == 4);
  CHECK(failed[0].message == "the MRZ reader sent a bad frame: a frame failed its check byte (transmission error)");
  CHECK(failed[1].message == "the MRZ reader sent a bad frame: 7 stray bytes between frames were skipped");
  CHECK(failed[2].message == "the MRZ reader sent a bad frame: a frame longer than 256 bytes was refused");
  CHECK(failed[3].message == "the MRZ reader sent a bad frame: line 1 holds characters no MRZ has");
  const auto captured = recorder.of(Kind::Captured);
  CHECK(captured.at(0).capture.mrz_lines == kTd3);
  CHECK(captured.at(1).capture.mrz_lines == kTd1);
}

TEST_CASE("a stalled data endpoint is cleared and reading goes on") {
  Recorder recorder;
  const auto kinds = read_until_unplugged("generic-mrz-reader-cdc.toml", kCdcReader, "cdc-stall.ioctl", recorder);
  CHECK(kinds == std::vector<Kind>{Kind::Connected, Kind::Failed, Kind::Captured, Kind::Disconnected});
  CHECK(recorder.of(Kind::Failed).at(0).message == "the MRZ reader's data endpoint stalled; it was reset and reading goes on");
  CHECK(recorder.of(Kind::Captured).at(0).capture.mrz_lines == kTd3);
}

TEST_CASE("a reader unplugged in the middle of a frame reports Disconnected, delivers no half MRZ, and its thread ends") {
  Recorder recorder;
  const auto kinds = read_until_unplugged("generic-mrz-reader-cdc.toml", kCdcReader, "cdc-unplugged-mid-frame.ioctl", recorder);
  CHECK(kinds == std::vector<Kind>{Kind::Connected, Kind::Disconnected});
}

TEST_CASE("a reader that is not plugged in gives Failed and Disconnected, not a crash") {
  Testbed bed;
  UsbMrzReader reader(profile(kProfiles + "generic-mrz-reader-cdc.toml"), std::nullopt);
  Recorder recorder;
  reader.start(recorder.listener());
  REQUIRE(recorder.wait_for(Kind::Disconnected));
  CHECK(recorder.kinds() == std::vector<Kind>{Kind::Failed, Kind::Disconnected});
  CHECK(recorder.of(Kind::Failed)[0].message == "cannot open the MRZ reader: no matching USB device is plugged in");
}

TEST_CASE("the station's MRZ reader follows its device: opened when plugged in, re-opened when plugged in again") {
  Testbed bed;
  HotplugMrzReader reader(profile(kProfiles + "generic-mrz-reader-cdc.toml"));
  Recorder recorder;
  reader.start(recorder.listener());
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  CHECK_FALSE(reader.connected());
  bed.plug(kCdcReader, "cdc-td3.ioctl");
  REQUIRE(recorder.wait_for(Kind::Captured));
  REQUIRE(recorder.wait_for(Kind::Disconnected));  // the script ends with the cable pulled mid-read
  bed.unplug(kCdcReader);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  bed.plug(kCdcReader, "cdc-td3.ioctl");
  REQUIRE(recorder.wait_for(Kind::Captured, 2));
  REQUIRE(recorder.wait_for(Kind::Disconnected, 2));
  reader.stop();
  CHECK(recorder.kinds() == std::vector<Kind>{Kind::Connected, Kind::Captured, Kind::Disconnected, Kind::Connected, Kind::Captured,
                                              Kind::Disconnected});
}

TEST_CASE("lamps switched by HID output report send SET_REPORT with the profile's bytes, byte for byte") {
  // Three control transfers: IR, UV, white, report id 2 on interface 1.
  switch_infrared_ultraviolet_white("camera-hid.ioctl", kProfiles + "document-camera-hid-lamps.toml");
}

TEST_CASE("the replay refuses a lamp command whose bytes differ from the script, so the byte checks above can fail") {
  Testbed bed;
  bed.plug(kCamera, "camera-hid.ioctl");
  auto wrong = profile(kProfiles + "document-camera-hid-lamps.toml");
  wrong.lamps->lights[Light::Infrared].data = {0x02, 0xfe};  // one bit of intensity off
  auto lamps = open_usb_lamp_switch(wrong);
  CHECK_THROWS_AS(lamps->select(Light::Infrared), DeviceError);
}

TEST_CASE("lamps switched by vendor control requests send bRequest, wValue, wIndex and data, byte for byte") {
  switch_infrared_ultraviolet_white("camera-vendor.ioctl", kData + "lamp-camera-vendor.toml");
}

TEST_CASE("switching a lamp on a camera that was unplugged throws DeviceError, and so does opening a missing one") {
  {
    Testbed bed;
    bed.plug(kCamera, "camera-gone.ioctl");  // the transfer ends with ENODEV
    auto lamps = open_usb_lamp_switch(profile(kProfiles + "document-camera-hid-lamps.toml"));
    CHECK_THROWS_WITH_AS(lamps->select(Light::Infrared), "the camera document-camera-hid-lamps is gone (unplugged)", DeviceError);
  }
  Testbed empty;
  CHECK_THROWS_WITH_AS(open_usb_lamp_switch(profile(kProfiles + "document-camera-hid-lamps.toml")), "no matching USB device is plugged in",
                       DeviceError);
}

TEST_CASE("the station's lamp switch waits for a controller plugged in later, and opens it again after a replug") {
  Testbed bed;
  auto lamps = follow_usb_lamp_switch(profile(kProfiles + "document-camera-hid-lamps.toml"));
  CHECK_THROWS_WITH_AS(lamps->select(Light::Infrared), "no matching USB device is plugged in", DeviceError);
  bed.plug(kCamera, "camera-unplugged-after-ir.ioctl");
  CHECK_NOTHROW(lamps->select(Light::Infrared));  // found now, without being made again
  bed.unplug(kCamera);
  bed.plug(kCameraReplugged, "camera-replugged.ioctl");
  // The old handle finds the camera gone; a new one finds it back and sends the command there.
  CHECK_NOTHROW(lamps->select(Light::Ultraviolet));
  CHECK_NOTHROW(lamps->select(Light::White));
}

TEST_CASE("the station's lamp switch reports a camera unplugged for good as gone") {
  Testbed bed;
  bed.plug(kCamera, "camera-unplugged-after-ir.ioctl");
  auto lamps = follow_usb_lamp_switch(profile(kProfiles + "document-camera-hid-lamps.toml"));
  CHECK_NOTHROW(lamps->select(Light::Infrared));
  bed.unplug(kCamera);
  CHECK_THROWS_WITH_AS(lamps->select(Light::Ultraviolet), "no matching USB device is plugged in", DeviceError);
}

TEST_CASE("the station's lamp switch reports a stalled lamp command, and sends the next one through a fresh handle") {
  Testbed bed;
  bed.plug(kCamera, "camera-station-uv-stalls.ioctl");
  auto lamps = follow_usb_lamp_switch(profile(kProfiles + "document-camera-hid-lamps.toml"));
  CHECK_NOTHROW(lamps->select(Light::White));
  CHECK_NOTHROW(lamps->select(Light::White));
  CHECK_NOTHROW(lamps->select(Light::Infrared));
  CHECK_THROWS_AS(lamps->select(Light::Ultraviolet), DeviceError);
  CHECK_NOTHROW(lamps->select(Light::White));
}
