// The station side of sync: movements sealed into the station's record chain and queued in the
// station's own SQLite database until the central office acknowledges them as durably stored.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sync/crypto.hpp"
#include "sync/record.hpp"

using sqlite3 = struct sqlite3;

namespace borderpost::sync {

struct OutboxStatus {
  std::string station;
  std::uint64_t last_seq = 0;       // newest record sealed
  std::uint64_t acknowledged = 0;   // highest seq the central office stored
  std::uint64_t pending = 0;        // records waiting to leave
  std::string oldest_pending;       // recorded_at of the oldest waiting record, or ""
  std::string last_contact;         // UTC time of the last successful upload, or ""
  std::string last_error;           // why the last attempt failed, or ""
};

class Outbox {
 public:
  // `db` stays the caller's (the station's database); the sync tables are created if missing.
  // Throws when the database already belongs to another station id.
  Outbox(sqlite3* db, std::string station, SigningKey key);

  // Seals the movement as the next record of the chain and queues it. Call it inside the
  // transaction that writes the movement, so both commit or neither does.
  Record append(const Movement& movement, const Timestamp& at);

  std::vector<Record> pending(std::size_t limit) const;  // oldest first
  // The same records as stored, JSON text as it goes on the wire (no re-encoding on upload).
  struct QueuedRecord {
    std::uint64_t seq;
    std::string json;
  };
  std::vector<QueuedRecord> pending_json(std::size_t limit) const { return pending_json_after(0, limit); }
  std::vector<QueuedRecord> pending_json_after(std::uint64_t seq, std::size_t limit) const;
  // The central office stored every record up to `seq`: they leave the outbox (never beyond what
  // was sealed; an older acknowledgement changes nothing).
  void acknowledge(std::uint64_t seq);
  void note_contact(const std::string& error);  // "" for success
  OutboxStatus status() const;
  std::uint64_t last_seq() const;  // the newest sealed record's number (0 before the first)
  const std::string& station() const { return station_; }

 private:
  sqlite3* db_;
  std::string station_;
  SigningKey key_;
};

}  // namespace borderpost::sync
