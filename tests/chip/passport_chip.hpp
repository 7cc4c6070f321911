// An ICAO ePassport chip as a function from command APDU to response APDU: the LDS1 application
// and EF.CardAccess, BAC and PACE on the chip's side, secure messaging, Active Authentication,
// Chip Authentication (MSE:Set KAT, or MSE:Set AT and GENERAL AUTHENTICATE).
// No transport here: VirtualChip puts it on a vpcd socket; tests can also call it directly.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "lds_builder.hpp"
#include "emrtd/bytes.hpp"

namespace borderpost::test::chip {

// What a particular test wants this chip to do differently from a well-behaved passport.
struct ChipBehaviour {
  bool bac = true;   // GET CHALLENGE / EXTERNAL AUTHENTICATE accepted
  bool pace = true;  // MSE:Set AT / GENERAL AUTHENTICATE accepted (the contents need EF.CardAccess)
  // The chip's keys come from this MRZ information instead of its own: whatever the reader typed
  // or read off the page, access control fails (a chip that does not belong to the page).
  std::optional<std::string> access_mrz_information;
  // false: only short APDUs; an extended one, or a read of more than 0xDF bytes (what fits a
  // protected short answer), is refused with 6700.
  bool extended_length = true;
  // The card leaves the field once this many bytes of READ BINARY data are due: the answer that
  // reaches the limit is never sent (VirtualChip closes the connection instead). Once only: put
  // back on the reader, the chip reads through.
  std::optional<std::size_t> break_after_bytes;
  // The files of a genuine passport copied onto another chip, which cannot copy the private keys:
  // Active Authentication signs, and Chip Authentication agrees keys, with keys of its own on the
  // same curves. Passive authentication still passes; both of those must fail.
  bool cloned = false;
  // false: a 3DES chip with Chip Authentication by MSE:Set AT and GENERAL AUTHENTICATE only, as
  // some were issued (Part 11, 8.5 note 1); MSE:Set KAT is refused with 6A86.
  bool mse_set_kat = true;
};

class PassportChip {
 public:
  PassportChip(ChipContents contents, ChipBehaviour behaviour = {});
  ~PassportChip();
  PassportChip(PassportChip&&) noexcept;
  PassportChip& operator=(PassportChip&&) noexcept;

  // 3B 8n 80 01, historical bytes (card capabilities: extended length when offered), TCK.
  station::emrtd::Bytes answer_to_reset() const;
  // Power on, off and reset all end any session and go back to the master file.
  void reset();
  // One command in, one answer out (data and status word); never throws.
  station::emrtd::Bytes respond(station::emrtd::ByteView command);

  // READ BINARY data served so far (plain bytes), over every insertion.
  std::size_t bytes_read() const;
  // True once, after the answer with which break_after_bytes is reached.
  bool leave_field_now();

  const ChipContents& contents() const;
  const ChipBehaviour& behaviour() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace borderpost::test::chip
