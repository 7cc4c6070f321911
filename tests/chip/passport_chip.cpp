// The ePassport chip's command handling (see passport_chip.hpp).
#include "passport_chip.hpp"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <mutex>
#include <stdexcept>
#include <utility>

#include <eac/ca.h>
#include <eac/eac.h>
#include <eac/objects.h>
#include <eac/pace.h>
#include <openssl/buffer.h>
#include <openssl/ecdsa.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include "emrtd/apdu.hpp"
#include "emrtd/bac.hpp"
#include "emrtd/lds.hpp"
#include "emrtd/secure_messaging.hpp"
#include "emrtd/tlv.hpp"

// OpenPACE derives session keys from a shared secret without a nonce (Doc 9303 Part 11, 9.7.1: as
// PACE and Chip Authentication version 1 do) in this function, which libeac exports but leaves out
// of its headers; its CA_STEP5/6 are version 2's, with a nonce. The chip's side uses it so that
// its keys come from code other than the station's.
extern "C" int KA_CTX_derive_keys(KA_CTX* ctx, const BUF_MEM* nonce, EVP_MD_CTX* md_ctx);

namespace borderpost::test::chip {

using namespace station::emrtd;

namespace {

// id-PACE-ECDH-GM-AES-CBC-CMAC-128 as MSE:Set AT carries it in DO'80' (the OID's content bytes).
const Bytes kPaceProtocolOid{0x04, 0x00, 0x7F, 0x00, 0x07, 0x02, 0x02, 0x04, 0x02, 0x02};
// id-CA-ECDH-AES-CBC-CMAC-128 and id-CA-ECDH-3DES-CBC-CBC, likewise.
const Bytes kCaAes128Oid{0x04, 0x00, 0x7F, 0x00, 0x07, 0x02, 0x02, 0x03, 0x02, 0x02};
const Bytes kCa3DesOid{0x04, 0x00, 0x7F, 0x00, 0x07, 0x02, 0x02, 0x03, 0x02, 0x01};
constexpr int kBrainpoolP256r1ParameterId = 13;
// The most a protected short answer can carry: 0xDF bytes pad to 0xE0, plus DO'87', DO'99', DO'8E'.
constexpr std::size_t kLargestShortProtectedRead = 0xDF;

namespace sw {
constexpr std::uint16_t ok = 0x9000, end_of_file = 0x6282, verification_failed = 0x6300, wrong_length = 0x6700,
                        security_status = 0x6982, conditions_of_use = 0x6985, no_current_ef = 0x6986,
                        sm_objects_incorrect = 0x6988, wrong_data = 0x6A80, not_found = 0x6A82,
                        wrong_parameters = 0x6A86, reference_not_found = 0x6A88, offset_outside = 0x6B00,
                        unknown_instruction = 0x6D00, no_precise_diagnosis = 0x6F00;
}  // namespace sw

ResponseApdu status(std::uint16_t word) { return {{}, word}; }
ResponseApdu success(Bytes data) { return {std::move(data), sw::ok}; }

Bytes random_bytes(std::size_t count) {
  Bytes out(count);
  if (RAND_bytes(out.data(), static_cast<int>(count)) != 1) throw std::runtime_error("no randomness");
  return out;
}

struct EacFree {
  void operator()(EAC_CTX* ctx) const { EAC_CTX_clear_free(ctx); }
};
struct PaceSecretFree {
  void operator()(PACE_SEC* secret) const { PACE_SEC_clear_free(secret); }
};
struct BufFree {
  void operator()(BUF_MEM* buffer) const { BUF_MEM_free(buffer); }
};
using Buffer = std::unique_ptr<BUF_MEM, BufFree>;

Buffer to_buffer(ByteView bytes) {
  Buffer buffer(BUF_MEM_new());
  if (!buffer || !BUF_MEM_grow(buffer.get(), bytes.size())) throw std::runtime_error("BUF_MEM");
  if (!bytes.empty()) std::memcpy(buffer->data, bytes.data(), bytes.size());
  return buffer;
}

Bytes from_buffer(const BUF_MEM* buffer) {
  if (!buffer) throw std::runtime_error("OpenPACE step failed");
  const auto* data = reinterpret_cast<const std::uint8_t*>(buffer->data);
  return Bytes(data, data + buffer->length);
}

// Dynamic authentication data: 7C { tag value }.
Bytes authentication_data(std::uint32_t tag, ByteView value) { return encode_tlv(0x7C, encode_tlv(tag, value)); }

void initialise_openpace() {
  static std::once_flag once;
  std::call_once(once, [] { EAC_init(); });
}

// ECDSA over SHA-256 in the plain r || s form Active Authentication answers with (BSI TR-03111).
Bytes sign_plain_ecdsa(EVP_PKEY* key, ByteView message) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  std::size_t length = 0;
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &length, message.data(), message.size()) != 1)
    throw std::runtime_error("Active Authentication signature");
  Bytes der_signature(length);
  if (EVP_DigestSign(ctx.get(), der_signature.data(), &length, message.data(), message.size()) != 1)
    throw std::runtime_error("Active Authentication signature");
  const unsigned char* cursor = der_signature.data();
  std::unique_ptr<ECDSA_SIG, decltype(&ECDSA_SIG_free)> signature(
      d2i_ECDSA_SIG(nullptr, &cursor, static_cast<long>(length)), ECDSA_SIG_free);
  if (!signature) throw std::runtime_error("Active Authentication signature");
  const int half = (EVP_PKEY_get_bits(key) + 7) / 8;
  Bytes plain(static_cast<std::size_t>(2 * half));
  if (BN_bn2binpad(ECDSA_SIG_get0_r(signature.get()), plain.data(), half) != half ||
      BN_bn2binpad(ECDSA_SIG_get0_s(signature.get()), plain.data() + half, half) != half)
    throw std::runtime_error("Active Authentication signature");
  return plain;
}

// 3B 8n 80 01 <historical bytes> TCK, the form PC/SC gives contactless cards (Part 3, 3.1.3.2.3).
Bytes make_answer_to_reset(bool extended_length) {
  const Bytes historical{
      0x80,                                                     // compact-TLV objects follow
      0x31, 0x80,                                               // card service data: select by full DF name
      0x73, 0x90, 0x01, static_cast<std::uint8_t>(extended_length ? 0xC0 : 0x80)};  // card capabilities
  Bytes atr(4 + historical.size() + 1);
  atr[0] = 0x3B;                                                // direct convention
  atr[1] = static_cast<std::uint8_t>(0x80 | historical.size());  // T0: TD1 follows, K historical bytes
  atr[2] = 0x80;                                                // TD1: TD2 follows, T=0
  atr[3] = 0x01;                                                // TD2: T=1
  std::copy(historical.begin(), historical.end(), atr.begin() + 4);
  std::uint8_t check = 0;
  for (std::size_t i = 1; i + 1 < atr.size(); ++i) check ^= atr[i];  // TCK: T0 to TCK XOR to zero
  atr.back() = check;
  return atr;
}

bool is_application_file(std::uint16_t id) { return id != file_id::card_access; }

// A fresh key on the curve of `like` (a cloned chip's own key).
std::shared_ptr<EVP_PKEY> key_like(const std::shared_ptr<EVP_PKEY>& like) {
  if (!like) return nullptr;
  std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, like.get(), nullptr),
                                                                  EVP_PKEY_CTX_free);
  EVP_PKEY* key = nullptr;
  if (!ctx || EVP_PKEY_keygen_init(ctx.get()) != 1 || EVP_PKEY_generate(ctx.get(), &key) != 1)
    throw std::runtime_error("a cloned chip's key: " + openssl_errors());
  return std::shared_ptr<EVP_PKEY>(key, EvpKeyFree{});
}

// The key identifier in DO'84' of an MSE command, when there is one, is the chip's own.
bool key_reference_matches(ByteView data, const std::optional<long>& key_id) {
  const auto reference = find_tlv(data, 0x84);
  if (!reference) return true;
  if (!key_id || *key_id < 0 || reference->value.empty() || reference->value.size() > 8) return false;
  std::uint64_t value = 0;
  for (const auto digit : reference->value) value = value << 8 | digit;
  return value == static_cast<std::uint64_t>(*key_id);
}

}  // namespace

struct PassportChip::State {
  ChipContents contents;
  ChipBehaviour behaviour;
  KeyPair access_keys;
  std::string access_mrz_information;

  enum class Access { none, bac, pace } access = Access::none;
  bool application_selected = false;
  std::optional<std::uint16_t> selected_file;
  std::optional<SecureMessaging> session;

  Bytes rnd_ic;  // GET CHALLENGE's answer, until EXTERNAL AUTHENTICATE uses it

  enum class PaceStep { none, template_set, nonce_sent, generator_mapped, keys_agreed } pace_step = PaceStep::none;
  std::unique_ptr<EAC_CTX, EacFree> pace;
  std::unique_ptr<PACE_SEC, PaceSecretFree> pace_password;
  Bytes terminal_public_key;

  // The private keys the chip proves itself with: DG15's and DG14's, or a clone's own.
  std::shared_ptr<EVP_PKEY> active_authentication_key, chip_authentication_key;
  bool chip_authentication_template_set = false;  // MSE:Set AT chose Chip Authentication
  // The keys Chip Authentication agreed: they take over once its answer has gone out under the
  // old ones (Part 11, 9.8.2).
  std::optional<SecureMessaging> next_session;

  std::atomic<std::size_t> bytes_read{0};
  bool left_field = false;  // break_after_bytes happened already

  void end_session() {
    session.reset();
    next_session.reset();
    chip_authentication_template_set = false;
    access = Access::none;
    rnd_ic.clear();
    end_pace();
  }
  void end_pace() {
    pace.reset();
    pace_password.reset();
    pace_step = PaceStep::none;
    terminal_public_key.clear();
  }

  ResponseApdu handle(const CommandApdu& command, bool extended, bool is_protected);
  ResponseApdu select(const CommandApdu& command);
  ResponseApdu read_binary(const CommandApdu& command, bool is_protected);
  ResponseApdu get_challenge(const CommandApdu& command);
  ResponseApdu external_authenticate(const CommandApdu& command);
  ResponseApdu manage_security_environment(const CommandApdu& command);
  ResponseApdu set_authentication_template(const CommandApdu& command);
  ResponseApdu general_authenticate(const CommandApdu& command);
  ResponseApdu chip_authentication_template(const CommandApdu& command);
  ResponseApdu key_agreement_template(const CommandApdu& command);
  ResponseApdu chip_authenticate(const CommandApdu& command);
  std::optional<SecureMessaging> agree_chip_authentication_keys(ByteView terminal_point);
  ResponseApdu internal_authenticate(const CommandApdu& command);
  ResponseApdu select_file_id(std::uint16_t id, std::uint8_t p2);
};

ResponseApdu PassportChip::State::handle(const CommandApdu& command, bool extended, bool is_protected) {
  if (extended && !behaviour.extended_length) return status(sw::wrong_length);
  switch (command.ins) {
    case 0xA4: return select(command);
    case 0xB0: return read_binary(command, is_protected);
    case 0x84: return get_challenge(command);
    case 0x82: return external_authenticate(command);
    case 0x22: return manage_security_environment(command);
    case 0x86: return general_authenticate(command);
    case 0x88: return internal_authenticate(command);
    default: return status(sw::unknown_instruction);
  }
}

ResponseApdu PassportChip::State::select(const CommandApdu& command) {
  switch (command.p1) {
    case 0x04:  // by DF name: only the LDS1 application lives here
      if (command.data != kEmrtdAid) return status(sw::not_found);
      application_selected = true;
      selected_file.reset();
      return status(sw::ok);
    case 0x00:  // the master file (no data or 3F00), or a file identifier
      if (command.data.empty() || command.data == Bytes{0x3F, 0x00}) {
        application_selected = false;
        selected_file.reset();
        return status(sw::ok);
      }
      [[fallthrough]];
    case 0x02:  // an EF under the current DF
      if (command.data.size() != 2) return status(sw::wrong_length);
      return select_file_id(static_cast<std::uint16_t>(command.data[0] << 8 | command.data[1]), command.p2);
    default: return status(sw::wrong_parameters);
  }
}

ResponseApdu PassportChip::State::select_file_id(std::uint16_t id, std::uint8_t p2) {
  // EF.CardAccess is in the master file, the data groups in the application: each is found only
  // from its own directory.
  const bool here = application_selected ? is_application_file(id) : !is_application_file(id);
  const Bytes* file = contents.file(id);
  if (!here || !file) return status(sw::not_found);
  selected_file = id;
  if ((p2 & 0x0C) == 0x0C) return status(sw::ok);
  // FCP: the file's size, a transparent EF, its identifier (readers use it to size their reads).
  const Bytes size{static_cast<std::uint8_t>(file->size() >> 8), static_cast<std::uint8_t>(file->size())};
  return success(encode_tlv(0x62, concat({encode_tlv(0x80, size), encode_tlv(0x82, Bytes{0x01}),
                                          encode_tlv(0x83, Bytes{static_cast<std::uint8_t>(id >> 8), static_cast<std::uint8_t>(id)})})));
}

ResponseApdu PassportChip::State::read_binary(const CommandApdu& command, bool is_protected) {
  std::size_t offset = 0;
  if (command.p1 & 0x80) {  // short file identifier in P1, offset in P2
    const std::uint8_t sfi = command.p1 & 0x1F;
    const auto selected = select_file_id(static_cast<std::uint16_t>(0x0100 | sfi), 0x0C);
    if (!selected.ok()) return selected;
    offset = command.p2;
  } else {
    offset = static_cast<std::size_t>(command.p1 & 0x7F) << 8 | command.p2;
  }
  if (!selected_file) return status(sw::no_current_ef);
  if (is_application_file(*selected_file) && access == Access::none) return status(sw::security_status);
  if (!command.le) return status(sw::wrong_length);
  const std::size_t wanted = *command.le;
  if (!behaviour.extended_length && is_protected && wanted > kLargestShortProtectedRead) return status(sw::wrong_length);

  const Bytes& file = *contents.file(*selected_file);
  if (offset >= file.size()) return status(sw::offset_outside);
  const std::size_t count = std::min(wanted, file.size() - offset);
  bytes_read += count;
  ResponseApdu answer = success(Bytes(file.begin() + static_cast<std::ptrdiff_t>(offset),
                                      file.begin() + static_cast<std::ptrdiff_t>(offset + count)));
  // Le 00 / 0000 asks for whatever there is; a definite Le past the end gets the rest and a warning.
  const bool asked_for_all = wanted == 256 || wanted == 65536;
  if (count < wanted && !asked_for_all) answer.sw = sw::end_of_file;
  return answer;
}

ResponseApdu PassportChip::State::get_challenge(const CommandApdu& command) {
  if (command.p1 != 0 || command.p2 != 0) return status(sw::wrong_parameters);
  if (command.le != std::size_t{8}) return status(sw::wrong_length);
  rnd_ic = random_bytes(8);
  return success(rnd_ic);
}

ResponseApdu PassportChip::State::external_authenticate(const CommandApdu& command) {
  if (!behaviour.bac || rnd_ic.empty()) return status(sw::conditions_of_use);
  if (command.data.size() != 40) return status(sw::wrong_length);
  const Bytes challenge = std::exchange(rnd_ic, {});  // one try per challenge
  try {
    auto chip_answer = bac_chip_answer(access_keys, command.data, challenge, random_bytes(16));
    session.emplace(SecureMessaging::des(chip_answer.session));
    access = Access::bac;
    return success(std::move(chip_answer.answer));
  } catch (const std::runtime_error&) {
    return status(sw::verification_failed);
  }
}

ResponseApdu PassportChip::State::manage_security_environment(const CommandApdu& command) {
  switch (command.p1 << 8 | command.p2) {
    case 0xC1A4: return set_authentication_template(command);   // PACE
    case 0x41A4: return chip_authentication_template(command);  // Chip Authentication with AES (or 3DES)
    case 0x41A6: return key_agreement_template(command);        // Chip Authentication with 3DES
    default: return status(sw::wrong_parameters);
  }
}

ResponseApdu PassportChip::State::set_authentication_template(const CommandApdu& command) {
  if (command.p1 != 0xC1 || command.p2 != 0xA4) return status(sw::wrong_parameters);
  if (!behaviour.pace || !contents.file(file_id::card_access)) return status(sw::wrong_data);
  end_pace();
  try {
    const auto protocol = find_tlv(command.data, 0x80);
    const auto password = find_tlv(command.data, 0x83);
    if (!protocol || !password) return status(sw::wrong_data);
    if (!std::equal(protocol->value.begin(), protocol->value.end(), kPaceProtocolOid.begin(), kPaceProtocolOid.end()))
      return status(sw::wrong_data);
    if (password->value.size() != 1 || password->value[0] != 0x01) return status(sw::reference_not_found);  // MRZ only
  } catch (const FormatError&) {
    return status(sw::wrong_data);
  }
  initialise_openpace();
  pace.reset(EAC_CTX_new());
  if (!pace || EAC_CTX_init_pace(pace.get(), NID_id_PACE_ECDH_GM_AES_CBC_CMAC_128, kBrainpoolP256r1ParameterId) != 1)
    throw std::runtime_error("OpenPACE cannot set up PACE");
  // The MRZ password is SHA-1 of the MRZ information (Part 11, 9.7.3), handed over as a raw secret.
  std::uint8_t digest[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(access_mrz_information.data()), access_mrz_information.size(), digest);
  pace_password.reset(PACE_SEC_new(reinterpret_cast<const char*>(digest), sizeof digest, PACE_RAW));
  if (!pace_password) throw std::runtime_error("OpenPACE cannot hold the password");
  pace_step = PaceStep::template_set;
  return status(sw::ok);
}

ResponseApdu PassportChip::State::general_authenticate(const CommandApdu& command) {
  if (command.p1 != 0 || command.p2 != 0) return status(sw::wrong_parameters);
  if (chip_authentication_template_set) return chip_authenticate(command);
  if (pace_step == PaceStep::none) return status(sw::conditions_of_use);
  std::optional<Tlv> inner;
  try {
    const Tlv outer = read_tlv(command.data);
    if (outer.tag != 0x7C || outer.size != command.data.size()) return status(sw::wrong_data);
    if (!outer.value.empty()) inner = read_tlv(outer.value);
  } catch (const FormatError&) {
    end_pace();
    return status(sw::wrong_data);
  }
  auto expect = [&inner](std::uint32_t tag) { return inner && inner->tag == tag; };
  EAC_CTX* ctx = pace.get();

  switch (pace_step) {
    case PaceStep::template_set: {  // step 1: the encrypted nonce
      if (inner) break;
      const Buffer nonce(PACE_STEP1_enc_nonce(ctx, pace_password.get()));
      pace_step = PaceStep::nonce_sent;
      return success(authentication_data(0x80, from_buffer(nonce.get())));
    }
    case PaceStep::nonce_sent: {  // step 2: generic mapping
      if (!expect(0x81)) break;
      const Buffer chip_mapping(PACE_STEP3A_generate_mapping_data(ctx));
      const Buffer terminal_mapping = to_buffer(inner->value);
      if (!chip_mapping || PACE_STEP3A_map_generator(ctx, terminal_mapping.get()) != 1) break;
      pace_step = PaceStep::generator_mapped;
      return success(authentication_data(0x82, from_buffer(chip_mapping.get())));
    }
    case PaceStep::generator_mapped: {  // step 3: key agreement on the mapped generator
      if (!expect(0x83)) break;
      const Buffer chip_key(PACE_STEP3B_generate_ephemeral_key(ctx));
      if (!chip_key) break;
      const Bytes chip_public_key = from_buffer(chip_key.get());
      terminal_public_key.assign(inner->value.begin(), inner->value.end());
      if (terminal_public_key == chip_public_key) break;  // Part 11, 4.4.3.3.3: the keys must differ
      const Buffer terminal_key = to_buffer(terminal_public_key);
      if (PACE_STEP3B_compute_shared_secret(ctx, terminal_key.get()) != 1 || PACE_STEP3C_derive_keys(ctx) != 1) break;
      pace_step = PaceStep::keys_agreed;
      return success(authentication_data(0x84, chip_public_key));
    }
    case PaceStep::keys_agreed: {  // step 4: the tokens; a wrong password shows here
      if (!expect(0x85)) break;
      const Buffer terminal_token = to_buffer(inner->value);
      if (PACE_STEP3D_verify_authentication_token(ctx, terminal_token.get()) != 1) {
        end_pace();
        return status(sw::verification_failed);
      }
      const Buffer terminal_key = to_buffer(terminal_public_key);
      const Buffer chip_token(PACE_STEP3D_compute_authentication_token(ctx, terminal_key.get()));
      if (!chip_token) break;
      const KA_CTX* keys = ctx->pace_ctx->ka_ctx;
      session.emplace(SecureMessaging::aes(from_buffer(keys->k_enc), from_buffer(keys->k_mac)));
      access = Access::pace;
      Bytes answer = authentication_data(0x86, from_buffer(chip_token.get()));
      end_pace();
      return success(std::move(answer));
    }
    case PaceStep::none: break;
  }
  end_pace();
  return status(sw::wrong_data);
}

ResponseApdu PassportChip::State::chip_authentication_template(const CommandApdu& command) {
  chip_authentication_template_set = false;
  if (!chip_authentication_key) return status(sw::wrong_data);
  if (access == Access::none) return status(sw::security_status);
  try {
    const auto protocol = find_tlv(command.data, 0x80);
    const Bytes& ours = contents.chip_authentication_cipher == ChipAuthenticationCipher::Aes128 ? kCaAes128Oid : kCa3DesOid;
    if (!protocol || !std::equal(protocol->value.begin(), protocol->value.end(), ours.begin(), ours.end()))
      return status(sw::wrong_data);
    if (!key_reference_matches(command.data, contents.chip_authentication_key_id)) return status(sw::reference_not_found);
  } catch (const FormatError&) {
    return status(sw::wrong_data);
  }
  chip_authentication_template_set = true;
  return status(sw::ok);
}

ResponseApdu PassportChip::State::key_agreement_template(const CommandApdu& command) {
  // MSE:Set KAT is 3DES's (Part 11, 6.2.4.1).
  if (!chip_authentication_key || contents.chip_authentication_cipher != ChipAuthenticationCipher::Des3)
    return status(sw::wrong_data);
  if (!behaviour.mse_set_kat) return status(sw::wrong_parameters);
  if (access == Access::none) return status(sw::security_status);
  try {
    const auto terminal_key = find_tlv(command.data, 0x91);
    if (!terminal_key) return status(sw::wrong_data);
    if (!key_reference_matches(command.data, contents.chip_authentication_key_id)) return status(sw::reference_not_found);
    next_session = agree_chip_authentication_keys(terminal_key->value);
  } catch (const FormatError&) {
    return status(sw::wrong_data);
  }
  return status(next_session ? sw::ok : sw::wrong_data);
}

ResponseApdu PassportChip::State::chip_authenticate(const CommandApdu& command) {
  chip_authentication_template_set = false;
  try {
    const Tlv outer = read_tlv(command.data);
    if (outer.tag != 0x7C || outer.size != command.data.size()) return status(sw::wrong_data);
    const auto terminal_key = find_tlv(outer.value, 0x80);
    if (!terminal_key) return status(sw::wrong_data);
    next_session = agree_chip_authentication_keys(terminal_key->value);
  } catch (const FormatError&) {
    return status(sw::wrong_data);
  }
  if (!next_session) return status(sw::wrong_data);
  return success(encode_tlv(0x7C, Bytes{}));  // version 1 has nothing to send back
}

// ECDH of the chip's static key with the terminal's ephemeral one, and KDF(K, 1) and KDF(K, 2),
// all by OpenPACE; nothing when the terminal's key is not a point of the curve.
std::optional<SecureMessaging> PassportChip::State::agree_chip_authentication_keys(ByteView terminal_point) {
  initialise_openpace();
  const bool aes = contents.chip_authentication_cipher == ChipAuthenticationCipher::Aes128;
  std::unique_ptr<EAC_CTX, EacFree> ctx(EAC_CTX_new());
  // The standardized parameters EAC_CTX_init_ca starts from give way to the chip's own key at once.
  if (!ctx || EAC_CTX_init_ca(ctx.get(), aes ? NID_id_CA_ECDH_AES_CBC_CMAC_128 : NID_id_CA_ECDH_3DES_CBC_CBC,
                              kBrainpoolP256r1ParameterId) != 1)
    throw std::runtime_error("OpenPACE cannot set up Chip Authentication");
  unsigned char* der = nullptr;
  const int der_length = i2d_PrivateKey(chip_authentication_key.get(), &der);
  if (der_length <= 0) throw std::runtime_error("the Chip Authentication key does not encode");
  const int set = CA_set_key(ctx.get(), der, static_cast<std::size_t>(der_length), nullptr, 0);
  OPENSSL_clear_free(der, static_cast<std::size_t>(der_length));
  if (set != 1) throw std::runtime_error("OpenPACE does not take the Chip Authentication key");
  const Buffer terminal_key = to_buffer(terminal_point);
  if (CA_STEP4_compute_shared_secret(ctx.get(), terminal_key.get()) != 1) {
    ERR_clear_error();
    return std::nullopt;
  }
  KA_CTX* keys = ctx->ca_ctx->ka_ctx;
  if (KA_CTX_derive_keys(keys, nullptr, ctx->md_ctx) != 1) throw std::runtime_error("OpenPACE cannot derive the session keys");
  const Bytes enc = from_buffer(keys->k_enc), mac = from_buffer(keys->k_mac);
  if (aes) return SecureMessaging::aes(enc, mac);
  SessionKeys session_keys{};  // the counter starts at zero (Part 11, 9.8.6.3)
  if (enc.size() != session_keys.keys.enc.size() || mac.size() != session_keys.keys.mac.size())
    throw std::runtime_error("OpenPACE's 3DES keys are not 16 bytes");
  std::copy(enc.begin(), enc.end(), session_keys.keys.enc.begin());
  std::copy(mac.begin(), mac.end(), session_keys.keys.mac.begin());
  return SecureMessaging::des(session_keys);
}

ResponseApdu PassportChip::State::internal_authenticate(const CommandApdu& command) {
  if (!active_authentication_key) return status(sw::unknown_instruction);
  if (access == Access::none) return status(sw::security_status);
  if (command.p1 != 0 || command.p2 != 0) return status(sw::wrong_parameters);
  if (command.data.size() != 8) return status(sw::wrong_length);
  return success(sign_plain_ecdsa(active_authentication_key.get(), command.data));
}

PassportChip::PassportChip(ChipContents contents, ChipBehaviour behaviour) : state_(std::make_unique<State>()) {
  state_->contents = std::move(contents);
  state_->behaviour = std::move(behaviour);
  state_->access_mrz_information = state_->behaviour.access_mrz_information.value_or(state_->contents.mrz_information);
  state_->access_keys = basic_access_keys(state_->access_mrz_information);
  const bool cloned = state_->behaviour.cloned;
  const auto& files = state_->contents;
  state_->active_authentication_key = cloned ? key_like(files.active_authentication_key) : files.active_authentication_key;
  state_->chip_authentication_key = cloned ? key_like(files.chip_authentication_key) : files.chip_authentication_key;
}

PassportChip::~PassportChip() = default;
PassportChip::PassportChip(PassportChip&&) noexcept = default;
PassportChip& PassportChip::operator=(PassportChip&&) noexcept = default;

Bytes PassportChip::answer_to_reset() const { return make_answer_to_reset(state_->behaviour.extended_length); }

void PassportChip::reset() {
  state_->end_session();
  state_->application_selected = false;
  state_->selected_file.reset();
}

Bytes PassportChip::respond(ByteView raw) {
  auto& state = *state_;
  auto encode = [](const ResponseApdu& answer) {
    Bytes out = answer.data;
    out.push_back(static_cast<std::uint8_t>(answer.sw >> 8));
    out.push_back(static_cast<std::uint8_t>(answer.sw));
    return out;
  };
  try {
    const CommandApdu command = CommandApdu::parse(raw);
    const bool extended = raw.size() > 5 && raw[4] == 0x00;  // a zero byte where a short Lc would be
    if ((command.cla & 0x0C) != 0x0C) {
      // A plain command ends secure messaging (Part 11, 9.8.6): the reader must start over.
      if (state.session) state.end_session();
      return encode(state.handle(command, extended, false));
    }
    if (!state.session) return encode(status(sw::sm_objects_incorrect));
    CommandApdu plain;
    try {
      plain = state.session->unprotect_command(command);
    } catch (const std::exception&) {
      state.end_session();  // a wrong MAC: answered plainly, and the session is over
      return encode(status(sw::sm_objects_incorrect));
    }
    const bool plain_extended = extended || (plain.le && *plain.le > 256) || plain.data.size() > 255;
    const ResponseApdu answer = state.handle(plain, plain_extended, true);
    if (!state.session) return encode(answer);  // the command itself ended the session
    const ResponseApdu protected_answer = state.session->protect_response(answer);
    if (state.next_session) {  // Chip Authentication: its answer went under the old keys
      state.session = std::move(state.next_session);
      state.next_session.reset();
    }
    return encode(protected_answer);
  } catch (const FormatError&) {
    return encode(status(sw::wrong_length));
  } catch (const std::exception&) {
    state.end_session();
    return encode(status(sw::no_precise_diagnosis));
  }
}

std::size_t PassportChip::bytes_read() const { return state_->bytes_read; }

bool PassportChip::leave_field_now() {
  auto& state = *state_;
  if (state.left_field || !state.behaviour.break_after_bytes || state.bytes_read < *state.behaviour.break_after_bytes)
    return false;
  state.left_field = true;
  return true;
}

const ChipContents& PassportChip::contents() const { return state_->contents; }
const ChipBehaviour& PassportChip::behaviour() const { return state_->behaviour; }

}  // namespace borderpost::test::chip
