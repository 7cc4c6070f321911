// Secure messaging (ICAO Doc 9303 Part 11, 9.8) after BAC: each command's data encrypted in
// DO'87', its expected length in DO'97', a MAC over header, data objects and the send sequence
// counter in DO'8E'; each answer's MAC checked before a byte of it is believed.
#pragma once

#include <array>

#include "station/emrtd/apdu.hpp"
#include "station/emrtd/bac.hpp"

namespace borderpost::station::emrtd {

// A broken secure messaging answer: no MAC, a wrong MAC, undecryptable data. The session is
// over after one (the chip's and the terminal's counters no longer agree).
struct SecureMessagingError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class DesSecureMessaging {
 public:
  explicit DesSecureMessaging(const SessionKeys& session) : keys_(session.keys), ssc_(session.ssc) {}

  // The protected form of a plain command (the counter steps once).
  CommandApdu protect(const CommandApdu& plain);
  // The plain answer inside a protected one (the counter steps once). A chip that answers an
  // error status without data objects has ended secure messaging: that status comes back as it is.
  ResponseApdu unprotect(const ResponseApdu& protected_answer);

  const std::array<std::uint8_t, 8>& ssc() const { return ssc_; }

 private:
  void step();
  Bytes mac_with_counter(ByteView data);

  KeyPair keys_;
  std::array<std::uint8_t, 8> ssc_;
};

}  // namespace borderpost::station::emrtd
