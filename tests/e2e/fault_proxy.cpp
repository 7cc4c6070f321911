#include "fault_proxy.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>

namespace borderpost::test {
namespace {

enum class Fault { None, CutRequest, CutAnswer, Reset, Slow };

int connect_to(unsigned short port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// Closing with a zero linger time sends RST instead of FIN.
void reset(int fd) {
  linger hard{1, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
  ::close(fd);
}

}  // namespace

FaultProxy::FaultProxy(unsigned short target_port, std::uint32_t seed) : target_(target_port), rng_(seed) {
  listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 || ::listen(listener_, 64) != 0)
    throw std::runtime_error("fault proxy: cannot listen");
  socklen_t length = sizeof address;
  ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length);
  port_ = ntohs(address.sin_port);
  acceptor_ = std::thread([this] { accept_loop(); });
}

FaultProxy::~FaultProxy() {
  stopping_ = true;
  ::shutdown(listener_, SHUT_RDWR);
  acceptor_.join();
  ::close(listener_);
  std::lock_guard lock(workers_mutex_);
  for (auto& w : workers_) w.join();
}

void FaultProxy::accept_loop() {
  while (!stopping_) {
    pollfd p{listener_, POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) continue;
    const int client = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) continue;
    ++connections_;
    const auto seed = static_cast<std::uint32_t>(rng_());
    std::lock_guard lock(workers_mutex_);
    workers_.emplace_back([this, client, seed] { serve(client, seed); });
  }
}

void FaultProxy::serve(int client, std::uint32_t seed) {
  std::mt19937 rng(seed);
  const int server = connect_to(target_);
  if (server < 0) {
    reset(client);
    return;
  }
  Fault fault = Fault::None;
  if (std::uniform_real_distribution<double>(0, 1)(rng) < fault_rate_) {
    fault = static_cast<Fault>(1 + rng() % 4);
    ++faults_;
  }
  // Where the fault strikes: after this many bytes in the damaged direction (requests are large,
  // answers small).
  const std::uint64_t budget =
      std::uniform_int_distribution<std::uint64_t>(0, fault == Fault::CutAnswer ? 4'000 : 40'000)(rng);
  std::uint64_t sent_up = 0, sent_down = 0;
  char buffer[16384];
  bool open = true;
  while (open && !stopping_) {
    pollfd p[2] = {{client, POLLIN, 0}, {server, POLLIN, 0}};
    if (::poll(p, 2, 200) <= 0) continue;
    for (int side = 0; side < 2 && open; ++side) {
      if (!(p[side].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      const int from = side == 0 ? client : server, to = side == 0 ? server : client;
      auto n = ::recv(from, buffer, sizeof buffer, 0);
      if (n <= 0) {
        open = false;
        break;
      }
      auto& sent = side == 0 ? sent_up : sent_down;
      const bool damaged_direction = (fault == Fault::CutRequest && side == 0) || (fault == Fault::CutAnswer && side == 1) ||
                                     fault == Fault::Reset;
      if (damaged_direction && sent + static_cast<std::uint64_t>(n) > budget) {
        n = static_cast<ssize_t>(budget - sent);  // forward up to the cut, then end the connection
        if (n > 0) ::send(to, buffer, static_cast<std::size_t>(n), MSG_NOSIGNAL);
        if (fault == Fault::Reset) {
          reset(client);
          reset(server);
        } else {
          ::close(client);
          ::close(server);
        }
        return;
      }
      if (fault == Fault::Slow) std::this_thread::sleep_for(std::chrono::milliseconds(20 + rng() % 100));
      if (::send(to, buffer, static_cast<std::size_t>(n), MSG_NOSIGNAL) != n) open = false;
      sent += static_cast<std::uint64_t>(n);
    }
  }
  ::close(client);
  ::close(server);
}

}  // namespace borderpost::test
