// Basic Access Control (ICAO Doc 9303 Part 11, 4.3 and 9.7): the document basic access keys from
// the MRZ, the mutual authentication of GET CHALLENGE / EXTERNAL AUTHENTICATE, and the session
// keys and send sequence counter secure messaging starts with. Pure functions over bytes; the
// random values come from the caller, so the worked example of Appendix D is a test.
#pragma once

#include <array>
#include <string>
#include <string_view>

#include "mrz/document.hpp"
#include "emrtd/bytes.hpp"

namespace borderpost::station::emrtd {

using DesKey = std::array<std::uint8_t, 16>;  // two-key 3DES: Ka || Kb, odd parity

struct KeyPair {
  DesKey enc;
  DesKey mac;
};

// 9.7.1: Ka || Kb from SHA-1(seed || counter), parity adjusted (counter 1: encryption, 2: MAC).
DesKey derive_des_key(ByteView seed, std::uint32_t counter);

// The MRZ information the keys come from: document number, date of birth and date of expiry,
// each with its check digit (a long TD1/TD2 number whole, with its own check digit). Throws
// std::invalid_argument for a document whose MRZ lacks them.
std::string mrz_information(const mrz::Document& document);

// KEnc and KMAC from SHA-1(MRZ information).
KeyPair basic_access_keys(std::string_view mrz_information);

// EXTERNAL AUTHENTICATE's command data: E_IFD = 3DES(KEnc, RND.IFD || RND.IC || K.IFD) and its MAC.
Bytes bac_authentication_data(const KeyPair& keys, ByteView rnd_ic, ByteView rnd_ifd, ByteView k_ifd);

struct SessionKeys {
  KeyPair keys;
  std::array<std::uint8_t, 8> ssc;  // RND.IC's last four bytes || RND.IFD's last four bytes
};

// The chip's answer checked (its MAC, and RND.IFD returned) and the session established. Throws
// FormatError when the answer is not 40 bytes, std::runtime_error when it does not verify (the
// MRZ keys are wrong or the chip is not genuine).
SessionKeys bac_session(const KeyPair& keys, ByteView answer, ByteView rnd_ic, ByteView rnd_ifd, ByteView k_ifd);

// The chip's side of EXTERNAL AUTHENTICATE, for the virtual chips the tests and benchmarks use:
// the terminal's data checked against RND.IC, and the chip's 40-byte answer with the session.
// Throws std::runtime_error when the terminal's MAC or challenge does not verify.
struct ChipBacAnswer {
  Bytes answer;
  SessionKeys session;
};
ChipBacAnswer bac_chip_answer(const KeyPair& keys, ByteView command_data, ByteView rnd_ic, ByteView k_ic);

}  // namespace borderpost::station::emrtd
