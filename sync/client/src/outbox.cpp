#include "sync/outbox.hpp"

#include <chrono>
#include <ctime>
#include <stdexcept>

#include "sync/sqlite.hpp"

namespace borderpost::sync {

Outbox::Outbox(sqlite3* db, std::string station, SigningKey key) : db_(db), station_(std::move(station)), key_(std::move(key)) {
  if (sqlite3_db_readonly(db_, "main") == 1) {  // a read-only disk: read the chain that is there, write nothing
    sqlite::Statement owner(db_, "SELECT station FROM sync_chain WHERE id = 1");
    if (owner.step() && owner.text(0) != station_)
      throw std::runtime_error("this database holds the record chain of station " + owner.text(0) + ", not " + station_);
    return;
  }
  sqlite::exec(db_,
               "CREATE TABLE IF NOT EXISTS sync_chain("
               "  id INTEGER PRIMARY KEY CHECK (id = 1), station TEXT NOT NULL,"
               "  last_seq INTEGER NOT NULL, last_hash TEXT NOT NULL, acknowledged INTEGER NOT NULL,"
               "  last_contact TEXT NOT NULL DEFAULT '', last_error TEXT NOT NULL DEFAULT '');"
               "CREATE TABLE IF NOT EXISTS sync_outbox("
               "  seq INTEGER PRIMARY KEY, recorded_at TEXT NOT NULL, record TEXT NOT NULL);");
  sqlite::Statement insert(db_, "INSERT OR IGNORE INTO sync_chain(id, station, last_seq, last_hash, acknowledged) VALUES (1, ?, 0, ?, 0)");
  insert.bind(1, station_).bind(2, kGenesisHash).run();
  sqlite::Statement owner(db_, "SELECT station FROM sync_chain WHERE id = 1");
  owner.step();
  if (owner.text(0) != station_)
    throw std::runtime_error("this database holds the record chain of station " + owner.text(0) + ", not " + station_);
}

Record Outbox::append(const Movement& movement, const Timestamp& at) {
  sqlite::Statement head(db_, "SELECT last_seq, last_hash FROM sync_chain WHERE id = 1");
  head.step();
  Record r;
  r.station = station_;
  r.seq = static_cast<std::uint64_t>(head.integer(0)) + 1;
  r.prev_hash = head.text(1);
  r.uuid = random_uuid();
  r.recorded_at = at.utc;
  r.utc_offset_minutes = at.utc_offset_minutes;
  r.movement = movement;
  r.hash = expected_hash(r);
  r.signature = key_.sign(canonical_body(r));
  if (auto problem = shape_problem(r); !problem.empty()) throw std::invalid_argument("movement not recorded: " + problem);

  sqlite::Statement queue(db_, "INSERT INTO sync_outbox(seq, recorded_at, record) VALUES (?, ?, ?)");
  queue.bind(1, static_cast<std::int64_t>(r.seq)).bind(2, r.recorded_at).bind(3, to_json(r).dump()).run();
  sqlite::Statement advance(db_, "UPDATE sync_chain SET last_seq = ?, last_hash = ? WHERE id = 1");
  advance.bind(1, static_cast<std::int64_t>(r.seq)).bind(2, r.hash).run();
  return r;
}

std::vector<Record> Outbox::pending(std::size_t limit) const {
  sqlite::Statement select(db_, "SELECT record FROM sync_outbox ORDER BY seq LIMIT ?");
  select.bind(1, static_cast<std::int64_t>(limit));
  std::vector<Record> records;
  while (select.step()) {
    std::string error;
    auto record = record_from_json(nlohmann::json::parse(select.text(0)), error);
    if (!record) throw std::runtime_error("the outbox holds a damaged record: " + error);
    records.push_back(std::move(*record));
  }
  return records;
}

std::vector<Outbox::QueuedRecord> Outbox::pending_json_after(std::uint64_t seq, std::size_t limit) const {
  sqlite::Statement select(db_, "SELECT seq, record FROM sync_outbox WHERE seq > ? ORDER BY seq LIMIT ?");
  select.bind(1, static_cast<std::int64_t>(seq)).bind(2, static_cast<std::int64_t>(limit));
  std::vector<QueuedRecord> records;
  while (select.step()) records.push_back({static_cast<std::uint64_t>(select.integer(0)), select.text(1)});
  return records;
}

void Outbox::acknowledge(std::uint64_t seq) {
  sqlite::Transaction transaction(db_);
  sqlite::Statement head(db_, "SELECT last_seq, acknowledged FROM sync_chain WHERE id = 1");
  head.step();
  const auto sealed = static_cast<std::uint64_t>(head.integer(0));
  const auto before = static_cast<std::uint64_t>(head.integer(1));
  if (seq > sealed)
    throw std::runtime_error("the central office acknowledged record " + std::to_string(seq) + " but only " +
                             std::to_string(sealed) + " exist: the central store belongs to another chain");
  if (seq <= before) return;
  sqlite::Statement drop(db_, "DELETE FROM sync_outbox WHERE seq <= ?");
  drop.bind(1, static_cast<std::int64_t>(seq)).run();
  sqlite::Statement mark(db_, "UPDATE sync_chain SET acknowledged = ? WHERE id = 1");
  mark.bind(1, static_cast<std::int64_t>(seq)).run();
  transaction.commit();
}

void Outbox::note_contact(const std::string& error) {
  if (error.empty()) {
    sqlite::Statement ok(db_, "UPDATE sync_chain SET last_contact = ?, last_error = '' WHERE id = 1");
    ok.bind(1, now().utc).run();
  } else {
    sqlite::Statement failed(db_, "UPDATE sync_chain SET last_error = ? WHERE id = 1");
    failed.bind(1, error).run();
  }
}

std::uint64_t Outbox::last_seq() const {
  sqlite::Statement q(db_, "SELECT last_seq FROM sync_chain WHERE id = 1");
  return q.step() ? static_cast<std::uint64_t>(q.integer(0)) : 0;
}

OutboxStatus Outbox::status() const {
  sqlite::Statement chain(db_, "SELECT station, last_seq, acknowledged, last_contact, last_error FROM sync_chain WHERE id = 1");
  chain.step();
  OutboxStatus s;
  s.station = chain.text(0);
  s.last_seq = static_cast<std::uint64_t>(chain.integer(1));
  s.acknowledged = static_cast<std::uint64_t>(chain.integer(2));
  s.last_contact = chain.text(3);
  s.last_error = chain.text(4);
  sqlite::Statement queue(db_, "SELECT count(*), min(recorded_at) FROM sync_outbox");
  queue.step();
  s.pending = static_cast<std::uint64_t>(queue.integer(0));
  s.oldest_pending = queue.text(1);
  return s;
}

}  // namespace borderpost::sync
