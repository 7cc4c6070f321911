// Passive authentication (see passive_auth.hpp).
#include "emrtd/passive_auth.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/objects.h>

#include "openssl_util.hpp"
#include "emrtd/tlv.hpp"
#include "emrtd/trust_store.hpp"

namespace borderpost::station::emrtd {

namespace {

constexpr const char* kLdsSecurityObjectOid = "2.23.136.1.1.1";

ossl::Cms read_cms(ByteView ef_sod) {
  const Tlv outer = read_tlv(ef_sod);
  if (outer.tag != 0x77) throw FormatError("EF.SOD does not start with its tag (77)");
  const Tlv content_info = read_tlv(outer.value);
  if (content_info.tag != 0x30 || content_info.size != outer.value.size()) throw FormatError("EF.SOD does not hold one CMS structure");
  auto bio = ossl::memory(outer.value);
  ossl::Cms cms(d2i_CMS_bio(bio.get(), nullptr));
  if (!cms) throw FormatError("EF.SOD is not a CMS structure: " + ossl::last_error());
  if (OBJ_obj2nid(CMS_get0_type(cms.get())) != NID_pkcs7_signed) throw FormatError("EF.SOD is not CMS SignedData");
  return cms;
}

std::string oid_text(const ASN1_OBJECT* oid) {
  char text[80] = {};
  OBJ_obj2txt(text, sizeof text, oid, 1);
  return text;
}

// The DER integer of a small non-negative number.
int small_integer(const Tlv& tlv, const char* what) {
  if (tlv.tag != 0x02 || tlv.value.empty() || tlv.value.size() > 2 || (tlv.value[0] & 0x80))
    throw FormatError(std::string("the LDS security object's ") + what + " is not a small integer");
  int value = 0;
  for (const auto b : tlv.value) value = value << 8 | b;
  return value;
}

const EVP_MD* digest_named(const std::string& name) {
  const EVP_MD* md = EVP_get_digestbyname(name.c_str());
  if (!md) throw FormatError("the SOD names a hash algorithm OpenSSL does not know: " + name);
  return md;
}

}  // namespace

SecurityObject parse_security_object(ByteView ef_sod) {
  const auto cms = read_cms(ef_sod);
  if (oid_text(CMS_get0_eContentType(cms.get())) != kLdsSecurityObjectOid)
    throw FormatError("EF.SOD's content is not an LDS security object (2.23.136.1.1.1)");
  ASN1_OCTET_STRING** content = CMS_get0_content(cms.get());
  if (!content || !*content) throw FormatError("EF.SOD's signed data holds no content");
  const ByteView encoded(ASN1_STRING_get0_data(*content), static_cast<std::size_t>(ASN1_STRING_length(*content)));

  SecurityObject sod;
  const Tlv object = read_tlv(encoded);
  if (object.tag != 0x30) throw FormatError("the LDS security object is not a SEQUENCE");
  const auto parts = read_tlvs(object.value);
  if (parts.size() < 3) throw FormatError("the LDS security object lacks its parts");
  if (const int version = small_integer(parts[0], "version"); version > 1) throw FormatError("unknown LDS security object version");
  // hashAlgorithm: SEQUENCE { OID, [NULL] }
  if (parts[1].tag != 0x30) throw FormatError("the SOD's hash algorithm is not an AlgorithmIdentifier");
  const Tlv oid = read_tlv(parts[1].value);
  if (oid.tag != 0x06) throw FormatError("the SOD's hash algorithm has no object identifier");
  const Bytes oid_der = encode_tlv(0x06, oid.value);
  const unsigned char* p = oid_der.data();
  std::unique_ptr<ASN1_OBJECT, decltype(&ASN1_OBJECT_free)> algorithm(d2i_ASN1_OBJECT(nullptr, &p, static_cast<long>(oid_der.size())),
                                                                      ASN1_OBJECT_free);
  const EVP_MD* md = algorithm ? EVP_get_digestbyobj(algorithm.get()) : nullptr;
  if (!md) throw FormatError("the SOD's hash algorithm is not one OpenSSL knows");
  sod.hash_algorithm = EVP_MD_get0_name(md);
  if (parts[2].tag != 0x30) throw FormatError("the SOD's data group hashes are not a SEQUENCE");
  for (const auto& entry : read_tlvs(parts[2].value)) {
    const auto fields = read_tlvs(entry.value);
    if (entry.tag != 0x30 || fields.size() != 2 || fields[1].tag != 0x04)
      throw FormatError("a data group hash in the SOD is malformed");
    const int group = small_integer(fields[0], "data group number");
    if (group < 1 || group > 16) throw FormatError("the SOD lists a data group outside 1 to 16");
    if (fields[1].value.size() != static_cast<std::size_t>(EVP_MD_get_size(md)))
      throw FormatError("a data group hash in the SOD has the wrong length for its algorithm");
    if (!sod.hashes.emplace(group, Bytes(fields[1].value.begin(), fields[1].value.end())).second)
      throw FormatError("the SOD lists a data group twice");
  }
  if (sod.hashes.empty()) throw FormatError("the SOD lists no data group");

  // The signer's certificate, as embedded.
  ossl::Certificates certificates(CMS_get1_certs(cms.get()));
  STACK_OF(CMS_SignerInfo)* signers = CMS_get0_SignerInfos(cms.get());
  if (signers && sk_CMS_SignerInfo_num(signers) == 1 && certificates) {
    CMS_SignerInfo* signer = sk_CMS_SignerInfo_value(signers, 0);
    for (int i = 0; i < sk_X509_num(certificates.get()); ++i)
      if (CMS_SignerInfo_cert_cmp(signer, sk_X509_value(certificates.get(), i)) == 0)
        sod.ds_certificate = ossl::der_of(sk_X509_value(certificates.get(), i));
  }
  return sod;
}

bool PassiveAuthentication::hashes_match() const {
  bool any = false;
  for (const auto& h : hashes) {
    if (h.state == GroupHash::State::differs) return false;
    any = any || h.state == GroupHash::State::matches;
  }
  return any;
}

PassiveAuthentication passive_authentication(const SecurityObject& sod, ByteView ef_sod, const std::map<int, Bytes>& groups,
                                             const TrustStore& trust, std::chrono::system_clock::time_point now) {
  PassiveAuthentication result;
  const EVP_MD* md = digest_named(sod.hash_algorithm);
  for (const auto& [group, expected] : sod.hashes) {
    PassiveAuthentication::GroupHash hash{group, PassiveAuthentication::GroupHash::State::not_read};
    if (const auto read = groups.find(group); read != groups.end()) {
      unsigned char digest[EVP_MAX_MD_SIZE];
      unsigned int length = 0;
      if (EVP_Digest(read->second.data(), read->second.size(), digest, &length, md, nullptr) != 1)
        throw std::runtime_error("hashing a data group failed in OpenSSL");
      hash.state = length == expected.size() && CRYPTO_memcmp(digest, expected.data(), length) == 0
                       ? PassiveAuthentication::GroupHash::State::matches
                       : PassiveAuthentication::GroupHash::State::differs;
    }
    result.hashes.push_back(hash);
  }

  if (sod.ds_certificate.empty()) {
    result.signature_detail = "EF.SOD does not carry its Document Signer certificate";
    result.certificate_detail = result.signature_detail;
    return result;
  }
  const unsigned char* p = sod.ds_certificate.data();
  ossl::Certificate ds(d2i_X509(nullptr, &p, static_cast<long>(sod.ds_certificate.size())));
  if (!ds) {
    result.signature_detail = result.certificate_detail = "the Document Signer certificate does not parse";
    return result;
  }
  result.ds_subject = ossl::name_text(X509_get_subject_name(ds.get()));
  result.ds_country = ossl::country_of(X509_get_subject_name(ds.get()));
  result.ds_not_after = ossl::date_of(X509_get0_notAfter(ds.get()));

  // The signature: over the signed attributes, whose message digest is the content's.
  const auto cms = read_cms(ef_sod);
  ossl::Certificates signer(sk_X509_new_null());
  X509_up_ref(ds.get());
  sk_X509_push(signer.get(), ds.get());
  if (CMS_verify(cms.get(), signer.get(), nullptr, nullptr, nullptr, CMS_NO_SIGNER_CERT_VERIFY | CMS_BINARY) == 1) {
    result.signature = PassiveAuthentication::Signature::valid;
    result.signature_detail = "signed by " + result.ds_subject;
  } else {
    result.signature_detail = "the SOD's signature does not verify under its Document Signer certificate (" + ossl::last_error() + ")";
  }

  // The certificate: chained to a trusted CSCA, at `now`.
  ossl::StoreContext context(X509_STORE_CTX_new());
  if (!context || X509_STORE_CTX_init(context.get(), trust.store(), ds.get(), nullptr) != 1)
    throw std::runtime_error("OpenSSL could not start a certificate verification");
  X509_STORE_CTX_set_time(context.get(), 0, std::chrono::system_clock::to_time_t(now));
  if (X509_verify_cert(context.get()) == 1) {
    result.certificate = PassiveAuthentication::Certificate::valid;
    STACK_OF(X509)* chain = X509_STORE_CTX_get0_chain(context.get());
    X509* root = sk_X509_value(chain, sk_X509_num(chain) - 1);
    result.csca_subject = ossl::name_text(X509_get_subject_name(root));
    result.certificate_detail = "issued under " + result.csca_subject;
  } else {
    const int error = X509_STORE_CTX_get_error(context.get());
    const int depth = X509_STORE_CTX_get_error_depth(context.get());
    const std::string why = X509_verify_cert_error_string(error);
    switch (error) {
      case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
      case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
      case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
      case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
        result.certificate = PassiveAuthentication::Certificate::unknown_csca;
        result.certificate_detail = "no trusted CSCA issued the Document Signer certificate (issuer " +
                                    ossl::name_text(X509_get_issuer_name(ds.get())) + ")";
        break;
      case X509_V_ERR_CERT_HAS_EXPIRED:
      case X509_V_ERR_CERT_NOT_YET_VALID:
        result.certificate = depth == 0 ? PassiveAuthentication::Certificate::ds_expired : PassiveAuthentication::Certificate::csca_expired;
        if (X509* at = X509_STORE_CTX_get_current_cert(context.get()))
          result.certificate_detail = std::string(depth == 0 ? "the Document Signer" : "the CSCA") + " certificate is valid from " +
                                      ossl::date_of(X509_get0_notBefore(at)) + " to " + ossl::date_of(X509_get0_notAfter(at));
        else
          result.certificate_detail = why;
        break;
      default:
        result.certificate = PassiveAuthentication::Certificate::invalid;
        result.certificate_detail = "the certificate chain does not verify: " + why;
    }
  }
  return result;
}

}  // namespace borderpost::station::emrtd
