// The central office's SQLite backend: WAL and synchronous=FULL, so an acknowledged record
// survives a power cut; one row per record with the fields reports group by, plus the record itself.
#include <mutex>
#include <stdexcept>

#include "sync/sqlite.hpp"
#include "sync/central_store.hpp"

namespace borderpost::sync {
namespace {

class SqliteStore final : public CentralStore {
 public:
  explicit SqliteStore(const std::string& path) : db_(path) {
    sqlite::exec(db_.get(),
                 "CREATE TABLE IF NOT EXISTS stations("
                 "  station TEXT PRIMARY KEY, last_seq INTEGER NOT NULL, last_hash TEXT NOT NULL,"
                 "  last_contact TEXT NOT NULL DEFAULT '', newest_record TEXT NOT NULL DEFAULT '');"
                 "CREATE TABLE IF NOT EXISTS records("
                 "  station TEXT NOT NULL, seq INTEGER NOT NULL, uuid TEXT NOT NULL UNIQUE,"
                 "  recorded_at TEXT NOT NULL, utc_offset_minutes INTEGER NOT NULL, direction TEXT NOT NULL,"
                 "  nationality TEXT NOT NULL, sex TEXT NOT NULL, birth_date TEXT NOT NULL,"
                 "  hash TEXT NOT NULL, signer TEXT NOT NULL, received_at TEXT NOT NULL, record TEXT NOT NULL,"
                 "  corrects TEXT NOT NULL DEFAULT '',"
                 "  PRIMARY KEY (station, seq)) WITHOUT ROWID;"
                 "CREATE INDEX IF NOT EXISTS records_by_time ON records(recorded_at);"
                 "CREATE INDEX IF NOT EXISTS records_by_correction ON records(corrects) WHERE corrects <> '';"
                 "CREATE TABLE IF NOT EXISTS signers(fingerprint TEXT PRIMARY KEY, pem TEXT NOT NULL) WITHOUT ROWID;"
                 "CREATE TABLE IF NOT EXISTS tamper_alerts("
                 "  id INTEGER PRIMARY KEY, station TEXT NOT NULL, raised_at TEXT NOT NULL, detail TEXT NOT NULL);"
                 "CREATE TABLE IF NOT EXISTS watchlist_changes("
                 "  version INTEGER PRIMARY KEY, action TEXT NOT NULL, id TEXT NOT NULL, kind TEXT NOT NULL,"
                 "  document_number TEXT NOT NULL, issuer TEXT NOT NULL, surname TEXT NOT NULL, given_names TEXT NOT NULL,"
                 "  birth_date TEXT NOT NULL, nationality TEXT NOT NULL, reason TEXT NOT NULL, changed_at TEXT NOT NULL);"
                 "CREATE INDEX IF NOT EXISTS watchlist_changes_by_id ON watchlist_changes(id, version);");
    add_reported_head();
  }

  // Added after the first release: a store made before gets the column.
  void add_reported_head() {
    sqlite::Statement columns(db_.get(), "SELECT count(*) FROM pragma_table_info('stations') WHERE name = 'reported_head'");
    columns.step();
    if (columns.integer(0) == 0) sqlite::exec(db_.get(), "ALTER TABLE stations ADD COLUMN reported_head INTEGER NOT NULL DEFAULT 0");
  }

  ChainHead head(const std::string& station) override {
    std::lock_guard lock(mutex_);
    sqlite::Statement q(db_.get(), "SELECT last_seq, last_hash FROM stations WHERE station = ?");
    q.bind(1, station);
    if (!q.step()) return {};
    return {static_cast<std::uint64_t>(q.integer(0)), q.text(1)};
  }

  std::optional<std::string> hash_at(const std::string& station, std::uint64_t seq) override {
    std::lock_guard lock(mutex_);
    sqlite::Statement q(db_.get(), "SELECT hash FROM records WHERE station = ? AND seq = ?");
    q.bind(1, station).bind(2, static_cast<std::int64_t>(seq));
    if (!q.step()) return std::nullopt;
    return q.text(0);
  }

  void append(const std::string& station, const std::vector<Record>& records, const std::vector<std::string>& record_json,
              const Signer& signer, const std::string& received_at) override {
    if (record_json.size() != records.size()) throw std::invalid_argument("append: one JSON text per record");
    if (records.empty()) return;
    std::lock_guard lock(mutex_);
    sqlite::Transaction transaction(db_.get());
    sqlite::Statement head_now(db_.get(), "SELECT last_seq, last_hash FROM stations WHERE station = ?");
    head_now.bind(1, station);
    const ChainHead stored = head_now.step() ? ChainHead{static_cast<std::uint64_t>(head_now.integer(0)), head_now.text(1)} : ChainHead{};
    if (stored.seq + 1 != records.front().seq || stored.hash != records.front().prev_hash)
      throw ChainMoved("station " + station + " is stored through " + std::to_string(stored.seq) + " now; resend from there");
    sqlite::Statement keep_signer(db_.get(), "INSERT OR IGNORE INTO signers(fingerprint, pem) VALUES (?, ?)");
    keep_signer.bind(1, signer.fingerprint).bind(2, signer.pem).run();
    sqlite::Statement insert(db_.get(),
                             "INSERT INTO records(station, seq, uuid, recorded_at, utc_offset_minutes, direction,"
                             " nationality, sex, birth_date, hash, signer, received_at, record, corrects)"
                             " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    for (std::size_t i = 0; i < records.size(); ++i) {
      const auto& r = records[i];
      insert.bind(1, station).bind(2, static_cast<std::int64_t>(r.seq)).bind(3, r.uuid).bind(4, r.recorded_at);
      insert.bind(5, std::int64_t{r.utc_offset_minutes}).bind(6, r.movement.direction);
      insert.bind(7, r.movement.traveller.nationality).bind(8, r.movement.traveller.sex);
      insert.bind(9, r.movement.traveller.birth_date).bind(10, r.hash).bind(11, signer.fingerprint).bind(12, received_at);
      insert.bind(13, record_json[i]).bind(14, r.movement.corrects.value_or("")).run();
    }
    sqlite::Statement upsert(db_.get(),
                             "INSERT INTO stations(station, last_seq, last_hash, newest_record) VALUES (?, ?, ?, ?)"
                             " ON CONFLICT(station) DO UPDATE SET last_seq = excluded.last_seq,"
                             " last_hash = excluded.last_hash, newest_record = excluded.newest_record");
    upsert.bind(1, station).bind(2, static_cast<std::int64_t>(records.back().seq)).bind(3, records.back().hash);
    upsert.bind(4, records.back().recorded_at).run();
    transaction.commit();
  }

  void note_contact(const std::string& station, const std::string& at, std::optional<std::uint64_t> reported_head) override {
    std::lock_guard lock(mutex_);
    sqlite::Statement q(db_.get(),
                        "INSERT INTO stations(station, last_seq, last_hash, last_contact, reported_head) VALUES (?, 0, ?, ?, coalesce(?, 0))"
                        " ON CONFLICT(station) DO UPDATE SET last_contact = excluded.last_contact,"
                        " reported_head = coalesce(?, reported_head)");
    q.bind(1, station).bind(2, kGenesisHash).bind(3, at);
    for (int i : {4, 5}) {
      if (reported_head) q.bind(i, static_cast<std::int64_t>(*reported_head));
      else q.bind_null(i);
    }
    q.run();
  }

  void raise_alert(const TamperAlert& alert) override {
    std::lock_guard lock(mutex_);
    sqlite::Statement q(db_.get(), "INSERT INTO tamper_alerts(station, raised_at, detail) VALUES (?, ?, ?)");
    q.bind(1, alert.station).bind(2, alert.raised_at).bind(3, alert.detail).run();
  }

  std::vector<StationStatus> stations() override {
    std::lock_guard lock(mutex_);
    sqlite::Statement q(db_.get(), "SELECT station, last_seq, last_contact, newest_record, reported_head FROM stations ORDER BY station");
    std::vector<StationStatus> out;
    while (q.step())
      out.push_back({q.text(0), static_cast<std::uint64_t>(q.integer(1)), q.text(2), q.text(3), static_cast<std::uint64_t>(q.integer(4))});
    return out;
  }

  std::vector<TamperAlert> alerts() override {
    std::lock_guard lock(mutex_);
    sqlite::Statement q(db_.get(), "SELECT station, raised_at, detail FROM tamper_alerts ORDER BY id");
    std::vector<TamperAlert> out;
    while (q.step()) out.push_back({q.text(0), q.text(1), q.text(2)});
    return out;
  }

  std::uint64_t record_count() override {
    std::lock_guard lock(mutex_);
    sqlite::Statement q(db_.get(), "SELECT count(*) FROM records");
    q.step();
    return static_cast<std::uint64_t>(q.integer(0));
  }

  std::vector<StoredRecord> records(const std::string& station, std::uint64_t from_seq, std::size_t limit) override {
    std::lock_guard lock(mutex_);
    sqlite::Statement q(db_.get(), "SELECT record, signer FROM records WHERE station = ? AND seq >= ? ORDER BY seq LIMIT ?");
    q.bind(1, station).bind(2, static_cast<std::int64_t>(from_seq)).bind(3, static_cast<std::int64_t>(limit));
    std::vector<StoredRecord> out;
    while (q.step()) {
      std::string error;
      auto r = record_from_json(nlohmann::json::parse(q.text(0)), error);
      if (!r) throw std::runtime_error("stored record damaged: " + error);
      out.push_back({std::move(*r), q.text(1)});
    }
    return out;
  }

  std::vector<ReportRow> crossings(const ReportQuery& query) override {
    std::lock_guard lock(mutex_);
    // The post's local day; rows per birth date, folded into age bands below.
    sqlite::Statement q(db_.get(),
                        "SELECT station, date(recorded_at, printf('%+d minutes', utc_offset_minutes)) AS day, direction,"
                        " nationality, sex, birth_date, count(*) FROM records"
                        " WHERE date(recorded_at, printf('%+d minutes', utc_offset_minutes)) BETWEEN ?1 AND ?2"
                        " AND (?3 = '' OR station = ?3)"
                        " AND uuid NOT IN (SELECT corrects FROM records WHERE corrects <> '')"
                        " GROUP BY station, day, direction, nationality, sex, birth_date");
    q.bind(1, query.from).bind(2, query.to).bind(3, query.station);
    std::vector<ReportRow> rows;
    while (q.step())
      rows.push_back({q.text(0), q.text(1), q.text(2), q.text(3), q.text(4), age_band(age_on(q.text(5), q.text(1))),
                      static_cast<std::uint64_t>(q.integer(6))});
    return merge_report_rows(std::move(rows));
  }

  std::uint64_t watchlist_change(const std::string& action, const WatchlistEntry& entry, const std::string& at) override {
    std::lock_guard lock(mutex_);
    sqlite::Transaction transaction(db_.get());
    sqlite::Statement latest(db_.get(), "SELECT action, kind FROM watchlist_changes WHERE id = ? ORDER BY version DESC LIMIT 1");
    latest.bind(1, entry.id);
    const bool listed = latest.step() && latest.text(0) == "add";
    check_watchlist_change(action, entry, listed);
    WatchlistEntry stored = entry;
    if (action == "remove") stored = watchlist_removal(entry.id, stored_watchlist_kind(latest.text(1), entry.id));
    sqlite::Statement insert(db_.get(),
                             "INSERT INTO watchlist_changes(version, action, id, kind, document_number, issuer, surname,"
                             " given_names, birth_date, nationality, reason, changed_at)"
                             " VALUES ((SELECT coalesce(max(version), 0) + 1 FROM watchlist_changes), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    insert.bind(1, action);
    const auto columns = watchlist_columns(stored);
    for (std::size_t i = 0; i < columns.size(); ++i) insert.bind(static_cast<int>(i) + 2, columns[i]);
    insert.bind(11, at).run();
    const auto version = static_cast<std::uint64_t>(sqlite3_last_insert_rowid(db_.get()));
    transaction.commit();
    return version;
  }

  WatchlistPage watchlist_after(std::uint64_t since, std::size_t limit) override {
    std::lock_guard lock(mutex_);
    WatchlistPage page;
    sqlite::Statement latest(db_.get(), "SELECT coalesce(max(version), 0) FROM watchlist_changes");
    latest.step();
    page.latest = static_cast<std::uint64_t>(latest.integer(0));
    sqlite::Statement q(db_.get(),
                        "SELECT version, action, id, kind, document_number, issuer, surname, given_names, birth_date,"
                        " nationality, reason FROM watchlist_changes WHERE version > ? ORDER BY version LIMIT ?");
    q.bind(1, static_cast<std::int64_t>(since)).bind(2, static_cast<std::int64_t>(limit));
    while (q.step()) page.changes.push_back({static_cast<std::uint64_t>(q.integer(0)), q.text(1), watchlist_entry_from(q.texts<kWatchlistFields.size()>(2))});
    return page;
  }

  std::vector<WatchlistEntry> watchlist_entries() override {
    std::lock_guard lock(mutex_);
    sqlite::Statement q(db_.get(),
                        "SELECT id, kind, document_number, issuer, surname, given_names, birth_date, nationality, reason"
                        " FROM watchlist_changes c WHERE action = 'add'"
                        " AND version = (SELECT max(version) FROM watchlist_changes WHERE id = c.id) ORDER BY version");
    std::vector<WatchlistEntry> out;
    while (q.step()) out.push_back(watchlist_entry_from(q.texts<kWatchlistFields.size()>(0)));
    return out;
  }

  std::optional<std::string> signer_pem(const std::string& fingerprint) override {
    std::lock_guard lock(mutex_);
    sqlite::Statement q(db_.get(), "SELECT pem FROM signers WHERE fingerprint = ?");
    q.bind(1, fingerprint);
    if (!q.step()) return std::nullopt;
    return q.text(0);
  }

 private:
  sqlite::Connection db_;
  std::mutex mutex_;  // one connection, used by the server's threads in turn
};

}  // namespace

std::unique_ptr<CentralStore> open_sqlite_store(const std::string& path) { return std::make_unique<SqliteStore>(path); }

}  // namespace borderpost::sync
