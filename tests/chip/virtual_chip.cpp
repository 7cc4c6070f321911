// The vpcd socket protocol of vsmartcard 0.8 on the card's side (see virtual_chip.hpp): every
// message is a two-byte big-endian length and a payload; a one-byte payload is a control code,
// anything longer a command APDU, answered with the response APDU.
#include "virtual_chip.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <stdexcept>
#include <string>

namespace borderpost::test::chip {

namespace {

enum VpcdControl : std::uint8_t { power_off = 0x00, power_on = 0x01, reset = 0x02, send_atr = 0x04 };

bool receive_exactly(int socket, std::uint8_t* buffer, std::size_t length) {
  while (length > 0) {
    // vpcd writes a message's length and payload separately with Nagle on: acknowledge at once,
    // or every APDU waits out a delayed ACK (some 40 ms). Linux forgets QUICKACK, so set it again.
    const int one = 1;
    ::setsockopt(socket, IPPROTO_TCP, TCP_QUICKACK, &one, sizeof one);
    const ssize_t n = ::recv(socket, buffer, length, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    buffer += n;
    length -= static_cast<std::size_t>(n);
  }
  return true;
}

bool send_message(int socket, station::emrtd::ByteView payload) {
  station::emrtd::Bytes message{static_cast<std::uint8_t>(payload.size() >> 8), static_cast<std::uint8_t>(payload.size())};
  message.insert(message.end(), payload.begin(), payload.end());
  std::size_t sent = 0;
  while (sent < message.size()) {
    // MSG_NOSIGNAL: vpcd closing its end must not kill the test with SIGPIPE.
    const ssize_t n = ::send(socket, message.data() + sent, message.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    sent += static_cast<std::size_t>(n);
  }
  return true;
}

int connect_to_vpcd(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error("socket() failed");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);  // vpcd binds every interface; we only use loopback
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd);
    return -1;
  }
  const int one = 1;  // one small message per APDU: do not let Nagle hold them back
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

}  // namespace

VirtualChip::VirtualChip(ChipContents contents, ChipBehaviour behaviour)
    : chip_(std::move(contents), std::move(behaviour)) {}

VirtualChip::~VirtualChip() { remove(); }

void VirtualChip::insert(std::uint16_t port, int timeout_ms) {
  std::lock_guard guard(lifecycle_);
  if (serving_) throw std::logic_error("the virtual chip is already on a reader");
  if (server_.joinable()) server_.join();  // it left the field by itself earlier
  if (socket_ >= 0) ::close(socket_);
  socket_ = -1;

  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  int fd = connect_to_vpcd(port);
  while (fd < 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    fd = connect_to_vpcd(port);
  }
  if (fd < 0) throw std::runtime_error("no vpcd reader listens on 127.0.0.1:" + std::to_string(port));
  socket_ = fd;
  chip_.reset();
  serving_ = true;
  server_ = std::thread(&VirtualChip::serve, this, fd);
}

void VirtualChip::remove() {
  std::lock_guard guard(lifecycle_);
  if (socket_ >= 0) ::shutdown(socket_, SHUT_RDWR);  // wakes the server thread out of recv()
  if (server_.joinable()) server_.join();
  if (socket_ >= 0) ::close(socket_);
  socket_ = -1;
  serving_ = false;
}

void VirtualChip::serve(int socket) {
  bool connected = true;
  while (connected) {
    std::uint8_t header[2];
    if (!receive_exactly(socket, header, sizeof header)) break;
    station::emrtd::Bytes payload(static_cast<std::size_t>(header[0] << 8 | header[1]));
    if (!receive_exactly(socket, payload.data(), payload.size())) break;
    if (payload.size() == 1) {
      if (payload[0] == send_atr)
        connected = send_message(socket, chip_.answer_to_reset());
      else if (payload[0] == power_off || payload[0] == power_on || payload[0] == reset)
        chip_.reset();  // no answer to these
      continue;
    }
    if (payload.empty()) continue;
    ++apdu_count_;
    const auto answer = chip_.respond(payload);
    if (chip_.leave_field_now()) break;  // taken off the reader in the middle of a read
    connected = send_message(socket, answer);
  }
  ::shutdown(socket, SHUT_RDWR);
  serving_ = false;
}

}  // namespace borderpost::test::chip
