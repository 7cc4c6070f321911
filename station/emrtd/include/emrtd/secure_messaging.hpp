// Secure messaging (ICAO Doc 9303 Part 11, 9.8) after BAC (3DES) or PACE (AES): each command's
// data encrypted in DO'87', its expected length in DO'97', a MAC over header, data objects and
// the send sequence counter in DO'8E'; each answer's MAC checked before a byte of it is believed.
// Both sides are here: the terminal's (protect / unprotect), and the chip's (unprotect_command /
// protect_response) for the virtual chips of the tests and benchmarks.
#pragma once

#include <memory>

#include "emrtd/apdu.hpp"
#include "emrtd/bac.hpp"

namespace borderpost::station::emrtd {

// A broken secure messaging exchange: no MAC, a wrong MAC, undecryptable data. The session is
// over after one (the chip's and the terminal's counters no longer agree).
struct SecureMessagingError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

enum class SmCipher { des3, aes };

class SecureMessaging {
 public:
  // BAC: two-key 3DES, the counter from the challenges.
  static SecureMessaging des(const SessionKeys& session);
  // PACE or chip authentication with AES (128, 192 or 256-bit keys): the counter starts at zero.
  static SecureMessaging aes(ByteView k_enc, ByteView k_mac);

  SmCipher cipher() const { return cipher_; }

  // The terminal's side. protect: the protected form of a plain command (the counter steps once).
  CommandApdu protect(const CommandApdu& plain);
  // The plain answer inside a protected one (the counter steps once). A chip that answers an
  // error status without data objects has ended secure messaging: that status comes back as it is.
  ResponseApdu unprotect(const ResponseApdu& protected_answer);

  // The chip's side: the plain command inside a protected one (MAC checked), and the protected
  // form of the chip's plain answer.
  CommandApdu unprotect_command(const CommandApdu& protected_command);
  ResponseApdu protect_response(const ResponseApdu& plain);

  const Bytes& ssc() const { return ssc_; }

 private:
  SecureMessaging(SmCipher cipher, Bytes k_enc, Bytes k_mac, Bytes ssc)
      : cipher_(cipher), k_enc_(std::move(k_enc)), k_mac_(std::move(k_mac)), ssc_(std::move(ssc)) {}

  std::size_t block() const { return cipher_ == SmCipher::aes ? 16 : 8; }
  void step();
  Bytes mac(ByteView data) const;  // over SSC || data, padded; 8 bytes
  Bytes encrypt(ByteView plain) const;
  Bytes decrypt(ByteView encrypted) const;
  Bytes do87(ByteView plain) const;
  Bytes open_do87(ByteView value) const;

  SmCipher cipher_;
  Bytes k_enc_, k_mac_, ssc_;
};

}  // namespace borderpost::station::emrtd
