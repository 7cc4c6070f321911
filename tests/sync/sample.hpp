// Movements and records for the sync tests: a plausible crossing, varied by a number.
#pragma once

#include <string>

#include "sync/crypto.hpp"
#include "sync/record.hpp"

namespace borderpost::sync::testing {

inline Movement sample_movement(int n = 1) {
  Movement m;
  m.direction = n % 2 ? "entry" : "exit";
  m.document = {"TD3", "P", "UTO", "L8989" + std::to_string(1000 + n % 9000), "2031-04-15"};
  m.traveller = {"ERIKSSON", "ANNA MARIA", n % 3 ? "UTO" : "PER", "1974-08-12", n % 2 ? "F" : "M"};
  m.decision = "admit";
  m.inspector = "insp-042";
  m.checks = {"pass", 5, 0, 0, 1};
  return m;
}

// Record `seq` of a post's chain, sealed (hash, signature) with `key`, following `prev`.
inline Record sealed_record(const SigningKey& key, std::uint64_t seq = 1, const std::string& prev = kGenesisHash,
                            const std::string& station = "PE-TUMBES-01") {
  Record r;
  r.station = station;
  r.seq = seq;
  r.uuid = random_uuid();
  r.recorded_at = "2026-11-23T14:05:09.250Z";
  r.utc_offset_minutes = -300;
  r.movement = sample_movement(static_cast<int>(seq));
  r.prev_hash = prev;
  r.hash = expected_hash(r);
  r.signature = key.sign(canonical_body(r));
  return r;
}

}  // namespace borderpost::sync::testing
