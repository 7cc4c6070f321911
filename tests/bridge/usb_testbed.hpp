// umockdev's testbed for the USB tests: the fictitious devices of tests/data/usb/*.umockdev
// (written by make-usb-data.py), plugged and unplugged with their usbdevfs replay scripts. A
// binary using it runs under umockdev-wrapper (CTest does that); processes it starts see the same
// devices.
#pragma once

#include <doctest/doctest.h>

#include <umockdev.h>

#include <string>

namespace borderpost::test::usb {

inline const std::string kData = BORDERPOST_SOURCE_DIR "/tests/data/usb/";

// The fictitious devices: sysfs path and device node as in their .umockdev files.
struct MockDevice {
  const char* file;
  const char* sys;
  const char* node;
};
const MockDevice kCdcReader{"mrz-reader-cdc.umockdev", "/sys/devices/pci0000:00/0000:00:14.0/usb1/1-2", "/dev/bus/usb/001/005"};
const MockDevice kBulkReader{"mrz-reader-bulk.umockdev", "/sys/devices/pci0000:00/0000:00:14.0/usb1/1-3", "/dev/bus/usb/001/006"};
const MockDevice kCamera{"lamp-camera.umockdev", "/sys/devices/pci0000:00/0000:00:14.0/usb1/1-4", "/dev/bus/usb/001/007"};
const MockDevice kCameraReplugged{"lamp-camera-replugged.umockdev", "/sys/devices/pci0000:00/0000:00:14.0/usb1/1-4", "/dev/bus/usb/001/010"};
const MockDevice kUnknown{"unknown-device.umockdev", "/sys/devices/pci0000:00/0000:00:14.0/usb1/1-5", "/dev/bus/usb/001/008"};
// The CDC reader before the kernel has set its configuration (bConfigurationValue empty).
const MockDevice kCdcReaderUnconfigured{"mrz-reader-cdc-unconfigured.umockdev", "/sys/devices/pci0000:00/0000:00:14.0/usb1/1-6",
                                        "/dev/bus/usb/001/009"};

class Testbed {
 public:
  Testbed() : bed_(umockdev_testbed_new()) { REQUIRE_MESSAGE(umockdev_in_mock_environment(), "run this test under umockdev-wrapper"); }
  ~Testbed() { g_object_unref(bed_); }
  Testbed(const Testbed&) = delete;
  Testbed& operator=(const Testbed&) = delete;

  // Plugs the device in (umockdev sends the "add" uevent), answering ioctls from `script` if given.
  // The script is attached first, so a driver that opens the device on its arrival finds it there.
  void plug(const MockDevice& device, const std::string& script = {}) {
    GError* error = nullptr;
    if (!script.empty()) {
      const bool loaded = umockdev_testbed_load_ioctl(bed_, device.node, (kData + script).c_str(), &error);
      REQUIRE_MESSAGE(loaded, (error ? error->message : "?"));
    }
    const bool added = umockdev_testbed_add_from_file(bed_, (kData + device.file).c_str(), &error);
    REQUIRE_MESSAGE(added, (error ? error->message : "?"));
  }
  // What the kernel does a moment after the "add" uevent: it sets the first configuration. The
  // device itself gets no uevent for it (only its new interfaces do, and libusb does not watch those).
  void configure(const MockDevice& device) { umockdev_testbed_set_attribute(bed_, device.sys, "bConfigurationValue", "1"); }
  void unplug(const MockDevice& device) {
    umockdev_testbed_uevent(bed_, device.sys, "remove");
    umockdev_testbed_remove_device(bed_, device.sys);
  }

 private:
  UMockdevTestbed* bed_;
};

}  // namespace borderpost::test::usb
