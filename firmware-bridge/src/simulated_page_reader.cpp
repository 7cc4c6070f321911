// The simulated full-page reader: a timed script of placements, captures and removals on its own
// thread, delivering the sample folder's image files exactly as a real reader delivers images.
#include "firmware_bridge/simulated_page_reader.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>

namespace borderpost::bridge {
namespace {

namespace fs = std::filesystem;

// The image file of one light in a sample folder, or "" when the sample has none.
fs::path image_file(const fs::path& folder, Light light) {
  for (const char* ext : {".png", ".jpg", ".jpeg", ".tif", ".bmp"}) {
    auto p = folder / (std::string(to_string(light)) + ext);
    if (fs::exists(p)) return p;
  }
  return {};
}

}  // namespace

SimulatedPageReader::SimulatedPageReader(DeviceProfile profile, std::string samples_dir)
    : profile_(std::move(profile)), samples_dir_(std::move(samples_dir)) {
  if (!fs::is_directory(samples_dir_)) throw ProfileError("the samples folder " + samples_dir_ + " does not exist");
}

SimulatedPageReader::~SimulatedPageReader() { stop(); }

void SimulatedPageReader::start(Listener listener) {
  {
    std::lock_guard lock(mutex_);
    listener_ = std::move(listener);
  }
  thread_ = std::jthread([this](std::stop_token stop) { run(stop); });
  if (connected()) emit({DeviceEvent::Kind::Connected, profile_.id, profile_.model, {}});
}

void SimulatedPageReader::stop() {
  if (thread_.joinable()) {
    thread_.request_stop();
    wake_.notify_all();
    thread_.join();
  }
  std::lock_guard lock(mutex_);
  listener_ = nullptr;
}

bool SimulatedPageReader::connected() const {
  std::lock_guard lock(mutex_);
  return connected_;
}

std::vector<std::string> SimulatedPageReader::samples() const {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(samples_dir_))
    if (entry.is_directory() && !image_file(entry.path(), Light::White).empty()) names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

void SimulatedPageReader::place(const std::string& sample) {
  const auto names = samples();
  if (std::find(names.begin(), names.end(), sample) == names.end())
    throw std::invalid_argument("no sample document named \"" + sample + "\" in " + samples_dir_);
  std::lock_guard lock(mutex_);
  if (!connected_) throw std::logic_error("the page reader is unplugged");
  if (document_on_glass_) throw std::logic_error("a document is already on the reader; remove it first");
  document_on_glass_ = true;
  const auto now = std::chrono::steady_clock::now();
  ++placement_;
  steps_.push_back({Action::Place, sample, now, placement_});
  steps_.push_back({Action::Capture, sample, now + std::chrono::milliseconds(profile_.capture_delay_ms), placement_});
  wake_.notify_all();
}

void SimulatedPageReader::remove() {
  std::lock_guard lock(mutex_);
  if (!document_on_glass_) return;
  document_on_glass_ = false;
  ++placement_;  // a capture still pending is for a document no longer there
  steps_.push_back({Action::Remove, {}, std::chrono::steady_clock::now(), placement_});
  wake_.notify_all();
}

void SimulatedPageReader::unplug() {
  std::lock_guard lock(mutex_);
  connected_ = false;
  document_on_glass_ = false;
  ++placement_;
  steps_.push_back({Action::Unplug, {}, std::chrono::steady_clock::now(), placement_});
  wake_.notify_all();
}

void SimulatedPageReader::plug() {
  std::lock_guard lock(mutex_);
  if (connected_) return;
  connected_ = true;
  steps_.push_back({Action::Plug, {}, std::chrono::steady_clock::now(), placement_});
  wake_.notify_all();
}

void SimulatedPageReader::run(std::stop_token stop) {
  std::unique_lock lock(mutex_);
  while (!stop.stop_requested()) {
    if (steps_.empty()) {
      wake_.wait(lock, stop, [&] { return !steps_.empty(); });
      continue;
    }
    // Steps are queued in time order except captures, which wait for their delay.
    auto next = std::min_element(steps_.begin(), steps_.end(), [](const Step& a, const Step& b) { return a.due < b.due; });
    if (next->due > std::chrono::steady_clock::now()) {
      const auto due = next->due;
      wake_.wait_until(lock, stop, due, [&] { return false; });
      continue;
    }
    Step step = *next;
    steps_.erase(next);
    lock.unlock();
    perform(step);
    lock.lock();
  }
}

void SimulatedPageReader::perform(const Step& step) {
  switch (step.action) {
    case Action::Place: {
      {
        std::lock_guard lock(mutex_);
        placed_at_ = std::chrono::system_clock::now();
      }
      emit({DeviceEvent::Kind::DocumentPlaced, profile_.id, {}, {}});
      return;
    }
    case Action::Capture: {
      {
        std::lock_guard lock(mutex_);
        if (step.placement != placement_ || !connected_) return;  // removed or unplugged meanwhile
      }
      DeviceEvent event{DeviceEvent::Kind::Captured, profile_.id, {}, {}};
      try {
        event.capture = load(step.sample);
      } catch (const std::exception& e) {
        emit({DeviceEvent::Kind::Failed, profile_.id, e.what(), {}});
        return;
      }
      emit(std::move(event));
      return;
    }
    case Action::Remove: emit({DeviceEvent::Kind::DocumentRemoved, profile_.id, {}, {}}); return;
    case Action::Unplug: emit({DeviceEvent::Kind::Disconnected, profile_.id, "the page reader was unplugged", {}}); return;
    case Action::Plug: emit({DeviceEvent::Kind::Connected, profile_.id, profile_.model, {}}); return;
  }
}

Capture SimulatedPageReader::load(const std::string& sample) const {
  Capture capture;
  capture.device = profile_.id;
  capture.sample = sample;
  {
    std::lock_guard lock(mutex_);
    capture.placed_at = placed_at_;
  }
  const fs::path folder = fs::path(samples_dir_) / sample;
  for (Light light : profile_.lights) {
    const auto file = image_file(folder, light);
    if (file.empty()) continue;  // this document was not captured under that light
    std::ifstream in(file, std::ios::binary);
    if (!in) throw std::runtime_error("the reader could not deliver the " + std::string(to_string(light)) + " image");
    capture.images.push_back({light, std::vector<unsigned char>(std::istreambuf_iterator<char>(in), {})});
  }
  capture.captured_at = std::chrono::system_clock::now();
  return capture;
}

void SimulatedPageReader::emit(DeviceEvent event) {
  Listener listener;
  {
    std::lock_guard lock(mutex_);
    listener = listener_;
  }
  if (listener) listener(event);
}

}  // namespace borderpost::bridge
