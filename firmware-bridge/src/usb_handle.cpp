// libusb plumbing shared by the USB drivers: open by profile and location, claim, describe.
#include "usb_handle.hpp"

#include <memory>

namespace borderpost::bridge::usb {

Context::Context() {
  const int r = libusb_init(&context_);
  if (r != 0) throw DeviceError("USB is not available: " + error_text(r));
}

Context::~Context() { libusb_exit(context_); }

std::string error_text(int e) {
  switch (e) {
    case LIBUSB_ERROR_NO_DEVICE: return "the device is gone (unplugged)";
    case LIBUSB_ERROR_ACCESS: return "no permission to use the device (udev rules)";
    case LIBUSB_ERROR_BUSY: return "the device is in use by another program";
    case LIBUSB_ERROR_PIPE: return "the device refused the request (stall)";
    case LIBUSB_ERROR_TIMEOUT: return "the device did not answer in time";
    case LIBUSB_ERROR_NOT_FOUND: return "no such device or interface";
    case LIBUSB_ERROR_OVERFLOW: return "the device sent more than was asked for";
    default: return std::string("USB error ") + libusb_error_name(e);
  }
}

UsbDescription describe(libusb_device* device) {
  UsbDescription d;
  d.location.bus = libusb_get_bus_number(device);
  d.location.address = libusb_get_device_address(device);
  std::uint8_t ports[8];
  const int depth = libusb_get_port_numbers(device, ports, sizeof ports);
  d.location.port = std::to_string(d.location.bus);
  for (int i = 0; i < depth; ++i) {
    d.location.port.push_back(i == 0 ? '-' : '.');
    d.location.port.append(std::to_string(ports[i]));
  }
  libusb_device_descriptor descriptor{};
  if (libusb_get_device_descriptor(device, &descriptor) != 0) return d;
  d.vendor_id = descriptor.idVendor;
  d.product_id = descriptor.idProduct;
  libusb_config_descriptor* config = nullptr;
  // The active configuration is read from sysfs without opening the device. Just after a plug-in
  // the kernel may not have configured the device yet (bConfigurationValue is empty): its
  // interfaces are unknown, and the monitor looks again (usb_monitor.cpp).
  if (libusb_get_active_config_descriptor(device, &config) != 0 || !config) {
    d.interfaces_known = false;
    return d;
  }
  for (int i = 0; i < config->bNumInterfaces; ++i) {
    const auto& iface = config->interface[i];
    if (iface.num_altsetting < 1) continue;
    d.interfaces.push_back({iface.altsetting[0].bInterfaceNumber, iface.altsetting[0].bInterfaceClass});
  }
  libusb_free_config_descriptor(config);
  return d;
}

std::vector<UsbDescription> list_devices(libusb_context* context) {
  libusb_device** list = nullptr;
  const auto n = libusb_get_device_list(context, &list);
  std::vector<UsbDescription> out;
  for (ssize_t i = 0; i < n; ++i) out.push_back(describe(list[i]));
  if (n >= 0) libusb_free_device_list(list, 1);
  return out;
}

Handle::Handle(libusb_context* context, const UsbProfile& profile, const std::optional<UsbLocation>& location) {
  libusb_device** list = nullptr;
  const auto n = libusb_get_device_list(context, &list);
  if (n < 0) throw DeviceError("cannot list USB devices: " + error_text(static_cast<int>(n)));
  std::unique_ptr<libusb_device*, void (*)(libusb_device**)> owned(list, [](libusb_device** l) { libusb_free_device_list(l, 1); });
  libusb_device* chosen = nullptr;
  for (ssize_t i = 0; i < n && !chosen; ++i) {
    const auto d = describe(list[i]);
    if (location ? d.location == *location : matches(profile, d)) {
      chosen = list[i];
      location_ = d.location;
    }
  }
  if (!chosen) throw DeviceError(location ? "no USB device at " + std::to_string(location->bus) + ":" + std::to_string(location->address)
                                          : "no matching USB device is plugged in");
  const int r = libusb_open(chosen, &handle_);
  if (r != 0) throw DeviceError("cannot open the USB device at " + location_.port + ": " + error_text(r));
}

Handle::~Handle() {
  for (const auto i : claimed_) libusb_release_interface(handle_, i);
  for (const auto i : detached_) libusb_attach_kernel_driver(handle_, i);
  libusb_close(handle_);
}

Endpoints Handle::endpoints(const UsbProfile& profile) const {
  Endpoints e;
  libusb_config_descriptor* config = nullptr;
  const int r = libusb_get_active_config_descriptor(libusb_get_device(handle_), &config);
  if (r != 0 || !config) throw DeviceError("cannot read the device's configuration: " + error_text(r));
  std::unique_ptr<libusb_config_descriptor, void (*)(libusb_config_descriptor*)> owned(config, libusb_free_config_descriptor);
  const libusb_interface_descriptor* chosen = nullptr;
  auto has_in = [](const libusb_interface_descriptor& d) {
    for (int k = 0; k < d.bNumEndpoints; ++k)
      if ((d.endpoint[k].bEndpointAddress & 0x80) && (d.endpoint[k].bmAttributes & 0x03) == LIBUSB_TRANSFER_TYPE_BULK) return true;
    return false;
  };
  for (int i = 0; i < config->bNumInterfaces && !chosen; ++i) {
    if (config->interface[i].num_altsetting < 1) continue;
    const auto& d = config->interface[i].altsetting[0];
    if (profile.interface ? d.bInterfaceNumber == *profile.interface
                          : profile.interface_class ? d.bInterfaceClass == *profile.interface_class : has_in(d))
      chosen = &d;
  }
  if (!chosen) throw DeviceError("the device has no interface the profile describes");
  e.interface = chosen->bInterfaceNumber;
  for (int k = 0; k < chosen->bNumEndpoints; ++k) {
    const auto& ep = chosen->endpoint[k];
    const auto type = ep.bmAttributes & 0x03;
    if (type != LIBUSB_TRANSFER_TYPE_BULK && type != LIBUSB_TRANSFER_TYPE_INTERRUPT) continue;
    if (ep.bEndpointAddress & 0x80) {
      if (profile.endpoint_in ? ep.bEndpointAddress == *profile.endpoint_in : !e.in) {
        e.in = ep.bEndpointAddress;
        e.in_is_interrupt = type == LIBUSB_TRANSFER_TYPE_INTERRUPT;
      }
    } else if (profile.endpoint_out ? ep.bEndpointAddress == *profile.endpoint_out : !e.out) {
      e.out = ep.bEndpointAddress;
    }
  }
  return e;
}

void Handle::claim(std::uint8_t interface) {
  // Readers that enumerate as CDC-ACM or HID get a kernel driver (cdc_acm, usbhid) that holds the
  // interface; take it over for as long as we use the device.
  if (libusb_kernel_driver_active(handle_, interface) == 1) {
    const int r = libusb_detach_kernel_driver(handle_, interface);
    if (r != 0 && r != LIBUSB_ERROR_NOT_FOUND) throw DeviceError("cannot take the interface from its kernel driver: " + error_text(r));
    if (r == 0) detached_.push_back(interface);
  }
  const int r = libusb_claim_interface(handle_, interface);
  if (r != 0) throw DeviceError("cannot claim interface " + std::to_string(interface) + ": " + error_text(r));
  claimed_.push_back(interface);
}

}  // namespace borderpost::bridge::usb
