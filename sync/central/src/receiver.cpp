#include "sync/receiver.hpp"

#include <algorithm>
#include <span>
#include <thread>

#include <openssl/x509.h>

#include "sync/crypto.hpp"
#include "sync/record.hpp"

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

struct ContentVerdict {
  bool hash_ok = false;
  bool signature_ok = false;
  std::string stored_json;  // the record as the store keeps it
};

std::vector<ContentVerdict> check_contents(std::span<const Record> records, EVP_PKEY* key) {
  std::vector<ContentVerdict> verdicts(records.size());
  auto check_range = [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
      const auto body = canonical_body(records[i]);
      verdicts[i].hash_ok = sha256_hex(body) == records[i].hash;
      verdicts[i].signature_ok = verdicts[i].hash_ok && verify_signature(key, body, records[i].signature);
      // The canonical body plus hash and signature is the record's JSON form (to_json).
      auto& text = verdicts[i].stored_json;
      text.reserve(body.size() + 180);
      text.append(body, 0, body.size() - 1).append(",\"hash\":\"").append(records[i].hash);
      text.append("\",\"signature\":\"").append(records[i].signature).append("\"}");
    }
  };
  constexpr std::size_t kWorthSplitting = 64;
  const std::size_t workers = std::max(1U, std::thread::hardware_concurrency());
  if (records.size() < kWorthSplitting || workers == 1) {
    check_range(0, records.size());
    return verdicts;
  }
  std::vector<std::jthread> threads;
  const std::size_t share = (records.size() + workers - 1) / workers;
  for (std::size_t begin = 0; begin < records.size(); begin += share)
    threads.emplace_back(check_range, begin, std::min(records.size(), begin + share));
  threads.clear();  // joins
  return verdicts;
}

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

std::string Receiver::watchlist_page(std::uint64_t since) { return encode_watchlist_page(store_.watchlist_after(since, watchlist_page_size_)); }

Reply Receiver::receive(const std::string& peer_station, std::string_view body, bool gzipped, std::optional<std::uint64_t> reported_head) {
  if (body.size() > kMaxBatchBytes) return refuse(413, "the batch is larger than " + std::to_string(kMaxBatchBytes >> 20) + " MiB");
  std::string error;
  auto batch = decode_batch(body, gzipped, error);
  if (!batch) return refuse(400, error);
  if (batch->station != peer_station)
    return refuse(403, "the batch names station " + batch->station + " but the certificate is station " + peer_station);
  const auto signer = trust_.check_signer(batch->signer_pem, peer_station);
  if (!signer.error.empty()) return refuse(403, signer.error);
  EVP_PKEY* key = X509_get0_pubkey(signer.cert.get());

  const ChainHead hint = store_.head(peer_station);
  for (std::size_t i = 0; i < batch->records.size(); ++i) {
    const auto& r = batch->records[i];
    if (i > 0 && r.seq != batch->records[i - 1].seq + 1)
      return refuse(400, "records must come in sequence order without gaps", hint);
    if (auto problem = shape_problem(r); !problem.empty()) return refuse(422, at_seq(r) + problem, hint);
  }
  // Hash and signature of each record not yet stored, checked in parallel and before taking the
  // station's lock: a post catching up after weeks offline sends hundreds of thousands, Ed25519
  // verification is most of the work, and its next batch can be verified while this one is stored.
  // The head only moves forward, so the records past it under the lock are among these.
  std::size_t first_new = 0;
  while (first_new < batch->records.size() && batch->records[first_new].seq <= hint.seq) ++first_new;
  auto verdicts = check_contents(std::span(batch->records).subspan(first_new), key);

  std::lock_guard station_lock(lock_for(peer_station));
  const auto stamp = now().utc;
  store_.note_contact(peer_station, stamp, reported_head);
  const ChainHead before = store_.head(peer_station);
  ChainHead head = before;
  std::vector<Record> fresh;
  std::vector<std::string> texts;
  std::uint64_t duplicates = 0;
  for (std::size_t i = 0; i < batch->records.size(); ++i) {
    auto& r = batch->records[i];
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
    if (fresh.empty() && r.seq > before.seq + 1)
      return refuse(409, "records " + std::to_string(before.seq + 1) + " to " + std::to_string(r.seq - 1) +
                             " are missing; resend from " + std::to_string(before.seq + 1),
                    before);
    if (i < first_new) return refuse(503, "the store's head went back during the batch (restored?); send it again", before);
    auto& verdict = verdicts[i - first_new];
    if (!verdict.hash_ok) return refuse(422, at_seq(r) + "the hash does not match the content", before);
    if (!verdict.signature_ok)
      return refuse(422, at_seq(r) + "the signature does not verify with the station's signing certificate", before);
    if (r.prev_hash != head.hash) {
      const auto why = at_seq(r) + "breaks the chain (previous hash " + r.prev_hash + ", stored " + head.hash + ")";
      store_.raise_alert({peer_station, stamp, why});
      return refuse(409, why, before);
    }
    head = {r.seq, r.hash};
    fresh.push_back(std::move(r));
    texts.push_back(std::move(verdict.stored_json));
  }
  try {
    store_.append(peer_station, fresh, texts, {signer.fingerprint, batch->signer_pem}, stamp);
  } catch (const ChainMoved& moved) {
    return refuse(409, moved.what(), store_.head(peer_station));
  }
  Reply reply;
  reply.ack = {head.seq, head.hash, fresh.size(), duplicates, {}};
  return reply;
}

}  // namespace borderpost::sync
