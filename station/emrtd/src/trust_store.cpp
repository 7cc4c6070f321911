// The CSCA trust store (see trust_store.hpp).
#include "emrtd/trust_store.hpp"

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <stdexcept>

#include "openssl_util.hpp"
#include "emrtd/tlv.hpp"

namespace borderpost::station::emrtd {

namespace {

constexpr const char* kMasterListOid = "2.23.136.1.1.2";

std::string fingerprint(X509* certificate) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  X509_digest(certificate, EVP_sha256(), digest, &length);
  return to_hex(ByteView(digest, length));
}

// How the certificate's key is described, and why it is refused ("" when it is acceptable).
struct KeyVerdict {
  std::string description;
  std::string refusal;
};

KeyVerdict judge_key(X509* certificate) {
  EVP_PKEY* key = X509_get0_pubkey(certificate);
  if (!key) return {"unreadable", "its public key cannot be read (" + ossl::last_error() + ")"};
  if (EVP_PKEY_base_id(key) == EVP_PKEY_RSA) return {"RSA " + std::to_string(EVP_PKEY_get_bits(key)), ""};
  if (EVP_PKEY_base_id(key) != EVP_PKEY_EC) return {OBJ_nid2sn(EVP_PKEY_base_id(key)), ""};
  char encoding[32] = {};
  EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_EC_ENCODING, encoding, sizeof encoding, nullptr);
  if (std::string(encoding) != OSSL_PKEY_EC_ENCODING_EXPLICIT) {
    char group[64] = {};
    EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group, nullptr);
    return {std::string("EC ") + group, ""};
  }
  // Explicit parameters: accepted only when they are exactly a named curve's.
  OSSL_PARAM* params = nullptr;
  if (EVP_PKEY_todata(key, EVP_PKEY_KEY_PARAMETERS, &params) != 1) return {"EC (explicit parameters)", "its curve parameters cannot be read"};
  std::unique_ptr<OSSL_PARAM, decltype(&OSSL_PARAM_free)> owned(params, OSSL_PARAM_free);
  std::unique_ptr<EC_GROUP, decltype(&EC_GROUP_free)> group(EC_GROUP_new_from_params(params, nullptr, nullptr), EC_GROUP_free);
  const int nid = group ? EC_GROUP_check_named_curve(group.get(), 0, nullptr) : 0;
  if (nid <= 0) return {"EC (explicit parameters)", "its explicit EC parameters are not those of any named curve"};
  return {std::string("EC ") + OBJ_nid2sn(nid) + " (explicit parameters)", ""};
}

// The one relaxation of certificate verification: OpenSSL 3 reports a key with explicit EC
// parameters as an error, and real CSCA (and some document signer) certificates carry them. It
// is forgiven when the parameters are exactly a named curve's; every other error stands.
int forgive_named_explicit_curves(int ok, X509_STORE_CTX* context) {
  if (ok || X509_STORE_CTX_get_error(context) != X509_V_ERR_EC_KEY_EXPLICIT_PARAMS) return ok;
  X509* certificate = X509_STORE_CTX_get_current_cert(context);
  if (!certificate || !judge_key(certificate).refusal.empty()) return 0;
  X509_STORE_CTX_set_error(context, X509_V_OK);
  return 1;
}

TrustedCertificate describe(X509* certificate) {
  TrustedCertificate d;
  d.fingerprint = fingerprint(certificate);
  d.subject = ossl::name_text(X509_get_subject_name(certificate));
  d.country = ossl::country_of(X509_get_subject_name(certificate));
  d.not_before = ossl::date_of(X509_get0_notBefore(certificate));
  d.not_after = ossl::date_of(X509_get0_notAfter(certificate));
  d.key = judge_key(certificate).description;
  return d;
}

std::vector<ossl::Certificate> read_pem_certificates(ByteView bytes) {
  std::vector<ossl::Certificate> out;
  auto bio = ossl::memory(bytes);
  while (X509* certificate = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) out.emplace_back(certificate);
  ERR_clear_error();  // the end of the file reads as an error
  return out;
}

Bytes read_whole(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + file.string());
  return Bytes(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

struct TrustStore::Loaded {
  X509_STORE* store = nullptr;
  ~Loaded() { X509_STORE_free(store); }
};

TrustStore::TrustStore(std::filesystem::path directory) : directory_(std::move(directory)) {}
TrustStore::~TrustStore() = default;
TrustStore::TrustStore(TrustStore&&) noexcept = default;

ImportReport TrustStore::import_file(const std::filesystem::path& file) { return import_bytes(read_whole(file), file.string()); }

ImportReport TrustStore::import_bytes(ByteView bytes, const std::string& name) {
  ImportReport report;
  report.file = name;
  std::vector<ossl::Certificate> certificates;
  const std::string start(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(std::min<std::size_t>(bytes.size(), 64)));
  if (start.find("-----BEGIN") != std::string::npos) {
    report.kind = "certificate";
    certificates = read_pem_certificates(bytes);
  } else {
    auto bio = ossl::memory(bytes);
    ossl::Cms cms(d2i_CMS_bio(bio.get(), nullptr));
    ERR_clear_error();
    if (cms) {
      char type[80] = {};
      OBJ_obj2txt(type, sizeof type, CMS_get0_eContentType(cms.get()), 1);
      if (std::string(type) != kMasterListOid) throw std::runtime_error(name + " is a CMS file but not a CSCA master list");
      report.kind = "master list";
      ossl::Bio content(BIO_new(BIO_s_mem()));
      // The list's own signature; its signer's certificate is checked against the list below.
      if (CMS_verify(cms.get(), nullptr, nullptr, nullptr, content.get(), CMS_NO_SIGNER_CERT_VERIFY | CMS_BINARY) != 1)
        throw std::runtime_error("the signature of master list " + name + " does not verify; nothing of it was imported (" +
                                 ossl::last_error() + ")");
      if (STACK_OF(X509)* signers = CMS_get0_signers(cms.get())) {
        if (sk_X509_num(signers) > 0) report.signer = ossl::name_text(X509_get_subject_name(sk_X509_value(signers, 0)));
        sk_X509_free(signers);
      }
      char* data = nullptr;
      const long length = BIO_get_mem_data(content.get(), &data);
      const ByteView list(reinterpret_cast<const std::uint8_t*>(data), static_cast<std::size_t>(length));
      // CscaMasterList ::= SEQUENCE { version INTEGER, certList SET OF Certificate }
      const Tlv sequence = read_tlv(list);
      const auto parts = sequence.tag == 0x30 ? read_tlvs(sequence.value) : std::vector<Tlv>{};
      if (parts.size() != 2 || parts[0].tag != 0x02 || parts[1].tag != 0x31)
        throw std::runtime_error("master list " + name + " does not hold a CscaMasterList");
      ByteView rest = parts[1].value;
      while (!rest.empty()) {
        const Tlv item = read_tlv(rest);
        const unsigned char* p = rest.data();
        X509* certificate = d2i_X509(nullptr, &p, static_cast<long>(item.size));
        if (certificate) certificates.emplace_back(certificate);
        else report.refused.push_back("certificate " + std::to_string(certificates.size() + report.refused.size() + 1) + ": does not parse");
        rest = rest.subspan(item.size);
      }
      ERR_clear_error();
    } else {
      report.kind = "certificate";
      const unsigned char* p = bytes.data();
      if (X509* certificate = d2i_X509(nullptr, &p, static_cast<long>(bytes.size()))) certificates.emplace_back(certificate);
      ERR_clear_error();
    }
  }
  if (certificates.empty() && report.refused.empty())
    throw std::runtime_error(name + " is neither a CSCA master list nor a certificate (PEM or DER)");

  std::filesystem::create_directories(directory_);
  for (const auto& certificate : certificates) {
    const std::string subject = ossl::name_text(X509_get_subject_name(certificate.get()));
    if (X509_check_ca(certificate.get()) < 1) {
      report.refused.push_back(subject + ": not a CA certificate");
      continue;
    }
    if (const auto verdict = judge_key(certificate.get()); !verdict.refusal.empty()) {
      report.refused.push_back(subject + ": " + verdict.refusal);
      continue;
    }
    const auto path = directory_ / (fingerprint(certificate.get()) + ".pem");
    if (std::filesystem::exists(path)) {
      ++report.already_present;
      continue;
    }
    const auto partial = std::filesystem::path(path.string() + ".part");
    {
      ossl::Bio out(BIO_new_file(partial.c_str(), "w"));
      if (!out || PEM_write_bio_X509(out.get(), certificate.get()) != 1)
        throw std::runtime_error("cannot write " + partial.string() + ": " + ossl::last_error());
    }
    std::filesystem::rename(partial, path);
    ++report.added;
  }
  if (report.added) reload();
  return report;
}

std::vector<TrustedCertificate> TrustStore::list() const {
  std::vector<TrustedCertificate> out;
  if (!std::filesystem::is_directory(directory_)) return out;
  for (const auto& entry : std::filesystem::directory_iterator(directory_)) {
    if (entry.path().extension() != ".pem") continue;
    for (const auto& certificate : read_pem_certificates(read_whole(entry.path()))) out.push_back(describe(certificate.get()));
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.country != b.country ? a.country < b.country : a.subject < b.subject; });
  return out;
}

X509_STORE* TrustStore::store() const {
  if (!loaded_) const_cast<TrustStore*>(this)->reload();
  return loaded_->store;
}

void TrustStore::reload() {
  auto loaded = std::make_unique<Loaded>();
  loaded->store = X509_STORE_new();
  if (!loaded->store) throw std::bad_alloc();
  X509_STORE_set_verify_cb(loaded->store, forgive_named_explicit_curves);
  if (std::filesystem::is_directory(directory_)) {
    for (const auto& entry : std::filesystem::directory_iterator(directory_)) {
      if (entry.path().extension() != ".pem") continue;
      for (const auto& certificate : read_pem_certificates(read_whole(entry.path()))) X509_STORE_add_cert(loaded->store, certificate.get());
    }
  }
  ERR_clear_error();
  loaded_ = std::move(loaded);
}

}  // namespace borderpost::station::emrtd
