// The central office's PostgreSQL backend (production): a small pool of connections so batches of
// different stations are stored concurrently, records copied in with COPY, and the records table
// partitioned by month of recorded_at so years of crossings stay quick to report on and to archive.
// A station's chain head is locked (SELECT ... FOR UPDATE) while a batch is appended, so several
// central servers may share one database without storing a sequence number twice.
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <set>
#include <tuple>

#include <pqxx/pqxx>

#include "sync/central_store.hpp"

namespace borderpost::sync {
namespace {

constexpr long long kSchemaLock = 0x626f7264;  // advisory lock: one server creates tables at a time

const char* const kSchema =
    "CREATE TABLE IF NOT EXISTS stations("
    "  station text PRIMARY KEY, last_seq bigint NOT NULL, last_hash text NOT NULL,"
    "  last_contact text NOT NULL DEFAULT '', newest_record text NOT NULL DEFAULT '');"
    // Unique keys of a partitioned table must contain the partition key; the station's locked head
    // row is what keeps (station, seq) unique.
    "CREATE TABLE IF NOT EXISTS records("
    "  station text NOT NULL, seq bigint NOT NULL, uuid text NOT NULL, recorded_at timestamptz NOT NULL,"
    "  utc_offset_minutes integer NOT NULL, direction text NOT NULL, nationality text NOT NULL, sex text NOT NULL,"
    "  birth_date text NOT NULL, hash text NOT NULL, signer text NOT NULL, received_at text NOT NULL,"
    "  record text NOT NULL, corrects text NOT NULL DEFAULT '',"
    "  PRIMARY KEY (station, seq, recorded_at)) PARTITION BY RANGE (recorded_at);"
    "CREATE INDEX IF NOT EXISTS records_by_time ON records(recorded_at);"
    "CREATE INDEX IF NOT EXISTS records_by_correction ON records(corrects) WHERE corrects <> '';"
    "CREATE TABLE IF NOT EXISTS signers(fingerprint text PRIMARY KEY, pem text NOT NULL);"
    "CREATE TABLE IF NOT EXISTS tamper_alerts("
    "  id bigserial PRIMARY KEY, station text NOT NULL, raised_at text NOT NULL, detail text NOT NULL);"
    "CREATE TABLE IF NOT EXISTS watchlist_changes("
    "  version bigint PRIMARY KEY, action text NOT NULL, id text NOT NULL, kind text NOT NULL,"
    "  document_number text NOT NULL, issuer text NOT NULL, surname text NOT NULL, given_names text NOT NULL,"
    "  birth_date text NOT NULL, nationality text NOT NULL, reason text NOT NULL, changed_at text NOT NULL);"
    "CREATE INDEX IF NOT EXISTS watchlist_changes_by_id ON watchlist_changes(id, version);"
    // Added after the first release: the post's newest record as it reported it (its backlog).
    "ALTER TABLE stations ADD COLUMN IF NOT EXISTS reported_head bigint NOT NULL DEFAULT 0;";

WatchlistEntry entry_from(const pqxx::row& row, int first) {
  WatchlistColumns columns;
  for (std::size_t i = 0; i < columns.size(); ++i) columns[i] = row[first + static_cast<int>(i)].as<std::string>();
  return watchlist_entry_from(std::move(columns));
}

// "2026-11-23T10:00:00.000Z" -> {2026, 11}
std::pair<int, int> year_month(const std::string& utc) { return {std::stoi(utc.substr(0, 4)), std::stoi(utc.substr(5, 2))}; }

std::string partition_ddl(int year, int month) {
  const int next_year = month == 12 ? year + 1 : year;
  const int next_month = month == 12 ? 1 : month + 1;
  char sql[256];
  std::snprintf(sql, sizeof sql,
                "CREATE TABLE IF NOT EXISTS records_y%04dm%02d PARTITION OF records"
                " FOR VALUES FROM ('%04d-%02d-01 00:00:00+00') TO ('%04d-%02d-01 00:00:00+00')",
                year, month, year, month, next_year, next_month);
  return sql;
}

class PostgresStore final : public CentralStore {
 public:
  PostgresStore(const std::string& connection, unsigned connections) {
    for (unsigned i = 0; i < std::max(1U, connections); ++i) idle_.push_back(connect(connection));
    auto lease = borrow();
    pqxx::work w(*lease);
    w.exec_params("SELECT pg_advisory_xact_lock($1)", kSchemaLock);
    w.exec(kSchema);
    w.commit();
  }

  ChainHead head(const std::string& station) override {
    auto lease = borrow();
    pqxx::read_transaction t(*lease);
    const auto r = t.exec_params("SELECT last_seq, last_hash FROM stations WHERE station = $1", station);
    if (r.empty()) return {};
    return {r[0][0].as<std::uint64_t>(), r[0][1].as<std::string>()};
  }

  std::optional<std::string> hash_at(const std::string& station, std::uint64_t seq) override {
    auto lease = borrow();
    pqxx::read_transaction t(*lease);
    const auto r = t.exec_params("SELECT hash FROM records WHERE station = $1 AND seq = $2", station, seq);
    if (r.empty()) return std::nullopt;
    return r[0][0].as<std::string>();
  }

  void append(const std::string& station, const std::vector<Record>& records, const std::vector<std::string>& record_json,
              const Signer& signer, const std::string& received_at) override {
    if (record_json.size() != records.size()) throw std::invalid_argument("append: one JSON text per record");
    if (records.empty()) return;
    ensure_partitions(records);
    auto lease = borrow();
    pqxx::work w(*lease);
    const auto head = w.exec_params("SELECT last_seq, last_hash FROM stations WHERE station = $1 FOR UPDATE", station);
    const ChainHead stored = head.empty() ? ChainHead{} : ChainHead{head[0][0].as<std::uint64_t>(), head[0][1].as<std::string>()};
    if (stored.seq + 1 != records.front().seq || stored.hash != records.front().prev_hash)
      throw ChainMoved("station " + station + " is stored through " + std::to_string(stored.seq) + " now; resend from there");
    w.exec_params("INSERT INTO signers(fingerprint, pem) VALUES ($1, $2) ON CONFLICT DO NOTHING", signer.fingerprint, signer.pem);
    {
      pqxx::stream_to copy(w, "records",
                           std::vector<std::string>{"station", "seq", "uuid", "recorded_at", "utc_offset_minutes", "direction",
                                                    "nationality", "sex", "birth_date", "hash", "signer", "received_at",
                                                    "record", "corrects"});
      for (std::size_t i = 0; i < records.size(); ++i) {
        const auto& r = records[i];
        const auto& t = r.movement.traveller;
        copy << std::make_tuple(station, r.seq, r.uuid, r.recorded_at, r.utc_offset_minutes, r.movement.direction,
                                t.nationality, t.sex, t.birth_date, r.hash, signer.fingerprint, received_at, record_json[i],
                                r.movement.corrects.value_or(""));
      }
      copy.complete();
    }
    w.exec_params(
        "INSERT INTO stations(station, last_seq, last_hash, newest_record) VALUES ($1, $2, $3, $4)"
        " ON CONFLICT (station) DO UPDATE SET last_seq = excluded.last_seq, last_hash = excluded.last_hash,"
        " newest_record = excluded.newest_record",
        station, records.back().seq, records.back().hash, records.back().recorded_at);
    w.commit();
  }

  void note_contact(const std::string& station, const std::string& at, std::optional<std::uint64_t> reported_head) override {
    auto lease = borrow();
    pqxx::work w(*lease);
    // A post that did not say keeps its last report (-1 stands for "not said").
    const std::int64_t head = reported_head ? static_cast<std::int64_t>(*reported_head) : -1;
    w.exec_params(
        "INSERT INTO stations(station, last_seq, last_hash, last_contact, reported_head) VALUES ($1, 0, $2, $3, greatest($4::bigint, 0))"
        " ON CONFLICT (station) DO UPDATE SET last_contact = excluded.last_contact,"
        " reported_head = CASE WHEN $4::bigint < 0 THEN stations.reported_head ELSE $4::bigint END",
        station, kGenesisHash, at, head);
    w.commit();
  }

  void raise_alert(const TamperAlert& alert) override {
    auto lease = borrow();
    pqxx::work w(*lease);
    w.exec_params("INSERT INTO tamper_alerts(station, raised_at, detail) VALUES ($1, $2, $3)", alert.station, alert.raised_at,
                  alert.detail);
    w.commit();
  }

  std::vector<StationStatus> stations() override {
    auto lease = borrow();
    pqxx::read_transaction t(*lease);
    std::vector<StationStatus> out;
    for (const auto& row : t.exec("SELECT station, last_seq, last_contact, newest_record, reported_head FROM stations ORDER BY station"))
      out.push_back({row[0].as<std::string>(), row[1].as<std::uint64_t>(), row[2].as<std::string>(), row[3].as<std::string>(),
                     row[4].as<std::uint64_t>()});
    return out;
  }

  std::vector<TamperAlert> alerts() override {
    auto lease = borrow();
    pqxx::read_transaction t(*lease);
    std::vector<TamperAlert> out;
    for (const auto& row : t.exec("SELECT station, raised_at, detail FROM tamper_alerts ORDER BY id"))
      out.push_back({row[0].as<std::string>(), row[1].as<std::string>(), row[2].as<std::string>()});
    return out;
  }

  std::uint64_t record_count() override {
    auto lease = borrow();
    pqxx::read_transaction t(*lease);
    return t.exec("SELECT count(*) FROM records")[0][0].as<std::uint64_t>();
  }

  std::vector<StoredRecord> records(const std::string& station, std::uint64_t from_seq, std::size_t limit) override {
    auto lease = borrow();
    pqxx::read_transaction t(*lease);
    std::vector<StoredRecord> out;
    for (const auto& row : t.exec_params("SELECT record, signer FROM records WHERE station = $1 AND seq >= $2 ORDER BY seq LIMIT $3",
                                         station, from_seq, limit)) {
      std::string error;
      auto r = record_from_json(nlohmann::json::parse(row[0].as<std::string>()), error);
      if (!r) throw std::runtime_error("stored record damaged: " + error);
      out.push_back({std::move(*r), row[1].as<std::string>()});
    }
    return out;
  }

  std::vector<ReportRow> crossings(const ReportQuery& query) override {
    auto lease = borrow();
    pqxx::read_transaction t(*lease);
    // The post's local day; the first condition on recorded_at itself lets PostgreSQL skip the
    // months outside the query (local offsets stay within ±14 hours).
    const auto result = t.exec_params(
        "WITH local AS ("
        "  SELECT station, ((recorded_at AT TIME ZONE 'UTC') + utc_offset_minutes * interval '1 minute')::date AS day,"
        "         direction, nationality, sex, birth_date, uuid FROM records"
        "  WHERE recorded_at >= ($1::date - 1)::timestamp AT TIME ZONE 'UTC'"
        "    AND recorded_at < ($2::date + 2)::timestamp AT TIME ZONE 'UTC' AND ($3 = '' OR station = $3))"
        " SELECT station, to_char(day, 'YYYY-MM-DD'), direction, nationality, sex, birth_date, count(*) FROM local l"
        " WHERE day BETWEEN $1::date AND $2::date AND NOT EXISTS (SELECT 1 FROM records c WHERE c.corrects = l.uuid)"
        " GROUP BY station, day, direction, nationality, sex, birth_date",
        query.from, query.to, query.station);
    std::vector<ReportRow> rows;
    for (const auto& row : result) {
      const auto day = row[1].as<std::string>();
      rows.push_back({row[0].as<std::string>(), day, row[2].as<std::string>(), row[3].as<std::string>(), row[4].as<std::string>(),
                      age_band(age_on(row[5].as<std::string>(), day)), row[6].as<std::uint64_t>()});
    }
    return merge_report_rows(std::move(rows));
  }

  std::uint64_t watchlist_change(const std::string& action, const WatchlistEntry& entry, const std::string& at) override {
    auto lease = borrow();
    pqxx::work w(*lease);
    // Versions must become visible in order (a post asks for those after the one it holds), so
    // changes are written one at a time; they are rare.
    w.exec("LOCK TABLE watchlist_changes IN EXCLUSIVE MODE");
    const auto latest = w.exec_params("SELECT action, kind FROM watchlist_changes WHERE id = $1 ORDER BY version DESC LIMIT 1", entry.id);
    const bool listed = !latest.empty() && latest[0][0].as<std::string>() == "add";
    check_watchlist_change(action, entry, listed);
    WatchlistEntry stored = entry;
    if (action == "remove") stored = watchlist_removal(entry.id, stored_watchlist_kind(latest[0][1].as<std::string>(), entry.id));
    const auto version = w.exec_params(
        "INSERT INTO watchlist_changes(version, action, id, kind, document_number, issuer, surname, given_names,"
        " birth_date, nationality, reason, changed_at)"
        " SELECT coalesce(max(version), 0) + 1, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11 FROM watchlist_changes"
        " RETURNING version",
        action, stored.id, std::string(to_string(stored.kind)), stored.document_number, stored.issuer, stored.surname, stored.given_names,
        stored.birth_date, stored.nationality, stored.reason, at)[0][0].as<std::uint64_t>();
    w.commit();
    return version;
  }

  WatchlistPage watchlist_after(std::uint64_t since, std::size_t limit) override {
    auto lease = borrow();
    pqxx::read_transaction t(*lease);
    WatchlistPage page;
    page.latest = t.exec("SELECT coalesce(max(version), 0) FROM watchlist_changes")[0][0].as<std::uint64_t>();
    for (const auto& row : t.exec_params("SELECT version, action, id, kind, document_number, issuer, surname, given_names,"
                                         " birth_date, nationality, reason FROM watchlist_changes WHERE version > $1"
                                         " ORDER BY version LIMIT $2",
                                         since, limit))
      page.changes.push_back({row[0].as<std::uint64_t>(), row[1].as<std::string>(), entry_from(row, 2)});
    return page;
  }

  std::vector<WatchlistEntry> watchlist_entries() override {
    auto lease = borrow();
    pqxx::read_transaction t(*lease);
    std::vector<WatchlistEntry> out;
    for (const auto& row : t.exec("SELECT id, kind, document_number, issuer, surname, given_names, birth_date, nationality, reason"
                                  " FROM watchlist_changes c WHERE action = 'add'"
                                  " AND version = (SELECT max(version) FROM watchlist_changes WHERE id = c.id) ORDER BY version"))
      out.push_back(entry_from(row, 0));
    return out;
  }

  std::optional<std::string> signer_pem(const std::string& fingerprint) override {
    auto lease = borrow();
    pqxx::read_transaction t(*lease);
    const auto r = t.exec_params("SELECT pem FROM signers WHERE fingerprint = $1", fingerprint);
    if (r.empty()) return std::nullopt;
    return r[0][0].as<std::string>();
  }

 private:
  // A connection taken from the pool for one operation; back in the pool when it goes out of scope.
  class Lease {
   public:
    Lease(PostgresStore& store, std::unique_ptr<pqxx::connection> c) : store_(store), connection_(std::move(c)) {}
    ~Lease() { store_.give_back(std::move(connection_)); }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    pqxx::connection& operator*() { return *connection_; }

   private:
    PostgresStore& store_;
    std::unique_ptr<pqxx::connection> connection_;
  };

  static std::unique_ptr<pqxx::connection> connect(const std::string& connection) {
    auto c = std::make_unique<pqxx::connection>(connection);
    // Partition bounds and report days are UTC, whatever the server's time zone.
    pqxx::nontransaction(*c).exec("SET TIME ZONE 'UTC'");
    return c;
  }

  Lease borrow() {
    std::unique_lock lock(pool_mutex_);
    returned_.wait(lock, [&] { return !idle_.empty(); });
    auto c = std::move(idle_.back());
    idle_.pop_back();
    return Lease(*this, std::move(c));
  }

  void give_back(std::unique_ptr<pqxx::connection> c) {
    {
      std::lock_guard lock(pool_mutex_);
      idle_.push_back(std::move(c));
    }
    returned_.notify_one();
  }

  // A month's partition is created the first time a record of that month arrives.
  void ensure_partitions(const std::vector<Record>& records) {
    std::set<std::pair<int, int>> months;
    for (const auto& r : records) months.insert(year_month(r.recorded_at));
    {
      std::lock_guard lock(partitions_mutex_);
      for (auto it = months.begin(); it != months.end();) it = known_partitions_.count(*it) ? months.erase(it) : std::next(it);
    }
    if (months.empty()) return;
    auto lease = borrow();
    pqxx::work w(*lease);
    w.exec_params("SELECT pg_advisory_xact_lock($1)", kSchemaLock);
    for (const auto& [year, month] : months) w.exec(partition_ddl(year, month));
    w.commit();
    std::lock_guard lock(partitions_mutex_);
    known_partitions_.insert(months.begin(), months.end());
  }

  std::mutex pool_mutex_;
  std::condition_variable returned_;
  std::vector<std::unique_ptr<pqxx::connection>> idle_;
  std::mutex partitions_mutex_;
  std::set<std::pair<int, int>> known_partitions_;
};

}  // namespace

std::unique_ptr<CentralStore> open_postgresql_store(const std::string& connection, unsigned connections) {
  try {
    return std::make_unique<PostgresStore>(connection, connections);
  } catch (const pqxx::broken_connection& e) {
    throw std::runtime_error("cannot connect to PostgreSQL: " + std::string(e.what()));
  }
}

std::unique_ptr<CentralStore> open_store(const std::string& backend, const std::string& sqlite_path, const std::string& postgresql,
                                         unsigned connections) {
  if (backend == "sqlite") return open_sqlite_store(sqlite_path);
  if (backend == "postgresql") return open_postgresql_store(postgresql, connections);
  throw std::invalid_argument("unknown store backend \"" + backend + "\" (sqlite or postgresql)");
}

}  // namespace borderpost::sync
