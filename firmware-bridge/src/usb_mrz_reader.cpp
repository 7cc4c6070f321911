// The USB text MRZ reader: claim, arm, read the IN endpoint, de-frame, report; survive stalls and
// bad frames; end cleanly when the device is unplugged, whatever it was doing.
#include "firmware_bridge/usb_mrz_reader.hpp"

#include <memory>

#include "firmware_bridge/frame_decoder.hpp"
#include "usb_handle.hpp"

namespace borderpost::bridge {

namespace {
// Errors in a row (other than timeouts) after which the device is taken for lost although libusb
// has not said so: a reader that only ever fails is no reader.
constexpr int kGiveUpAfter = 5;
}  // namespace

UsbMrzReader::UsbMrzReader(DeviceProfile profile, std::optional<UsbLocation> location)
    : profile_(std::move(profile)), location_(std::move(location)) {
  if (!profile_.usb || !profile_.framing) throw ProfileError(profile_.file + ": a USB MRZ reader needs [usb] and [framing]");
}

UsbMrzReader::~UsbMrzReader() { stop(); }

void UsbMrzReader::start(Listener listener) {
  {
    std::lock_guard lock(listener_mutex_);
    listener_ = std::move(listener);
  }
  running_ = true;
  thread_ = std::jthread([this](std::stop_token stop) { run(stop); });
}

void UsbMrzReader::stop() {
  if (thread_.joinable()) {
    thread_.request_stop();
    thread_.join();  // the read in progress ends within the profile's timeout
  }
  std::lock_guard lock(listener_mutex_);
  listener_ = nullptr;
}

void UsbMrzReader::emit(DeviceEvent::Kind kind, std::string message, Capture capture) {
  std::lock_guard lock(listener_mutex_);
  if (listener_) listener_({kind, profile_.id, std::move(message), std::move(capture)});
}

void UsbMrzReader::run(std::stop_token stop) {
  const auto& usb = *profile_.usb;
  std::unique_ptr<usb::Context> context;
  std::unique_ptr<usb::Handle> device;
  usb::Endpoints endpoints;
  try {
    context = std::make_unique<usb::Context>();
    device = std::make_unique<usb::Handle>(context->get(), usb, location_);
    endpoints = device->endpoints(usb);
    if (!endpoints.in) throw DeviceError("the device has no IN endpoint on interface " + std::to_string(endpoints.interface));
    device->claim(endpoints.interface);
    if (!profile_.framing->arm_command.empty()) {
      if (!endpoints.out) throw DeviceError("the profile's arm_command needs an OUT endpoint the device does not have");
      auto command = profile_.framing->arm_command;
      int sent = 0;
      const int r = libusb_bulk_transfer(device->get(), *endpoints.out, command.data(), static_cast<int>(command.size()), &sent, usb.timeout_ms);
      if (r != 0 || sent != static_cast<int>(command.size())) throw DeviceError("the reader did not take its arm command: " + usb::error_text(r));
    }
  } catch (const std::exception& e) {
    emit(DeviceEvent::Kind::Failed, std::string("cannot open the MRZ reader: ") + e.what());
    emit(DeviceEvent::Kind::Disconnected, e.what());
    running_ = false;
    return;
  }
  connected_ = true;
  emit(DeviceEvent::Kind::Connected, profile_.model);

  FrameDecoder decoder(*profile_.framing);
  std::vector<std::uint8_t> buffer(static_cast<std::size_t>(usb.read_size));
  int errors_in_a_row = 0;
  std::string gone;
  while (!stop.stop_requested()) {
    int got = 0;
    const int r = endpoints.in_is_interrupt
                      ? libusb_interrupt_transfer(device->get(), *endpoints.in, buffer.data(), usb.read_size, &got, usb.timeout_ms)
                      : libusb_bulk_transfer(device->get(), *endpoints.in, buffer.data(), usb.read_size, &got, usb.timeout_ms);
    // A timeout can still have delivered part of a frame.
    if ((r == 0 || r == LIBUSB_ERROR_TIMEOUT) && got > 0) {
      errors_in_a_row = 0;
      for (auto& frame : decoder.feed(std::span(buffer.data(), static_cast<std::size_t>(got)))) {
        if (!frame.ok()) {
          emit(DeviceEvent::Kind::Failed, "the MRZ reader sent a bad frame: " + frame.problem);
          continue;
        }
        Capture capture;
        capture.device = profile_.id;
        capture.placed_at = capture.captured_at = std::chrono::system_clock::now();
        capture.mrz_lines = std::move(frame.lines);
        emit(DeviceEvent::Kind::Captured, {}, std::move(capture));
      }
      continue;
    }
    if (r == 0 || r == LIBUSB_ERROR_TIMEOUT) continue;  // nothing swiped
    if (r == LIBUSB_ERROR_NO_DEVICE) {
      gone = "the MRZ reader was unplugged";
      break;
    }
    decoder.reset();  // whatever was half-read is lost with the failed transfer
    if (++errors_in_a_row >= kGiveUpAfter) {
      gone = "the MRZ reader stopped working (" + usb::error_text(r) + ")";
      break;
    }
    if (r == LIBUSB_ERROR_PIPE) {
      const int cleared = libusb_clear_halt(device->get(), *endpoints.in);
      if (cleared == LIBUSB_ERROR_NO_DEVICE) {
        gone = "the MRZ reader was unplugged";
        break;
      }
      emit(DeviceEvent::Kind::Failed, cleared == 0 ? "the MRZ reader's data endpoint stalled; it was reset and reading goes on"
                                                   : "the MRZ reader's data endpoint stalled and could not be reset: " + usb::error_text(cleared));
      continue;
    }
    emit(DeviceEvent::Kind::Failed, "reading from the MRZ reader failed: " + usb::error_text(r));
  }
  connected_ = false;
  device.reset();
  context.reset();
  if (!gone.empty()) emit(DeviceEvent::Kind::Disconnected, gone);
  running_ = false;
}

}  // namespace borderpost::bridge
