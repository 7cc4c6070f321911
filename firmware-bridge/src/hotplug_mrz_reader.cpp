// Re-opening the MRZ reader whenever its device comes back.
#include "firmware_bridge/hotplug_mrz_reader.hpp"

namespace borderpost::bridge {

HotplugMrzReader::HotplugMrzReader(DeviceProfile profile, UsbMonitor::Options options)
    : profile_(profile), monitor_({profile}, options) {}

HotplugMrzReader::~HotplugMrzReader() { stop(); }

void HotplugMrzReader::start(Listener listener) {
  {
    std::lock_guard lock(mutex_);
    listener_ = std::move(listener);
  }
  monitor_.start([this](const UsbDeviceChange& change) { on_change(change); });
}

void HotplugMrzReader::stop() {
  monitor_.stop();
  std::unique_ptr<UsbMrzReader> reader;
  {
    std::lock_guard lock(mutex_);
    reader = std::move(reader_);
    listener_ = nullptr;
  }
  if (reader) reader->stop();
}

bool HotplugMrzReader::connected() const {
  std::lock_guard lock(mutex_);
  return reader_ && reader_->connected();
}

void HotplugMrzReader::on_change(const UsbDeviceChange& change) {
  std::unique_ptr<UsbMrzReader> old;
  Listener listener;
  {
    std::lock_guard lock(mutex_);
    listener = listener_;
    if (change.kind == UsbDeviceChange::Kind::Arrived) {
      // A second reader of the same model stays unused: the desk has one.
      if (reader_ && reader_->running()) return;
      old = std::move(reader_);
      at_ = change.device.location;
      reader_ = std::make_unique<UsbMrzReader>(profile_, at_);
    } else {
      if (!reader_ || !(change.device.location == at_)) return;
      old = std::move(reader_);
    }
  }
  // Stopping waits for the reader's thread, which may be calling the listener: outside the lock.
  const bool was_connected = old && old->connected();
  if (old) old->stop();
  if (change.kind == UsbDeviceChange::Kind::Left) {
    // The reader reports its own departure when a transfer fails first; when it was idle between
    // reads it is stopped here, and this is the report.
    if (was_connected && listener) listener({DeviceEvent::Kind::Disconnected, profile_.id, "the MRZ reader was unplugged", {}});
    return;
  }
  std::lock_guard lock(mutex_);
  if (reader_) reader_->start([listener](const DeviceEvent& e) { if (listener) listener(e); });
}

}  // namespace borderpost::bridge
