// Contactless chip readers through PC/SC (pcsc-lite): list the readers, wait for a card, and
// exchange APDUs with it. These calls block, so the station runs them on a thread of their own
// (station/daemon/include/daemon/chip_reading.hpp) and posts what they report to its event loop; the chip protocol
// (access control, secure messaging, the LDS) lives in station/emrtd and only sees bytes.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

namespace borderpost::bridge {

struct ChipReaderError : std::runtime_error {
  enum class Kind {
    NoService,    // pcscd is not running
    NoReader,     // no such reader (unplugged)
    NoCard,       // nothing on the reader
    CardRemoved,  // the card left (or broke off) during the exchange
    Cancelled,    // a wait was cancelled
    Failed,       // any other PC/SC failure
  };
  ChipReaderError(Kind what_kind, const std::string& message) : std::runtime_error(message), kind(what_kind) {}
  Kind kind;
};

// One card, connected: command APDU bytes in, response APDU bytes (data + SW1 SW2) out.
class ApduChannel {
 public:
  virtual ~ApduChannel() = default;
  virtual std::vector<std::uint8_t> transmit(std::span<const std::uint8_t> command) = 0;
  virtual std::string reader() const = 0;
  virtual std::vector<std::uint8_t> atr() const = 0;
};

// A PC/SC context. Every call but cancel() blocks; cancel() may be called from any thread and
// ends a wait in progress with ChipReaderError::Kind::Cancelled.
class PcscReaders {
 public:
  PcscReaders();  // throws ChipReaderError (NoService) when pcscd cannot be reached
  ~PcscReaders();
  PcscReaders(const PcscReaders&) = delete;
  PcscReaders& operator=(const PcscReaders&) = delete;

  std::vector<std::string> list() const;
  // The reader a card is on once one is (the named reader, or any reader when `reader` is empty);
  // std::nullopt when the timeout passes first.
  std::optional<std::string> wait_for_card(const std::string& reader, std::chrono::milliseconds timeout);
  // True once the reader is empty (or gone); false when the timeout passes first.
  bool wait_for_removal(const std::string& reader, std::chrono::milliseconds timeout);
  void cancel();
  std::unique_ptr<ApduChannel> connect(const std::string& reader);

 private:
  std::intptr_t context_ = 0;  // SCARDCONTEXT
};

}  // namespace borderpost::bridge
