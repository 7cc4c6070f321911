// One conversation with an ePassport chip: access control (PACE when EF.CardAccess offers it,
// BAC otherwise or when PACE fails), then the LDS files read under secure messaging, in extended
// READ BINARY commands when chip and reader take them and in short chunks otherwise. The
// transport is a function, so the same code runs over PC/SC, a test double, or a fuzzer.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "emrtd/apdu.hpp"
#include "emrtd/secure_messaging.hpp"

namespace borderpost::station::emrtd {

// Command APDU bytes in, response APDU bytes out. The transport's own failures (the card taken
// away mid-read) are its exceptions and pass through untouched.
using RawTransmit = std::function<Bytes(ByteView)>;

// Access control failed: the MRZ keys are not the chip's, or the chip refused the protocol.
struct AccessError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct AccessResult {
  std::string method;        // "PACE" or "BAC"
  std::string pace_protocol;  // when PACE ran: "id-PACE-ECDH-GM-AES-CBC-CMAC-128"
  std::string fallback_reason;  // PACE offered but failed, so BAC ran: why
  Bytes card_access;          // EF.CardAccess as read (empty when absent)
};

class ChipSession {
 public:
  explicit ChipSession(RawTransmit transmit);

  // Throws AccessError when neither PACE nor BAC opens the chip with these MRZ keys.
  AccessResult open(std::string_view mrz_information, bool try_pace = true);
  // The whole file, or nothing when the chip has no such file. Throws FormatError or
  // SecureMessagingError for a chip whose answers are malformed or not authentic.
  std::optional<Bytes> read_file(std::uint16_t file_id);
  // A plain command inside the secure channel (INTERNAL AUTHENTICATE for Active Authentication).
  ResponseApdu exchange(const CommandApdu& command);
  // Chip Authentication's new keys: every command from now on is protected under `channel`.
  void restart_secure_messaging(SecureMessaging channel);

  std::size_t commands_sent() const { return commands_; }
  bool extended_reads() const { return extended_ == Extended::yes; }

 private:
  ResponseApdu send_plain(const CommandApdu& command);
  std::optional<Bytes> read_plain_file(std::uint16_t file_id);
  ResponseApdu read_chunk(std::size_t offset, std::size_t length);
  void open_bac(std::string_view mrz_information);

  enum class Extended { unknown, yes, no };
  RawTransmit transmit_;
  std::optional<SecureMessaging> sm_;
  Extended extended_ = Extended::unknown;
  std::size_t commands_ = 0;
};

}  // namespace borderpost::station::emrtd
