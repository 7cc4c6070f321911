// The whole chip read (see read_chip.hpp).
#include "emrtd/read_chip.hpp"

#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/x509.h>

#include <algorithm>

#include "openssl_util.hpp"
#include "emrtd/chip_auth.hpp"
#include "emrtd/trust_store.hpp"

namespace borderpost::station::emrtd {

namespace {

constexpr std::size_t kShortSignatureRoom = 0xDF;  // what a short protected answer can carry

using Clock = std::chrono::steady_clock;

double since(Clock::time_point start) { return std::chrono::duration<double, std::milli>(Clock::now() - start).count(); }

using Key = std::unique_ptr<EVP_PKEY, ossl::Deleter<EVP_PKEY_free>>;
using KeyContext = std::unique_ptr<EVP_PKEY_CTX, ossl::Deleter<EVP_PKEY_CTX_free>>;

Bytes sha(const EVP_MD* md, ByteView data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(data.data(), data.size(), digest, &length, md, nullptr);
  return Bytes(digest, digest + length);
}

// ECDSA: the plain r || s of BSI TR-03111, over SHA-256 of the challenge (or SHA-1/384/512 by size).
bool ecdsa_valid(EVP_PKEY* key, ByteView challenge, ByteView signature, std::string& detail) {
  if (signature.empty() || signature.size() % 2 != 0) return detail = "the signature is not r || s", false;
  const std::size_t half = signature.size() / 2;
  std::unique_ptr<ECDSA_SIG, ossl::Deleter<ECDSA_SIG_free>> sig(ECDSA_SIG_new());
  BIGNUM* r = BN_bin2bn(signature.data(), static_cast<int>(half), nullptr);
  BIGNUM* s = BN_bin2bn(signature.data() + half, static_cast<int>(half), nullptr);
  if (!sig || !r || !s || ECDSA_SIG_set0(sig.get(), r, s) != 1) {
    BN_free(r);
    BN_free(s);
    return detail = "the signature cannot be read", false;
  }
  const int der_length = i2d_ECDSA_SIG(sig.get(), nullptr);
  Bytes der(static_cast<std::size_t>(std::max(der_length, 0)));
  unsigned char* out = der.data();
  if (der_length <= 0 || i2d_ECDSA_SIG(sig.get(), &out) != der_length) return detail = "the signature cannot be encoded", false;
  const EVP_MD* md = half <= 32 ? EVP_sha256() : half <= 48 ? EVP_sha384() : EVP_sha512();
  const Bytes digest = sha(md, challenge);
  KeyContext context(EVP_PKEY_CTX_new(key, nullptr));
  const bool ok = context && EVP_PKEY_verify_init(context.get()) == 1 &&
                  EVP_PKEY_verify(context.get(), der.data(), der.size(), digest.data(), digest.size()) == 1;
  ERR_clear_error();
  detail = ok ? "ECDSA signature over the challenge verifies" : "the ECDSA signature over the challenge does not verify";
  return ok;
}

// RSA: ISO/IEC 9796-2 scheme 1 with message recovery; the hash is over M1 || challenge.
bool rsa_valid(EVP_PKEY* key, ByteView challenge, ByteView signature, std::string& detail) {
  KeyContext context(EVP_PKEY_CTX_new(key, nullptr));
  Bytes recovered(static_cast<std::size_t>(EVP_PKEY_get_size(key)));
  std::size_t length = recovered.size();
  if (!context || EVP_PKEY_verify_recover_init(context.get()) != 1 || EVP_PKEY_CTX_set_rsa_padding(context.get(), RSA_NO_PADDING) != 1 ||
      EVP_PKEY_verify_recover(context.get(), recovered.data(), &length, signature.data(), signature.size()) != 1) {
    ERR_clear_error();
    return detail = "the RSA signature cannot be opened with the DG15 key", false;
  }
  recovered.resize(length);
  if (recovered.size() < 22 || (recovered.front() & 0xC0) != 0x40) return detail = "the recovered message has no ISO/IEC 9796-2 header", false;
  const EVP_MD* md = nullptr;
  std::size_t trailer = 1;
  if (recovered.back() == 0xBC) md = EVP_sha1();
  else if (recovered.size() >= 2 && recovered.back() == 0xCC) {
    trailer = 2;
    switch (recovered[recovered.size() - 2]) {
      case 0x33: md = EVP_sha1(); break;
      case 0x34: md = EVP_sha256(); break;
      case 0x35: md = EVP_sha512(); break;
      case 0x36: md = EVP_sha384(); break;
      case 0x38: md = EVP_sha224(); break;
      default: break;
    }
  }
  if (!md) return detail = "the recovered message names no hash algorithm this station knows", false;
  const std::size_t hash_size = static_cast<std::size_t>(EVP_MD_get_size(md));
  if (recovered.size() < 1 + hash_size + trailer) return detail = "the recovered message is too short", false;
  const ByteView m1(recovered.data() + 1, recovered.size() - 1 - hash_size - trailer);
  const ByteView hash(recovered.data() + 1 + m1.size(), hash_size);
  const Bytes expected = sha(md, concat({m1, challenge}));
  const bool ok = std::equal(expected.begin(), expected.end(), hash.begin());
  detail = ok ? "RSA (ISO/IEC 9796-2) signature over the challenge verifies" : "the RSA signature's hash does not match the challenge";
  return ok;
}

// Chip Authentication with DG14's first offer the station runs, timed as a step of its own; its
// failure is the chip's verdict, not the read's: what was read stays, the outcome stays.
void authenticate_chip(ChipSession& session, ByteView dg14, ChipReport& report) {
  using ChipAuth = ChipReport::ChipAuth;
  std::vector<ChipAuthenticationOffer> offers;
  try {
    offers = chip_authentication_offers(dg14);
  } catch (const FormatError& e) {
    report.chip_auth = ChipAuth::not_run;
    report.chip_auth_detail = std::string("DG14 is malformed: ") + e.what();
    return;
  }
  if (offers.empty()) return;  // DG14 is there for PACE or Active Authentication only
  if (!offers.front().unsupported.empty()) {
    report.chip_auth = ChipAuth::not_run;
    report.chip_auth_detail = offers.front().unsupported;
    return;
  }
  if (report.outcome != ChipReport::Outcome::read) {
    report.chip_auth = ChipAuth::not_run;
    report.chip_auth_detail = "the read broke off before Chip Authentication";
    return;
  }
  const auto start = Clock::now();
  report.chip_auth = ChipAuth::failed;
  try {
    report.chip_auth_detail = run_chip_authentication(session, offers.front());
    report.chip_auth = ChipAuth::valid;
    if (report.passive) {
      for (const auto& hash : report.passive->hashes)
        if (hash.data_group == 14 && hash.state == PassiveAuthentication::GroupHash::State::differs)
          report.chip_auth_detail += "; but DG14's hash does not match EF.SOD, so its key is not the issuer's";
    }
  } catch (const ChipAuthenticationError& e) {
    report.chip_auth_detail = e.what();
  } catch (const FormatError& e) {
    report.chip_auth_detail = std::string("a malformed Chip Authentication: ") + e.what();
  } catch (const SecureMessagingError& e) {
    report.chip_auth_detail = std::string("secure messaging broke during Chip Authentication: ") + e.what();
  } catch (const std::runtime_error& e) {  // the transport: the card taken away
    report.chip_auth_detail = std::string("the chip stopped answering during Chip Authentication: ") + e.what();
  }
  report.steps.push_back({"chip authentication", since(start)});
}

}  // namespace

bool active_authentication_valid(ByteView dg15_key, ByteView challenge, ByteView signature, std::string& detail) {
  const unsigned char* p = dg15_key.data();
  Key key(d2i_PUBKEY(nullptr, &p, static_cast<long>(dg15_key.size())));
  if (!key) {
    ERR_clear_error();
    detail = "DG15's public key does not parse";
    return false;
  }
  if (EVP_PKEY_base_id(key.get()) == EVP_PKEY_EC) return ecdsa_valid(key.get(), challenge, signature, detail);
  if (EVP_PKEY_base_id(key.get()) == EVP_PKEY_RSA) return rsa_valid(key.get(), challenge, signature, detail);
  detail = "DG15 holds a key type Active Authentication does not use";
  return false;
}

ChipReport read_chip(const RawTransmit& transmit, std::string_view mrz_information, const TrustStore& trust,
                     const ChipReadOptions& options) {
  ChipReport report;
  ChipSession session(transmit);
  const auto timed = [&](const std::string& name, auto&& work) {
    const auto start = Clock::now();
    work();
    report.steps.push_back({name, since(start)});
  };
  const auto read_group = [&](int number) {
    const auto file = *data_group(number);
    timed(file.name, [&] {
      if (auto content = session.read_file(file.file_id)) report.groups[number] = std::move(*content);
    });
  };
  try {
    try {
      timed("access", [&] { report.access = session.open(mrz_information, options.try_pace); });
    } catch (const AccessError& e) {
      report.outcome = ChipReport::Outcome::access_denied;
      report.error = e.what();
      report.commands = session.commands_sent();
      return report;
    }
    timed("EF.COM", [&] {
      if (const auto com = session.read_file(ef_com().file_id)) report.com = parse_ef_com(*com);
    });
    std::vector<int> wanted{1, 2, 11, 12, 14, 15};
    if (report.com) {
      std::erase_if(wanted, [&](int n) { return std::find(report.com->data_groups.begin(), report.com->data_groups.end(), n) == report.com->data_groups.end(); });
      if (std::find(wanted.begin(), wanted.end(), 1) == wanted.end()) wanted.insert(wanted.begin(), 1);
    }
    for (const int number : wanted) read_group(number);
    timed("EF.SOD", [&] {
      if (auto sod = session.read_file(ef_sod().file_id)) report.sod = std::move(*sod);
    });
    // Active Authentication: a fresh challenge signed by the chip's private key.
    if (const auto dg15 = report.groups.find(15); dg15 != report.groups.end()) {
      timed("active authentication", [&] {
        Bytes challenge(8);
        RAND_bytes(challenge.data(), 8);
        // Up to 256 bytes of signature need an extended protected APDU; a chip that takes short
        // ones only answers in one short protected APDU, room for 223 plain bytes (ECDSA, RSA-1024).
        const std::size_t signature_room = session.extended_reads() ? 256 : kShortSignatureRoom;
        const auto answer = session.exchange(CommandApdu{0x00, 0x88, 0x00, 0x00, challenge, signature_room});
        if (!answer.ok()) {
          report.active_auth = ChipReport::ActiveAuth::failed;
          report.active_auth_detail = "the chip refused INTERNAL AUTHENTICATE: " + describe_status(answer.sw);
          return;
        }
        const bool valid = active_authentication_valid(parse_dg15(dg15->second), challenge, answer.data, report.active_auth_detail);
        report.active_auth = valid ? ChipReport::ActiveAuth::valid : ChipReport::ActiveAuth::invalid;
      });
    }
  } catch (const FormatError& e) {
    report.outcome = ChipReport::Outcome::broken_off;
    report.error = std::string("the chip's data is malformed: ") + e.what();
  } catch (const SecureMessagingError& e) {
    report.outcome = ChipReport::Outcome::broken_off;
    report.error = std::string("secure messaging with the chip failed: ") + e.what();
  } catch (const std::runtime_error& e) {  // the transport: the card taken away mid-read
    report.outcome = ChipReport::Outcome::broken_off;
    report.error = e.what();
  }
  report.commands = session.commands_sent();
  report.extended_reads = session.extended_reads();

  // What was read is parsed and verified even when the read broke off later.
  try {
    if (const auto dg1 = report.groups.find(1); dg1 != report.groups.end()) report.dg1_mrz = parse_dg1(dg1->second);
    if (const auto dg2 = report.groups.find(2); dg2 != report.groups.end()) report.faces = parse_dg2(dg2->second);
    if (const auto dg11 = report.groups.find(11); dg11 != report.groups.end()) report.dg11 = parse_dg11(dg11->second);
    if (const auto dg12 = report.groups.find(12); dg12 != report.groups.end()) report.dg12 = parse_dg12(dg12->second);
  } catch (const FormatError& e) {
    if (report.error.empty()) report.error = std::string("a data group is malformed: ") + e.what();
  }
  if (report.sod.empty()) {
    report.passive_error = report.outcome == ChipReport::Outcome::read ? "the chip has no EF.SOD" : "EF.SOD was not read";
  } else {
    timed("passive authentication", [&] {
      try {
        report.security_object = parse_security_object(report.sod);
        report.passive = passive_authentication(*report.security_object, report.sod, report.groups, trust, options.now);
      } catch (const FormatError& e) {
        report.passive_error = std::string("EF.SOD is malformed: ") + e.what();
      }
    });
  }
  // Chip Authentication after passive authentication, which vouches for DG14's key (Part 11,
  // 6.2.2). Doc 9303 leaves the terminal free to run either proof of a genuine chip or both, and
  // BSI TR-03110 prefers Chip Authentication (an Active Authentication signature over a challenge
  // is transferable, Appendix C). The station still runs Active Authentication above when DG15 is
  // there: its challenge is random and means nothing, and the two results are independent
  // evidence, reported side by side.
  if (const auto dg14 = report.groups.find(14); dg14 != report.groups.end()) {
    authenticate_chip(session, dg14->second, report);
    report.commands = session.commands_sent();
  }
  return report;
}

std::vector<std::string> mrz_differences(const mrz::Document& chip, const mrz::Document& optical) {
  std::vector<std::string> differ;
  const auto compare = [&](const char* name, const std::string& a, const std::string& b) {
    if (a != b) differ.emplace_back(name);
  };
  if (chip.format != optical.format) differ.emplace_back("format");
  compare("document_code", chip.document_code.raw, optical.document_code.raw);
  compare("issuing_state", chip.issuing_state.raw, optical.issuing_state.raw);
  compare("surname", chip.surname.value, optical.surname.value);
  compare("given_names", chip.given_names.value, optical.given_names.value);
  compare("document_number", chip.document_number.value, optical.document_number.value);
  compare("nationality", chip.nationality.raw, optical.nationality.raw);
  compare("birth_date", chip.birth_date.raw, optical.birth_date.raw);
  compare("sex", chip.sex.raw, optical.sex.raw);
  compare("expiry_date", chip.expiry_date.raw, optical.expiry_date.raw);
  compare("optional_data", chip.optional_data.raw, optical.optional_data.raw);
  compare("optional_data_2", chip.optional_data_2.raw, optical.optional_data_2.raw);
  return differ;
}

}  // namespace borderpost::station::emrtd
