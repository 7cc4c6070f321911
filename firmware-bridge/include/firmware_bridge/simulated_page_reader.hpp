// A full-page reader without hardware: documents are placed from a folder of samples (one
// sub-folder per document holding white/ir/uv images), captured after the profile's delay and
// delivered through the same events as a real reader. Tests and the demo queue drive it; it can
// also be "unplugged" mid-scan.
#pragma once

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include "firmware_bridge/profile.hpp"

namespace borderpost::bridge {

class SimulatedPageReader : public PageReader {
 public:
  SimulatedPageReader(DeviceProfile profile, std::string samples_dir);
  ~SimulatedPageReader() override;

  void start(Listener listener) override;
  void stop() override;
  std::string id() const override { return profile_.id; }
  std::string model() const override { return profile_.model; }
  bool connected() const override;
  std::vector<Light> lights() const override { return profile_.lights; }

  // The sample documents available, sorted by name.
  std::vector<std::string> samples() const;
  // Puts a sample on the glass. Throws std::invalid_argument for an unknown sample, and
  // std::logic_error when unplugged or a document is already there.
  void place(const std::string& sample);
  void remove();  // takes the document away (nothing when the glass is empty)
  void unplug();  // a capture in progress is abandoned
  void plug();

 private:
  enum class Action { Place, Capture, Remove, Unplug, Plug };
  struct Step {
    Action action;
    std::string sample;
    std::chrono::steady_clock::time_point due;
    std::uint64_t placement = 0;
  };
  void run(std::stop_token stop);
  void perform(const Step& step);
  void emit(DeviceEvent event);
  Capture load(const std::string& sample) const;

  DeviceProfile profile_;
  std::string samples_dir_;
  mutable std::mutex mutex_;
  std::condition_variable_any wake_;
  std::deque<Step> steps_;
  Listener listener_;
  bool connected_ = true;
  bool document_on_glass_ = false;
  std::uint64_t placement_ = 0;  // counts placements, so a stale capture step is ignored
  std::chrono::system_clock::time_point placed_at_;
  std::jthread thread_;
};

}  // namespace borderpost::bridge
