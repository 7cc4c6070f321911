// The USB monitor's thread. Hot-plug callbacks only raise a flag: libusb forbids most work inside
// them, and listing the bus and diffing it against what was there is the same code as the
// fallback's periodic rescan, so both paths report alike.
//
// A device arrives before the kernel has configured it: for a moment its interfaces are unknown,
// and its configuration raises no event libusb reports (only the new interfaces get uevents). So
// while a device a profile wants by interface class is in that state, the bus is listed again
// shortly, a bounded number of times. Matching on configuration 0's descriptor instead would
// answer at once, but could announce a device whose interfaces cannot be claimed yet (or that the
// kernel configures otherwise); waiting reports it when its driver can use it.
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

// The kernel configures a device within milliseconds of announcing it; one still unconfigured
// after some seconds waits for the next bus change (or, without hot-plug, the periodic rescan).
constexpr auto kLookAgainAfter = std::chrono::milliseconds(100);
constexpr int kLookAgainTimes = 30;
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
  using Clock = std::chrono::steady_clock;
  auto next_scan = Clock::now();
  auto look_again_at = Clock::time_point::max();  // while a device is being configured
  int looked_again = 0;
  while (!stop.stop_requested()) {
    bool scan = false;
    if (hotplug_) {
      timeval tick{0, 100'000};  // how quickly stop() is noticed
      libusb_handle_events_timeout_completed(usb_->context.get(), &tick, nullptr);
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      if (Clock::now() >= next_scan) {
        scan = true;
        next_scan = Clock::now() + options_.rescan_every;
      }
    }
    if (usb_->changed.exchange(false)) {
      scan = true;
      looked_again = 0;  // a plug-in: its device gets the full wait
    } else if (Clock::now() >= look_again_at) {
      scan = true;
      ++looked_again;
    }
    if (!scan) continue;
    const bool unconfigured = rescan();
    look_again_at = unconfigured && looked_again < kLookAgainTimes ? Clock::now() + kLookAgainAfter : Clock::time_point::max();
  }
}

bool UsbMonitor::rescan() {
  std::vector<UsbDeviceChange> now;
  bool unconfigured = false;
  for (auto& d : usb::list_devices(usb_->context.get())) {
    if (const auto* profile = match_profile(profiles_, d)) now.push_back({UsbDeviceChange::Kind::Arrived, std::move(d), *profile});
    else unconfigured = unconfigured || awaits_configuration(profiles_, d);
  }
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
  return unconfigured;
}

}  // namespace borderpost::bridge
