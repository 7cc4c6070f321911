// PACE (ICAO Doc 9303 Part 11, 4.4) on the terminal's side, with OpenPACE doing the cryptography:
// the protocol offered in EF.CardAccess, the MRZ as password, the encrypted nonce, the generic
// mapping, the key agreement, and the authentication tokens; the result is AES (or 3DES) secure
// messaging. The APDUs are built and read here, so the steps are visible and testable one by one.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "emrtd/apdu.hpp"
#include "emrtd/secure_messaging.hpp"

namespace borderpost::station::emrtd {

struct PaceError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class PaceTerminal {
 public:
  // The PACE protocol the chip offers in EF.CardAccess (its SecurityInfos, as read from the
  // chip). Throws PaceError when it offers none this terminal supports, FormatError when the
  // file is malformed.
  explicit PaceTerminal(ByteView card_access);
  ~PaceTerminal();
  PaceTerminal(const PaceTerminal&) = delete;
  PaceTerminal& operator=(const PaceTerminal&) = delete;

  std::string protocol_name() const;  // "id-PACE-ECDH-GM-AES-CBC-CMAC-128"
  int parameter_id() const;           // 13: brainpoolP256r1, ...

  // The steps, in order. Each answer from the chip goes in as the chip sent it (the dynamic
  // authentication data, 7C ...); each throws PaceError when the chip's part does not verify.
  CommandApdu set_authentication_template() const;  // MSE:Set AT, password = MRZ
  CommandApdu request_nonce() const;                // GENERAL AUTHENTICATE, empty 7C
  CommandApdu map_nonce(ByteView nonce_answer, std::string_view mrz_information);  // decrypts, sends mapping data
  CommandApdu agree_key(ByteView mapping_answer);   // maps the generator, sends an ephemeral key
  CommandApdu authenticate(ByteView key_answer);    // derives the keys, sends the terminal's token
  SecureMessaging finish(ByteView token_answer);    // checks the chip's token

  // Parts of the steps on their own, for the worked example of Appendix G.
  Bytes decrypted_nonce() const;
  void derive_keys_from(ByteView shared_secret);
  Bytes token_for(ByteView public_key) const;
  Bytes session_key_enc() const;
  Bytes session_key_mac() const;

 private:
  struct Context;
  std::unique_ptr<Context> context_;
  Bytes chip_key_;
};

// The whole run through `exchange` (sends a plain command, returns the chip's answer).
using PlainExchange = std::function<ResponseApdu(const CommandApdu&)>;
struct PaceSession {
  SecureMessaging channel;
  std::string protocol;  // the protocol that ran, "id-PACE-ECDH-GM-AES-CBC-CMAC-128"
};
PaceSession run_pace(const PlainExchange& exchange, ByteView card_access, std::string_view mrz_information);

}  // namespace borderpost::station::emrtd
