// PACE through OpenPACE (see pace.hpp).
#include "emrtd/pace.hpp"

#include <eac/eac.h>
#include <eac/objects.h>
#include <eac/pace.h>
#include <openssl/buffer.h>
#include <openssl/objects.h>
#include <openssl/sha.h>

#include <mutex>

#include "emrtd/tlv.hpp"

namespace borderpost::station::emrtd {

namespace {

struct BufferFree {
  void operator()(BUF_MEM* b) const { BUF_MEM_clear_free(b); }
};
using Buffer = std::unique_ptr<BUF_MEM, BufferFree>;

Buffer buffer_of(ByteView bytes) {
  Buffer b(BUF_MEM_new());
  if (!b || !BUF_MEM_grow(b.get(), bytes.size())) throw std::bad_alloc();
  std::copy(bytes.begin(), bytes.end(), reinterpret_cast<std::uint8_t*>(b->data));
  return b;
}

Bytes bytes_of(const BUF_MEM* b) {
  if (!b) return {};
  const auto* p = reinterpret_cast<const std::uint8_t*>(b->data);
  return Bytes(p, p + b->length);
}

Bytes require(BUF_MEM* made, const char* step) {
  const Buffer owned(made);
  if (!owned) throw PaceError(std::string("PACE failed at ") + step);
  return bytes_of(owned.get());
}

// The value of the chip's dynamic authentication data object `tag` inside 7C.
Bytes answer_object(ByteView answer, std::uint32_t tag, const char* step) {
  const Tlv outer = read_tlv(answer);
  if (outer.tag != 0x7C) throw FormatError(std::string("the chip's PACE answer to ") + step + " is not dynamic authentication data");
  const auto inner = find_tlv(outer.value, tag);
  if (!inner) throw FormatError(std::string("the chip's PACE answer to ") + step + " lacks its data object");
  return Bytes(inner->value.begin(), inner->value.end());
}

CommandApdu general_authenticate(std::uint32_t tag, ByteView value, bool last) {
  const Bytes inner = tag ? encode_tlv(tag, value) : Bytes{};
  return CommandApdu{static_cast<std::uint8_t>(last ? 0x00 : 0x10), 0x86, 0x00, 0x00, encode_tlv(0x7C, inner), 256};
}

}  // namespace

struct PaceTerminal::Context {
  EAC_CTX* eac = nullptr;
  ~Context() { EAC_CTX_clear_free(eac); }
};

PaceTerminal::PaceTerminal(ByteView card_access) : context_(std::make_unique<Context>()) {
  static std::once_flag initialised;
  std::call_once(initialised, [] { EAC_init(); });
  read_tlvs(card_access);  // bounds first: OpenPACE parses what we have checked is whole TLVs
  context_->eac = EAC_CTX_new();
  if (!context_->eac) throw std::bad_alloc();
  if (EAC_CTX_init_ef_cardaccess(card_access.data(), card_access.size(), context_->eac) != 1 || !context_->eac->pace_ctx)
    throw PaceError("EF.CardAccess offers no PACE protocol this terminal supports");
}

PaceTerminal::~PaceTerminal() = default;

std::string PaceTerminal::protocol_name() const {
  const char* name = OBJ_nid2sn(context_->eac->pace_ctx->protocol);
  return name ? name : "unknown";
}

int PaceTerminal::parameter_id() const { return context_->eac->pace_ctx->id; }

CommandApdu PaceTerminal::set_authentication_template() const {
  const ASN1_OBJECT* oid = OBJ_nid2obj(context_->eac->pace_ctx->protocol);
  if (!oid) throw PaceError("the PACE protocol has no object identifier");
  const int length = i2d_ASN1_OBJECT(oid, nullptr);
  Bytes der(static_cast<std::size_t>(std::max(length, 0)));
  unsigned char* out = der.data();
  if (length <= 2 || i2d_ASN1_OBJECT(oid, &out) != length) throw PaceError("the PACE protocol identifier does not encode");
  const Tlv encoded = read_tlv(der);
  const Bytes data = concat({encode_tlv(0x80, encoded.value), encode_tlv(0x83, Bytes{0x01})});
  return CommandApdu{0x00, 0x22, 0xC1, 0xA4, data, std::nullopt};
}

CommandApdu PaceTerminal::request_nonce() const { return general_authenticate(0, {}, false); }

CommandApdu PaceTerminal::map_nonce(ByteView nonce_answer, std::string_view mrz_information) {
  const Bytes encrypted = answer_object(nonce_answer, 0x80, "the nonce request");
  std::uint8_t k[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(mrz_information.data()), mrz_information.size(), k);
  std::unique_ptr<PACE_SEC, decltype(&PACE_SEC_clear_free)> password(
      PACE_SEC_new(reinterpret_cast<const char*>(k), sizeof k, PACE_RAW), PACE_SEC_clear_free);
  if (!password) throw std::bad_alloc();
  const Buffer nonce = buffer_of(encrypted);
  if (PACE_STEP2_dec_nonce(context_->eac, password.get(), nonce.get()) != 1) throw PaceError("the chip's PACE nonce does not decrypt");
  const Bytes mapping = require(PACE_STEP3A_generate_mapping_data(context_->eac), "the mapping data");
  return general_authenticate(0x81, mapping, false);
}

CommandApdu PaceTerminal::agree_key(ByteView mapping_answer) {
  const Buffer chip_mapping = buffer_of(answer_object(mapping_answer, 0x82, "the mapping"));
  if (PACE_STEP3A_map_generator(context_->eac, chip_mapping.get()) != 1) throw PaceError("the chip's PACE mapping data is not valid");
  const Bytes key = require(PACE_STEP3B_generate_ephemeral_key(context_->eac), "the ephemeral key");
  return general_authenticate(0x83, key, false);
}

CommandApdu PaceTerminal::authenticate(ByteView key_answer) {
  chip_key_ = answer_object(key_answer, 0x84, "the key agreement");
  const Buffer chip_key = buffer_of(chip_key_);
  if (PACE_STEP3B_compute_shared_secret(context_->eac, chip_key.get()) != 1)
    throw PaceError("the chip's PACE ephemeral key is not valid (or equals the terminal's)");
  if (PACE_STEP3C_derive_keys(context_->eac) != 1) throw PaceError("PACE failed at deriving the session keys");
  return general_authenticate(0x85, token_for(chip_key_), true);
}

SecureMessaging PaceTerminal::finish(ByteView token_answer) {
  const Buffer token = buffer_of(answer_object(token_answer, 0x86, "the terminal's token"));
  if (PACE_STEP3D_verify_authentication_token(context_->eac, token.get()) != 1)
    throw PaceError("the chip's PACE authentication token does not verify: the MRZ keys are not the chip's");
  const Bytes enc = session_key_enc(), mac = session_key_mac();
  if (context_->eac->pace_ctx->ka_ctx->cipher == EVP_des_ede_cbc())
    throw PaceError("PACE with 3DES session keys is not supported; the chip also offers BAC for that");
  return SecureMessaging::aes(enc, mac);
}

Bytes PaceTerminal::decrypted_nonce() const { return bytes_of(context_->eac->pace_ctx->nonce); }

void PaceTerminal::derive_keys_from(ByteView shared_secret) {
  KA_CTX* ka = context_->eac->pace_ctx->ka_ctx;
  // Without the mapping step the key agreement has no group yet; the tokens encode keys of this one.
  if ((!ka->key || EVP_PKEY_base_id(ka->key) == EVP_PKEY_NONE) && context_->eac->pace_ctx->static_key) {
    EVP_PKEY_free(ka->key);
    EVP_PKEY_up_ref(context_->eac->pace_ctx->static_key);
    ka->key = context_->eac->pace_ctx->static_key;
  }
  BUF_MEM_clear_free(ka->shared_secret);
  ka->shared_secret = buffer_of(shared_secret).release();
  if (PACE_STEP3C_derive_keys(context_->eac) != 1) throw PaceError("PACE failed at deriving the session keys");
}

Bytes PaceTerminal::token_for(ByteView public_key) const {
  const Buffer key = buffer_of(public_key);
  return require(PACE_STEP3D_compute_authentication_token(context_->eac, key.get()), "the authentication token");
}

Bytes PaceTerminal::session_key_enc() const { return bytes_of(context_->eac->pace_ctx->ka_ctx->k_enc); }
Bytes PaceTerminal::session_key_mac() const { return bytes_of(context_->eac->pace_ctx->ka_ctx->k_mac); }

PaceSession run_pace(const PlainExchange& exchange, ByteView card_access, std::string_view mrz_information) {
  PaceTerminal terminal(card_access);
  const auto step = [&](const CommandApdu& command, const char* what) {
    const ResponseApdu answer = exchange(command);
    if (!answer.ok()) throw PaceError(std::string("the chip refused ") + what + ": " + describe_status(answer.sw));
    return answer.data;
  };
  step(terminal.set_authentication_template(), "PACE (MSE:Set AT)");
  const Bytes nonce = step(terminal.request_nonce(), "the PACE nonce request");
  const Bytes mapping = step(terminal.map_nonce(nonce, mrz_information), "the PACE mapping");
  const Bytes key = step(terminal.agree_key(mapping), "the PACE key agreement");
  const ResponseApdu token = exchange(terminal.authenticate(key));
  if (token.sw == 0x6300 || (token.sw & 0xFFF0) == 0x63C0)
    throw PaceError("the chip refused the terminal's PACE token: the MRZ keys are not the chip's");
  if (!token.ok()) throw PaceError("the chip refused the PACE mutual authentication: " + describe_status(token.sw));
  return PaceSession{terminal.finish(token.data), terminal.protocol_name()};
}

}  // namespace borderpost::station::emrtd
