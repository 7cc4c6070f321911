// Chip Authentication version 1 (ICAO Doc 9303 Part 11, 6.2) on the terminal's side: the protocol
// and static public key DG14 offers, an ephemeral key on the chip's curve, ECDH, new session keys,
// and secure messaging restarted under them. Only a chip holding DG14's private key answers under
// the new keys, so a chip whose files were copied onto another (a clone) fails here, where passive
// authentication alone cannot tell it from the genuine one.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "emrtd/chip_session.hpp"
#include "emrtd/secure_messaging.hpp"

namespace borderpost::station::emrtd {

// A ChipAuthenticationInfo of DG14 with its ChipAuthenticationPublicKeyInfo (Part 11, 9.2.5 to 9.2.7).
struct ChipAuthenticationOffer {
  std::string protocol;     // "id-CA-ECDH-AES-CBC-CMAC-128"
  Bytes protocol_oid;       // the OID's content bytes, as MSE:Set AT carries them in DO'80'
  long version = 1;
  std::optional<std::uint64_t> key_id;  // sent in DO'84' when DG14 names one
  Bytes public_key;         // the chip's SubjectPublicKeyInfo, DER
  std::string unsupported;  // why this station cannot run it ("" when it can): DH, another version, ...
};

// What DG14 (the whole file, tag 6E) offers, the offers this station can run first and among
// them AES before 3DES (Part 11, 8.5). A public key without any ChipAuthenticationInfo is offered
// as id-CA-ECDH-3DES-CBC-CBC (or DH), as BSI TR-03110 1.11 lets older chips do. Empty when DG14
// offers no Chip Authentication; throws FormatError for a malformed DG14, or an offer whose public
// key is missing or does not parse.
std::vector<ChipAuthenticationOffer> chip_authentication_offers(ByteView dg14_file);

// The new session keys from the shared secret K (Part 11, 9.7.1 and 9.7.4): KDF(K, 1) encrypts,
// KDF(K, 2) MACs, with SHA-1 for 3DES and AES-128, SHA-256 for AES-192 and AES-256.
struct ChipAuthenticationKeys {
  SmCipher cipher = SmCipher::aes;
  Bytes enc, mac;
  SecureMessaging channel() const;  // the counter at zero (Part 11, 9.8.6.3 and 9.8.7.3)
};
ChipAuthenticationKeys chip_authentication_keys(std::string_view protocol, ByteView shared_secret);

// The chip refused a step, or did not answer under the new keys.
struct ChipAuthenticationError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Runs the offer over the open session. With 3DES, MSE:Set KAT (and MSE:Set AT with GENERAL
// AUTHENTICATE when the chip refuses it, Part 11, 8.5 note 1); with AES, MSE:Set AT and GENERAL
// AUTHENTICATE; each protected under the session's keys so far. Then the session's secure messaging
// restarts under the new keys with the counter at zero, and a READ BINARY of EF.COM's first bytes
// must come back under them: that is the proof the chip holds DG14's private key.
// Returns what ran ("id-CA-ECDH-AES-CBC-CMAC-128 on brainpoolP256r1"). Throws
// ChipAuthenticationError when the chip refuses or does not answer under the new keys (the session
// is then over), SecureMessagingError when the old session breaks during the key agreement,
// FormatError when the offer's key is not an EC key the station can agree with, and
// std::invalid_argument for an offer marked unsupported.
std::string run_chip_authentication(ChipSession& session, const ChipAuthenticationOffer& offer);

}  // namespace borderpost::station::emrtd
