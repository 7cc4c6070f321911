// The post's own database (data_dir/station.db): movements with their check results, the audit
// trail, and (through sync) the outbox and the watch-list. A decision is one transaction: the
// movement, its checks, its audit entry and its outbox record commit together or not at all.
// WAL, synchronous=FULL, foreign keys on; the schema is versioned and migrated at open.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "inspection/inspection.hpp"
#include "sync/outbox.hpp"
#include "sync/sqlite.hpp"

namespace borderpost::station {

// What a decision adds to an inspection, ready to be recorded.
struct MovementDraft {
  sync::Movement movement;      // the fields that travel to the central office
  std::string refusal_reason;   // code, when refused
  std::string note;             // the inspector's free text
  std::string companion;        // minors: the accompanying adult or the authorisation
  MrzSource source = MrzSource::Optical;
  std::vector<std::string> mrz_lines;
  std::string local_date;       // YYYY-MM-DD at the post
  std::string local_time;       // HH:MM:SS at the post
  std::vector<CheckResult> checks;
  struct Image {
    std::string light;  // "white" | "ir" | "uv"
    std::string path;   // file under the data directory, already written and synced
  };
  std::vector<Image> images;
};

// The movement fields of a document as the record carries them (decision, inspector and check
// summary are the caller's to fill).
sync::Movement movement_fields(const mrz::Document& document);

// The record's check summary: the verdict and how many checks passed, warned, failed, did not run.
sync::Movement::Checks check_summary(const std::vector<CheckResult>& checks, std::string verdict);

struct StoredMovement {
  std::int64_t id = 0;
  std::uint64_t seq = 0;
  std::string uuid;
  std::string recorded_at;  // UTC
  std::string local_date, local_time;
  int alerts = 0;           // checks that raised an alert
  MovementDraft draft;      // movement fields, reasons, checks and images as recorded
};

// Where a page of movements ended: the next page starts after it (movements are ordered by local
// date, then by the order they were recorded in).
struct MovementCursor {
  std::string local_date;
  std::int64_t id = 0;
  std::string text() const;                                      // "YYYY-MM-DD.ID", for an API
  static std::optional<MovementCursor> parse(const std::string& text);
};

struct MovementFilter {
  std::string from, to;     // local dates, inclusive; "" = open
  std::string direction, decision, inspector, nationality;
  bool alerts_only = false;
  bool details = true;      // each movement's checks and images too (a list view needs neither)
  std::optional<MovementCursor> after;  // the page after this one
  std::size_t limit = 1000;
};

struct AuditEntry {
  std::int64_t id = 0;
  std::string at, actor, action, subject, detail;
};

// Newest first.
struct AuditFilter {
  std::string from_utc, to_utc;   // at >= from_utc and at < to_utc ("YYYY-MM-DDTHH:MM:SS..."); "" = open
  std::string actor;              // exactly this account ("" = anyone)
  std::string action_prefix;      // e.g. "session." or "movements.exported"
  std::int64_t before_id = 0;     // the page after an earlier one: entries older than this id
  std::size_t limit = 200;
};

// What `borderpost db check` reports.
struct StoreHealth {
  std::string integrity;            // "ok" or SQLite's findings
  std::uint64_t movements = 0;
  std::uint64_t outbox_pending = 0;
  std::vector<std::string> chain_problems;  // empty when every record is intact and linked
  bool ok() const { return integrity == "ok" && chain_problems.empty(); }
};

class Store {
 public:
  static constexpr int kSchemaVersion = 5;

  // Opens (creating and migrating as needed). `max_size_mb` > 0 caps the file size: past it a
  // write fails with "database or disk is full" and nothing of it is kept. ReadOnly (a read-only
  // disk) opens an existing store of the current schema for reading; every write then throws.
  explicit Store(const std::string& path, int max_size_mb = 0, sync::sqlite::Access access = sync::sqlite::Access::ReadWrite);
  sqlite3* db() const { return connection_.get(); }
  bool writable() const { return sqlite3_db_readonly(db(), "main") == 0; }
  int schema_version() const;

  // One transaction: seals the record through the outbox, then writes the movement, its checks,
  // its images and the audit entry. Throws sync::sqlite::Error (full disk, I/O) with nothing kept.
  StoredMovement record(const MovementDraft& draft, sync::Outbox& outbox, const sync::Timestamp& at, const std::string& actor);

  std::optional<PreviousMovement> previous_movement(const std::string& number, const std::string& issuer) const;
  std::vector<StoredMovement> movements(const MovementFilter& filter) const;  // one page: at most filter.limit
  std::uint64_t count_movements(const MovementFilter& filter) const;          // all the filter matches
  // Every movement the filter matches, page by page, in order (memory stays at one page).
  void each_movement(MovementFilter filter, const std::function<void(const StoredMovement&)>& visit) const;
  std::optional<StoredMovement> movement(const std::string& uuid) const;
  std::uint64_t movement_count() const;  // the highest sequence number, read once, then kept up to date by record()

  void audit(const std::string& actor, const std::string& action, const std::string& subject, const std::string& detail);
  std::vector<AuditEntry> audit_trail(std::size_t limit) const;
  std::vector<AuditEntry> audit_trail(const AuditFilter& filter) const;

  // SQLite's integrity check, and the record chain re-verified from the stored records (hashes,
  // links, gap-free sequence; signatures too when the station's public key is given).
  StoreHealth check(EVP_PKEY* signing_key = nullptr) const;

 private:
  sync::sqlite::Connection connection_;
  mutable std::optional<std::uint64_t> movement_count_;
};

// Applies the migrations from the database's version to `target` (tests build every earlier version).
void migrate(sqlite3* db, int target = Store::kSchemaVersion);

}  // namespace borderpost::station
