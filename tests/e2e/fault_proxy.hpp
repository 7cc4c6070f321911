// A TCP proxy on loopback that damages connections on purpose: it cuts requests and answers short,
// resets connections, and delays traffic, at random points. The network a rural post lives with.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

namespace borderpost::test {

class FaultProxy {
 public:
  // Listens on 127.0.0.1 (a free port); forwards to 127.0.0.1:target_port.
  FaultProxy(unsigned short target_port, std::uint32_t seed);
  ~FaultProxy();
  unsigned short port() const { return port_; }
  void retarget(unsigned short target_port) { target_ = target_port; }
  void set_fault_rate(double rate) { fault_rate_ = rate; }  // share of connections that get a fault
  std::uint64_t connections() const { return connections_; }
  std::uint64_t faults() const { return faults_; }

 private:
  void accept_loop();
  void serve(int client, std::uint32_t seed);
  int listener_ = -1;
  unsigned short port_ = 0;
  std::atomic<unsigned short> target_;
  std::atomic<double> fault_rate_{0.5};
  std::atomic<bool> stopping_{false};
  std::atomic<std::uint64_t> connections_{0}, faults_{0};
  std::mt19937 rng_;
  std::thread acceptor_;
  std::mutex workers_mutex_;
  std::vector<std::thread> workers_;
};

}  // namespace borderpost::test
