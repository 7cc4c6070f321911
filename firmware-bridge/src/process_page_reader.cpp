// The simulated-process driver: a loop that connects, turns frames into device events, and on
// any loss (process gone, malformed frame) reports the reader disconnected and connects again.
#include "firmware_bridge/process_page_reader.hpp"

#include <algorithm>
#include <condition_variable>
#include <mutex>

#include "firmware_bridge/simreader_protocol.hpp"

namespace borderpost::bridge {

ProcessPageReader::ProcessPageReader(DeviceProfile profile) : profile_(std::move(profile)) {
  if (profile_.socket.empty()) throw ProfileError(profile_.file + ": the simulated-process driver needs socket");
}

ProcessPageReader::~ProcessPageReader() { stop(); }

void ProcessPageReader::start(Listener listener) {
  listener_ = std::move(listener);
  thread_ = std::jthread([this](std::stop_token stop) { run(stop); });
}

void ProcessPageReader::stop() {
  if (!thread_.joinable()) return;
  thread_.request_stop();
  thread_.join();
}

void ProcessPageReader::emit(DeviceEvent::Kind kind, std::string message, Capture capture) {
  if (listener_) listener_({kind, profile_.id, std::move(message), std::move(capture)});
}

void ProcessPageReader::run(std::stop_token stop) {
  using simreader::Type;
  std::mutex mutex;
  std::condition_variable_any sleeper;
  bool said_absent = false;
  // Receives wake every so often to see the stop request; the simulator is local, so short waits cost nothing.
  constexpr int kPollMs = 100;
  while (!stop.stop_requested()) {
    auto link = simreader::Link::connect(profile_.socket);
    if (!link) {
      if (!said_absent) emit(DeviceEvent::Kind::Disconnected, "no simulated reader is listening at " + profile_.socket);
      said_absent = true;
      std::unique_lock lock(mutex);
      sleeper.wait_for(lock, stop, std::chrono::milliseconds(profile_.reconnect_ms), [] { return false; });
      continue;
    }
    said_absent = false;
    bool placed = false;  // a document is on the glass and its capture has not arrived
    std::chrono::system_clock::time_point placed_at;
    std::string lost;
    try {
      while (!stop.stop_requested()) {
        auto message = link->receive(kPollMs);
        if (!message) continue;
        switch (message->type) {
          case Type::Connected:
            connected_ = true;
            emit(DeviceEvent::Kind::Connected, message->text.empty() ? profile_.model : message->text);
            break;
          case Type::Placed:
            placed = true;
            placed_at = std::chrono::system_clock::now();
            emit(DeviceEvent::Kind::DocumentPlaced);
            break;
          case Type::Captured: {
            placed = false;
            Capture capture;
            capture.device = profile_.id;
            capture.sample = message->text;
            capture.placed_at = placed_at;
            capture.captured_at = std::chrono::system_clock::now();
            // Only the lights this profile says the device has, as a real reader would deliver.
            for (auto& image : message->images)
              if (std::find(profile_.lights.begin(), profile_.lights.end(), image.light) != profile_.lights.end())
                capture.images.push_back(std::move(image));
            emit(DeviceEvent::Kind::Captured, {}, std::move(capture));
            break;
          }
          case Type::Removed:
            placed = false;
            emit(DeviceEvent::Kind::DocumentRemoved);
            break;
          case Type::Failed:
            placed = false;
            emit(DeviceEvent::Kind::Failed, message->text);
            break;
          default:
            break;  // answers to commands: this driver sends none
        }
      }
    } catch (const simreader::ProtocolError& e) {
      lost = e.what();
    }
    if (stop.stop_requested()) break;
    const bool was_connected = connected_.exchange(false);
    if (was_connected || placed)
      emit(DeviceEvent::Kind::Disconnected, lost + (placed ? "; the capture in progress was abandoned" : ""));
    said_absent = true;
    std::unique_lock lock(mutex);
    sleeper.wait_for(lock, stop, std::chrono::milliseconds(profile_.reconnect_ms), [] { return false; });
  }
  connected_ = false;
}

}  // namespace borderpost::bridge
