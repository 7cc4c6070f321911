// The page reader on the other end of borderpost-simreader's socket (driver "simulated-process"):
// the simulator process exiting is the device unplugged, the process coming back is it plugged in
// again. Connection attempts repeat every reconnect_ms for as long as the driver runs.
#pragma once

#include <atomic>
#include <thread>

#include "firmware_bridge/profile.hpp"

namespace borderpost::bridge {

class ProcessPageReader : public PageReader {
 public:
  explicit ProcessPageReader(DeviceProfile profile);  // throws ProfileError without a socket
  ~ProcessPageReader() override;

  void start(Listener listener) override;
  void stop() override;
  std::string id() const override { return profile_.id; }
  std::string model() const override { return profile_.model; }
  bool connected() const override { return connected_; }
  std::vector<Light> lights() const override { return profile_.lights; }

 private:
  void run(std::stop_token stop);
  void emit(DeviceEvent::Kind kind, std::string message = {}, Capture capture = {});

  DeviceProfile profile_;
  Listener listener_;
  std::atomic<bool> connected_{false};
  std::jthread thread_;
};

}  // namespace borderpost::bridge
