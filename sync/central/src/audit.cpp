// Re-verification of the stored chains, independent of how the records arrived.
#include <map>

#include "sync/central_store.hpp"
#include "sync/crypto.hpp"
#include "x509.hpp"

namespace borderpost::sync {

ChainAudit audit_chains(CentralStore& store) {
  ChainAudit audit;
  std::map<std::string, CertHandle> signers;
  auto key_of = [&](const std::string& fingerprint) -> EVP_PKEY* {
    auto it = signers.find(fingerprint);
    if (it == signers.end()) {
      const auto pem = store.signer_pem(fingerprint);
      it = signers.emplace(fingerprint, pem ? parse_cert(*pem) : CertHandle()).first;
    }
    return it->second ? X509_get0_pubkey(it->second.get()) : nullptr;
  };
  constexpr std::size_t kChunk = 5000;
  for (const auto& station : store.stations()) {
    ++audit.stations;
    ChainHead head;
    auto problem = [&](std::uint64_t seq, const std::string& what) {
      audit.problems.push_back(station.station + " record " + std::to_string(seq) + ": " + what);
    };
    for (;;) {
      const auto chunk = store.records(station.station, head.seq + 1, kChunk);
      for (const auto& [r, signer] : chunk) {
        ++audit.records;
        if (r.seq != head.seq + 1) problem(head.seq + 1, "missing (next stored is " + std::to_string(r.seq) + ")");
        if (expected_hash(r) != r.hash) problem(r.seq, "hash does not match the content");
        if (r.prev_hash != head.hash) problem(r.seq, "does not link to the previous record");
        if (!verify_signature(key_of(signer), canonical_body(r), r.signature)) problem(r.seq, "signature does not verify");
        head = {r.seq, r.hash};
      }
      if (chunk.size() < kChunk) break;
    }
    if (head.seq != station.last_seq)
      audit.problems.push_back(station.station + ": chain ends at " + std::to_string(head.seq) + " but the head says " +
                               std::to_string(station.last_seq));
  }
  return audit;
}

}  // namespace borderpost::sync
