// The USB monitor's thread. Hot-plug callbacks only raise a flag: libusb forbids most work inside
// them, and listing the bus and diffing it against what was there is the same code as the
// fallback's periodic rescan, so both paths report alike.
#include "firmware_bridge/usb_monitor.hpp"

#include <algorithm>
#include <atomic>

#include "usb_handle.hpp"

namespace borderpost::bridge {

struct UsbMonitor::Libusb {
  usb::Context context;
  libusb_hotplug_callback_handle callback = 0;
  bool registered = false;
  std::atomic<bool> changed = true;  // the first pass lists what is already plugged in
};

namespace {
int on_hotplug(libusb_context*, libusb_device*, libusb_hotplug_event, void* user) {
  static_cast<std::atomic<bool>*>(user)->store(true);
  return 0;  // stay registered
}

bool same_device(const UsbDescription& a, const UsbDescription& b) {
  return a.location == b.location && a.vendor_id == b.vendor_id && a.product_id == b.product_id;
}
}  // namespace

UsbMonitor::UsbMonitor(std::vector<DeviceProfile> profiles, Options options)
    : profiles_(std::move(profiles)), options_(options), usb_(std::make_unique<Libusb>()) {
  hotplug_ = !options_.without_hotplug && libusb_has_capability(LIBUSB_CAP_HAS_HOTPLUG);
}

UsbMonitor::~UsbMonitor() { stop(); }

void UsbMonitor::start(Listener listener) {
  {
    std::lock_guard lock(mutex_);
    listener_ = std::move(listener);
  }
  if (hotplug_ && !usb_->registered) {
    const int r = libusb_hotplug_register_callback(
        usb_->context.get(), LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED | LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT, LIBUSB_HOTPLUG_NO_FLAGS,
        LIBUSB_HOTPLUG_MATCH_ANY, LIBUSB_HOTPLUG_MATCH_ANY, LIBUSB_HOTPLUG_MATCH_ANY, on_hotplug, &usb_->changed, &usb_->callback);
    usb_->registered = r == LIBUSB_SUCCESS;
    hotplug_ = usb_->registered;  // a refused registration falls back to rescanning
  }
  thread_ = std::jthread([this](std::stop_token stop) { run(stop); });
}

void UsbMonitor::stop() {
  if (thread_.joinable()) {
    thread_.request_stop();
    thread_.join();
  }
  if (usb_->registered) {
    libusb_hotplug_deregister_callback(usb_->context.get(), usb_->callback);
    usb_->registered = false;
  }
  std::lock_guard lock(mutex_);
  listener_ = nullptr;
}

std::vector<UsbDeviceChange> UsbMonitor::present() const {
  std::lock_guard lock(mutex_);
  return present_;
}

void UsbMonitor::run(std::stop_token stop) {
  auto next_scan = std::chrono::steady_clock::now();
  while (!stop.stop_requested()) {
    if (hotplug_) {
      timeval tick{0, 100'000};  // how quickly stop() is noticed
      libusb_handle_events_timeout_completed(usb_->context.get(), &tick, nullptr);
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      if (std::chrono::steady_clock::now() >= next_scan) {
        usb_->changed = true;
        next_scan = std::chrono::steady_clock::now() + options_.rescan_every;
      }
    }
    if (usb_->changed.exchange(false)) rescan();
  }
}

void UsbMonitor::rescan() {
  std::vector<UsbDeviceChange> now;
  for (auto& d : usb::list_devices(usb_->context.get()))
    if (const auto* profile = match_profile(profiles_, d)) now.push_back({UsbDeviceChange::Kind::Arrived, std::move(d), *profile});
  std::vector<UsbDeviceChange> changes;
  Listener listener;
  {
    std::lock_guard lock(mutex_);
    for (const auto& before : present_)
      if (std::none_of(now.begin(), now.end(), [&](const UsbDeviceChange& c) { return same_device(c.device, before.device); }))
        changes.push_back({UsbDeviceChange::Kind::Left, before.device, before.profile});
    for (const auto& after : now)
      if (std::none_of(present_.begin(), present_.end(), [&](const UsbDeviceChange& c) { return same_device(c.device, after.device); }))
        changes.push_back(after);
    present_ = std::move(now);
    listener = listener_;
  }
  if (listener)
    for (const auto& change : changes) listener(change);
}

}  // namespace borderpost::bridge
