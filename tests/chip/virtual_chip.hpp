// A virtual ePassport on a real PC/SC stack: a PassportChip served on its own thread to pcscd's
// vsmartcard-vpcd driver. In our test configuration vpcd is the server (it listens on a TCP port
// per reader, see pcscd_fixture.hpp) and the card connects to it on 127.0.0.1: connecting is
// putting the passport on the reader, closing the connection is taking it away.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <thread>

#include "passport_chip.hpp"

namespace borderpost::test::chip {

class VirtualChip {
 public:
  explicit VirtualChip(ChipContents contents, ChipBehaviour behaviour = {});
  ~VirtualChip();  // removes the chip
  VirtualChip(const VirtualChip&) = delete;
  VirtualChip& operator=(const VirtualChip&) = delete;

  // Puts the passport on the reader whose vpcd listens on `port`: connects (retrying for up to
  // `timeout_ms`, vpcd opens its port only once pcscd has loaded it) and serves until removed.
  // The chip starts powered off, as a fresh card does. Throws std::runtime_error when vpcd
  // never answers, std::logic_error when already inserted.
  void insert(std::uint16_t port, int timeout_ms = 5000);
  // Takes it away (closes the connection). Nothing happens when it is not inserted.
  void remove();
  // True from insert until remove, or until the chip left the field by itself (break_after_bytes)
  // or vpcd closed the connection.
  bool inserted() const { return serving_; }

  std::size_t apdu_count() const { return apdu_count_; }  // command APDUs answered (or dropped), since construction
  std::size_t bytes_read() const { return chip_.bytes_read(); }  // READ BINARY data served
  const ChipContents& contents() const { return chip_.contents(); }

 private:
  void serve(int socket);

  PassportChip chip_;
  std::mutex lifecycle_;
  std::thread server_;
  int socket_ = -1;
  std::atomic<bool> serving_{false};
  std::atomic<std::size_t> apdu_count_{0};
};

}  // namespace borderpost::test::chip
