#include "sync/receiver.hpp"

#include <openssl/x509.h>

#include "sync/crypto.hpp"
#include "sync/outbox.hpp"

namespace borderpost::sync {
namespace {

Reply refuse(int status, std::string why, const ChainHead& head = {}) {
  Reply reply;
  reply.status = status;
  reply.ack.stored_through = head.seq;
  reply.ack.head_hash = head.hash;
  reply.ack.error = std::move(why);
  return reply;
}

std::string at_seq(const Record& r) { return "record " + std::to_string(r.seq) + ": "; }

}  // namespace

std::mutex& Receiver::lock_for(const std::string& station) {
  std::lock_guard guard(locks_mutex_);
  auto& slot = locks_[station];
  if (!slot) slot = std::make_unique<std::mutex>();
  return *slot;
}

Reply Receiver::head(const std::string& peer_station) {
  const auto h = store_.head(peer_station);
  Reply reply;
  reply.ack.stored_through = h.seq;
  reply.ack.head_hash = h.hash;
  return reply;
}

Reply Receiver::receive(const std::string& peer_station, std::string_view body, bool gzipped) {
  if (body.size() > kMaxBatchBytes) return refuse(413, "the batch is larger than " + std::to_string(kMaxBatchBytes >> 20) + " MiB");
  std::string error;
  auto batch = decode_batch(body, gzipped, error);
  if (!batch) return refuse(400, error);
  if (batch->station != peer_station)
    return refuse(403, "the batch names station " + batch->station + " but the certificate is station " + peer_station);
  const auto signer = trust_.check_signer(batch->signer_pem, peer_station);
  if (!signer.error.empty()) return refuse(403, signer.error);
  EVP_PKEY* key = X509_get0_pubkey(signer.cert.get());

  std::lock_guard station_lock(lock_for(peer_station));
  const auto stamp = now().utc;
  store_.note_contact(peer_station, stamp);
  const ChainHead before = store_.head(peer_station);
  ChainHead head = before;
  std::vector<Record> fresh;
  std::uint64_t duplicates = 0;
  for (std::size_t i = 0; i < batch->records.size(); ++i) {
    const auto& r = batch->records[i];
    if (i > 0 && r.seq != batch->records[i - 1].seq + 1)
      return refuse(400, "records must come in sequence order without gaps", before);
    if (auto problem = shape_problem(r); !problem.empty()) return refuse(422, at_seq(r) + problem, before);
    if (r.seq <= before.seq) {
      const auto stored = store_.hash_at(peer_station, r.seq);
      if (stored && *stored == r.hash) {
        ++duplicates;  // sent again after a lost acknowledgement: acknowledged, not stored twice
        continue;
      }
      const auto why = at_seq(r) + "conflicts with the stored record of that number (stored hash " +
                       stored.value_or("none") + ", received " + r.hash + ")";
      store_.raise_alert({peer_station, stamp, why});
      return refuse(409, why, before);
    }
    if (r.seq > head.seq + 1)
      return refuse(409, "records " + std::to_string(head.seq + 1) + " to " + std::to_string(r.seq - 1) + " are missing; resend from " +
                             std::to_string(head.seq + 1),
                    before);
    if (expected_hash(r) != r.hash) return refuse(422, at_seq(r) + "the hash does not match the content", before);
    if (!verify_signature(key, canonical_body(r), r.signature))
      return refuse(422, at_seq(r) + "the signature does not verify with the station's signing certificate", before);
    if (r.prev_hash != head.hash) {
      const auto why = at_seq(r) + "breaks the chain (previous hash " + r.prev_hash + ", stored " + head.hash + ")";
      store_.raise_alert({peer_station, stamp, why});
      return refuse(409, why, before);
    }
    head = {r.seq, r.hash};
    fresh.push_back(r);
  }
  store_.append(peer_station, fresh, {signer.fingerprint, batch->signer_pem}, stamp);
  Reply reply;
  reply.ack = {head.seq, head.hash, fresh.size(), duplicates, {}};
  return reply;
}

}  // namespace borderpost::sync
