#include "sync/trust.hpp"

#include <sys/stat.h>

#include <openssl/x509v3.h>

#include "x509.hpp"

namespace borderpost::sync {
namespace {

struct StoreDeleter {
  void operator()(X509_STORE* s) const { X509_STORE_free(s); }
};

}  // namespace

std::string common_name(X509* cert) {
  if (cert == nullptr) return {};
  X509_NAME* name = X509_get_subject_name(cert);
  const int index = X509_NAME_get_index_by_NID(name, NID_commonName, -1);
  if (index < 0) return {};
  const ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, index));
  return {reinterpret_cast<const char*>(ASN1_STRING_get0_data(data)), static_cast<std::size_t>(ASN1_STRING_length(data))};
}

Trust::Trust(std::string ca_cert_path, std::string crl_path) : ca_path_(std::move(ca_cert_path)), crl_path_(std::move(crl_path)) {
  load_cert(ca_path_);  // fail at start-up, with the path, rather than at the first batch
  reload_if_changed();
}

Trust::~Trust() = default;

void Trust::reload_if_changed() {
  if (crl_path_.empty()) return;
  const auto now = std::chrono::steady_clock::now();
  if (crl_mtime_ >= 0 && now - last_check_ < std::chrono::seconds(1)) return;
  last_check_ = now;
  struct stat info {};
  if (::stat(crl_path_.c_str(), &info) != 0) throw std::runtime_error(crl_path_ + ": the revocation list is missing");
  const long long mtime = static_cast<long long>(info.st_mtim.tv_sec) * 1'000'000'000 + info.st_mtim.tv_nsec;
  if (mtime == crl_mtime_) return;
  crl_pem_ = read_text_file(crl_path_);
  crl_mtime_ = mtime;
  verified_.clear();  // a signer trusted before may be revoked now
  ++generation_;
}

std::uint64_t Trust::generation() {
  std::lock_guard lock(mutex_);
  reload_if_changed();
  return generation_;
}

X509_STORE* Trust::new_store() {
  std::unique_ptr<X509_STORE, StoreDeleter> store(X509_STORE_new());
  auto ca = load_cert(ca_path_);
  X509_STORE_add_cert(store.get(), ca.get());
  std::lock_guard lock(mutex_);
  reload_if_changed();
  if (!crl_path_.empty()) {
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(crl_pem_.data(), static_cast<int>(crl_pem_.size())), BIO_free);
    std::unique_ptr<X509_CRL, decltype(&X509_CRL_free)> crl(PEM_read_bio_X509_CRL(bio.get(), nullptr, nullptr, nullptr),
                                                            X509_CRL_free);
    if (!crl) throw std::runtime_error(crl_path_ + ": not a PEM revocation list: " + openssl_error());
    X509_STORE_add_crl(store.get(), crl.get());
    X509_STORE_set_flags(store.get(), X509_V_FLAG_CRL_CHECK);
  }
  return store.release();
}

SignerCheck Trust::check_signer(const std::string& pem, const std::string& station) {
  {
    std::lock_guard lock(mutex_);
    reload_if_changed();
    if (const auto it = verified_.find(pem); it != verified_.end()) {
      if (it->second.station != station) return {"the signing certificate belongs to station " + it->second.station, nullptr, {}};
      return {{}, it->second.cert, it->second.fingerprint};
    }
  }
  auto cert = parse_cert(pem);
  if (!cert) return {"the signing certificate is not a PEM certificate", nullptr, {}};
  std::unique_ptr<X509_STORE, StoreDeleter> store(new_store());
  std::unique_ptr<X509_STORE_CTX, decltype(&X509_STORE_CTX_free)> ctx(X509_STORE_CTX_new(), X509_STORE_CTX_free);
  X509_STORE_CTX_init(ctx.get(), store.get(), cert.get(), nullptr);
  if (X509_verify_cert(ctx.get()) != 1) {
    const std::string why = X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx.get()));
    ERR_clear_error();
    return {"the signing certificate is not trusted: " + why, nullptr, {}};
  }
  if ((X509_get_key_usage(cert.get()) & KU_NON_REPUDIATION) == 0 || (X509_get_extension_flags(cert.get()) & EXFLAG_XKUSAGE))
    return {"the certificate is not a record-signing certificate", nullptr, {}};
  if (EVP_PKEY_get_id(X509_get0_pubkey(cert.get())) != EVP_PKEY_ED25519)
    return {"the signing certificate does not hold an Ed25519 key", nullptr, {}};
  const auto cn = common_name(cert.get());
  if (cn != station) return {"the signing certificate belongs to station " + cn + ", not " + station, nullptr, {}};
  const auto fingerprint = cert_fingerprint(cert.get());
  std::lock_guard lock(mutex_);
  std::shared_ptr<X509> shared(cert.release(), X509_free);
  verified_.insert_or_assign(pem, Cached{shared, cn, fingerprint});
  return {{}, shared, fingerprint};
}

}  // namespace borderpost::sync
